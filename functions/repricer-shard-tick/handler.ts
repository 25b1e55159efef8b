import { shardTickV1 } from '#shared/contracts/repricer-messages.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { queueConsumer } from '#shared/adapters/sqs/queue-consumer.ts';
import type { DeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import { logger } from '#shared/adapters/observability.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import { DUE_SHARDS } from '#shared/repricer/model.ts';
import { runShardTick } from '#shared/repricer/tick.ts';
import type { JobSender, RepricerStore } from '#shared/repricer/ports.ts';

export interface Deps {
  readonly store: RepricerStore;
  readonly jobs: JobSender;
  readonly now: () => Date;
  readonly deadLetters: DeadLetterQueue;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = repricerAdapters(env, overrides);
  return {
    store: adapters.store(),
    jobs: adapters.jobSender(),
    now: () => adapters.clock.now(),
    deadLetters: adapters.deadLetterQueue('repricerShardTicks'),
  };
}

/**
 * One shard of a marketplace's tick: streams the shard's due offers into reprice jobs. A shard tick delivered twice
 * sends its jobs twice; the workers decide only offers still due, under their version, so nothing is decided twice.
 */
export function createHandler({ deadLetters, ...deps }: Deps) {
  return queueConsumer({
    deadLetters,
    message: shardTickV1,
    handle: async (tick) => {
      if (tick.shard >= DUE_SHARDS) throw new ValidationError(`shard: ${tick.shard} is not a due shard (0–${DUE_SHARDS - 1})`);
      const plan = await runShardTick(deps, tick);
      if (plan.dueOffers > 0) logger.info('repricing shard tick', { ...plan, scheduledTime: tick.scheduledTime });
      return plan;
    },
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
