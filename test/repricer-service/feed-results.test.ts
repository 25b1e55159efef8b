/**
 * Nothing counts as pushed that Amazon did not accept (issue 15): the flush submits a JSON_LISTINGS_FEED, later
 * reads its processing report, and marks each offer pushed or `failed: <Amazon's message>`.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#shared/kernel/clock.ts';
import { SIMULATED_FEED_REJECTION, SimulatedMarketplace } from '#shared/marketplace-sim/simulated-marketplace.ts';
import { FEED_SUBMISSION_PREFIX, flushPendingPushes, newStoredOffer, offerKeyOf, readProcessingReport, RECORD_CHUNK, type AmazonMarketplace, type HistoryEntry, type OfferKey, type PendingPushRef, type PriceHistory, type RepricerDeps, type RepricerStore, type StoredOffer } from '#shared/repricer/index.ts';
import { toOfferRules } from '#shared/repricer/rules.ts';

const SELLER = 'A2FEEDSELLER01';
const MKT = 'A1PA6795UKMFR9';
const ASIN = 'B07XJ8C8F5';
const SKUS = ['FEED-A', 'FEED-B', 'FEED-C'];

function pending(sku: string, priceMinor: number): StoredOffer {
  const rules = toOfferRules({ sku, asin: ASIN, marketplaceId: MKT, strategy: 'buybox', currency: 'EUR', min: '8.00', max: '15.00' }, 'offers[0]');
  return { ...newStoredOffer('t-feed', SELLER, rules, 0), version: 1, pendingPush: { decisionId: `d-${sku}`, priceMinor, tiers: [], decidedAtMs: 0, via: 'bulk', attempts: 0 } };
}

function memoryStore(offers: StoredOffer[]) {
  const bySku = new Map(offers.map((o) => [o.rules.sku, o]));
  const history: HistoryEntry[] = [];
  const store = {
    putOffer: async (o: StoredOffer) => {
      const current = bySku.get(o.rules.sku);
      if (current && current.version !== o.version - 1) return false;
      bySku.set(o.rules.sku, o);
      return true;
    },
    getOffer: async (_t: string, _m: string, _a: string, _asin: string, sku: string) => bySku.get(sku),
    getOffers: async (keys: readonly OfferKey[]) => keys.flatMap((k) => bySku.get(k.sku) ?? []),
    pendingPushes: async (): Promise<PendingPushRef[]> =>
      [...bySku.values()].flatMap((o) => (o.pendingPush ? [{ key: offerKeyOf(o), sellerId: o.sellerId, currency: o.rules.currency, push: o.pendingPush }] : [])),
  } as unknown as RepricerStore;
  const priceHistory: PriceHistory = { append: async (entries) => void history.push(...entries), read: async () => [] };
  return { store, priceHistory, bySku, history };
}

function setup() {
  const clock = new ManualClock(new Date('2026-11-30T10:00:00Z'));
  const sim = new SimulatedMarketplace({ clock, seed: 15 });
  sim.addListing({
    marketplaceId: MKT,
    asin: ASIN,
    audience: 'B2C',
    currency: 'EUR',
    offers: [
      ...SKUS.map((sku) => ({ sellerId: SELLER, sku, listingMinor: 1300, shippingMinor: 0, fba: true, rating: 98 })),
      { sellerId: 'A1COMPETITOR01', sku: 'OTHER', listingMinor: 1250, shippingMinor: 0, fba: true, rating: 97, behaviour: { kind: 'static' as const } },
    ],
  });
  const memory = memoryStore(SKUS.map((sku, i) => pending(sku, 1200 + i)));
  const deps: RepricerDeps = { store: memory.store, history: memory.priceHistory, amazon: sim, marketChanges: { publish: async () => {} }, now: () => clock.now() };
  return { clock, sim, deps, ...memory };
}

describe('bulk pushes through JSON_LISTINGS_FEED', () => {
  it("marks the SKU Amazon's processing report rejects failed with Amazon's message, and the others pushed", async () => {
    const { clock, sim, deps, bySku, history } = setup();
    sim.rejectSkuInFeeds(SELLER, 'FEED-B');

    const submitted = await flushPendingPushes(deps, { limit: 100 });
    expect(submitted).toMatchObject({ submissions: 1, pushed: 0 });
    for (const sku of SKUS) {
      expect(bySku.get(sku)!.pendingPush?.feed?.feedId).toMatch(/^SIMFEED/);
      expect(bySku.get(sku)!.lastPush?.status).toBe('submitted');
      expect(bySku.get(sku)!.lastPushedPriceMinor).toBeNull();
    }
    // Before the report exists nothing changes, and nothing is submitted twice.
    expect(await flushPendingPushes(deps, { limit: 100 })).toMatchObject({ submissions: 0, awaitingReport: 3 });

    clock.advance(3 * 60_000);
    expect(await flushPendingPushes(deps, { limit: 100 })).toMatchObject({ pushed: 2, failed: 1, submissions: 0 });
    const message = SIMULATED_FEED_REJECTION;
    expect(bySku.get('FEED-B')).toMatchObject({ pendingPush: null, lastPushedPriceMinor: null, lastPush: { status: 'failed', message } });
    expect(bySku.get('FEED-A')).toMatchObject({ pendingPush: null, lastPushedPriceMinor: 1200, lastPush: { status: 'pushed' } });
    expect(bySku.get('FEED-C')).toMatchObject({ pendingPush: null, lastPushedPriceMinor: 1202, lastPush: { status: 'pushed' } });
    expect(history.filter((h) => h.action === 'failed')).toEqual([expect.objectContaining({ sku: 'FEED-B', reason: `failed: ${message}`, pushStatus: 'FAILED' })]);
    expect(history.filter((h) => h.action === 'push').map((h) => h.sku).sort()).toEqual(['FEED-A', 'FEED-C']);
    expect(await flushPendingPushes(deps, { limit: 100 })).toMatchObject({ offers: 0 });

    // The accepted prices go live after Amazon's delay; the rejected one never does.
    clock.advance(5 * 60_000);
    sim.sync();
    const ours = sim.listingPrices(MKT, ASIN, 'B2C').filter((p) => p.sellerId === SELLER).map((p) => p.listingMinor).sort();
    expect(ours).toEqual([1200, 1202, 1300]);
  });

  it("writes its processing report in Amazon's shape (listings-feed-processing-report-schema-v2)", async () => {
    const { clock, sim, deps, bySku } = setup();
    sim.rejectSkuInFeeds(SELLER, 'FEED-C', '90244 The price is outside the allowed range.');
    await flushPendingPushes(deps, { limit: 100 });
    const feedId = bySku.get('FEED-A')!.pendingPush!.feed!.feedId;
    expect(sim.processingReport(feedId)).toBeUndefined();
    clock.advance(3 * 60_000);
    const report = sim.processingReport(feedId);
    const schema = JSON.parse(readFileSync('test/fixtures/amazon/schemas/feeds/listings-feed-processing-report-schema-v2.json', 'utf8')) as object;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report!.issues).toEqual([{ messageId: 3, sku: 'FEED-C', code: '90244', severity: 'ERROR', message: 'The price is outside the allowed range.' }]);
  });
});

describe('the bulk flush at the size of a feed', () => {
  // Memory flat with the number of offers (issue 17): a feed holds up to 25,000 changes; the flush keeps those (small)
  // and never more than RECORD_CHUNK whole offers, each chunk written and its history appended before the next is read.
  it('holds at most RECORD_CHUNK offers at once, when it submits a feed and when it reads its report', async () => {
    const offers = Array.from({ length: 10 * RECORD_CHUNK + 37 }, (_, i) => pending(`FEED-${String(i).padStart(5, '0')}`, 900 + (i % 500)));
    const { store, priceHistory, bySku, history } = memoryStore(offers);
    /** Offers the store handed out whose outcome (one history row each) is not written yet: what the flush holds. */
    let held = 0;
    let mostHeld = 0;
    const getOffers = store.getOffers.bind(store);
    store.getOffers = async (keys, options) => {
      const read = await getOffers(keys, options);
      held += read.length;
      mostHeld = Math.max(mostHeld, held);
      return read;
    };
    const append = priceHistory.append.bind(priceHistory);
    priceHistory.append = async (entries) => {
      held -= entries.length;
      await append(entries);
    };
    let submitted = 0;
    const amazon: AmazonMarketplace = {
      getMarketSnapshots: async () => [],
      submitPriceChanges: async (changes) => {
        submitted += changes.length;
        return changes.map((c, k) => ({ sku: c.sku, marketplaceId: c.marketplaceId, audience: c.audience, status: 'SUBMITTED' as const, submissionId: `${FEED_SUBMISSION_PREFIX}F1`, feedMessageId: k + 1, issues: [] }));
      },
      feedOutcome: async () => ({ status: 'DONE', results: new Map() }),
    };
    const deps: RepricerDeps = { store, history: priceHistory, amazon, marketChanges: { publish: async () => {} }, now: () => new Date('2026-11-30T10:00:00Z') };

    expect(await flushPendingPushes(deps, { limit: 25_000 })).toMatchObject({ offers: offers.length, submissions: 1 });
    expect(submitted).toBe(offers.length);
    expect(mostHeld).toBe(RECORD_CHUNK);
    expect(held).toBe(0);
    expect(history.filter((h) => h.action === 'submitted')).toHaveLength(offers.length);

    mostHeld = 0;
    expect(await flushPendingPushes(deps, { limit: 25_000 })).toMatchObject({ pushed: offers.length, submissions: 0 });
    expect(mostHeld).toBe(RECORD_CHUNK);
    expect(held).toBe(0);
    expect([...bySku.values()].every((o) => o.pendingPush === null && o.lastPush?.status === 'pushed')).toBe(true);
  });
});

describe("reading Amazon's processing report", () => {
  const example = JSON.parse(readFileSync('test/fixtures/amazon/schemas/feeds/listings-feed-processing-report-schema-v2.example.json', 'utf8')) as unknown;

  it("fails the messages Amazon's own example report has errors for and accepts the rest", () => {
    const outcome = readProcessingReport(example, [
      { messageId: 3, sku: 'My-SKU-A' },
      { messageId: 4, sku: 'My-SKU-B' },
      { messageId: 5, sku: 'My-SKU-C' },
    ]);
    expect(outcome.status).toBe('DONE');
    if (outcome.status !== 'DONE') return;
    expect(outcome.results.get('My-SKU-A')).toMatchObject({ accepted: true, errors: [] });
    expect(outcome.results.get('My-SKU-B')).toMatchObject({ accepted: false, errors: ["90220 '[batteries_required]' is required but not supplied.", "90220 '[supplier_declared_dg_hz_regulation]' is required but not supplied."] });
    expect(outcome.results.get('My-SKU-C')?.accepted).toBe(false);
  });

  it('fails every message of a feed Amazon could not read at all (an error without a message id)', () => {
    const outcome = readProcessingReport(
      { header: { sellerId: SELLER, version: '2.0', feedId: '1' }, issues: [{ code: '4000003', severity: 'ERROR', message: 'The feed is not valid JSON.' }], summary: { errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 } },
      [{ messageId: 1, sku: 'X' }],
    );
    expect(outcome).toEqual({ status: 'FAILED', message: '4000003 The feed is not valid JSON.' });
  });
});
