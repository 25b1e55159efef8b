/**
 * The what-if (issue 21): recorded market history and its replay. The first test's answer is computed by hand
 * from the award model (see the arithmetic beside each figure).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { awardModelJudge } from '#shared/marketplace-sim/what-if-judge.ts';
import {
  eventOfRecord,
  marketRecordOf,
  parseMarketHistoryFile,
  parseOfferChangedNotification,
  parseRulesFile,
  recordMarketChange,
  runWhatIf,
  simulateWithRecordedHistory,
  sameMarket,
  type MarketHistory,
  type MarketHistoryStore,
  type MarketRecord,
  type RecordedOffer,
} from '#shared/repricer/index.ts';
import { marketRecordItem } from '#shared/adapters/dynamodb/market-history.ts';

const SELLER = 'A2SELLEROPS0DE';
const COMPETITOR = 'A1COMPETITOR01';
const T0 = '2026-10-01T00:00:00.000Z';
const DAY = '2026-10-01';
const DAY_END = '2026-10-02T00:00:00.000Z';

// flags: 1 FBA, 2 featured, 4 Buy Box winner, 8 Prime
const competitorAt1000: RecordedOffer = [COMPETITOR, 1000, 0, 0, 2 | 4, 100, 5000]; // merchant-fulfilled, 100 %
const ownAt1100: RecordedOffer = [SELLER, 1100, 0, 0, 1 | 2 | 8, 98, 900]; // FBA, 98 %

function record(at: string, offers: readonly RecordedOffer[]): MarketRecord {
  return { sellerId: SELLER, marketplaceId: 'A1PA6795UKMFR9', asin: 'B07XJ8C8F5', audience: 'B2C', currency: 'EUR', at, offers, summary: {} };
}

function history(records: readonly MarketRecord[], sales: MarketHistory['sales'] = []): MarketHistory {
  return { sellerId: SELLER, source: 'test', recordedFrom: T0, recordedTo: DAY_END, records, sales };
}

const rule = (fields: Record<string, unknown>) =>
  parseRulesFile({
    sellerId: SELLER,
    offers: [{ sku: 'SCALE-1', asin: 'B07XJ8C8F5', marketplaceId: 'A1PA6795UKMFR9', currency: 'EUR', min: '8.00', max: '15.00', ...fields }],
  });

describe('what-if replay', () => {
  it('replays a fixed price against one recorded day with the answer computed by hand', () => {
    const report = runWhatIf({
      rules: rule({ strategy: 'fixed', fixedPrice: '9.00' }),
      history: history([record(T0, [competitorAt1000, ownAt1100])], [{ sku: 'SCALE-1', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C', day: DAY, units: 70, revenueMinor: 77_000 }]),
      days: 1,
      judge: awardModelJudge(),
    });
    const [o] = report.offers;
    // Scores (landed × weight): competitor 1000 × (10,000 + 600 merchant) = 10,600,000; ours at 11.00:
    // 1100 × (10,000 + 2 points × 40) = 11,088,000 → the competitor wins overall, we win Prime (70 % of traffic).
    // At 9.00: 900 × 10,080 = 9,072,000 → we win both (100 %). Best possible: ⌊(10,600,000 − 1) / 10,080⌋ = 1051.
    expect(o?.current).toMatchObject({ buyBoxShare: 0.7, averagePrice: '11.00', priceVsBest: 1.0466, units: 70, revenue: '770.00', priceChanges: 0 }); // 1100 / 1051
    expect(o?.bestPossibleAveragePrice).toBe('10.51');
    expect(o?.recordedBuyBoxShare).toBe(0); // Amazon's flag was the competitor's
    // The fixed price is pushed at once and live 2 minutes later: 2 min at 11.00 (70 %) + 1,438 min at 9.00 (100 %).
    // Share (2 × 0.7 + 1438) / 1440 = 0.99958; price (2 × 1100 + 1438 × 900) / 1440 = 900.28 → 9.00; vs best 900.28 / 1051 = 0.8566.
    // Units 70 × 0.99958 / 0.7 = 99.96; revenue 99.96 × (2 × 0.7 × 1100 + 1438 × 900) / 1439.4 = 99.96 × 900.194 = 899.82.
    expect(o?.proposed).toMatchObject({ buyBoxShare: 0.9996, averagePrice: '9.00', priceVsBest: 0.8566, units: 100, revenue: '899.82', priceChanges: 1 });
    expect(o?.coveredDays).toBe(1);
    expect(o?.units).toEqual({ salesRecorded: true, daysEstimated: 1, daysWithoutBasis: 0, unitsLeftOut: 0, revenueRecorded: true });
    expect(report.total.proposed).toEqual({ buyBoxShare: 0.9996, priceVsBest: 0.8566, units: 100, revenue: '899.82' });
  });

  it('decides Push on the recorded units sold, as the Lambda does on Amazon orders, and holds without them', () => {
    const push = rule({ strategy: 'push', push: { targetUnits: 10, periodDays: 1 } });
    const market = [record(T0, [competitorAt1000, ownAt1100])];
    // 2 units sold the day before, against a target of 10 a day: Push lowers the price.
    const withSales = runWhatIf({ rules: push, history: history(market, [{ sku: 'SCALE-1', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C', day: '2026-09-30', units: 2 }]), days: 1, judge: awardModelJudge() });
    expect(withSales.offers[0]?.proposed?.priceChanges).toBeGreaterThan(0);
    expect(Number(withSales.offers[0]?.proposed?.averagePrice)).toBeLessThan(11);
    expect(withSales.offers[0]?.notes.some((n) => n.startsWith('push strategy: decided on the units recorded'))).toBe(true);
    const withoutSales = runWhatIf({ rules: push, history: history(market), days: 1, judge: awardModelJudge() });
    expect(withoutSales.offers[0]?.proposed?.priceChanges).toBe(0);
    expect(withoutSales.offers[0]?.notes.some((n) => n.startsWith('push strategy: no sales recorded'))).toBe(true);
  });

  it('reads the units sold per day from the sales store for the API: known days without orders are 0, unknown days are not made up', async () => {
    const market: MarketHistoryStore = { append: async () => undefined, read: async () => [record(T0, [competitorAt1000, ownAt1100])] };
    const sales = {
      readSales: async () => ({
        skus: [{ marketplaceId: 'A1PA6795UKMFR9', sku: 'SCALE-1', days: { '2026-10-01': 70 }, version: 1 }],
        knownUntil: new Map([['A1PA6795UKMFR9', '2026-10-02']]),
      }),
    };
    const nowMs = Date.parse(DAY_END);
    const report = await simulateWithRecordedHistory(market, 'tenant-1', rule({ strategy: 'fixed', fixedPrice: '9.00' }), 1, nowMs, awardModelJudge(), sales);
    expect(report.offers[0]?.current?.units).toBe(70);
    expect(report.offers[0]?.units.salesRecorded).toBe(true);
    // Sales not known for the marketplace (no orders report yet): no units rather than zeros.
    const unknown = await simulateWithRecordedHistory(market, 'tenant-1', rule({ strategy: 'fixed', fixedPrice: '9.00' }), 1, nowMs, awardModelJudge(), {
      readSales: async () => ({ skus: [], knownUntil: new Map() }),
    });
    expect(unknown.offers[0]?.units.salesRecorded).toBe(false);
    expect(unknown.offers[0]?.current?.units).toBeNull();
  });

  it('says how many days the history covers instead of claiming the days asked for', () => {
    const report = runWhatIf({ rules: rule({ strategy: 'fixed', fixedPrice: '9.00' }), history: history([record(T0, [competitorAt1000, ownAt1100])]), days: 30, judge: awardModelJudge() });
    expect(report.days).toBe(30);
    expect(report.coveredDays).toBe(1);
    expect(report.offers[0]?.notes).toContain('history covers 1.0 of the 30 days asked for');
    expect(report.offers[0]?.notes).toContain('no sales recorded for this offer: units and revenue are not estimated');
    expect(report.offers[0]?.proposed?.units).toBeNull();
  });

  it('drives the Buy Box strategy with the judged winner flags: it wins and climbs to just under the best price', () => {
    const report = runWhatIf({ rules: rule({ strategy: 'buybox', step: '0.05' }), history: history([record(T0, [competitorAt1000, ownAt1100])]), days: 1, judge: awardModelJudge() });
    const proposed = report.offers[0]?.proposed;
    expect(proposed?.buyBoxShare).toBeGreaterThan(0.95);
    expect(proposed?.priceVsBest).toBeGreaterThan(0.98);
    expect(proposed?.priceVsBest).toBeLessThanOrEqual(1);
  });

  it('replays the market changes in time order: a competitor dropping its price mid-day costs the current pricing its Prime share only', () => {
    const noon = '2026-10-01T12:00:00.000Z';
    const fba = (price: number): RecordedOffer => ['A1FBACOMPET02', price, 0, 0, 1 | 2 | 8, 99, 100];
    const report = runWhatIf({
      rules: rule({ strategy: 'fixed', fixedPrice: '11.00' }),
      history: history([record(T0, [competitorAt1000, ownAt1100]), record(noon, [competitorAt1000, fba(1050), ownAt1100])]),
      days: 1,
      judge: awardModelJudge(),
    });
    // Morning: Prime is ours (70 %); afternoon: the FBA competitor at 10.50 (1050 × 10,040) beats us for Prime → 0 %.
    expect(report.offers[0]?.current?.buyBoxShare).toBe(0.35);
    expect(report.offers[0]?.proposed?.buyBoxShare).toBe(0.35);
    expect(report.offers[0]?.snapshots).toBe(2);
  });

  it('finds no history for a seller whose offer is not in the records', () => {
    const report = runWhatIf({ rules: parseRulesFile({ sellerId: 'A9OTHERSELLER1', offers: [] }), history: history([record(T0, [competitorAt1000, ownAt1100])]), days: 1, judge: awardModelJudge() });
    expect(report.offers).toEqual([]);
    expect(report.total.current).toBeNull();
  });
});

describe('market records', () => {
  const example = parseOfferChangedNotification(JSON.parse(readFileSync('examples/repricer/any-offer-changed.json', 'utf8')));

  it('round-trips what a decision reads and ignores the time when comparing', () => {
    const recorded = marketRecordOf(example);
    const back = eventOfRecord(recorded);
    expect(back.offers.map((o) => [o.sellerId, o.listingMinor, o.shippingMinor, o.isBuyBoxWinner, o.isFeaturedMerchant, o.sellerPositiveFeedbackRating])).toEqual(
      example.offers.map((o) => [o.sellerId, o.listingMinor, o.shippingMinor, o.isBuyBoxWinner, o.isFeaturedMerchant, o.sellerPositiveFeedbackRating]),
    );
    expect(back.summaryBuyBoxLandedMinor).toBe(example.summaryBuyBoxLandedMinor);
    expect(sameMarket(recorded, marketRecordOf({ ...example, timeOfOfferChange: new Date(0) }))).toBe(true);
    expect(sameMarket(recorded, marketRecordOf({ ...example, offers: example.offers.map((o, i) => (i === 0 ? { ...o, listingMinor: o.listingMinor + 1 } : o)) }))).toBe(false);
  });

  it('records a notification only when the market changed', async () => {
    const appended: MarketRecord[] = [];
    const store: MarketHistoryStore = { append: async (_t, r) => void appended.push(r), read: async () => [] };
    expect(await recordMarketChange(store, 't1', undefined, example)).toBe(true);
    expect(await recordMarketChange(store, 't1', example, { ...example, timeOfOfferChange: new Date(example.timeOfOfferChange.getTime() + 60_000) })).toBe(false);
    const moved = { ...example, offers: example.offers.map((o, i) => (i === 1 ? { ...o, listingMinor: o.listingMinor - 5 } : o)) };
    expect(await recordMarketChange(store, 't1', example, moved)).toBe(true);
    expect(appended).toHaveLength(2);
  });

  it('keeps a record of up to 15 offers in one write unit (1 KB) and Amazon\'s maximum of 20 in two', () => {
    const bytesOf = (offers: number): number => {
      const listing = { ...example, offers: Array.from({ length: offers }, (_, i) => ({ ...example.offers[0]!, sellerId: `A${String(i).padStart(13, '0')}`, feedbackCount: 123_456 })) };
      const item = marketRecordItem('tenant-with-a-long-id-0123456789', marketRecordOf(listing));
      return Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 21), 0);
    };
    expect(bytesOf(15)).toBeLessThanOrEqual(1024);
    expect(bytesOf(20)).toBeLessThanOrEqual(2048);
  });

  it('validates a history file and names the offending field', () => {
    const file = { format: 'sellerops-market-history/1', sellerId: SELLER, source: 's', recordedFrom: T0, recordedTo: DAY_END, records: [{ ...record(T0, [[SELLER, -1, 0, 0, 0, 98, 1]]) }] };
    expect(() => parseMarketHistoryFile(file, 'h.json')).toThrow(/records\[0\]\.offers\[0\]\[1\]/);
    expect(parseMarketHistoryFile({ ...file, records: [record(T0, [ownAt1100])] }, 'h.json').records).toHaveLength(1);
  });
});
