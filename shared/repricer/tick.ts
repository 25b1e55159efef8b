/**
 * The tick (R-P4): due offers of one marketplace → reprice jobs over the queue, planned against SP-API quotas.
 *
 * It fans out per due shard: the scheduled tick of a marketplace only sends one shard tick per shard of the `due`
 * index (`fanOutTick`), and each shard tick (its own Lambda, `runShardTick`) streams its shard. A shard holds an
 * eighth of the marketplace's due offers, so a shard tick's time is an eighth of what one tick over all of them
 * took (docs/repricer.md, "Ticks at real catalogue sizes").
 *
 * A shard tick streams: its shard is read page by page (keys only) and a tenant's job leaves as soon as it holds
 * OFFERS_PER_JOB keys, so what it holds is one page, at most one unfinished job per tenant and one batch waiting to
 * be sent, whatever the number of due offers.
 */
import { DUE_SHARDS, type OfferKey, type TickJob } from './model.ts';
import type { JobSender, RepricerStore, ShardTick, ShardTickSender } from './ports.ts';
import { SP_API_QUOTAS } from './quotas.ts';

export interface TickPlan {
  readonly marketplaceId: string;
  /** The `due` shard this tick read. */
  readonly shard: number;
  readonly dueOffers: number;
  readonly jobs: number;
  /** Tenants (one seller each) with due offers. */
  readonly sellers: number;
  /** getItemOffersBatch calls the tick may spend (its shard's share per seller), summed over the sellers. */
  readonly fetchCallsAllowed: number;
  /** Sellers with more due offers than their share of BULK_THRESHOLD, whose later jobs push through JSON_LISTINGS_FEED. */
  readonly bulkSellers: number;
  /** Where the shard tick stopped when its time budget ran out (the rest is a continuation's), null when it read all. */
  readonly cursor: string | null;
}

/**
 * A seller's first BULK_THRESHOLD due offers of a tick are pushed at once (patchListingsItem); the ones after go
 * as JSON_LISTINGS_FEED (bulk) through the push flush. Each shard tick takes its share (shareOfShard).
 */
export const BULK_THRESHOLD = 300;
export const OFFERS_PER_JOB = 100;
/** Keys read per `due` page: one page is at most 1 MB of keys (≈ 5,000), so 2,000 is one round trip. */
export const DUE_PAGE_SIZE = 2_000;
/** Jobs sent per call of the sender: one SendMessageBatch holds at most 10 messages. */
const SEND_BATCH = 10;

/**
 * A shard's part of a per-seller, per-tick budget: a seller's offers are spread evenly over the shards (by the
 * hash of tenant and SKU), so each shard tick gets an eighth, the remainder to the first shards: the parts add
 * up to the budget exactly.
 */
export function shareOfShard(budget: number, shard: number): number {
  return Math.floor(budget / DUE_SHARDS) + (shard < budget % DUE_SHARDS ? 1 : 0);
}

/** The scheduled tick of a marketplace: one shard tick per `due` shard, each run by its own shard-tick Lambda. */
export async function fanOutTick(
  deps: { shardTicks: ShardTickSender },
  input: { marketplaceId: string; tickMinutes: number; scheduledTime: string },
): Promise<{ marketplaceId: string; shardTicks: number }> {
  const ticks: ShardTick[] = Array.from({ length: DUE_SHARDS }, (_, shard) => ({ ...input, shard }));
  await deps.shardTicks.send(ticks);
  return { marketplaceId: input.marketplaceId, shardTicks: ticks.length };
}

interface TenantProgress {
  readonly keys: OfferKey[];
  due: number;
  /** Offers of this tenant this shard tick may still push at once (its share of BULK_THRESHOLD). */
  immediateLeft: number;
  /** getItemOffersBatch calls left for this tenant in this shard tick. */
  fetchBudgetLeft: number;
}

/**
 * What a shard tick may run before it hands the rest of its shard to a continuation: half the shard-tick Lambda's
 * 120 s timeout, so a shard larger than measured (or a slow DynamoDB) still never times out mid-shard.
 */
export const SHARD_TICK_BUDGET_MS = 60_000;

/**
 * One shard tick: streams the due offers of one `due` shard of a marketplace into jobs. With `stopAfterMs`, it stops
 * after the page that used it up and returns the cursor; a continuation (`resumeFrom`) goes on from there. A
 * continuation's offers are all bulk and fetch nothing: the sellers' shares of the tick's quotas went to the first
 * part, and the feed and the cached snapshots need no per-seller quota.
 */
export async function runShardTick(
  deps: { store: RepricerStore; jobs: JobSender; now: () => Date },
  input: { marketplaceId: string; shard: number; tickMinutes: number; maxOffers?: number; stopAfterMs?: number; resumeFrom?: string },
): Promise<TickPlan> {
  const nowMs = deps.now().getTime();
  const continuation = input.resumeFrom !== undefined;
  const max = input.maxOffers ?? Number.POSITIVE_INFINITY;
  // getItemOffersBatch: 0.1 req/s per seller → calls per tick interval, this shard's share of them. A job needs at
  // most one call per 20 of its offers to refresh them all; the share goes to the tenant's jobs until it is spent.
  const callsPerTick = Math.max(1, Math.floor(SP_API_QUOTAS.getItemOffersBatch.ratePerSecond * input.tickMinutes * 60));
  const callsPerShard = continuation ? 0 : shareOfShard(callsPerTick, input.shard);
  const immediatePerShard = continuation ? 0 : shareOfShard(BULK_THRESHOLD, input.shard);
  const callsPerJob = Math.ceil(OFFERS_PER_JOB / SP_API_QUOTAS.getItemOffersBatch.itemsPerCall);
  const tenants = new Map<string, TenantProgress>();
  const ready: TickJob[] = [];
  let due = 0;
  let jobs = 0;

  const emit = async (progress: TenantProgress): Promise<void> => {
    const fetchBudget = Math.min(progress.fetchBudgetLeft, callsPerJob);
    progress.fetchBudgetLeft -= fetchBudget;
    const bulk = progress.immediateLeft === 0;
    if (!bulk) progress.immediateLeft -= progress.keys.length;
    ready.push({ marketplaceId: input.marketplaceId, keys: progress.keys.splice(0), fetchBudget, bulk });
    jobs++;
    if (ready.length >= SEND_BATCH) await deps.jobs.send(ready.splice(0));
  };

  let cursor: string | null = input.resumeFrom ?? null;
  while (due < max) {
    const page = await deps.store.dueOffers(input.marketplaceId, input.shard, nowMs, Math.min(DUE_PAGE_SIZE, max - due), cursor);
    for (const key of page.keys) {
      let progress = tenants.get(key.tenantId);
      if (!progress) {
        progress = { keys: [], due: 0, immediateLeft: immediatePerShard, fetchBudgetLeft: callsPerShard };
        tenants.set(key.tenantId, progress);
      }
      progress.keys.push(key);
      progress.due++;
      due++;
      // A job is all immediate or all bulk: the immediate one leaves when it reaches the tenant's share.
      const full = progress.keys.length >= OFFERS_PER_JOB || (progress.immediateLeft > 0 && progress.keys.length >= progress.immediateLeft);
      if (full) await emit(progress);
    }
    cursor = page.cursor;
    if (!cursor) break;
    if (input.stopAfterMs !== undefined && deps.now().getTime() - nowMs >= input.stopAfterMs) break;
  }
  let bulkSellers = 0;
  for (const progress of tenants.values()) {
    if (progress.keys.length > 0) await emit(progress);
    if (progress.due > immediatePerShard) bulkSellers++;
  }
  if (ready.length > 0) await deps.jobs.send(ready.splice(0));
  return {
    marketplaceId: input.marketplaceId,
    shard: input.shard,
    dueOffers: due,
    jobs,
    sellers: tenants.size,
    fetchCallsAllowed: callsPerShard * tenants.size,
    bulkSellers,
    cursor: due < max ? cursor : null,
  };
}
