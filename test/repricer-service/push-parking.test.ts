/** Push attempts are counted; a push that keeps failing is parked with its reason and never blocks others (issue 13). */
import { describe, expect, it } from 'vitest';
import { flushPendingPushes, MAX_PUSH_ATTEMPTS, newStoredOffer, offerKeyOf, type AmazonMarketplace, type HistoryEntry, type OfferKey, type PendingPushRef, type PriceHistory, type RepricerDeps, type RepricerStore, type StoredOffer } from '#shared/repricer/index.ts';

import { toOfferRules } from '#shared/repricer/rules.ts';
import { PushesStoppedError } from '#shared/amazon-access/push-guard.ts';

function pendingOffer(tenantId: string, sellerId: string): StoredOffer {
  const rules = toOfferRules({ sku: `SKU-${sellerId}`, asin: 'B000000001', marketplaceId: 'A1PA6795UKMFR9', strategy: 'buybox', currency: 'EUR', min: '8.00', max: '15.00' }, 't');
  return {
    ...newStoredOffer(tenantId, sellerId, rules, 0),
    version: 1,
    pendingPush: { decisionId: `d-${sellerId}`, priceMinor: 999, tiers: [], decidedAtMs: 0, via: 'bulk', attempts: 0 },
  };
}

function memoryStore(offers: StoredOffer[]) {
  const byKey = new Map(offers.map((o) => [o.rules.sku, o]));
  const history: HistoryEntry[] = [];
  const store = {
    putOffer: async (o: StoredOffer) => {
      const current = byKey.get(o.rules.sku);
      if (current && current.version !== o.version - 1) return false;
      byKey.set(o.rules.sku, o);
      return true;
    },
    getOffer: async (_t: string, _m: string, _a: string, _asin: string, sku: string) => byKey.get(sku),
    getOffers: async (keys: readonly OfferKey[]) => keys.flatMap((k) => byKey.get(k.sku) ?? []),
    pendingPushes: async (): Promise<PendingPushRef[]> =>
      [...byKey.values()].flatMap((o) => (o.pendingPush ? [{ key: offerKeyOf(o), sellerId: o.sellerId, currency: o.rules.currency, push: o.pendingPush }] : [])),
  } as unknown as RepricerStore;
  const priceHistory: PriceHistory = { append: async (entries) => void history.push(...entries), read: async () => [] };
  return { store, priceHistory, byKey, history };
}

describe('failing pushes', () => {
  it(`counts each failed attempt, parks the push after ${MAX_PUSH_ATTEMPTS} with its reason, and keeps pushing the other sellers`, async () => {
    const { store, priceHistory, byKey, history } = memoryStore([pendingOffer('t-bad', 'A2FAILING00001'), pendingOffer('t-good', 'A2WORKING00001')]);
    let goodPushes = 0;
    const amazon: AmazonMarketplace = {
      getMarketSnapshots: async () => [],
      feedOutcome: async () => ({ status: 'IN_PROGRESS' }),
      submitPriceChanges: async (changes) => {
        if (changes.some((c) => c.sellerId === 'A2FAILING00001')) throw new Error('createFeed: HTTP 500 after 6 attempts');
        goodPushes += changes.length;
        return changes.map((c) => ({ sku: c.sku, marketplaceId: c.marketplaceId, audience: c.audience, status: 'ACCEPTED' as const, submissionId: 's', issues: [] }));
      },
    };
    const deps: RepricerDeps = { store, history: priceHistory, amazon, marketChanges: { publish: async () => {} }, now: () => new Date('2026-01-01T00:00:00Z') };
    await flushPendingPushes(deps, { limit: 100 });
    expect(goodPushes).toBe(1);
    expect(byKey.get('SKU-A2FAILING00001')!.pendingPush?.attempts).toBe(1);
    for (let i = 1; i < MAX_PUSH_ATTEMPTS; i++) await flushPendingPushes(deps, { limit: 100 });
    const parked = byKey.get('SKU-A2FAILING00001')!;
    expect(parked.pendingPush).toBeNull();
    expect(parked.lastReason).toMatch(new RegExp(`parked after ${MAX_PUSH_ATTEMPTS} failed attempts: createFeed: HTTP 500`));
    expect(history.filter((h) => h.action === 'parked')).toEqual([expect.objectContaining({ sku: 'SKU-A2FAILING00001', reasonCode: 'PARKED' })]);
    expect(await flushPendingPushes(deps, { limit: 100 })).toMatchObject({ offers: 0 });
  });

  it('does not count the kill switch as a failure: the push waits, untouched', async () => {
    const { store, priceHistory, byKey } = memoryStore([pendingOffer('t-1', 'A2STOPPED00001')]);
    const amazon: AmazonMarketplace = {
      getMarketSnapshots: async () => [],
      feedOutcome: async () => ({ status: 'IN_PROGRESS' }),
      submitPriceChanges: async () => {
        throw new PushesStoppedError();
      },
    };
    const deps: RepricerDeps = { store, history: priceHistory, amazon, marketChanges: { publish: async () => {} }, now: () => new Date(0) };
    for (let i = 0; i < MAX_PUSH_ATTEMPTS + 2; i++) await flushPendingPushes(deps, { limit: 100 });
    expect(byKey.get('SKU-A2STOPPED00001')!.pendingPush).toMatchObject({ attempts: 0 });
  });
});
