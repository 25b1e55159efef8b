import { repriceJobV1 } from '#shared/contracts/repricer-messages.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { queueConsumer } from '#shared/adapters/sqs/queue-consumer.ts';
import type { DeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import { repriceJob } from '#shared/repricer/reprice-job.ts';
import type { RepricerDeps } from '#shared/repricer/ports.ts';
import type { StoredOffer } from '#shared/repricer/model.ts';

export interface Deps extends RepricerDeps {
  readonly deadLetters: DeadLetterQueue;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = repricerAdapters(env, overrides);
  return { ...adapters.deps(), deadLetters: adapters.deadLetterQueue('repricerJobs') };
}

export function createHandler({ deadLetters, ...deps }: Deps) {
  return queueConsumer({
    deadLetters,
    message: repriceJobV1,
    // The offers are the ones the tick read; their versions guard every write, so a redelivered job decides nothing twice.
    handle: (job) => repriceJob(deps, { ...job, offers: job.offers as unknown as StoredOffer[] }),
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
