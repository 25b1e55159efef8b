/** A reprice job of one offer on one market event, with in-memory stand-ins for the store and the history (unit tests). */
import { repriceJob, type HistoryEntry, type OfferChangeEvent, type RepricerDeps, type RepricerStore, type StoredOffer } from '#shared/repricer/index.ts';

/** Decides `read` on `market` as a tick's job does; `extra`: the optional ports (sales, stock, fees…). Returns what was stored. */
export async function decideOneOffer(
  read: StoredOffer,
  market: OfferChangeEvent,
  nowMs: number,
  extra: Partial<Pick<RepricerDeps, 'sales' | 'stock' | 'fees'>> = {},
): Promise<{ stored: StoredOffer; history: HistoryEntry[] }> {
  let stored = read;
  const history: HistoryEntry[] = [];
  const store = {
    getSettings: async () => undefined,
    putOffer: async (o: StoredOffer) => {
      if (o.version !== stored.version + 1) return false;
      stored = o;
      return true;
    },
    getOffer: async () => stored,
    getOffers: async () => [stored],
  } as unknown as RepricerStore;
  const deps: RepricerDeps = {
    store,
    history: { append: async (entries) => void history.push(...entries), read: async () => [] },
    amazon: { getMarketSnapshots: async () => [], submitPriceChanges: async () => [], feedOutcome: async () => ({ status: 'IN_PROGRESS' }) },
    marketChanges: { publish: async () => undefined },
    now: () => new Date(nowMs),
    ...extra,
  };
  const key = `${market.sellerId}|${market.marketplaceId}|${market.audience}|${market.asin}`;
  await repriceJob(deps, { marketplaceId: market.marketplaceId, trigger: 'tick', offers: [stored], fetchBudget: 0, bulk: true }, new Map([[key, market]]));
  return { stored, history };
}
