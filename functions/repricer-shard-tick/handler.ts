import { shardTickV1 } from '#shared/contracts/repricer-messages.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { queueConsumer } from '#shared/adapters/sqs/queue-consumer.ts';
import type { DeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import { logger } from '#shared/adapters/observability.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import { DUE_SHARDS } from '#shared/repricer/model.ts';
import { SHARD_TICK_BUDGET_MS, runShardTick } from '#shared/repricer/tick.ts';
import type { JobSender, RepricerStore, ShardTickSender } from '#shared/repricer/ports.ts';

export interface Deps {
  readonly store: RepricerStore;
  readonly jobs: JobSender;
  /** Where a shard tick that used up its time budget sends its continuation (its own queue). */
  readonly shardTicks: ShardTickSender;
  readonly now: () => Date;
  readonly deadLetters: DeadLetterQueue;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = repricerAdapters(env, overrides);
  return {
    store: adapters.store(),
    jobs: adapters.jobSender(),
    shardTicks: adapters.shardTickSender(),
    now: () => adapters.clock.now(),
    deadLetters: adapters.deadLetterQueue('repricerShardTicks'),
  };
}

/**
 * One shard of a marketplace's tick: streams the shard's due offers into reprice jobs. A shard tick delivered twice
 * sends its jobs twice; the workers decide only offers still due, under their version, so nothing is decided twice.
 */
export function createHandler({ deadLetters, shardTicks, ...deps }: Deps) {
  return queueConsumer({
    deadLetters,
    message: shardTickV1,
    handle: async (tick) => {
      if (tick.shard >= DUE_SHARDS) throw new ValidationError(`shard: ${tick.shard} is not a due shard (0–${DUE_SHARDS - 1})`);
      const { version: _version, ...shardTick } = tick;
      const plan = await runShardTick(deps, { ...shardTick, stopAfterMs: SHARD_TICK_BUDGET_MS });
      if (plan.dueOffers > 0) logger.info('repricing shard tick', { ...plan, scheduledTime: tick.scheduledTime, continuation: tick.resumeFrom !== undefined });
      // The rest of the shard goes on in a fresh invocation (jobs already sent are not sent again).
      if (plan.cursor !== null) await shardTicks.send([{ ...shardTick, resumeFrom: plan.cursor }]);
      return plan;
    },
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
