/**
 * Listings import: the seller's offers as Amazon lists them in its All Listings report
 * (`GET_MERCHANT_LISTINGS_ALL_DATA`) become *imported listings* of the tenant, so a customer never types SKUs
 * and ASINs by hand. An imported listing has no price range: it is shown as "imported — set a min/max to start"
 * and is repriced only once the customer gives it a range through the rules routes (which create the offer).
 *
 * The report's columns (Amazon, "Inventory reports attributes",
 * https://developer-docs.amazon.com/sp-api/docs/inventory-reports-attributes): item-name, item-description,
 * listing-id, seller-sku, price, quantity, open-date, image-url, item-is-marketplace, product-id-type,
 * zshop-shipping-fee, item-note, item-condition, zshop-category1, zshop-browse-path, zshop-storefront-feature,
 * asin1, asin2, asin3, will-ship-internationally, expedited-shipping, zshop-boldface, product-id,
 * bid-for-featured-placement, add-delete, pending-quantity, fulfillment-channel, merchant-shipping-group, status.
 * Columns are found by header name, never by position, so a report with more or fewer columns still reads.
 *
 * Pure: no I/O. The report covers one marketplace (Amazon accepts one marketplace per request), so the
 * marketplace and its currency come from the request, not from the file.
 */
import { parseDecimalToMinor, type Currency } from '#shared/kernel/money.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import { MAX_PRICE_MINOR } from './types.ts';

export const MERCHANT_LISTINGS_REPORT = 'GET_MERCHANT_LISTINGS_ALL_DATA';

/** Columns without which a line cannot become a listing. */
const REQUIRED_COLUMNS = ['seller-sku', 'asin1', 'price', 'status'] as const;

/** Amazon's SKU limit (40 characters); a longer value is not a SKU Amazon made. */
export const MAX_SKU_LENGTH = 40;
const ASIN = /^[A-Z0-9]{10}$/;

/** One listing as the report states it. */
export interface ReportedListing {
  readonly sku: string;
  readonly asin: string;
  readonly title: string;
  /** The listing price in minor units; undefined when the report leaves it empty (a listing without an offer price). */
  readonly priceMinor: number | undefined;
  readonly quantity: number | undefined;
  /** `AMAZON_NA`, `AMAZON_EU`, … for FBA, `DEFAULT` for merchant-fulfilled (as the report says it). */
  readonly fulfillmentChannel: string;
  /** Only `Active` listings are imported as active; `Inactive` and `Incomplete` ones are kept inactive. */
  readonly active: boolean;
}

export interface RejectedLine {
  readonly line: number;
  readonly reason: string;
}

export interface ParsedListingsReport {
  readonly listings: readonly ReportedListing[];
  /** Lines that could not be read (the rest of the report is still imported). */
  readonly rejected: readonly RejectedLine[];
}

/**
 * Reads an All Listings report (tab-separated, header first, `\n` or `\r\n` lines). Throws when the header lacks
 * a required column (not this report); a bad line is rejected alone. A SKU listed twice keeps its first line.
 */
export function parseMerchantListingsReport(text: string, currency: Currency): ParsedListingsReport {
  const parser = new MerchantListingsParser(currency);
  for (const line of text.split('\n')) parser.line(line);
  return parser.result();
}

/**
 * The same reading one line at a time, so a report is parsed as it downloads and never held whole (the lines are
 * decoded by the caller, in the report's charset). Only the listings are kept, not the text.
 */
export class MerchantListingsParser {
  private lineNumber = 0;
  private columns: { sku: number; asin: number; price: number; status: number; title: number; quantity: number; channel: number } | undefined;
  private readonly listings: ReportedListing[] = [];
  private readonly rejected: RejectedLine[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly currency: Currency) {}

  /** One line without its `\n` (a trailing `\r` is dropped). Throws on a header that is not this report's. */
  line(raw: string): void {
    this.lineNumber++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.columns === undefined) {
      const header = line.replace(/^\uFEFF/, '').split('\t').map((name) => name.trim().toLowerCase());
      const column = (name: string) => header.indexOf(name);
      const missing = REQUIRED_COLUMNS.filter((name) => column(name) < 0);
      if (missing.length > 0) throw new ValidationError(`${MERCHANT_LISTINGS_REPORT}: header lacks ${missing.join(', ')}`, { field: 'report' });
      this.columns = {
        sku: column('seller-sku'),
        asin: column('asin1'),
        price: column('price'),
        status: column('status'),
        title: column('item-name'),
        quantity: column('quantity'),
        channel: column('fulfillment-channel'),
      };
      return;
    }
    if (line.trim() === '') return;
    const c = this.columns;
    const fields = line.split('\t');
    const field = (i: number) => (i < 0 ? '' : (fields[i] ?? '').trim());
    const reject = (reason: string) => void this.rejected.push({ line: this.lineNumber, reason });
    const sku = field(c.sku);
    const asin = field(c.asin).toUpperCase();
    if (sku === '' || sku.length > MAX_SKU_LENGTH) return reject(`seller-sku "${sku}" is empty or longer than ${String(MAX_SKU_LENGTH)} characters`);
    if (!ASIN.test(asin)) return reject(`asin1 "${field(c.asin)}" is not an ASIN`);
    if (this.seen.has(sku)) return reject(`seller-sku "${sku}" is listed twice`);
    let priceMinor: number | undefined;
    try {
      priceMinor = field(c.price) === '' ? undefined : parseDecimalToMinor(field(c.price), this.currency, { field: 'price', allowDecimalComma: true });
    } catch (error) {
      return reject((error as Error).message);
    }
    if (priceMinor !== undefined && (priceMinor <= 0 || priceMinor > MAX_PRICE_MINOR)) return reject(`price "${field(c.price)}" is out of range`);
    const quantityText = field(c.quantity);
    const quantity = /^\d+$/.test(quantityText) ? Number(quantityText) : undefined;
    this.seen.add(sku);
    this.listings.push({
      sku,
      asin,
      title: field(c.title),
      priceMinor,
      quantity,
      fulfillmentChannel: field(c.channel),
      active: field(c.status).toLowerCase() === 'active',
    });
  }

  /** The listings and rejected lines; an empty report (no header) is not this report. */
  result(): ParsedListingsReport {
    if (this.columns === undefined) throw new ValidationError(`${MERCHANT_LISTINGS_REPORT}: header lacks ${REQUIRED_COLUMNS.join(', ')}`, { field: 'report' });
    return { listings: this.listings, rejected: this.rejected };
  }
}

/** An imported listing of a tenant, keyed by marketplace × SKU (`GET /repricer/listings` shows these). */
export interface ImportedListing {
  readonly marketplaceId: string;
  readonly sku: string;
  readonly asin: string;
  readonly title: string;
  readonly priceMinor: number | undefined;
  readonly currency: Currency;
  readonly quantity: number | undefined;
  readonly fulfillmentChannel: string;
  /** `active` while the latest report lists it as Active; `inactive` when it says otherwise or no longer lists it. */
  readonly status: 'active' | 'inactive';
  /** The day of the report that last listed it (YYYY-MM-DD). */
  readonly lastSeenDay: string;
}

export interface ListingsImportPlan {
  /** Listings to write (new, changed, or gone inactive); unchanged ones are left out, so a repeat run writes nothing. */
  readonly writes: readonly ImportedListing[];
  /** Reported SKUs the customer already configured as repricer offers: left to the customer's rules. */
  readonly alreadyConfigured: readonly string[];
}

function sameListing(a: ImportedListing, b: ImportedListing): boolean {
  return (
    a.asin === b.asin &&
    a.title === b.title &&
    a.priceMinor === b.priceMinor &&
    a.currency === b.currency &&
    a.quantity === b.quantity &&
    a.fulfillmentChannel === b.fulfillmentChannel &&
    a.status === b.status
  );
}

/**
 * The daily refresh of one marketplace: every reported listing is recorded (a SKU the customer already
 * configured as an offer is never touched: its rules are the customer's), and a listing imported before that the
 * report no longer lists is marked inactive. Idempotent: the same report against the result writes nothing
 * (apart from `lastSeenDay`, which changes only with the day).
 */
export function planListingsImport(
  previous: readonly ImportedListing[],
  reported: readonly ReportedListing[],
  context: { readonly marketplaceId: string; readonly currency: Currency; readonly day: string; readonly isConfigured: (sku: string) => boolean },
): ListingsImportPlan {
  const before = new Map(previous.filter((l) => l.marketplaceId === context.marketplaceId).map((l) => [l.sku, l]));
  const writes: ImportedListing[] = [];
  const alreadyConfigured: string[] = [];
  const listed = new Set<string>();
  for (const r of reported) {
    listed.add(r.sku);
    if (context.isConfigured(r.sku)) {
      alreadyConfigured.push(r.sku);
      continue;
    }
    const next: ImportedListing = {
      marketplaceId: context.marketplaceId,
      sku: r.sku,
      asin: r.asin,
      title: r.title,
      priceMinor: r.priceMinor,
      currency: context.currency,
      quantity: r.quantity,
      fulfillmentChannel: r.fulfillmentChannel,
      status: r.active ? 'active' : 'inactive',
      lastSeenDay: context.day,
    };
    const old = before.get(r.sku);
    if (!old || !sameListing(old, next) || old.lastSeenDay !== context.day) writes.push(next);
  }
  for (const old of before.values()) {
    if (!listed.has(old.sku) && old.status === 'active') writes.push({ ...old, status: 'inactive' });
  }
  return { writes, alreadyConfigured };
}
