import { ruleImportChunkV1 } from '#shared/contracts/repricer-messages.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { queueConsumer } from '#shared/adapters/sqs/queue-consumer.ts';
import type { DeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import { runRuleImportChunk } from '#shared/repricer/rule-imports.ts';

export type Deps = Parameters<typeof runRuleImportChunk>[0] & { readonly deadLetters: DeadLetterQueue };

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = repricerAdapters(env, overrides);
  return {
    store: adapters.store(),
    imports: adapters.ruleImports(),
    now: () => adapters.clock.now(),
    deadLetters: adapters.deadLetterQueue('repricerRuleImports'),
  };
}

export function createHandler({ deadLetters, ...deps }: Deps) {
  return queueConsumer({
    deadLetters,
    message: ruleImportChunkV1,
    handle: (message) => runRuleImportChunk(deps, message),
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
