/**
 * Units sold per day per SKU and marketplace, from Amazon, for the Push strategy (issue 21 sales).
 *
 * Source: the flat-file all-orders report by order date (`GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL`),
 * fetched by the daily report fetch that already brings Lost & Found's reports and the All Listings report. One
 * report covers every order line of a period with its status and quantity, for one createReport (1 a minute, burst
 * 15) per marketplace a day; getOrders + getOrderItems would cost a call per order (getOrderItems: 0.5 a second).
 *
 * What counts: every order line whose order and item are not `Cancelled`, pending orders included (a pending
 * order is a buyer's click on Buy: Push wants demand as it happens; one cancelled later is corrected when the
 * last SALES_REREAD_DAYS days are read again). Days are UTC days of `purchase-date`.
 *
 * Stored compactly: one item per tenant × marketplace × SKU with its days that sold (`{"2026-11-30": 4}`; a day
 * not there sold 0), plus a per tenant × marketplace "known until" day. A report is the truth for its whole period:
 * re-reading it replaces the period's days, so nothing is counted twice.
 */
import { ValidationError } from '#shared/kernel/errors.ts';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';
import type { StoredOffer } from './model.ts';
import type { SalesStore, SkuDailySales } from './ports.ts';
import { offerId } from './model.ts';
import type { OwnSalesHistory } from './types.ts';

const DAY_MS = 86_400_000;

/** Amazon's flat-file all-orders report, by order date (one line per order item). */
export const ALL_ORDERS_REPORT = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL';
/** The longest window Push reads: a rule's period up to this; a longer period's rate is extrapolated from it. */
export const SALES_WINDOW_MAX_DAYS = 30;
/** Every daily run reads the last days again, so orders cancelled since (or pending ones confirmed) are counted right. */
export const SALES_REREAD_DAYS = 3;
/** Days kept per SKU (and the item's TTL after its last write): beyond the longest window and the re-read. */
export const SALES_RETENTION_DAYS = SALES_WINDOW_MAX_DAYS + SALES_REREAD_DAYS + 7;
/** Days the offer view shows (`unitsSoldPerDay`). */
export const SALES_VIEW_DAYS = 14;

/** Amazon's `sales-channel` values (lower-cased) → marketplace id; anything else (`Non-Amazon`: MCF orders) is not a sale on a listing. */
const SALES_CHANNELS: Readonly<Record<string, string>> = {
  'amazon.de': MARKETPLACES.DE.id,
  'amazon.fr': MARKETPLACES.FR.id,
  'amazon.co.uk': MARKETPLACES.UK.id,
  'amazon.it': MARKETPLACES.IT.id,
  'amazon.es': MARKETPLACES.ES.id,
  'amazon.nl': MARKETPLACES.NL.id,
  'amazon.pl': MARKETPLACES.PL.id,
  'amazon.se': MARKETPLACES.SE.id,
  'amazon.com.tr': MARKETPLACES.TR.id,
  'amazon.com': MARKETPLACES.US.id,
  'amazon.ca': MARKETPLACES.CA.id,
  'amazon.com.mx': MARKETPLACES.MX.id,
  'amazon.co.jp': MARKETPLACES.JP.id,
};

export function marketplaceOfSalesChannel(channel: string): string | undefined {
  return SALES_CHANNELS[channel.trim().toLowerCase()];
}

/** The columns the parser reads (Amazon's names); `item-status` is read when present. */
export const ALL_ORDERS_REQUIRED_COLUMNS = ['amazon-order-id', 'purchase-date', 'order-status', 'sales-channel', 'sku', 'quantity'] as const;

/** A day as `YYYY-MM-DD` (UTC). */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export interface SkippedOrderLine {
  readonly line: number;
  readonly reason: string;
}

export interface ParsedOrders {
  /** Units per `<marketplaceId>|<sku>` per day; a SKU × day whose lines were all cancelled is there with 0. */
  readonly units: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly orderLines: number;
  readonly cancelledLines: number;
  /** Lines not sold on an Amazon marketplace we serve (`Non-Amazon`, another channel). */
  readonly otherChannelLines: number;
  readonly skipped: readonly SkippedOrderLine[];
}

/** Reads the report line by line (a downloaded document is never held whole). */
export class AllOrdersReportParser {
  private columns: Map<string, number> | undefined;
  private lineNumber = 0;
  private orderLines = 0;
  private cancelledLines = 0;
  private otherChannelLines = 0;
  private readonly skipped: SkippedOrderLine[] = [];
  private readonly units = new Map<string, Map<string, number>>();

  line(raw: string): void {
    this.lineNumber++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    const cells = text.split('\t');
    if (!this.columns) {
      const names = cells.map((c) => c.trim().replace(/^\uFEFF/, '').toLowerCase());
      const missing = ALL_ORDERS_REQUIRED_COLUMNS.filter((c) => !names.includes(c));
      if (missing.length > 0) throw new ValidationError(`all-orders report: missing column(s) ${missing.join(', ')}`, { field: 'report' });
      this.columns = new Map(names.map((n, i) => [n, i]));
      return;
    }
    const cell = (name: string) => {
      const at = this.columns?.get(name);
      return at === undefined ? '' : (cells[at] ?? '').trim();
    };
    const sku = cell('sku');
    const purchased = Date.parse(cell('purchase-date'));
    const quantityText = cell('quantity');
    const quantity = Number(quantityText);
    if (sku === '' || Number.isNaN(purchased) || !/^\d{1,9}$/.test(quantityText)) {
      this.skipped.push({ line: this.lineNumber, reason: `needs a sku, a purchase-date and a whole quantity (got "${sku}", "${cell('purchase-date')}", "${cell('quantity')}")` });
      return;
    }
    const marketplaceId = marketplaceOfSalesChannel(cell('sales-channel'));
    if (!marketplaceId) {
      this.otherChannelLines++;
      return;
    }
    this.orderLines++;
    const cancelled = cell('order-status').toLowerCase() === 'cancelled' || cell('item-status').toLowerCase() === 'cancelled';
    if (cancelled) this.cancelledLines++;
    const key = `${marketplaceId}|${sku}`;
    const days = this.units.get(key) ?? new Map<string, number>();
    const day = utcDay(purchased);
    days.set(day, (days.get(day) ?? 0) + (cancelled ? 0 : quantity));
    this.units.set(key, days);
  }

  result(): ParsedOrders {
    return { units: this.units, orderLines: this.orderLines, cancelledLines: this.cancelledLines, otherChannelLines: this.otherChannelLines, skipped: this.skipped };
  }
}

/**
 * The stored items after merging one report's period [fromDay, toDay): the period's days are replaced by what the
 * report says (a SKU absent from it sold 0 then), days older than the retention dropped. Only items that change are
 * returned: the same report read again writes nothing.
 */
export function mergeSalesPeriod(
  previous: readonly SkuDailySales[],
  reported: ReadonlyMap<string, ReadonlyMap<string, number>>,
  marketplaceId: string,
  fromDay: string,
  toDay: string,
): SkuDailySales[] {
  const keepFrom = utcDay(dayMs(toDay) - SALES_RETENTION_DAYS * DAY_MS);
  const bySku = new Map(previous.map((p) => [p.sku, p]));
  for (const key of reported.keys()) {
    const [mkt, ...rest] = key.split('|');
    const sku = rest.join('|');
    if (mkt === marketplaceId && !bySku.has(sku)) bySku.set(sku, { marketplaceId, sku, days: {}, version: 0 });
  }
  const writes: SkuDailySales[] = [];
  for (const [sku, item] of bySku) {
    const days: Record<string, number> = {};
    for (const [day, units] of Object.entries(item.days)) {
      if (day >= keepFrom && (day < fromDay || day >= toDay) && units > 0) days[day] = units;
    }
    for (const [day, units] of reported.get(`${marketplaceId}|${sku}`) ?? []) {
      if (day >= fromDay && day < toDay && day >= keepFrom && units > 0) days[day] = units;
    }
    if (!sameDays(days, item.days)) writes.push({ marketplaceId, sku, days, version: item.version + 1 });
  }
  return writes;
}

function sameDays(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

export interface SalesImportResult {
  readonly orderLines: number;
  readonly cancelledLines: number;
  readonly otherChannelLines: number;
  readonly skipped: readonly SkippedOrderLine[];
  /** SKU items written (0 when the same report is read again). */
  readonly written: number;
}

/**
 * One marketplace's all-orders report for the period [from, to) (whole UTC days), merged into the stored daily
 * units; `report` null: Amazon had no order in the period (it cancels such a report), so every SKU sold 0 then.
 * Idempotent: the period is replaced, never added to.
 */
export async function importSalesReport(
  store: SalesStore,
  input: { readonly tenantId: string; readonly marketplaceId: string; readonly from: Date; readonly to: Date; readonly report: string | AsyncIterable<string> | null },
): Promise<SalesImportResult> {
  const parser = new AllOrdersReportParser();
  if (typeof input.report === 'string') for (const line of input.report.split('\n')) parser.line(line);
  else if (input.report !== null) for await (const line of input.report) parser.line(line);
  const parsed = parser.result();
  const fromDay = utcDay(input.from.getTime());
  const toDay = utcDay(input.to.getTime());
  const previous = await store.listDailySales(input.tenantId, input.marketplaceId);
  const writes = mergeSalesPeriod(previous, parsed.units, input.marketplaceId, fromDay, toDay);
  if (writes.length > 0) await store.putDailySales(input.tenantId, writes, dayMs(toDay) + SALES_RETENTION_DAYS * DAY_MS);
  await store.markKnownUntil(input.tenantId, input.marketplaceId, toDay);
  return { orderLines: parsed.orderLines, cancelledLines: parsed.cancelledLines, otherChannelLines: parsed.otherChannelLines, skipped: parsed.skipped, written: writes.length };
}

/** The days Push reads for a period: whole days, at least 1, at most SALES_WINDOW_MAX_DAYS. */
export function salesWindowDays(periodMs: number): number {
  return Math.min(SALES_WINDOW_MAX_DAYS, Math.max(1, Math.ceil(periodMs / DAY_MS)));
}

/** Units of the `windowDays` days before `knownUntil` (exclusive), as the engine's input. */
export function salesHistoryOf(days: Readonly<Record<string, number>> | undefined, knownUntil: string, windowDays: number): OwnSalesHistory {
  const until = dayMs(knownUntil);
  let units = 0;
  for (let i = 1; i <= windowDays; i++) units += days?.[utcDay(until - i * DAY_MS)] ?? 0;
  return { unitsInWindow: units, windowMs: windowDays * DAY_MS };
}

/** Units per day of the `count` days before `knownUntil`, oldest first (the offer view's `unitsSoldPerDay`). */
export function unitsPerDay(days: Readonly<Record<string, number>> | undefined, knownUntil: string, count = SALES_VIEW_DAYS): { day: string; units: number }[] {
  const until = dayMs(knownUntil);
  const out: { day: string; units: number }[] = [];
  for (let i = count; i >= 1; i--) {
    const day = utcDay(until - i * DAY_MS);
    out.push({ day, units: days?.[day] ?? 0 });
  }
  return out;
}

/** The sales each offer's decision reads: Push offers only (others never look at sales), keyed by `offerId`. */
export async function salesForOffers(store: Pick<SalesStore, 'readSales'>, offers: readonly StoredOffer[]): Promise<Map<string, OwnSalesHistory>> {
  const out = new Map<string, OwnSalesHistory>();
  const push = offers.filter((o) => o.rules.strategy === 'push');
  const byTenant = new Map<string, StoredOffer[]>();
  for (const o of push) byTenant.set(o.tenantId, [...(byTenant.get(o.tenantId) ?? []), o]);
  for (const [tenantId, list] of byTenant) {
    const { skus, knownUntil } = await store.readSales(tenantId, list.map((o) => ({ marketplaceId: o.rules.marketplaceId, sku: o.rules.sku })));
    const days = new Map(skus.map((s) => [`${s.marketplaceId}|${s.sku}`, s.days]));
    for (const o of list) {
      const until = knownUntil.get(o.rules.marketplaceId);
      // No report read yet for the marketplace: no sales data (Push holds), never "sold nothing".
      if (until === undefined) continue;
      out.set(offerId(o), salesHistoryOf(days.get(`${o.rules.marketplaceId}|${o.rules.sku}`), until, salesWindowDays(o.rules.push.periodMs)));
    }
  }
  return out;
}

/** What the offer view shows of an offer's sales: units per day of the last SALES_VIEW_DAYS days, and until when they are known. */
export interface OfferSalesView {
  /** Exclusive day (YYYY-MM-DD): the days before it are counted; null before the first sales report of the marketplace. */
  readonly salesKnownUntil: string | null;
  /** Units per UTC day, oldest first (cancelled orders left out, pending ones in); null when not known. */
  readonly unitsSoldPerDay: readonly { readonly day: string; readonly units: number }[] | null;
}

/** The sales view of each offer (every strategy: a seller looks at sales before choosing Push), keyed by `offerId`. */
export async function salesViewsOf(store: Pick<SalesStore, 'readSales'>, tenantId: string, offers: readonly StoredOffer[]): Promise<Map<string, OfferSalesView>> {
  const out = new Map<string, OfferSalesView>();
  if (offers.length === 0) return out;
  const { skus, knownUntil } = await store.readSales(tenantId, offers.map((o) => ({ marketplaceId: o.rules.marketplaceId, sku: o.rules.sku })));
  const days = new Map(skus.map((s) => [`${s.marketplaceId}|${s.sku}`, s.days]));
  for (const o of offers) {
    const until = knownUntil.get(o.rules.marketplaceId);
    out.set(
      offerId(o),
      until === undefined
        ? { salesKnownUntil: null, unitsSoldPerDay: null }
        : { salesKnownUntil: until, unitsSoldPerDay: unitsPerDay(days.get(`${o.rules.marketplaceId}|${o.rules.sku}`), until) },
    );
  }
  return out;
}
