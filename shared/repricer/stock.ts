/**
 * Own units in stock per SKU and marketplace, from Amazon, for the low-stock rule (issue 21 stock).
 *
 * Sources:
 * - FBA offers: the fulfillable units of the FBA Inventory API `getInventorySummaries` (granularity Marketplace,
 *   `details=true`), read every hour (STOCK_REFRESH_MINUTES) per seller and marketplace. Amazon answers "what
 *   changed since" (`startDateTime`), so an hourly reading costs a page or two; once a day (and on the first reading)
 *   every SKU is read, which also drops SKUs Amazon no longer lists.
 * - Merchant-fulfilled offers: the All Listings report's `quantity` (the daily report fetch already reads it).
 *
 * Stored compactly: one item per tenant × marketplace × SKU with its units and when the reading that last changed
 * them was taken, and one mark per tenant × marketplace × source saying up to when every change is stored. An
 * unchanged SKU is not written again: its units hold as of the mark. Stock older than its bound
 * (STOCK_STALE_AFTER_MS) counts as unknown, and the low-stock rule then waits: it never guesses.
 */
import { ValidationError } from '#shared/kernel/errors.ts';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { forEachConnectedCustomer } from '#shared/kernel/connected-customers.ts';
import { offerId, type StoredOffer } from './model.ts';
import type { FbaInventoryApi, SkuStock, StockReadMark, StockReadQueue, StockReadRequest, StockSource, StockStore } from './ports.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** How often FBA stock is read: stock changes with every order, and a seller expects the repricer to see it within the hour. */
export const STOCK_REFRESH_MINUTES = 60;
/**
 * Older than this, stock is unknown: FBA after three hourly readings missed (Amazon down, quota spent), merchant
 * stock after a day and six hours (its report is daily; the margin covers a report Amazon makes late).
 */
export const STOCK_STALE_AFTER_MS: Readonly<Record<StockSource, number>> = { fba: 3 * HOUR_MS, mfn: 30 * HOUR_MS };
/** Every SKU of FBA is read again at least this often (and on the first reading): a change Amazon's feed missed heals. */
export const STOCK_FULL_READ_EVERY_MS = DAY_MS;
/** "Changed since" reaches back this far before the last mark: a change recorded late on Amazon's side is not missed. */
export const STOCK_CHANGE_OVERLAP_MS = 15 * MINUTE_MS;
/** An unchanged item is written again by a full reading after this long, so its TTL (STOCK_RETENTION_DAYS) never runs out while it is read. */
export const STOCK_REWRITE_AFTER_MS = 7 * DAY_MS;
/** Days an item is kept after its last write (a tenant that left, a marketplace no longer read). */
export const STOCK_RETENTION_DAYS = 30;
/**
 * Pages of one FBA reading (50 SKUs each: 50,000 SKUs, ≈ 500 s at the quota's 2 a second, within the reader's 600 s);
 * a reading cut there stores what it read and sets no mark.
 */
export const MAX_INVENTORY_PAGES = 1_000;

/** One reading of a source in a marketplace: units per SKU; `full`: every SKU of the source (absent ones are gone). */
export interface StockReading {
  readonly marketplaceId: string;
  readonly source: StockSource;
  readonly atMs: number;
  readonly full: boolean;
  readonly units: ReadonlyMap<string, number>;
}

/**
 * The writes that bring the stored items up to a reading: new or changed units (or another source), items of a full
 * reading not written for STOCK_REWRITE_AFTER_MS, and, for a full reading, the deletion of the source's SKUs it no
 * longer has. A stored item newer than the reading is left alone. The same reading again writes nothing.
 */
export function planStockWrites(previous: readonly SkuStock[], reading: StockReading): { puts: SkuStock[]; deletes: SkuStock[] } {
  const bySku = new Map(previous.filter((p) => p.marketplaceId === reading.marketplaceId).map((p) => [p.sku, p]));
  const puts: SkuStock[] = [];
  for (const [sku, units] of reading.units) {
    const stored = bySku.get(sku);
    if (stored && stored.knownAtMs > reading.atMs) continue;
    const changed = !stored || stored.units !== units || stored.source !== reading.source;
    const due = reading.full && stored !== undefined && reading.atMs - stored.knownAtMs >= STOCK_REWRITE_AFTER_MS;
    if (changed || due) puts.push({ marketplaceId: reading.marketplaceId, sku, units, source: reading.source, knownAtMs: reading.atMs });
  }
  const deletes = reading.full ? [...bySku.values()].filter((p) => p.source === reading.source && !reading.units.has(p.sku) && p.knownAtMs <= reading.atMs) : [];
  return { puts, deletes };
}

/** Stores one reading (idempotent: see planStockWrites) and moves its mark. */
export async function applyStockReading(
  store: Pick<StockStore, 'listStock' | 'putStock' | 'deleteStock' | 'markStockRead'>,
  tenantId: string,
  reading: StockReading,
  previousFullAtMs: number,
): Promise<{ written: number; deleted: number }> {
  const previous = await store.listStock(tenantId, reading.marketplaceId);
  const { puts, deletes } = planStockWrites(previous, reading);
  if (puts.length > 0) await store.putStock(tenantId, puts, reading.atMs + STOCK_RETENTION_DAYS * DAY_MS);
  if (deletes.length > 0) await store.deleteStock(tenantId, deletes);
  await store.markStockRead(tenantId, { marketplaceId: reading.marketplaceId, source: reading.source, atMs: reading.atMs, fullAtMs: reading.full ? reading.atMs : previousFullAtMs });
  return { written: puts.length, deleted: deletes.length };
}

/** What is known of one SKU's stock at `nowMs`. */
export interface KnownStock {
  readonly units: number;
  readonly source: StockSource;
  /** The latest instant the units are known to hold: the item's reading or a later mark of its source. */
  readonly knownAtMs: number;
  /** Older than STOCK_STALE_AFTER_MS of its source: counts as unknown. */
  readonly stale: boolean;
}

export function knownStock(item: SkuStock, marks: readonly StockReadMark[], nowMs: number): KnownStock {
  const mark = marks.find((m) => m.marketplaceId === item.marketplaceId && m.source === item.source);
  const knownAtMs = Math.max(item.knownAtMs, mark?.atMs ?? 0);
  return { units: item.units, source: item.source, knownAtMs, stale: nowMs - knownAtMs > STOCK_STALE_AFTER_MS[item.source] };
}

function hasLowStockRule(o: StoredOffer): boolean {
  return (o.rules.lowStockUnits ?? -1) >= 0;
}

async function knownStockOf(store: Pick<StockStore, 'readStock'>, tenantId: string, offers: readonly StoredOffer[], nowMs: number): Promise<Map<string, KnownStock>> {
  const { skus, marks } = await store.readStock(
    tenantId,
    offers.map((o) => ({ marketplaceId: o.rules.marketplaceId, sku: o.rules.sku })),
  );
  return new Map(skus.map((s) => [`${s.marketplaceId}|${s.sku}`, knownStock(s, marks, nowMs)]));
}

/**
 * The units each offer's decision reads, keyed by `offerId`: offers with a low-stock rule only (the others never look
 * at stock), and only stock that is not stale. A missing entry is unknown stock: the rule waits.
 */
export async function stockForOffers(store: Pick<StockStore, 'readStock'>, offers: readonly StoredOffer[], nowMs: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const byTenant = new Map<string, StoredOffer[]>();
  for (const o of offers.filter(hasLowStockRule)) byTenant.set(o.tenantId, [...(byTenant.get(o.tenantId) ?? []), o]);
  for (const [tenantId, list] of byTenant) {
    const known = await knownStockOf(store, tenantId, list, nowMs);
    for (const o of list) {
      const stock = known.get(`${o.rules.marketplaceId}|${o.rules.sku}`);
      if (stock && !stock.stale) out.set(offerId(o), stock.units);
    }
  }
  return out;
}

/** What the offer view shows of an offer's own stock. */
export interface OfferStockView {
  /** `known`: read within its bound; `stale`: read too long ago (the rule waits); `unknown`: never read. */
  readonly stockStatus: 'known' | 'stale' | 'unknown';
  /** Units as last read (FBA: fulfillable; merchant: the listing's quantity); null when never read. */
  readonly stockUnits: number | null;
  /** When they were last known to hold (ISO 8601); null when never read. */
  readonly stockKnownAt: string | null;
  readonly stockSource: StockSource | null;
}

export const UNKNOWN_STOCK: OfferStockView = { stockStatus: 'unknown', stockUnits: null, stockKnownAt: null, stockSource: null };

/** The stock view of each offer (every strategy: a seller looks at stock before setting the rule), keyed by `offerId`. */
export async function stockViewsOf(store: Pick<StockStore, 'readStock'>, tenantId: string, offers: readonly StoredOffer[], nowMs: number): Promise<Map<string, OfferStockView>> {
  const out = new Map<string, OfferStockView>();
  if (offers.length === 0) return out;
  const known = await knownStockOf(store, tenantId, offers, nowMs);
  for (const o of offers) {
    const stock = known.get(`${o.rules.marketplaceId}|${o.rules.sku}`);
    out.set(
      offerId(o),
      stock
        ? { stockStatus: stock.stale ? 'stale' : 'known', stockUnits: stock.units, stockKnownAt: new Date(stock.knownAtMs).toISOString(), stockSource: stock.source }
        : UNKNOWN_STOCK,
    );
  }
  return out;
}

export interface FbaStockReadDeps {
  readonly inventory: FbaInventoryApi;
  readonly store: Pick<StockStore, 'listStock' | 'putStock' | 'deleteStock' | 'markStockRead' | 'stockMarks'>;
  readonly clock: Clock;
}

export interface FbaStockReadResult {
  readonly marketplace: string;
  readonly full: boolean;
  readonly pages: number;
  readonly skus: number;
  readonly written: number;
  readonly deleted: number;
  /** The reading stopped at MAX_INVENTORY_PAGES: what it read is stored, the mark is not moved. */
  readonly cut: boolean;
}

/**
 * One hourly reading of a tenant's FBA stock in one marketplace: the SKUs changed since the last mark (every SKU
 * on the first reading and once a day), merged into the stored items, then the mark moved to the reading's start.
 * Idempotent: a redelivered request reads again and writes only what changed.
 */
export async function readFbaStock(deps: FbaStockReadDeps, request: StockReadRequest): Promise<FbaStockReadResult> {
  if (!Object.hasOwn(MARKETPLACES, request.marketplace)) throw new ValidationError(`marketplace: ${request.marketplace} is not one we serve`, { field: 'marketplace' });
  const marketplaceId = MARKETPLACES[request.marketplace as keyof typeof MARKETPLACES].id;
  const atMs = deps.clock.now().getTime();
  const mark = (await deps.store.stockMarks(request.tenantId, marketplaceId)).find((m) => m.source === 'fba');
  const full = mark === undefined || atMs - mark.fullAtMs >= STOCK_FULL_READ_EVERY_MS;
  const changedSince = full ? undefined : new Date(mark.atMs - STOCK_CHANGE_OVERLAP_MS);
  const units = new Map<string, number>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await deps.inventory.inventorySummaries({
      sellerId: request.sellerId,
      marketplaceId,
      ...(changedSince ? { changedSince } : {}),
      ...(nextToken ? { nextToken } : {}),
    });
    pages++;
    for (const s of page.summaries) units.set(s.sku, s.fulfillableUnits);
    nextToken = page.nextToken;
  } while (nextToken !== undefined && pages < MAX_INVENTORY_PAGES);
  const cut = nextToken !== undefined;
  if (cut) {
    // Not every SKU was read: store what was (as changes only) and leave the mark, so the next reading covers the rest.
    const previous = await deps.store.listStock(request.tenantId, marketplaceId);
    const { puts } = planStockWrites(previous, { marketplaceId, source: 'fba', atMs, full: false, units });
    if (puts.length > 0) await deps.store.putStock(request.tenantId, puts, atMs + STOCK_RETENTION_DAYS * DAY_MS);
    return { marketplace: request.marketplace, full, pages, skus: units.size, written: puts.length, deleted: 0, cut };
  }
  const { written, deleted } = await applyStockReading(deps.store, request.tenantId, { marketplaceId, source: 'fba', atMs, full, units }, mark?.fullAtMs ?? 0);
  return { marketplace: request.marketplace, full, pages, skus: units.size, written, deleted, cut };
}

/** The merchant-fulfilled units of an All Listings report (`fulfillment-channel` DEFAULT, a `quantity` given), as a full reading. */
export function merchantStockReading(
  listings: readonly { readonly sku: string; readonly quantity: number | undefined; readonly fulfillmentChannel: string }[],
  marketplaceId: string,
  atMs: number,
): StockReading {
  const units = new Map<string, number>();
  for (const l of listings) if (l.fulfillmentChannel.toUpperCase() === 'DEFAULT' && l.quantity !== undefined) units.set(l.sku, l.quantity);
  return { marketplaceId, source: 'mfn', atMs, full: true, units };
}

export interface StockReadPlanDeps {
  readonly customers: {
    listActive(): Promise<readonly { tenantId: string; marketplaces: readonly string[]; contracts: Partial<Record<string, { status: string }>> }[]>;
  };
  /** The seller the tenant authorised on Amazon (undefined: not connected, nothing to read). */
  readonly sellerOf: (tenantId: string) => Promise<string | undefined>;
  readonly queue: StockReadQueue;
}

type ContractsOf = Partial<Record<string, { readonly status: string }>>;

/** A repricer contract that is not cancelled: the customer's offers are repriced, so their stock is read. */
function repricesWith(contracts: ContractsOf): boolean {
  const repricer = contracts.repricer;
  return repricer !== undefined && repricer.status !== 'cancelled';
}

/** The FBA stock readings of one customer: one per marketplace of its, if its repricer contract is live; none otherwise. */
export function stockReadsOf(
  customer: { readonly tenantId: string; readonly marketplaces: readonly string[]; readonly contracts: ContractsOf },
  sellerId: string,
): StockReadRequest[] {
  if (!repricesWith(customer.contracts)) return [];
  return customer.marketplaces.filter((m) => Object.hasOwn(MARKETPLACES, m)).map((marketplace) => ({ tenantId: customer.tenantId, sellerId, marketplace }));
}

/**
 * The hourly plan: one FBA stock reading per live repricer customer with an authorised seller and per marketplace
 * of its. One customer's failure does not stop the others.
 */
export async function planStockReads(deps: StockReadPlanDeps): Promise<{ customers: number; notConnected: number; queued: number; failed: readonly { tenantId: string; error: string }[] }> {
  const live = (await deps.customers.listActive()).filter((c) => repricesWith(c.contracts));
  const { notConnected, planned, failed } = await forEachConnectedCustomer(live, deps.sellerOf, async (customer, sellerId) => {
    const requests = stockReadsOf(customer, sellerId);
    if (requests.length > 0) await deps.queue.send(requests);
    return requests.length;
  });
  return { customers: live.length, notConnected, queued: planned, failed };
}
