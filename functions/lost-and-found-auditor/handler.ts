import type { BusinessMetrics } from '#shared/kernel/metrics.ts';
import { auditRequestedV1 } from '#shared/contracts/lost-and-found-messages.ts';
import { queueConsumer } from '#shared/adapters/sqs/queue-consumer.ts';
import type { DeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { lostAndFoundAdapters } from '#shared/adapters/lost-and-found-factories.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { runAuditJob } from '#shared/lost-and-found/jobs.ts';
import type { SpillStorage } from '#shared/lost-and-found/audit.ts';
import { LocalDiskSpillStorage } from '#shared/adapters/local-disk/spill-storage.ts';
import type { LostFoundStore } from '#shared/lost-and-found/ports.ts';
import type { ReportStore } from '#shared/lost-and-found/ports.ts';
import type { ClaimRepository } from '#shared/lost-and-found/ports.ts';

export interface Deps {
  readonly claims: ClaimRepository;
  readonly store: LostFoundStore;
  readonly reports: ReportStore;
  readonly clock: Clock;
  readonly deadLetters: DeadLetterQueue;
  /** The function's /tmp: scratch files of an audit too big for one pass. */
  readonly spill: SpillStorage;
  readonly metrics: BusinessMetrics;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = lostAndFoundAdapters(env, overrides);
  return {
    claims: adapters.claims(),
    store: adapters.store(),
    reports: adapters.reports(),
    clock: adapters.clock,
    deadLetters: adapters.deadLetterQueue('lostFoundAudits'),
    spill: new LocalDiskSpillStorage(),
    metrics: adapters.metrics,
  };
}

export function createHandler({ deadLetters, ...deps }: Deps) {
  return queueConsumer({
    deadLetters,
    message: auditRequestedV1,
    handle: (message) => runAuditJob(deps, message),
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
