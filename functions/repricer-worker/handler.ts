import { repriceJobMessage, type RepriceJobMessage } from '#shared/contracts/repricer-messages.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { queueConsumer } from '#shared/adapters/sqs/queue-consumer.ts';
import type { DeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import type { RetryLater } from '#shared/adapters/sqs/retry-later.ts';
import { runTickJob } from '#shared/repricer/reprice-job.ts';
import type { RepricerDeps } from '#shared/repricer/ports.ts';
import type { TickJob } from '#shared/repricer/model.ts';

export interface Deps extends RepricerDeps {
  readonly deadLetters: DeadLetterQueue;
  /** Re-queues a unit of work the SP-API quota had no token for (with the quota's delay). */
  readonly retryLater: RetryLater;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = repricerAdapters(env, overrides);
  return { ...adapters.deps(), deadLetters: adapters.deadLetterQueue('repricerJobs'), retryLater: adapters.retryLater('repricerJobs') };
}

/** V2 names the offers; a V1 job (queued before V2) carried whole offers, of which only the keys are used now. */
function tickJobOf(message: RepriceJobMessage): TickJob {
  const keys =
    message.version === 2
      ? message.offers.map((o) => ({ ...o, marketplaceId: message.marketplaceId }))
      : message.offers.map((o) => ({ tenantId: o.tenantId, marketplaceId: o.rules.marketplaceId, audience: o.rules.audience, asin: o.rules.asin, sku: o.rules.sku }));
  return { marketplaceId: message.marketplaceId, keys, fetchBudget: message.fetchBudget, bulk: message.bulk };
}

export function createHandler({ deadLetters, retryLater, ...deps }: Deps) {
  return queueConsumer({
    deadLetters,
    retryLater,
    message: repriceJobMessage,
    // The worker reads the offers it is given the keys of; their versions guard every write, and offers already
    // decided are no longer due, so a redelivered job decides nothing twice.
    handle: (message) => runTickJob(deps, tickJobOf(message)),
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
