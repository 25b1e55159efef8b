/**
 * The use cases of imported listings: the daily import of one marketplace's All Listings report, and the view
 * `GET /repricer/listings` gives the customer. A listing becomes a repriced offer only when the customer sets its
 * range through the rules routes (`PUT /repricer/rules`, `POST /repricer/rules/csv`), which create the offer as
 * usual; until then it is shown as imported, waiting for a min/max.
 */
import { formatMinor, type Currency } from '#shared/kernel/money.ts';
import { MerchantListingsParser, planListingsImport, type RejectedLine } from './listings-import.ts';
import type { ImportedListingStore, RepricerStore, StockStore } from './ports.ts';
import { applyStockReading, merchantStockReading } from './stock.ts';

export interface ListingsImportDeps {
  readonly listings: ImportedListingStore;
  readonly offers: Pick<RepricerStore, 'listOffers'>;
  /** issue 21 stock: where the report's merchant-fulfilled quantities go (the low-stock rule's stock of those offers); absent: not kept. */
  readonly stock?: Pick<StockStore, 'listStock' | 'putStock' | 'deleteStock' | 'markStockRead'>;
}

export interface ListingsImportResult {
  /** Listings the report holds (good lines). */
  readonly reported: number;
  /** Listings written (new, changed, or gone inactive); 0 when the same report is imported again the same day. */
  readonly written: number;
  /** Listings imported before that the report no longer lists, now inactive. */
  readonly deactivated: number;
  /** Reported SKUs the customer already configured as offers (left as they are). */
  readonly alreadyConfigured: number;
  /** Merchant-fulfilled SKUs whose stock was written (new or changed quantity). */
  readonly stockWritten: number;
  readonly rejected: readonly RejectedLine[];
}

/** Imports one marketplace's All Listings report for a tenant (idempotent; see `planListingsImport`). */
export async function importListingsReport(
  deps: ListingsImportDeps,
  /** `report`: the whole text, or its lines as they are read and decoded (a downloaded report is never held whole). */
  input: {
    readonly tenantId: string;
    readonly marketplaceId: string;
    readonly currency: Currency;
    readonly report: string | AsyncIterable<string>;
    readonly day: string;
    /** When the report was read (the merchant stock's reading time); without it no stock is kept. */
    readonly readAt?: Date;
  },
): Promise<ListingsImportResult> {
  const parser = new MerchantListingsParser(input.currency);
  if (typeof input.report === 'string') for (const line of input.report.split('\n')) parser.line(line);
  else for await (const line of input.report) parser.line(line);
  const parsed = parser.result();
  const [previous, offers] = await Promise.all([deps.listings.listImportedListings(input.tenantId), deps.offers.listOffers(input.tenantId)]);
  const configured = new Set(offers.filter((o) => o.rules.marketplaceId === input.marketplaceId).map((o) => o.rules.sku));
  const plan = planListingsImport(previous, parsed.listings, {
    marketplaceId: input.marketplaceId,
    currency: input.currency,
    day: input.day,
    isConfigured: (sku) => configured.has(sku),
  });
  await deps.listings.putImportedListings(input.tenantId, plan.writes);
  // Every listing's quantity, configured offers' too: they are the ones the low-stock rule reads.
  const stock =
    deps.stock && input.readAt
      ? await applyStockReading(deps.stock, input.tenantId, merchantStockReading(parsed.listings, input.marketplaceId, input.readAt.getTime()), input.readAt.getTime())
      : { written: 0 };
  const reportedSkus = new Set(parsed.listings.map((l) => l.sku));
  return {
    reported: parsed.listings.length,
    written: plan.writes.length,
    deactivated: plan.writes.filter((l) => !reportedSkus.has(l.sku)).length,
    alreadyConfigured: plan.alreadyConfigured.length,
    stockWritten: stock.written,
    rejected: parsed.rejected,
  };
}

/** What the customer sees of an imported listing. */
export interface ImportedListingView {
  readonly sku: string;
  readonly asin: string;
  readonly marketplaceId: string;
  readonly title: string;
  /** The listing price Amazon reported, as a decimal string ("24.99"); null when the report had none. */
  readonly price: string | null;
  readonly currency: Currency;
  readonly quantity: number | null;
  readonly fulfillmentChannel: string;
  /** Amazon's listing status as of the last report: `active` or `inactive` (not Active, or no longer listed). */
  readonly listingStatus: 'active' | 'inactive';
  /** `imported`: no range yet, not repriced; `configured`: the customer set a range and it is a repricer offer. */
  readonly repricing: 'imported' | 'configured';
  /** What to do next: "imported — set a min/max to start" for an imported listing, null once configured. */
  readonly hint: string | null;
  readonly lastSeenDay: string;
}

export const IMPORTED_LISTING_HINT = 'imported — set a min/max to start';

/** `GET /repricer/listings`: the tenant's imported listings, marketplace then SKU order. */
export async function listImportedListings(deps: ListingsImportDeps, tenantId: string): Promise<ImportedListingView[]> {
  const [listings, offers] = await Promise.all([deps.listings.listImportedListings(tenantId), deps.offers.listOffers(tenantId)]);
  const configured = new Set(offers.map((o) => `${o.rules.marketplaceId}#${o.rules.sku}`));
  return listings
    .map((l): ImportedListingView => {
      const isConfigured = configured.has(`${l.marketplaceId}#${l.sku}`);
      return {
        sku: l.sku,
        asin: l.asin,
        marketplaceId: l.marketplaceId,
        title: l.title,
        price: l.priceMinor === undefined ? null : formatMinor(l.priceMinor, l.currency),
        currency: l.currency,
        quantity: l.quantity ?? null,
        fulfillmentChannel: l.fulfillmentChannel,
        listingStatus: l.status,
        repricing: isConfigured ? 'configured' : 'imported',
        hint: isConfigured ? null : IMPORTED_LISTING_HINT,
        lastSeenDay: l.lastSeenDay,
      };
    })
    .sort((a, b) => (a.marketplaceId === b.marketplaceId ? a.sku.localeCompare(b.sku) : a.marketplaceId.localeCompare(b.marketplaceId)));
}
