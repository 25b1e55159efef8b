/**
 * The tick (R-P4): due offers of one marketplace → reprice jobs over the queue, planned against SP-API quotas.
 *
 * It streams: the `due` index is read page by page (keys only, its shards side by side) and a tenant's job leaves
 * as soon as it holds OFFERS_PER_JOB keys, so what the tick holds is one page per shard, at most one unfinished
 * job per tenant and one batch waiting to be sent, whatever the number of due offers (docs/repricer.md,
 * "Ticks at real catalogue sizes").
 */
import { DUE_SHARDS, type OfferKey, type TickJob } from './model.ts';
import type { JobSender, RepricerStore } from './ports.ts';
import { SP_API_QUOTAS } from './quotas.ts';

export interface TickPlan {
  readonly marketplaceId: string;
  readonly dueOffers: number;
  readonly jobs: number;
  /** Tenants (one seller each) with due offers. */
  readonly sellers: number;
  /** getItemOffersBatch calls the tick may spend (per seller, over the tick interval), summed over the sellers. */
  readonly fetchCallsAllowed: number;
  /** Sellers with more than BULK_THRESHOLD due offers, whose later jobs push through JSON_LISTINGS_FEED. */
  readonly bulkSellers: number;
}

/**
 * A seller's first BULK_THRESHOLD due offers of a tick are pushed at once (patchListingsItem); the ones after go
 * as JSON_LISTINGS_FEED (bulk) through the push flush.
 */
export const BULK_THRESHOLD = 300;
export const OFFERS_PER_JOB = 100;
/** Keys read per `due` page: one page is at most 1 MB of keys (≈ 5,000), so 2,000 is one round trip. */
export const DUE_PAGE_SIZE = 2_000;
/** Jobs sent per call of the sender: one SendMessageBatch holds at most 10 messages. */
const SEND_BATCH = 10;

interface TenantProgress {
  readonly keys: OfferKey[];
  due: number;
  jobs: number;
  /** getItemOffersBatch calls left for this tenant in this tick. */
  fetchBudgetLeft: number;
}

export async function runTick(
  deps: { store: RepricerStore; jobs: JobSender; now: () => Date },
  input: { marketplaceId: string; tickMinutes: number; maxOffers?: number },
): Promise<TickPlan> {
  const nowMs = deps.now().getTime();
  const max = input.maxOffers ?? Number.POSITIVE_INFINITY;
  // getItemOffersBatch: 0.1 req/s per seller → calls per tick interval. A job needs at most one call per 20 of its
  // offers to refresh them all; the seller's budget goes to its jobs in that size until it is spent.
  const callsPerTick = Math.max(1, Math.floor(SP_API_QUOTAS.getItemOffersBatch.ratePerSecond * input.tickMinutes * 60));
  const callsPerJob = Math.ceil(OFFERS_PER_JOB / SP_API_QUOTAS.getItemOffersBatch.itemsPerCall);
  const tenants = new Map<string, TenantProgress>();
  const ready: TickJob[] = [];
  let due = 0;
  let jobs = 0;

  const emit = async (progress: TenantProgress): Promise<void> => {
    const fetchBudget = Math.min(progress.fetchBudgetLeft, callsPerJob);
    progress.fetchBudgetLeft -= fetchBudget;
    ready.push({
      marketplaceId: input.marketplaceId,
      keys: progress.keys.splice(0),
      fetchBudget,
      bulk: progress.jobs * OFFERS_PER_JOB >= BULK_THRESHOLD,
    });
    progress.jobs++;
    jobs++;
    if (ready.length >= SEND_BATCH) await deps.jobs.send(ready.splice(0));
  };

  // The shards are read side by side (8 queries in flight, each followed by its sends): a tick's time is
  // that of its largest shard, not of all of them.
  const readShard = async (shard: number): Promise<void> => {
    let cursor: string | null = null;
    while (due < max) {
      const page = await deps.store.dueOffers(input.marketplaceId, shard, nowMs, Math.min(DUE_PAGE_SIZE, max - due), cursor);
      for (const key of page.keys) {
        let progress = tenants.get(key.tenantId);
        if (!progress) {
          progress = { keys: [], due: 0, jobs: 0, fetchBudgetLeft: callsPerTick };
          tenants.set(key.tenantId, progress);
        }
        progress.keys.push(key);
        progress.due++;
        due++;
        if (progress.keys.length >= OFFERS_PER_JOB) await emit(progress);
      }
      cursor = page.cursor;
      if (!cursor) return;
    }
  };
  await Promise.all(Array.from({ length: DUE_SHARDS }, (_, shard) => readShard(shard)));
  let bulkSellers = 0;
  for (const progress of tenants.values()) {
    if (progress.keys.length > 0) await emit(progress);
    if (progress.due > BULK_THRESHOLD) bulkSellers++;
  }
  if (ready.length > 0) await deps.jobs.send(ready.splice(0));
  return {
    marketplaceId: input.marketplaceId,
    dueOffers: due,
    jobs,
    sellers: tenants.size,
    fetchCallsAllowed: callsPerTick * tenants.size,
    bulkSellers,
  };
}
