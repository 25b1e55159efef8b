/**
 * Push on real sales (issue 21 sales): Amazon's all-orders report read in its own format, units per SKU,
 * marketplace and day stored idempotently, and the Push decision of a reprice job following the units sold.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AllOrdersReportParser,
  importSalesReport,
  newStoredOffer,
  salesForOffers,
  salesWindowDays,
  unitsPerDay,
  SALES_RETENTION_DAYS,
  SALES_WINDOW_MAX_DAYS,
  type HistoryEntry,
  type OfferChangeEvent,
  type StoredOffer,
} from '#shared/repricer/index.ts';
import { toOfferRules } from '#shared/repricer/rules.ts';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';
import { InMemorySalesStore } from '../support/sales-memory.ts';
import { decideOneOffer } from '../support/one-offer-job.ts';
import { offer } from './fixtures.ts';

const DAY = 86_400_000;
const DE = MARKETPLACES.DE.id;
const FR = MARKETPLACES.FR.id;
const LAMP = 'LUMORA-LAMP-WARM-WHITE-EU-PLUG-40CM-2024';
const BULB = 'LUM-BULB-E27';
const fixture = readFileSync(new URL('../fixtures/amazon/reports/GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL.tsv', import.meta.url), 'utf8');
const period = { from: new Date('2026-11-28T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };

function parse(text: string) {
  const parser = new AllOrdersReportParser();
  for (const line of text.split('\n')) parser.line(line);
  return parser.result();
}

describe('the all-orders report (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL) in Amazon’s format', () => {
  it('counts units per marketplace, SKU and UTC day: pending orders count, cancelled orders and items do not, MCF lines are no sale', () => {
    const parsed = parse(fixture);
    const days = (key: string) => Object.fromEntries(parsed.units.get(key) ?? []);
    expect(days(`${DE}|${LAMP}`)).toEqual({ '2026-11-28': 4, '2026-11-29': 12, '2026-11-30': 1 });
    // One item of a shipped order cancelled, one whole order cancelled (both 0), one pending order of 2.
    expect(days(`${DE}|${BULB}`)).toEqual({ '2026-11-29': 2 });
    expect(days(`${FR}|${LAMP}`)).toEqual({ '2026-11-29': 1 });
    expect(parsed).toMatchObject({ orderLines: 9, cancelledLines: 2, otherChannelLines: 1 });
    expect(parsed.skipped).toEqual([{ line: 12, reason: expect.stringContaining('whole quantity') }]);
  });

  it('keeps a SKU × day whose lines were all cancelled, with 0 (a re-read must be able to take units back)', () => {
    const header = fixture.split('\n')[0]!;
    const cancelled = fixture.split('\n').filter((l) => l.includes('302-1111111-0000004'));
    const parsed = parse([header, ...cancelled].join('\n'));
    expect(Object.fromEntries(parsed.units.get(`${DE}|${BULB}`) ?? [])).toEqual({ '2026-11-29': 0 });
  });

  it('refuses a file that is not the all-orders report, naming the missing columns', () => {
    expect(() => parse('order-id\tsku\tquantity-purchased\n1\tA\t1')).toThrow(/missing column\(s\) amazon-order-id, purchase-date, order-status, sales-channel/);
  });
});

describe('units sold per day, stored', () => {
  it('reading the same report again counts nothing twice and writes nothing', async () => {
    const store = new InMemorySalesStore();
    const first = await importSalesReport(store, { tenantId: 't1', marketplaceId: DE, ...period, report: fixture });
    expect(first.written).toBe(2);
    const again = await importSalesReport(store, { tenantId: 't1', marketplaceId: DE, ...period, report: fixture });
    expect(again.written).toBe(0);
    expect(store.writes).toBe(2);
    const { skus, knownUntil } = await store.readSales('t1', [{ marketplaceId: DE, sku: LAMP }]);
    expect(skus[0]?.days).toEqual({ '2026-11-28': 4, '2026-11-29': 12, '2026-11-30': 1 });
    expect(knownUntil.get(DE)).toBe('2026-12-01');
  });

  it('a re-read after a cancellation replaces the period: the cancelled units leave, the others stay', async () => {
    const store = new InMemorySalesStore();
    await importSalesReport(store, { tenantId: 't1', marketplaceId: DE, ...period, report: fixture });
    // The buyer cancelled the pending order of 2 bulbs since; the next day's run reads the last days again.
    const later = fixture.replace(/(302-1111111-0000005\t\t[^\t]+\t[^\t]+\t)Pending/, '$1Cancelled').replace(/(LUM-BULB-E27\tB0LUMORA02\t)Unshipped/, '$1Cancelled');
    expect(later).not.toBe(fixture);
    const reread = await importSalesReport(store, { tenantId: 't1', marketplaceId: DE, from: new Date('2026-11-29T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z'), report: later });
    expect(reread.cancelledLines).toBe(3);
    const { skus, knownUntil } = await store.readSales('t1', [{ marketplaceId: DE, sku: BULB }, { marketplaceId: DE, sku: LAMP }]);
    expect(Object.fromEntries(skus.map((s) => [s.sku, s.days]))).toEqual({ [BULB]: {}, [LAMP]: { '2026-11-28': 4, '2026-11-29': 12, '2026-11-30': 1 } });
    expect(knownUntil.get(DE)).toBe('2026-12-02');
  });

  it('a period Amazon had no order for (a cancelled report) zeroes that period and moves "known until" on', async () => {
    const store = new InMemorySalesStore();
    await importSalesReport(store, { tenantId: 't1', marketplaceId: DE, ...period, report: fixture });
    await importSalesReport(store, { tenantId: 't1', marketplaceId: DE, from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-12-03T00:00:00Z'), report: null });
    const { skus, knownUntil } = await store.readSales('t1', [{ marketplaceId: DE, sku: LAMP }]);
    expect(skus[0]?.days).toEqual({ '2026-11-28': 4, '2026-11-29': 12 });
    expect(knownUntil.get(DE)).toBe('2026-12-03');
    // An older back-fill period never moves it back.
    await importSalesReport(store, { tenantId: 't1', marketplaceId: DE, ...period, report: fixture });
    expect((await store.readSales('t1', [{ marketplaceId: DE, sku: LAMP }])).knownUntil.get(DE)).toBe('2026-12-03');
  });

  it('drops days older than the retention and sets the TTL beyond the longest Push window', async () => {
    const store = new InMemorySalesStore();
    await importSalesReport(store, { tenantId: 't1', marketplaceId: DE, ...period, report: fixture });
    const farLater = new Date(period.to.getTime() + SALES_RETENTION_DAYS * DAY);
    await importSalesReport(store, { tenantId: 't1', marketplaceId: DE, from: new Date(farLater.getTime() - DAY), to: farLater, report: null });
    const item = store.items.get(`t1|${DE}|${LAMP}`);
    expect(item?.days).toEqual({});
    expect(item!.expiresAtMs - farLater.getTime()).toBe(SALES_RETENTION_DAYS * DAY);
    expect(SALES_RETENTION_DAYS).toBeGreaterThan(SALES_WINDOW_MAX_DAYS);
  });

  it('gives the offer view the last days, oldest first, and Push its window (the period, 1 to 30 days)', () => {
    expect(unitsPerDay({ '2026-11-29': 12, '2026-11-30': 1 }, '2026-12-01', 3)).toEqual([
      { day: '2026-11-28', units: 0 },
      { day: '2026-11-29', units: 12 },
      { day: '2026-11-30', units: 1 },
    ]);
    expect([salesWindowDays(DAY / 2), salesWindowDays(DAY), salesWindowDays(7 * DAY), salesWindowDays(365 * DAY)]).toEqual([1, 1, 7, 30]);
  });
});

// -------------------------------------------------------------------------------------------------------------
// Push decisions of a reprice job follow the units sold

const SELLER = 'A3NEWBRAND0003';
const ASIN = 'B0LUMORA01';
const NOW = Date.parse('2026-12-01T06:00:00Z');

function pushOffer(): StoredOffer {
  const rules = toOfferRules(
    { sku: LAMP, asin: ASIN, marketplaceId: DE, strategy: 'push', currency: 'EUR', min: '19.00', max: '29.00', step: '0.50', push: { targetUnits: 5, periodDays: 1, tolerancePercent: 20 } },
    'offers[0]',
  );
  return { ...newStoredOffer('t1', SELLER, rules, NOW), version: 1 };
}

const marketEvent: OfferChangeEvent = {
  notificationType: 'ANY_OFFER_CHANGED',
  sellerId: SELLER,
  marketplaceId: DE,
  asin: ASIN,
  audience: 'B2C',
  itemCondition: 'new',
  currency: 'EUR',
  timeOfOfferChange: new Date(NOW - 60_000),
  offers: [offer(SELLER, 2499, { isBuyBoxWinner: true }), offer('A1COMPETITOR01', 2699)],
  summaryBuyBoxLandedMinor: 2499,
  totalOfferCount: 2,
};

async function decidePush(sales: InMemorySalesStore | undefined): Promise<{ stored: StoredOffer; history: HistoryEntry[] }> {
  return decideOneOffer(pushOffer(), marketEvent, NOW, sales ? { sales } : {});
}

async function storeWithYesterday(units: number): Promise<InMemorySalesStore> {
  const store = new InMemorySalesStore();
  const header = fixture.split('\n')[0]!;
  const cols = header.split('\t');
  const line = cols.map((c) => ({ 'amazon-order-id': '302-9999999-0000001', 'purchase-date': '2026-11-30T15:00:00+00:00', 'order-status': 'Shipped', 'sales-channel': 'Amazon.de', sku: LAMP, 'item-status': 'Shipped', quantity: String(units) })[c] ?? '').join('\t');
  await importSalesReport(store, { tenantId: 't1', marketplaceId: DE, from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), report: units > 0 ? `${header}\n${line}\n` : null });
  return store;
}

describe('Push on the units Amazon reports', () => {
  it('raises when yesterday sold above target, lowers when below, holds on target', async () => {
    const raised = await decidePush(await storeWithYesterday(9));
    expect(raised.stored.pendingPush?.priceMinor).toBe(2549);
    expect(raised.stored.lastReasonDetail).toEqual({ code: 'PushRaise', params: [9, 5, 2549], dryRun: false });
    const lowered = await decidePush(await storeWithYesterday(1));
    expect(lowered.stored.lastReasonDetail).toEqual({ code: 'PushLower', params: [1, 5, 2449], dryRun: false });
    expect(lowered.stored.pendingPush?.priceMinor).toBe(2449);
    // Nothing sold at all is a figure too (the report was read): lower.
    expect((await decidePush(await storeWithYesterday(0))).stored.lastReasonDetail?.code).toBe('PushLower');
    const onTarget = await decidePush(await storeWithYesterday(5));
    expect(onTarget.stored.lastReasonDetail?.code).toBe('PushOnTarget');
    expect(onTarget.stored.pendingPush).toBeNull();
  });

  it('holds without sales data: no report read yet for the marketplace, or no sales port', async () => {
    expect((await decidePush(new InMemorySalesStore())).stored.lastReasonDetail?.code).toBe('PushNoSalesData');
    expect((await decidePush(undefined)).stored.lastReasonDetail?.code).toBe('PushNoSalesData');
  });

  it('reads sales for Push offers only, one batch per tenant', async () => {
    const sales = await storeWithYesterday(9);
    let reads = 0;
    const counting = { readSales: async (...args: Parameters<InMemorySalesStore['readSales']>) => (reads++, sales.readSales(...args)) };
    const buybox = { ...pushOffer(), rules: { ...pushOffer().rules, strategy: 'buybox' as const, sku: 'OTHER' } };
    const found = await salesForOffers(counting, [pushOffer(), buybox]);
    expect(reads).toBe(1);
    expect([...found.values()]).toEqual([{ unitsInWindow: 9, windowMs: DAY }]);
    expect(await salesForOffers(counting, [buybox])).toEqual(new Map());
    expect(reads).toBe(1);
  });
});

describe('re-reading orders, as properties', () => {
  const orderArb = fc.record({
    day: fc.integer({ min: 0, max: 9 }),
    sku: fc.constantFrom('A', 'B', 'C'),
    quantity: fc.integer({ min: 0, max: 20 }),
    status: fc.constantFrom('Shipped', 'Pending', 'Unshipped', 'Cancelled'),
  });
  const asReport = (orders: readonly { day: number; sku: string; quantity: number; status: string }[]) =>
    [
      'amazon-order-id\tpurchase-date\torder-status\tsales-channel\tsku\titem-status\tquantity',
      ...orders.map((o, i) => `302-0000000-${String(i).padStart(7, '0')}\t${new Date(Date.parse('2026-11-01T12:00:00Z') + o.day * DAY).toISOString()}\t${o.status}\tAmazon.de\t${o.sku}\t${o.status === 'Cancelled' ? 'Cancelled' : 'Shipped'}\t${o.quantity}`),
    ].join('\n');
  const from = new Date('2026-11-01T00:00:00Z');
  const to = new Date('2026-11-11T00:00:00Z');

  it('whatever the orders, any number of reads of the same report store exactly the units of the orders not cancelled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(orderArb, { maxLength: 40 }), fc.integer({ min: 1, max: 3 }), async (orders, reads) => {
        const store = new InMemorySalesStore();
        for (let i = 0; i < reads; i++) await importSalesReport(store, { tenantId: 't', marketplaceId: DE, from, to, report: asReport(orders) });
        const { skus } = await store.readSales('t', ['A', 'B', 'C'].map((sku) => ({ marketplaceId: DE, sku })));
        const stored = skus.flatMap((s) => Object.entries(s.days).map(([day, units]) => `${s.sku}|${day}|${units}`)).sort();
        const expected = new Map<string, number>();
        for (const o of orders) {
          if (o.status === 'Cancelled' || o.quantity === 0) continue;
          const k = `${o.sku}|${utcDayOf(o.day)}`;
          expected.set(k, (expected.get(k) ?? 0) + o.quantity);
        }
        expect(stored).toEqual([...expected].map(([k, units]) => `${k}|${units}`).sort());
      }),
      { numRuns: 200 },
    );
  });

  it('a later read of the same period with some orders cancelled since leaves exactly the units still standing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(orderArb, { maxLength: 30 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), async (orders, cancel) => {
        const store = new InMemorySalesStore();
        await importSalesReport(store, { tenantId: 't', marketplaceId: DE, from, to, report: asReport(orders) });
        const later = orders.map((o, i) => (cancel[i] ? { ...o, status: 'Cancelled' } : o));
        await importSalesReport(store, { tenantId: 't', marketplaceId: DE, from, to, report: asReport(later) });
        const fresh = new InMemorySalesStore();
        await importSalesReport(fresh, { tenantId: 't', marketplaceId: DE, from, to, report: asReport(later) });
        const keys = ['A', 'B', 'C'].map((sku) => ({ marketplaceId: DE, sku }));
        const days = async (s: InMemorySalesStore) => Object.fromEntries((await s.readSales('t', keys)).skus.map((x) => [x.sku, x.days]));
        const [a, b] = [await days(store), await days(fresh)];
        for (const sku of ['A', 'B', 'C']) expect(a[sku] ?? {}).toEqual(b[sku] ?? {});
      }),
      { numRuns: 200 },
    );
  });
});

function utcDayOf(day: number): string {
  return new Date(Date.parse('2026-11-01T00:00:00Z') + day * DAY).toISOString().slice(0, 10);
}
