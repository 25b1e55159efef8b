/**
 * The repricer's ports: Amazon (SP-API or the simulated marketplace), the repricer table, the job queue the
 * tick fans out over and the market-change sink. Adapters live in shared/adapters/.
 */
import type { BusinessMetrics } from '#shared/kernel/metrics.ts';
import type { Currency, Money } from '#shared/kernel/money.ts';
import type { CachedSnapshot, DueOffersPage, HistoryEntry, OfferKey, PendingPushRef, RepricerSettings, StoredOffer, TickJob } from './model.ts';
import type { MarketChange } from './market-changes.ts';
import type { Audience, OfferChangeEvent, OfferRules } from './types.ts';
import type { ImportedListing } from './listings-import.ts';
import type { FeeEstimate } from './economics.ts';
import type { MarketHistoryStore } from './market-history.ts';

// ---------------------------------------------------------------------------------------------------------
// Amazon

/** Amazon's getItemOffersBatch takes at most 20 ASINs per request. */
export const MAX_ASINS_PER_SNAPSHOT_REQUEST = 20;

export interface MarketSnapshotRequest {
  /** The seller asking: decides which offer is "ours" in the result. */
  readonly sellerId: string;
  readonly marketplaceId: string;
  readonly audience: Audience;
  /** 1–20 ASINs. */
  readonly asins: readonly string[];
  readonly itemCondition?: string;
}

export type MarketSnapshotResult =
  | { readonly asin: string; readonly ok: true; readonly market: OfferChangeEvent }
  | { readonly asin: string; readonly ok: false; readonly error: string };

export interface QuantityTierPrice {
  /** Quantity from which the price applies (Amazon's `quantity_discount_plan` lower bound). */
  readonly minQuantity: number;
  readonly price: Money;
}

/** One price change for one offer and audience: `purchasable_offer` with audience ALL (B2C) or B2B. */
export interface PriceChange {
  readonly sellerId: string;
  readonly sku: string;
  readonly asin: string;
  readonly marketplaceId: string;
  readonly audience: Audience;
  readonly price: Money;
  /** B2B only, up to 5 tiers. */
  readonly quantityTiers: readonly QuantityTierPrice[];
}

export interface SubmitOptions {
  /** Validate only (SP-API `mode=VALIDATION_PREVIEW`): nothing changes on Amazon. */
  readonly dryRun: boolean;
  /**
   * Submit as one JSON_LISTINGS_FEED per seller and marketplace (the bulk flush): each change comes back
   * `SUBMITTED` with `submissionId` `feed:<feedId>`, and only the feed's processing report (`feedOutcome`) says
   * whether Amazon accepted it. Otherwise one patchListingsItem per change.
   */
  readonly bulk?: boolean;
}

/**
 * `ACCEPTED` (patchListingsItem accepted it, or the feed's report has no error for it), `VALIDATED` (dry run),
 * `SUBMITTED` (in a feed whose processing report is not read yet), `REJECTED` (with Amazon's messages).
 */
export type PriceChangeStatus = 'ACCEPTED' | 'VALIDATED' | 'SUBMITTED' | 'REJECTED';

/** What a feed's processing report says about one message (one SKU). */
export interface FeedMessageResult {
  readonly sku: string;
  readonly accepted: boolean;
  /** Amazon's ERROR issues (`code message`): the message was not applied. */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** A submitted feed: still processing, done with a result per SKU, or failed as a whole (FATAL / CANCELLED). */
export type PriceFeedOutcome =
  | { readonly status: 'IN_PROGRESS' }
  | { readonly status: 'DONE'; readonly results: ReadonlyMap<string, FeedMessageResult> }
  | { readonly status: 'FAILED'; readonly message: string };

/** One message of a submitted feed: its id in the feed document and the SKU it changes. */
export interface FeedMessageRef {
  readonly messageId: number;
  readonly sku: string;
}

/** `feed:<feedId>`: the submissionId of a change that went in a feed. */
export const FEED_SUBMISSION_PREFIX = 'feed:';

export interface PriceChangeResult {
  readonly sku: string;
  readonly marketplaceId: string;
  readonly audience: Audience;
  readonly status: PriceChangeStatus;
  /** Amazon's submission id (patchListingsItem) or the simulator's. */
  readonly submissionId: string;
  /** When Amazon is expected to have applied the price (absent for VALIDATED and REJECTED). */
  readonly expectedEffectiveAt?: Date;
  /** Amazon's errors (REJECTED) or, for an accepted change, nothing. */
  readonly issues: readonly string[];
  /** Amazon's warnings on an accepted change (kept in the history). */
  readonly warnings?: readonly string[];
  /** SUBMITTED only: the change's message id in its feed (what the processing report's issues refer to). */
  readonly feedMessageId?: number;
}

export interface AmazonMarketplace {
  /** Current offers of up to 20 ASINs (throws ValidationError for more). One result per ASIN, in order. */
  getMarketSnapshots(request: MarketSnapshotRequest): Promise<readonly MarketSnapshotResult[]>;
  /** Submits price changes (one result per change, in order); with `dryRun` nothing changes. */
  submitPriceChanges(changes: readonly PriceChange[], options: SubmitOptions): Promise<readonly PriceChangeResult[]>;
  /**
   * Where a submitted feed stands (getFeed → resultFeedDocumentId → processing report), with a result for each
   * of `messages` when it is done; never waits for it.
   */
  feedOutcome(sellerId: string, feedId: string, messages: readonly FeedMessageRef[]): Promise<PriceFeedOutcome>;
}

// ---------------------------------------------------------------------------------------------------------
// The repricer table, the job queue, market changes

export interface RepricerStore {
  getSettings(tenantId: string): Promise<RepricerSettings | undefined>;
  /** Conditional on `settings.version - 1` (0 = create). Also maps the seller id to the tenant. */
  saveSettings(settings: RepricerSettings): Promise<void>;
  tenantOfSeller(sellerId: string): Promise<string | undefined>;
  listOffers(tenantId: string): Promise<StoredOffer[]>;
  offersForListing(tenantId: string, marketplaceId: string, audience: Audience, asin: string): Promise<StoredOffer[]>;
  /** Keys of the active (not paused) offers of a marketplace shard with nextRepriceAt <= dueBefore, earliest first. */
  dueOffers(marketplaceId: string, shard: number, dueBeforeMs: number, limit: number, cursor: string | null): Promise<DueOffersPage>;
  /**
   * The offers of the keys; missing ones are left out, order not kept. Eventually consistent by default (writes are
   * version-conditioned, a stale read only loses its write); `consistent` where a stale read would skip work.
   */
  getOffers(keys: readonly OfferKey[], options?: { readonly consistent?: boolean }): Promise<StoredOffer[]>;
  /** Writes `offer` if the stored version is `offer.version - 1` (or absent when 1); false on a lost race. */
  putOffer(offer: StoredOffer): Promise<boolean>;
  getOffer(tenantId: string, marketplaceId: string, audience: Audience, asin: string, sku: string): Promise<StoredOffer | undefined>;
  getSnapshots(sellerId: string, marketplaceId: string, audience: Audience, asins: readonly string[]): Promise<Map<string, CachedSnapshot>>;
  /** Stores the snapshot unless a newer one (by timeOfOfferChange) is stored; returns the previous one when replaced. */
  putSnapshot(snapshot: CachedSnapshot): Promise<{ stored: boolean; previous: CachedSnapshot | undefined }>;
  /**
   * Pending pushes due for the flush (bulk ones at once, immediate ones left over for a minute), as the `pushes`
   * index holds them (no offer read), oldest first within each shard.
   */
  pendingPushes(nowMs: number, limit: number): Promise<PendingPushRef[]>;
}

/** Price history (R-P4 "every price change with its reason"): its own table, out of the hot offers table. */
export interface PriceHistory {
  append(entries: readonly HistoryEntry[]): Promise<void>;
  /** An offer's rows (all its marketplaces and audiences) between two instants, oldest first, at most `limit`. */
  read(tenantId: string, sku: string, fromMs: number, toMs: number, limit: number): Promise<HistoryEntry[]>;
}

/** A large bulk rule upload stored as a job: its record and its offers in chunks (see rule-imports.ts). */
export interface RuleImportStore {
  /** Writes the job and its chunks (before any chunk is queued). */
  createRuleImport(job: RuleImportJob, chunks: readonly (readonly OfferRules[])[]): Promise<void>;
  getRuleImport(tenantId: string, jobId: string): Promise<RuleImportJob | undefined>;
  /** A chunk's offers, or undefined once the chunk is done (a redelivered message then does nothing). */
  pendingChunk(tenantId: string, jobId: string, chunk: number): Promise<readonly OfferRules[] | undefined>;
  /** Adds the chunk's counts to the job once (one conditional write) and drops its offers; false when it was already counted. */
  completeChunk(tenantId: string, jobId: string, chunk: number, counts: { created: number; updated: number }, atMs: number): Promise<boolean>;
}

export interface RuleImportJob {
  readonly jobId: string;
  readonly tenantId: string;
  readonly sellerId: string;
  readonly offers: number;
  readonly chunks: number;
  readonly chunksDone: number;
  readonly created: number;
  readonly updated: number;
  readonly requestedAtMs: number;
  readonly finishedAtMs?: number;
}

/**
 * The tenant's imported listings (the All Listings report's offers, without a range), in the repricer table.
 * Writes are whole-item puts keyed by marketplace × SKU: the daily import is their only writer.
 */
export interface ImportedListingStore {
  listImportedListings(tenantId: string): Promise<ImportedListing[]>;
  putImportedListings(tenantId: string, listings: readonly ImportedListing[]): Promise<void>;
}

export interface RuleImportQueue {
  enqueue(chunks: readonly { tenantId: string; sellerId: string; jobId: string; chunk: number }[]): Promise<void>;
}

/** One shard tick: the `due` shard of a marketplace a shard-tick Lambda streams into jobs (queue contract shardTickV1). */
export interface ShardTick {
  readonly marketplaceId: string;
  readonly shard: number;
  readonly tickMinutes: number;
  /** The scheduled tick it belongs to (EventBridge Scheduler's time), for the logs. */
  readonly scheduledTime: string;
  /** A continuation: where the previous part of this shard tick stopped (its time budget ran out). */
  readonly resumeFrom?: string;
}

export interface ShardTickSender {
  send(ticks: readonly ShardTick[]): Promise<void>;
}

export interface JobSender {
  /** Sends the jobs (any number; the adapter batches them within the queue's size limits). */
  send(jobs: readonly TickJob[]): Promise<void>;
}

export interface MarketChangeSink {
  publish(changes: readonly MarketChange[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Units sold per day (issue 21 sales: Push on real sales, see sales.ts)

/** One SKU's stored daily units in one marketplace: the days that sold (absent = 0). */
export interface SkuDailySales {
  readonly marketplaceId: string;
  readonly sku: string;
  readonly days: Readonly<Record<string, number>>;
  /** Version-conditioned writes (0 = not stored yet). */
  readonly version: number;
}

/** Where the daily units are kept (the repricer table); one DynamoDB adapter. */
export interface SalesStore {
  /** Every SKU of a tenant's marketplace (what a report's period is merged into). */
  listDailySales(tenantId: string, marketplaceId: string): Promise<SkuDailySales[]>;
  /** Writes each item if its stored version is `version - 1` (absent for 1); throws ConflictError otherwise. */
  putDailySales(tenantId: string, items: readonly SkuDailySales[], expiresAtMs: number): Promise<void>;
  /** Moves the marketplace's "known until" day forward (never back). */
  markKnownUntil(tenantId: string, marketplaceId: string, day: string): Promise<void>;
  /** The SKUs' stored units and each marketplace's "known until" day (undefined: no sales report read yet). */
  readSales(
    tenantId: string,
    keys: readonly { readonly marketplaceId: string; readonly sku: string }[],
  ): Promise<{ readonly skus: readonly SkuDailySales[]; readonly knownUntil: ReadonlyMap<string, string> }>;
}

export interface RepricerDeps {
  readonly store: RepricerStore;
  readonly history: PriceHistory;
  readonly amazon: AmazonMarketplace;
  readonly marketChanges: MarketChangeSink;
  readonly now: () => Date;
  /** Business metrics (`RepricerDecisions`, `PricesPushed`, `PricePushesFailed`); absent where nothing is counted. */
  readonly metrics?: BusinessMetrics;
  // issue 21 economics
  /** Amazon's fee estimates for rules that derive min from cost and margin; absent: such offers keep their last estimate. */
  readonly fees?: FeeEstimates;
  /** Where the notification path records market changes for the what-if (issue 21); absent where nothing is recorded. */
  readonly marketHistory?: MarketHistoryStore;
  /** Units sold per day for the Push strategy; absent: Push decides without sales data (holds). */
  readonly sales?: Pick<SalesStore, 'readSales'>;
  /** Own units in stock for the low-stock rule (issue 21 stock); absent: stock unknown, the rule waits. */
  readonly stock?: Pick<StockStore, 'readStock'>;
}

// ---------------------------------------------------------------------------------------------------------
// issue 21 economics: Amazon's fees (Product Fees API getMyFeesEstimates, or the simulated fee schedule)

/** getMyFeesEstimates takes at most 20 estimate requests per call. */
export const MAX_FEE_ESTIMATES_PER_REQUEST = 20;

export interface FeeEstimateRequest {
  readonly sellerId: string;
  readonly marketplaceId: string;
  readonly sku: string;
  readonly asin: string;
  readonly currency: Currency;
  /** The listing price to estimate at (no shipping charge: FBA offers have none). */
  readonly priceMinor: number;
  readonly fulfilment: 'FBA' | 'MFN';
}

export type FeeEstimateResult = { readonly ok: true; readonly estimate: FeeEstimate } | { readonly ok: false; readonly error: string };

export interface FeeEstimates {
  /**
   * Estimates for 1–20 offers of one seller (one call); one result per request, in order. Throws when the call
   * fails as a whole (quota exhausted, Amazon down): the caller keeps the offers' last estimates.
   */
  estimate(requests: readonly FeeEstimateRequest[]): Promise<readonly FeeEstimateResult[]>;
}

// ---------------------------------------------------------------------------------------------------------
// Own units in stock (issue 21 stock: the low-stock rule on real stock, see stock.ts)

/** Where a SKU's units come from: FBA's fulfillable units (FBA Inventory API) or the merchant's own quantity (All Listings report). */
export type StockSource = 'fba' | 'mfn';

/** One SKU's stored units in one marketplace, as the reading that last changed them said. */
export interface SkuStock {
  readonly marketplaceId: string;
  readonly sku: string;
  readonly units: number;
  readonly source: StockSource;
  /** When the reading that wrote these units was taken (epoch ms). */
  readonly knownAtMs: number;
}

/**
 * A completed reading of one source in one marketplace: every change up to `atMs` is stored, so an item of that
 * source not rewritten since still holds at `atMs`. `fullAtMs`: the last reading of every SKU (not only changes).
 */
export interface StockReadMark {
  readonly marketplaceId: string;
  readonly source: StockSource;
  readonly atMs: number;
  readonly fullAtMs: number;
}

/** Where the units are kept (the repricer table); one DynamoDB adapter. */
export interface StockStore {
  /** Every stored SKU of a tenant's marketplace (what a reading is merged into). */
  listStock(tenantId: string, marketplaceId: string): Promise<SkuStock[]>;
  /** Writes each item unless a newer reading (`knownAtMs`) is stored; `expiresAtMs`: the items' TTL. */
  putStock(tenantId: string, items: readonly SkuStock[], expiresAtMs: number): Promise<void>;
  /** Deletes each item unless a newer reading has written it since. */
  deleteStock(tenantId: string, items: readonly SkuStock[]): Promise<void>;
  /** Moves the marketplace × source mark forward (never back). */
  markStockRead(tenantId: string, mark: StockReadMark): Promise<void>;
  /** The marks of one marketplace (no reading finished yet: none). */
  stockMarks(tenantId: string, marketplaceId: string): Promise<StockReadMark[]>;
  /** The SKUs' stored units and the marks of their marketplaces. */
  readStock(
    tenantId: string,
    keys: readonly { readonly marketplaceId: string; readonly sku: string }[],
  ): Promise<{ readonly skus: readonly SkuStock[]; readonly marks: readonly StockReadMark[] }>;
}

/** One page of FBA Inventory API `getInventorySummaries` (granularity Marketplace), as the stock reading needs it. */
export interface FbaInventoryPage {
  /** Fulfillable units per seller SKU (`inventoryDetails.fulfillableQuantity`). */
  readonly summaries: readonly { readonly sku: string; readonly fulfillableUnits: number }[];
  /** Amazon's `pagination.nextToken` (lives 30 seconds); absent on the last page. */
  readonly nextToken?: string;
}

export interface FbaInventoryApi {
  /**
   * One page of the seller's FBA inventory in a marketplace: every SKU, or (`changedSince`) those changed since then.
   * Throws QuotaExhaustedError on the first page when the seller's quota has no token (nothing sent).
   */
  inventorySummaries(request: {
    readonly sellerId: string;
    readonly marketplaceId: string;
    readonly changedSince?: Date;
    readonly nextToken?: string;
  }): Promise<FbaInventoryPage>;
}

/** One stock reading to make: a tenant's FBA inventory in one marketplace (queue contract stockReadV1). */
export interface StockReadRequest {
  readonly tenantId: string;
  readonly sellerId: string;
  /** Marketplace code (`DE`). */
  readonly marketplace: string;
}

export interface StockReadQueue {
  send(requests: readonly StockReadRequest[]): Promise<void>;
}
