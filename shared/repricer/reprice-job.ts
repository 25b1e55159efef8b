/** Repricing a job: snapshots from the cache or SP-API, one decision per offer, version-conditioned writes, pushes. */
import { ConflictError } from '#shared/kernel/errors.ts';
import type { PriceChange } from './ports.ts';
import { recordMarketChange } from './market-history.ts';
import { detectListingChanges, type MarketChange } from './market-changes.ts';
import { SNAPSHOT_MAX_AGE_MS, offerId, type HistoryEntry, type RepriceJob, type RepricerSettings, type StoredOffer, type TickJob } from './model.ts';
import { decideOffer } from './offer-decision.ts';
import type { RepricerDeps } from './ports.ts';
import { pushNow } from './pushes.ts';
import { refreshFeeEstimates } from './fee-refresh.ts';
import { SP_API_QUOTAS } from './quotas.ts';
import { salesForOffers } from './sales.ts';
import { stockForOffers } from './stock.ts';
import type { Audience, OfferChangeEvent, OwnSalesHistory } from './types.ts';

export interface JobResult {
  decided: number;
  changed: number;
  pushed: number;
  pendingBulk: number;
  deferred: number;
  conflicts: number;
  snapshotCalls: number;
  marketChanges: number;
  /** Keys of a tick job whose offer is gone, paused or no longer due (decided since, e.g. a redelivered job). */
  notDue: number;
}

export const emptyResult = (): JobResult => ({ decided: 0, changed: 0, pushed: 0, pendingBulk: 0, deferred: 0, conflicts: 0, snapshotCalls: 0, marketChanges: 0, notDue: 0 });

/**
 * A tick job: reads the offers its keys name and reprices those still due (a stale read only loses its
 * version-conditioned write, which re-reads the offer and decides again). A redelivered job finds the offers it already pushed not due (they wait for
 * Amazon) and the others unchanged, so it decides nothing twice.
 */
export async function runTickJob(deps: RepricerDeps, job: TickJob): Promise<JobResult> {
  const nowMs = deps.now().getTime();
  const read = await deps.store.getOffers(job.keys);
  const offers = read.filter((o) => !o.paused && o.nextRepriceAtMs <= nowMs);
  if (offers.length === 0) return { ...emptyResult(), notDue: job.keys.length };
  const result = await repriceJob(deps, { marketplaceId: job.marketplaceId, trigger: 'tick', offers, fetchBudget: job.fetchBudget, bulk: job.bulk });
  return { ...result, notDue: job.keys.length - offers.length };
}

function listingKey(o: StoredOffer): string {
  return `${o.sellerId}|${o.rules.marketplaceId}|${o.rules.audience}|${o.rules.asin}`;
}

/** Reprices the offers of a job: snapshots from the cache first, then getItemOffersBatch within the job's budget. */
export async function repriceJob(deps: RepricerDeps, job: RepriceJob, given?: ReadonlyMap<string, OfferChangeEvent>): Promise<JobResult> {
  const result = emptyResult();
  const nowMs = deps.now().getTime();
  const groups = new Map<string, StoredOffer[]>();
  for (const o of job.offers) {
    const k = listingKey(o);
    const list = groups.get(k) ?? [];
    list.push(o);
    groups.set(k, list);
  }
  const markets = new Map<string, OfferChangeEvent>(given ?? []);
  // Cached snapshots, grouped by seller × audience (the cache key carries both).
  const missing = new Map<string, { sellerId: string; audience: Audience; asins: string[] }>();
  const bySellerAudience = new Map<string, { sellerId: string; audience: Audience; asins: string[] }>();
  for (const [k, offers] of groups) {
    if (markets.has(k)) continue;
    const o = offers[0]!;
    const sa = `${o.sellerId}|${o.rules.audience}`;
    const entry = bySellerAudience.get(sa) ?? { sellerId: o.sellerId, audience: o.rules.audience, asins: [] };
    entry.asins.push(o.rules.asin);
    bySellerAudience.set(sa, entry);
  }
  for (const [sa, entry] of bySellerAudience) {
    const cached = await deps.store.getSnapshots(entry.sellerId, job.marketplaceId, entry.audience, entry.asins);
    for (const asin of entry.asins) {
      const snap = cached.get(asin);
      const k = `${entry.sellerId}|${job.marketplaceId}|${entry.audience}|${asin}`;
      if (snap && nowMs - snap.receivedAtMs <= SNAPSHOT_MAX_AGE_MS) markets.set(k, snap.event);
      else {
        if (snap) markets.set(k, snap.event); // stale but usable if the quota refuses a refresh
        const m = missing.get(sa) ?? { sellerId: entry.sellerId, audience: entry.audience, asins: [] };
        m.asins.push(asin);
        missing.set(sa, m);
      }
    }
  }
  let budget = job.fetchBudget;
  for (const entry of missing.values()) {
    for (let i = 0; i < entry.asins.length && budget > 0; i += SP_API_QUOTAS.getItemOffersBatch.itemsPerCall) {
      budget--;
      result.snapshotCalls++;
      const asins = entry.asins.slice(i, i + SP_API_QUOTAS.getItemOffersBatch.itemsPerCall);
      const fetched = await deps.amazon.getMarketSnapshots({ sellerId: entry.sellerId, marketplaceId: job.marketplaceId, audience: entry.audience, asins });
      for (const r of fetched) {
        if (!r.ok) continue;
        markets.set(`${entry.sellerId}|${job.marketplaceId}|${entry.audience}|${r.asin}`, r.market);
        const { previous } = await deps.store.putSnapshot({ event: r.market, receivedAtMs: nowMs });
        const tenantId = groups.get(`${entry.sellerId}|${job.marketplaceId}|${entry.audience}|${r.asin}`)?.[0]?.tenantId;
        // A change the tick saw first is recorded too, or the notification showing it later would match the cache.
        if (tenantId && deps.marketHistory) await recordMarketChange(deps.marketHistory, tenantId, previous?.event, r.market);
        if (tenantId && previous) {
          const changes = detectListingChanges(tenantId, previous.event, r.market);
          result.marketChanges += changes.length;
          if (changes.length > 0) await deps.marketChanges.publish(changes);
        }
      }
    }
  }
  // issue 21 economics: fee estimates for offers whose min comes from cost, fees and margin.
  const withMarkets = [...groups].flatMap(([k, offers]) => {
    const market = markets.get(k);
    return market ? offers.map((offer) => ({ offer, market })) : [];
  });
  const feeEstimates = await refreshFeeEstimates(deps.fees, withMarkets, nowMs);
  // Units sold per day for the Push offers among them (one batch read; issue 21 sales).
  const sales = deps.sales ? await salesForOffers(deps.sales, job.offers) : undefined;
  // Own units in stock for the offers with a low-stock rule (one batch read; issue 21 stock); stale counts as unknown.
  const stock = deps.stock ? await stockForOffers(deps.stock, job.offers, nowMs) : undefined;
  const settingsCache = new Map<string, RepricerSettings | undefined>();
  const immediate: { offer: StoredOffer; change: PriceChange }[] = [];
  const history: HistoryEntry[] = [];
  const atMin: MarketChange[] = [];
  for (const [k, offers] of groups) {
    const market = markets.get(k);
    if (!market) {
      result.deferred += offers.length;
      continue;
    }
    for (const read of offers) {
      const feeEstimate = feeEstimates.get(offerId(read));
      const offer = feeEstimate ? { ...read, feeEstimate } : read;
      if (!settingsCache.has(offer.tenantId)) settingsCache.set(offer.tenantId, await deps.store.getSettings(offer.tenantId));
      const settings = settingsCache.get(offer.tenantId);
      const outcome = await decideAndStore(deps, offer, market, settings, job.bulk, nowMs, sales?.get(offerId(offer)) ?? null, stock?.get(offerId(offer)) ?? -1);
      result.decided++;
      if (outcome.conflict) result.conflicts++;
      if (!outcome.stored) continue;
      result.changed++;
      history.push(...outcome.history);
      if (outcome.lostAtMin) atMin.push(outcome.lostAtMin);
      if (outcome.push) {
        if (job.bulk) result.pendingBulk++;
        else immediate.push({ offer: outcome.stored, change: outcome.push });
      }
    }
  }
  if (history.length > 0) await deps.history.append(history);
  if (atMin.length > 0) {
    result.marketChanges += atMin.length;
    await deps.marketChanges.publish(atMin);
  }
  if (immediate.length > 0) result.pushed += await pushNow(deps, immediate);
  if (result.decided > 0) deps.metrics?.count('RepricerDecisions', result.decided, { trigger: job.trigger });
  return result;
}

interface DecideOutcome {
  stored: StoredOffer | null;
  conflict: boolean;
  push: PriceChange | null;
  history: HistoryEntry[];
  lostAtMin: MarketChange | null;
}

/**
 * Decides one offer on a market snapshot and stores the result with a version-conditioned write. A lost race
 * re-reads the offer once and decides again (the other worker's state is the truth). Nothing is written when
 * neither the state nor what we know about the offer changed (a steady hold costs no write).
 */
async function decideAndStore(
  deps: RepricerDeps,
  read: StoredOffer,
  market: OfferChangeEvent,
  settings: RepricerSettings | undefined,
  bulk: boolean,
  nowMs: number,
  sales: OwnSalesHistory | null,
  stockUnits: number,
): Promise<DecideOutcome> {
  let offer = read;
  for (let attempt = 0; attempt < 3; attempt++) {
    const outcome = decideOffer(offer, market, settings, bulk, nowMs, sales, stockUnits);
    if (!outcome.next) return { stored: null, conflict: attempt > 0, push: null, history: [], lostAtMin: null };
    if (await deps.store.putOffer(outcome.next)) {
      return { stored: outcome.next, conflict: attempt > 0, push: outcome.push, history: outcome.history, lostAtMin: outcome.lostAtMin };
    }
    const fresh = await deps.store.getOffer(offer.tenantId, offer.rules.marketplaceId, offer.rules.audience, offer.rules.asin, offer.rules.sku);
    if (!fresh) return { stored: null, conflict: true, push: null, history: [], lostAtMin: null };
    // A fee estimate fetched for this decision is kept over the other writer's older one.
    const estimate = offer.feeEstimate;
    offer = estimate && (fresh.feeEstimate?.estimatedAtMs ?? 0) < estimate.estimatedAtMs ? { ...fresh, feeEstimate: estimate } : fresh;
  }
  throw new ConflictError(`offer ${offerId(read)}: too many concurrent writers`, 'version_conflict');
}
