/** The tick (R-P4): due offers of one marketplace → reprice jobs over the queue, planned against SP-API quotas. */
import { DUE_SHARDS, type DueOffersPage, type RepriceJob, type StoredOffer } from './model.ts';
import type { JobSender, RepricerStore } from './ports.ts';
import { SP_API_QUOTAS } from './quotas.ts';

export interface TickPlan {
  readonly marketplaceId: string;
  readonly dueOffers: number;
  readonly jobs: number;
  readonly sellers: number;
  /** getItemOffersBatch calls the tick may spend (per seller, over the tick interval), and the ones the jobs may plan. */
  readonly fetchCallsAllowed: number;
  readonly bulkSellers: number;
}

/** Above this many due offers for one seller in one tick, prices go out as JSON_LISTINGS_FEED (bulk) instead of one patch each. */
export const BULK_THRESHOLD = 300;
export const OFFERS_PER_JOB = 100;

export async function runTick(
  deps: { store: RepricerStore; jobs: JobSender; now: () => Date },
  input: { marketplaceId: string; tickMinutes: number; maxOffers?: number },
): Promise<TickPlan> {
  const nowMs = deps.now().getTime();
  const bySeller = new Map<string, StoredOffer[]>();
  let due = 0;
  const max = input.maxOffers ?? 1_000_000;
  for (let shard = 0; shard < DUE_SHARDS && due < max; shard++) {
    let cursor: string | null = null;
    do {
      const page: DueOffersPage = await deps.store.dueOffers(input.marketplaceId, shard, nowMs, 2_000, cursor);
      for (const offer of page.offers) {
        const list = bySeller.get(offer.sellerId) ?? [];
        list.push(offer);
        bySeller.set(offer.sellerId, list);
        due++;
      }
      cursor = page.cursor;
    } while (cursor && due < max);
  }
  // getItemOffersBatch: 0.1 req/s per seller → calls per tick interval; spread over the seller's jobs.
  const callsPerTick = Math.max(1, Math.floor(SP_API_QUOTAS.getItemOffersBatch.ratePerSecond * input.tickMinutes * 60));
  const jobs: RepriceJob[] = [];
  let bulkSellers = 0;
  for (const offers of bySeller.values()) {
    // Offers of one listing (ASIN × audience) stay in one job: one snapshot serves them all.
    offers.sort((a, b) => (a.rules.audience + a.rules.asin < b.rules.audience + b.rules.asin ? -1 : 1));
    const bulk = offers.length > BULK_THRESHOLD;
    if (bulk) bulkSellers++;
    const chunks: StoredOffer[][] = [];
    let current: StoredOffer[] = [];
    for (let i = 0; i < offers.length; i++) {
      const o = offers[i]!;
      const prev = offers[i - 1];
      const sameListing = prev !== undefined && prev.rules.asin === o.rules.asin && prev.rules.audience === o.rules.audience;
      if (current.length >= OFFERS_PER_JOB && !sameListing) {
        chunks.push(current);
        current = [];
      }
      current.push(o);
    }
    if (current.length > 0) chunks.push(current);
    let budget = callsPerTick;
    for (const chunk of chunks) {
      const share = Math.min(budget, Math.ceil(callsPerTick / chunks.length));
      budget -= share;
      jobs.push({ marketplaceId: input.marketplaceId, trigger: 'tick', offers: chunk, fetchBudget: share, bulk });
    }
  }
  await deps.jobs.send(jobs);
  return {
    marketplaceId: input.marketplaceId,
    dueOffers: due,
    jobs: jobs.length,
    sellers: bySeller.size,
    fetchCallsAllowed: callsPerTick * bySeller.size,
    bulkSellers,
  };
}
