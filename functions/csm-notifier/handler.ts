import { customerEventSchema } from '#shared/contracts/customer-events.ts';
import { queueConsumer } from '#shared/adapters/sqs/queue-consumer.ts';
import type { DeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import { handleCustomerEvent, type CustomerEventDeps } from '#shared/onboarding/customer-event-handling.ts';

export interface Deps extends CustomerEventDeps {
  readonly deadLetters: DeadLetterQueue;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = coreAdapters(env, overrides);
  return {
    customers: adapters.customerRepository(),
    staff: adapters.staffDirectory(),
    tasks: adapters.taskRepository(),
    notifications: adapters.csmNotificationStore(),
    push: adapters.csmPushPublisher(),
    scheduler: adapters.oneTimeScheduler(),
    clock: adapters.clock,
    deadLetters: adapters.deadLetterQueue('csmNotifier'),
  };
}

export function createHandler({ deadLetters, ...deps }: Deps) {
  return queueConsumer({
    deadLetters,
    message: customerEventSchema,
    handle: (event) => handleCustomerEvent(deps, event),
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
