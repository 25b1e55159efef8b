import { marketChangedV1 } from '#shared/contracts/repricer-messages.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import { queueConsumer } from '#shared/adapters/sqs/queue-consumer.ts';
import type { DeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import { handleMarketChange } from '#shared/repricer/reconsultation.ts';

export type Deps = Parameters<typeof handleMarketChange>[0] & { readonly deadLetters: DeadLetterQueue };

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = coreAdapters(env, overrides);
  return {
    customers: adapters.customerRepository(),
    tasks: adapters.taskRepository(),
    notifications: adapters.csmNotificationStore(),
    push: adapters.csmPushPublisher(),
    clock: adapters.clock,
    deadLetters: adapters.deadLetterQueue('repricerMarketChanges'),
  };
}

export function createHandler({ deadLetters, ...deps }: Deps) {
  return queueConsumer({
    deadLetters,
    message: marketChangedV1,
    handle: (change) => handleMarketChange(deps, change),
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
