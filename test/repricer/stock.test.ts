/**
 * Own stock from Amazon (issue 21 stock), the pure parts: merging a reading into the stored items, staleness, the
 * hourly FBA reading (changed since, every SKU once a day, pages), the merchant quantities of the All Listings report,
 * the hourly plan, and a reprice job deciding the low-stock rule on what is stored.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  knownStock,
  MAX_INVENTORY_PAGES,
  merchantStockReading,
  newStoredOffer,
  planStockReads,
  planStockWrites,
  readFbaStock,
  STOCK_CHANGE_OVERLAP_MS,
  STOCK_REWRITE_AFTER_MS,
  stockForOffers,
  stockViewsOf,
  type FbaInventoryApi,
  type FbaInventoryPage,
  type OfferChangeEvent,
  type SkuStock,
  type StockReadRequest,
  type StoredOffer,
} from '#shared/repricer/index.ts';
import { MerchantListingsParser } from '#shared/repricer/listings-import.ts';
import { importListingsReport } from '#shared/repricer/imported-listings.ts';
import { toOfferRules } from '#shared/repricer/rules.ts';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import { InMemoryStockStore } from '../support/stock-memory.ts';
import { decideOneOffer } from '../support/one-offer-job.ts';
import { offer } from './fixtures.ts';

const DE = MARKETPLACES.DE.id;
const FR = MARKETPLACES.FR.id;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-01T06:00:00Z');
const item = (sku: string, units: number, knownAtMs: number, source: 'fba' | 'mfn' = 'fba', marketplaceId = DE): SkuStock => ({ marketplaceId, sku, units, source, knownAtMs });

describe('a reading merged into the stored stock', () => {
  it('writes new and changed units only, never over a newer reading; a full reading drops its own source’s SKUs it no longer has', () => {
    const stored = [item('A', 5, T0 - HOUR), item('B', 9, T0 - HOUR), item('GONE', 1, T0 - HOUR), item('MFN-1', 3, T0 - HOUR, 'mfn'), item('NEWER', 7, T0 + HOUR)];
    const units = new Map([['A', 5], ['B', 8], ['NEW', 0], ['NEWER', 1]]);
    const changes = planStockWrites(stored, { marketplaceId: DE, source: 'fba', atMs: T0, full: false, units });
    expect(changes.puts.map((p) => [p.sku, p.units, p.knownAtMs])).toEqual([['B', 8, T0], ['NEW', 0, T0]]);
    expect(changes.deletes).toEqual([]);
    const full = planStockWrites(stored, { marketplaceId: DE, source: 'fba', atMs: T0, full: true, units });
    expect(full.puts.map((p) => p.sku)).toEqual(['B', 'NEW']);
    // GONE is FBA and absent: gone. The merchant SKU is another source's: kept.
    expect(full.deletes.map((d) => d.sku)).toEqual(['GONE']);
    // The same reading again writes nothing.
    const after = [...stored.filter((s) => s.sku !== 'GONE' && s.sku !== 'B'), ...full.puts];
    expect(planStockWrites(after, { marketplaceId: DE, source: 'fba', atMs: T0, full: true, units })).toEqual({ puts: [], deletes: [] });
  });

  it('rewrites an unchanged item once a week on a full reading (its TTL never runs out while it is read)', () => {
    const stored = [item('A', 5, T0 - STOCK_REWRITE_AFTER_MS)];
    expect(planStockWrites(stored, { marketplaceId: DE, source: 'fba', atMs: T0, full: false, units: new Map([['A', 5]]) }).puts).toEqual([]);
    expect(planStockWrites(stored, { marketplaceId: DE, source: 'fba', atMs: T0, full: true, units: new Map([['A', 5]]) }).puts).toEqual([item('A', 5, T0)]);
  });

  it('a SKU that moved from merchant-fulfilled to FBA takes the FBA reading', () => {
    expect(planStockWrites([item('A', 5, T0 - HOUR, 'mfn')], { marketplaceId: DE, source: 'fba', atMs: T0, full: false, units: new Map([['A', 5]]) }).puts).toEqual([item('A', 5, T0)]);
  });
});

describe('stale stock counts as unknown', () => {
  it('holds as of the latest mark of its source; FBA is stale after 3 hours, merchant stock after 30', () => {
    const fba = item('A', 4, T0 - 10 * HOUR);
    const marks = [{ marketplaceId: DE, source: 'fba' as const, atMs: T0 - HOUR, fullAtMs: T0 - 10 * HOUR }];
    expect(knownStock(fba, marks, T0)).toEqual({ units: 4, source: 'fba', knownAtMs: T0 - HOUR, stale: false });
    expect(knownStock(fba, marks, T0 - HOUR + 3 * HOUR).stale).toBe(false);
    expect(knownStock(fba, marks, T0 - HOUR + 3 * HOUR + 1).stale).toBe(true);
    // A mark of another source or marketplace says nothing about it.
    expect(knownStock(fba, [{ ...marks[0]!, source: 'mfn' }, { ...marks[0]!, marketplaceId: FR }], T0).stale).toBe(true);
    const mfn = item('M', 2, T0 - 29 * HOUR, 'mfn');
    expect(knownStock(mfn, [], T0).stale).toBe(false);
    expect(knownStock(mfn, [], T0 + HOUR + 1).stale).toBe(true);
  });
});

/** A fake FBA Inventory API: pages of `pageSize` over SKUs changed after `changedSince` (each with when it changed). */
function fakeInventory(stock: Map<string, { units: number; changedAtMs: number }>, pageSize = 2) {
  const requests: { changedSince?: Date; nextToken?: string }[] = [];
  const api: FbaInventoryApi = {
    inventorySummaries: async (r) => {
      requests.push({ ...(r.changedSince ? { changedSince: r.changedSince } : {}), ...(r.nextToken ? { nextToken: r.nextToken } : {}) });
      const all = [...stock].filter(([, s]) => r.changedSince === undefined || s.changedAtMs > r.changedSince.getTime());
      const from = r.nextToken ? Number(r.nextToken) : 0;
      const page: FbaInventoryPage = {
        summaries: all.slice(from, from + pageSize).map(([sku, s]) => ({ sku, fulfillableUnits: s.units })),
        ...(from + pageSize < all.length ? { nextToken: String(from + pageSize) } : {}),
      };
      return page;
    },
  };
  return { api, requests };
}

const REQUEST: StockReadRequest = { tenantId: 't1', sellerId: 'A2SELLER00001', marketplace: 'DE' };

describe('the hourly FBA reading', () => {
  it('reads every SKU first, then what changed since the last reading (with an overlap), every SKU again after a day', async () => {
    const stock = new Map([['A', { units: 10, changedAtMs: T0 - 48 * HOUR }], ['B', { units: 3, changedAtMs: T0 - 48 * HOUR }], ['C', { units: 0, changedAtMs: T0 - 48 * HOUR }]]);
    const { api, requests } = fakeInventory(stock);
    const store = new InMemoryStockStore();
    let now = T0;
    const deps = { inventory: api, store, clock: { now: () => new Date(now) } };
    expect(await readFbaStock(deps, REQUEST)).toEqual({ marketplace: 'DE', full: true, pages: 2, skus: 3, written: 3, deleted: 0, cut: false });
    expect(requests).toEqual([{}, { nextToken: '2' }]);
    expect(await store.stockMarks('t1', DE)).toEqual([{ marketplaceId: DE, source: 'fba', atMs: T0, fullAtMs: T0 }]);

    // An hour later: B sold one; only B comes back and is written.
    now = T0 + HOUR;
    stock.set('B', { units: 2, changedAtMs: T0 + 30 * 60_000 });
    requests.length = 0;
    expect(await readFbaStock(deps, REQUEST)).toMatchObject({ full: false, pages: 1, skus: 1, written: 1 });
    expect(requests).toEqual([{ changedSince: new Date(T0 - STOCK_CHANGE_OVERLAP_MS) }]);
    // A, unchanged and not written again, is known as of the new mark.
    const views = await stockViewsOf(store, 't1', [lowStockOffer('A'), lowStockOffer('B')], T0 + HOUR);
    expect([...views.values()]).toEqual([
      { stockStatus: 'known', stockUnits: 10, stockKnownAt: new Date(T0 + HOUR).toISOString(), stockSource: 'fba' },
      { stockStatus: 'known', stockUnits: 2, stockKnownAt: new Date(T0 + HOUR).toISOString(), stockSource: 'fba' },
    ]);

    // A day after the first: every SKU again, and C (no longer listed by Amazon) is dropped.
    now = T0 + 24 * HOUR;
    stock.delete('C');
    requests.length = 0;
    expect(await readFbaStock(deps, REQUEST)).toMatchObject({ full: true, skus: 2, written: 0, deleted: 1 });
    expect(requests[0]).toEqual({});
    expect((await store.listStock('t1', DE)).map((s) => s.sku).sort()).toEqual(['A', 'B']);
  });

  it('a reading cut at the page limit stores what it read and moves no mark; a redelivered reading writes nothing new', async () => {
    const stock = new Map(Array.from({ length: MAX_INVENTORY_PAGES + 1 }, (_, i) => [`S${i}`, { units: i, changedAtMs: 0 }] as const));
    const { api } = fakeInventory(stock, 1);
    const store = new InMemoryStockStore();
    const deps = { inventory: api, store, clock: { now: () => new Date(T0) } };
    expect(await readFbaStock(deps, REQUEST)).toMatchObject({ pages: MAX_INVENTORY_PAGES, cut: true, written: MAX_INVENTORY_PAGES });
    expect(await store.stockMarks('t1', DE)).toEqual([]);
    // Without a mark the items are as old as their reading: stale three hours later, so the rule waits.
    expect([...(await stockViewsOf(store, 't1', [lowStockOffer('S1')], T0 + 3 * HOUR + 1)).values()][0]?.stockStatus).toBe('stale');
    const small = fakeInventory(new Map([['A', { units: 1, changedAtMs: 0 }]]));
    const store2 = new InMemoryStockStore();
    await readFbaStock({ inventory: small.api, store: store2, clock: { now: () => new Date(T0) } }, REQUEST);
    const writes = store2.writes;
    await readFbaStock({ inventory: small.api, store: store2, clock: { now: () => new Date(T0) } }, REQUEST);
    expect(store2.writes).toBe(writes);
  });

  it('refuses a marketplace we do not serve (a bad message: dead-lettered with the reason)', async () => {
    const { api } = fakeInventory(new Map());
    await expect(readFbaStock({ inventory: api, store: new InMemoryStockStore(), clock: { now: () => new Date(T0) } }, { ...REQUEST, marketplace: 'XX' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('merchant-fulfilled stock from the All Listings report', () => {
  const report = readFileSync(new URL('../fixtures/amazon/reports/GET_MERCHANT_LISTINGS_ALL_DATA.tsv', import.meta.url), 'utf8');

  it('takes the quantity of merchant-fulfilled listings (inactive at 0 included), never of FBA listings, whose quantity is empty', () => {
    const parser = new MerchantListingsParser('EUR');
    for (const line of report.split('\n')) parser.line(line);
    const reading = merchantStockReading(parser.result().listings, DE, T0);
    expect(reading).toMatchObject({ marketplaceId: DE, source: 'mfn', atMs: T0, full: true });
    expect(Object.fromEntries(reading.units)).toEqual({ 'KM-EDEL-40G': 17, 'RK-70x140': 0, 'DRAFT-1': 0 });
  });

  it('the daily listings import stores them, configured offers included, and reading the report again writes nothing', async () => {
    const stock = new InMemoryStockStore();
    const listings = { listImportedListings: async () => [], putImportedListings: async () => undefined };
    const configured = lowStockOffer('KM-EDEL-40G');
    const deps = { listings, offers: { listOffers: async () => [configured] }, stock };
    const first = await importListingsReport(deps, { tenantId: 't1', marketplaceId: DE, currency: 'EUR', report, day: '2026-11-30', readAt: new Date(T0) });
    expect(first.stockWritten).toBe(3);
    expect((await importListingsReport(deps, { tenantId: 't1', marketplaceId: DE, currency: 'EUR', report, day: '2026-11-30', readAt: new Date(T0 + HOUR) })).stockWritten).toBe(0);
    expect(await stockForOffers(stock, [configured], T0 + 2 * HOUR)).toEqual(new Map([['t1|' + DE + '|B2C|B07XJ8C8F5|KM-EDEL-40G', 17]]));
    // Known as of the second reading (its mark), stale 30 hours after it.
    expect([...(await stockViewsOf(stock, 't1', [configured], T0 + HOUR + 30 * HOUR + 1)).values()][0]).toMatchObject({ stockStatus: 'stale', stockSource: 'mfn', stockUnits: 17 });
  });
});

describe('the hourly plan', () => {
  it('queues one reading per marketplace of each live repricer customer with an authorised seller', async () => {
    const sent: StockReadRequest[] = [];
    const result = await planStockReads({
      customers: {
        listActive: async () => [
          { tenantId: 'rp', marketplaces: ['DE', 'FR'], contracts: { repricer: { status: 'trial' } } },
          { tenantId: 'cancelled', marketplaces: ['DE'], contracts: { repricer: { status: 'cancelled' } } },
          { tenantId: 'lf-only', marketplaces: ['DE'], contracts: { 'lost-and-found': { status: 'active' } } },
          { tenantId: 'not-connected', marketplaces: ['DE'], contracts: { repricer: { status: 'active' } } },
        ],
      },
      sellerOf: async (tenantId) => (tenantId === 'not-connected' ? undefined : `SELLER-${tenantId}`),
      queue: { send: async (requests) => void sent.push(...requests) },
    });
    expect(result).toEqual({ customers: 2, notConnected: 1, queued: 2, failed: [] });
    expect(sent).toEqual([
      { tenantId: 'rp', sellerId: 'SELLER-rp', marketplace: 'DE' },
      { tenantId: 'rp', sellerId: 'SELLER-rp', marketplace: 'FR' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// A reprice job decides the low-stock rule on the stored stock

const SELLER = 'A2SELLER00001';
const ASIN = 'B07XJ8C8F5';

function lowStockOffer(sku: string, lowStockUnits: number | null = 5): StoredOffer {
  const rules = toOfferRules(
    { sku, asin: ASIN, marketplaceId: DE, strategy: 'buybox', currency: 'EUR', min: '10.00', max: '16.00', step: '0.05', ...(lowStockUnits === null ? {} : { lowStockUnits }) },
    'offers[0]',
  );
  return { ...newStoredOffer('t1', SELLER, rules, T0), version: 1 };
}

const marketEvent: OfferChangeEvent = {
  notificationType: 'ANY_OFFER_CHANGED',
  sellerId: SELLER,
  marketplaceId: DE,
  asin: ASIN,
  audience: 'B2C',
  itemCondition: 'new',
  currency: 'EUR',
  timeOfOfferChange: new Date(T0 - 60_000),
  offers: [offer(SELLER, 1299), offer('A1COMPETITOR01', 1240, { isBuyBoxWinner: true })],
  summaryBuyBoxLandedMinor: 1240,
  totalOfferCount: 2,
};

async function decide(read: StoredOffer, stock: InMemoryStockStore | undefined, nowMs: number): Promise<StoredOffer> {
  return (await decideOneOffer(read, marketEvent, nowMs, stock ? { stock } : {})).stored;
}

async function stockOf(sku: string, units: number, atMs: number): Promise<InMemoryStockStore> {
  const store = new InMemoryStockStore();
  await store.putStock('t1', [item(sku, units, atMs)], atMs + 30 * 24 * HOUR);
  await store.markStockRead('t1', { marketplaceId: DE, source: 'fba', atMs, fullAtMs: atMs });
  return store;
}

describe('the low-stock rule in a reprice job', () => {
  it('raises toward max at low stock and out of stock; competes with stock above the threshold', async () => {
    const low = await decide(lowStockOffer('A'), await stockOf('A', 2, T0 - HOUR), T0);
    expect(low.lastReasonDetail).toEqual({ code: 'LowStockRaise', params: [2, 5, 1600], dryRun: false });
    expect(low.pendingPush?.priceMinor).toBe(1600);
    const out = await decide(lowStockOffer('A'), await stockOf('A', 0, T0 - HOUR), T0);
    expect(out.lastReasonDetail).toEqual({ code: 'LowStockRaise', params: [0, 5, 1600], dryRun: false });
    const plenty = await decide(lowStockOffer('A'), await stockOf('A', 6, T0 - HOUR), T0);
    expect(plenty.lastReasonDetail?.code).not.toBe('LowStockRaise');
    expect(plenty.pendingPush?.priceMinor).toBeLessThan(1240);
  });

  it('waits (decides as without the rule) when stock is unknown, stale, or the store is absent; offers without the rule read no stock', async () => {
    const withoutStock = await decide(lowStockOffer('A'), undefined, T0);
    for (const stock of [new InMemoryStockStore(), await stockOf('A', 0, T0 - 3 * HOUR - 1)]) {
      const decided = await decide(lowStockOffer('A'), stock, T0);
      expect(decided.lastReasonDetail).toEqual(withoutStock.lastReasonDetail);
      expect(decided.pendingPush?.priceMinor).toBe(withoutStock.pendingPush?.priceMinor);
    }
    const reads: unknown[] = [];
    const spy = await stockOf('A', 0, T0);
    const counting = { readStock: async (...args: Parameters<InMemoryStockStore['readStock']>) => (reads.push(args), spy.readStock(...args)) };
    expect(await stockForOffers(counting, [lowStockOffer('A', null)], T0)).toEqual(new Map());
    expect(reads).toEqual([]);
  });
});
