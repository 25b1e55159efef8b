/**
 * Recorded market history (issue 21, what-if): the competitor snapshots of a tenant's listings over time, kept
 * compactly so `sellerops simulate` and `POST /repricer/simulations` can replay them. The snapshot cache of the
 * repricer table keeps only the newest snapshot of a listing; this keeps one record per *change* of what a
 * decision reads (offers and Summary), for MARKET_HISTORY_RETENTION_DAYS.
 *
 * The compact form is the same in the history table's `doc` and in an exported history file (one format).
 */
import * as z from 'zod';
import { ValidationError } from '#shared/kernel/errors.ts';
import { parseCurrency, type Currency } from '#shared/kernel/money.ts';
import type { Audience, MarketOffer, OfferChangeEvent } from './types.ts';
import { zodToValidationError } from './validation.ts';

/** How long a market record is kept (DynamoDB TTL): the what-if replays at most this far back. */
export const MARKET_HISTORY_RETENTION_DAYS = 90;

/** Bits of a recorded offer's flags (the order of MarketOffer's booleans). */
const FBA = 1;
const FEATURED = 2;
const WINNER = 4;
const PRIME = 8;

/**
 * One recorded offer: [sellerId, listing, shipping, points, flags, rating, feedbackCount] in minor units;
 * flags 1 FBA, 2 featured (Buy Box eligible), 4 Buy Box winner, 8 Prime; rating and feedbackCount −1 when
 * Amazon did not report them. Arrays, not objects: a listing of 20 offers stays under 1 KB (one write unit).
 */
export type RecordedOffer = readonly [string, number, number, number, number, number, number];

/** The Summary fields a decision reads; absent = Amazon reported none. */
export interface RecordedSummary {
  readonly buyBox?: number;
  readonly buyBoxSeller?: string;
  readonly lowest?: number;
  readonly lowestFba?: number;
  readonly threshold?: number;
  readonly listPrice?: number;
  readonly eligible?: number;
  readonly total?: number;
}

/** One recorded market moment of one listing, as seen by one seller. */
export interface MarketRecord {
  readonly sellerId: string;
  readonly marketplaceId: string;
  readonly asin: string;
  readonly audience: Audience;
  readonly currency: Currency;
  /** TimeOfOfferChange (ISO 8601). */
  readonly at: string;
  readonly offers: readonly RecordedOffer[];
  readonly summary: RecordedSummary;
}

/** Units the seller sold of one offer on one UTC day, as Amazon reports them (Orders API / sales report). */
export interface RecordedSales {
  readonly sku: string;
  readonly marketplaceId: string;
  readonly audience: Audience;
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
  readonly units: number;
  /** Revenue of those units in minor units, when recorded (else the what-if estimates it from the prices). */
  readonly revenueMinor?: number;
}

/** A history as the what-if reads it: the records of the listings, sales per day, and the window they cover. */
export interface MarketHistory {
  readonly sellerId: string;
  /** Where it comes from (shown with the result): e.g. `recorded from the simulated marketplace …`. */
  readonly source: string;
  /** When recording started and ended (ISO): a window before `recordedFrom` has no data. */
  readonly recordedFrom: string;
  readonly recordedTo: string;
  readonly records: readonly MarketRecord[];
  readonly sales: readonly RecordedSales[];
}

export function marketRecordOf(event: OfferChangeEvent): MarketRecord {
  const summary: { -readonly [K in keyof RecordedSummary]: RecordedSummary[K] } = {};
  if (event.summaryBuyBoxLandedMinor > 0) summary.buyBox = event.summaryBuyBoxLandedMinor;
  if (event.summaryBuyBoxSellerId) summary.buyBoxSeller = event.summaryBuyBoxSellerId;
  if (event.summaryLowestLandedMinor) summary.lowest = event.summaryLowestLandedMinor;
  if (event.summaryLowestFbaLandedMinor) summary.lowestFba = event.summaryLowestFbaLandedMinor;
  if (event.competitivePriceThresholdMinor) summary.threshold = event.competitivePriceThresholdMinor;
  if (event.listPriceMinor) summary.listPrice = event.listPriceMinor;
  if (event.buyBoxEligibleOfferCount !== undefined && event.buyBoxEligibleOfferCount >= 0) summary.eligible = event.buyBoxEligibleOfferCount;
  if (event.totalOfferCount > 0) summary.total = event.totalOfferCount;
  return {
    sellerId: event.sellerId,
    marketplaceId: event.marketplaceId,
    asin: event.asin,
    audience: event.audience,
    currency: event.currency,
    at: event.timeOfOfferChange.toISOString(),
    offers: event.offers.map(
      (o): RecordedOffer => [
        o.sellerId,
        o.listingMinor,
        o.shippingMinor,
        o.points,
        (o.isFulfilledByAmazon ? FBA : 0) | (o.isFeaturedMerchant ? FEATURED : 0) | (o.isBuyBoxWinner ? WINNER : 0) | (o.isPrime ? PRIME : 0),
        o.sellerPositiveFeedbackRating ?? -1,
        o.feedbackCount ?? -1,
      ],
    ),
    summary,
  };
}

/** The market event a recorded moment stands for (B2B competitors' quantity tiers are not recorded: no decision reads them). */
export function eventOfRecord(record: MarketRecord): OfferChangeEvent {
  const s = record.summary;
  return {
    notificationType: record.audience === 'B2B' ? 'B2B_ANY_OFFER_CHANGED' : 'ANY_OFFER_CHANGED',
    sellerId: record.sellerId,
    marketplaceId: record.marketplaceId,
    asin: record.asin,
    audience: record.audience,
    itemCondition: 'new',
    currency: record.currency,
    timeOfOfferChange: new Date(record.at),
    offers: record.offers.map(offerOfRecord),
    summaryBuyBoxLandedMinor: s.buyBox ?? 0,
    totalOfferCount: s.total ?? 0,
    ...(s.buyBoxSeller !== undefined ? { summaryBuyBoxSellerId: s.buyBoxSeller } : {}),
    ...(s.lowest !== undefined ? { summaryLowestLandedMinor: s.lowest } : {}),
    ...(s.lowestFba !== undefined ? { summaryLowestFbaLandedMinor: s.lowestFba } : {}),
    ...(s.threshold !== undefined ? { competitivePriceThresholdMinor: s.threshold } : {}),
    ...(s.listPrice !== undefined ? { listPriceMinor: s.listPrice } : {}),
    buyBoxEligibleOfferCount: s.eligible ?? -1,
  };
}

function offerOfRecord([sellerId, listingMinor, shippingMinor, points, flags, rating, feedbackCount]: RecordedOffer): MarketOffer {
  return {
    sellerId,
    listingMinor,
    shippingMinor,
    points,
    isFulfilledByAmazon: (flags & FBA) !== 0,
    isFeaturedMerchant: (flags & FEATURED) !== 0,
    isBuyBoxWinner: (flags & WINNER) !== 0,
    isPrime: (flags & PRIME) !== 0,
    sellerPositiveFeedbackRating: rating < 0 ? undefined : rating,
    feedbackCount: feedbackCount < 0 ? undefined : feedbackCount,
    subCondition: 'new',
    quantityDiscounts: [],
  };
}

/** True when `next` shows the same market as `previous` (offers and Summary; the time aside): nothing to record. */
export function sameMarket(previous: MarketRecord, next: MarketRecord): boolean {
  return JSON.stringify([previous.offers, previous.summary]) === JSON.stringify([next.offers, next.summary]);
}

/** The listing a record belongs to (one partition of the recorded history per tenant and listing). */
export function marketListingKey(r: { marketplaceId: string; audience: Audience; asin: string }): string {
  return `${r.marketplaceId}#${r.audience}#${r.asin}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The exported history file (`sellerops simulate --history <file|dir>`): one JSON document per file, merged.

export const MARKET_HISTORY_FORMAT = 'sellerops-market-history/1';

const minor = z.number().int().min(0).max(1_000_000_000);
const recordedOfferSchema = z.tuple([z.string().min(1).max(40), minor, minor, minor, z.number().int().min(0).max(15), z.number().min(-1).max(100), z.number().int().min(-1)]);
const marketRecordSchema = z.strictObject({
  sellerId: z.string().min(1).max(40),
  marketplaceId: z.string().min(1).max(40),
  asin: z.string().min(1).max(20),
  audience: z.enum(['B2C', 'B2B']),
  currency: z.string(),
  at: z.iso.datetime({ offset: true }),
  offers: z.array(recordedOfferSchema).max(40),
  summary: z.strictObject({
    buyBox: minor.optional(),
    buyBoxSeller: z.string().optional(),
    lowest: minor.optional(),
    lowestFba: minor.optional(),
    threshold: minor.optional(),
    listPrice: minor.optional(),
    eligible: z.number().int().min(0).optional(),
    total: z.number().int().min(0).optional(),
  }),
});
const recordedSalesSchema = z.strictObject({
  sku: z.string().min(1).max(200),
  marketplaceId: z.string().min(1).max(40),
  audience: z.enum(['B2C', 'B2B']),
  day: z.iso.date(),
  units: z.number().int().min(0),
  revenueMinor: minor.optional(),
});
const historyFileSchema = z.strictObject({
  format: z.literal(MARKET_HISTORY_FORMAT),
  sellerId: z.string().min(1).max(40),
  source: z.string().max(500),
  recordedFrom: z.iso.datetime({ offset: true }),
  recordedTo: z.iso.datetime({ offset: true }),
  records: z.array(marketRecordSchema).default([]),
  sales: z.array(recordedSalesSchema).default([]),
});

/** Validates one history file; errors name the field (`records[3].offers[0][1]: …`), prefixed with the file. */
export function parseMarketHistoryFile(raw: unknown, fileName: string): MarketHistory {
  const parsed = historyFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw zodToValidationError(parsed.error, `market history ${fileName}`);
  }
  const file = parsed.data;
  const records = file.records.map((r, i): MarketRecord => {
    if (r.sellerId !== file.sellerId) throw new ValidationError(`${fileName}: records[${i}].sellerId: ${r.sellerId} is not the file's seller ${file.sellerId}`, { field: 'sellerId' });
    return { ...r, currency: parseCurrency(r.currency, `${fileName}: records[${i}].currency`), at: new Date(r.at).toISOString() };
  });
  return { sellerId: file.sellerId, source: file.source, recordedFrom: new Date(file.recordedFrom).toISOString(), recordedTo: new Date(file.recordedTo).toISOString(), records, sales: file.sales };
}

/** Several files of one seller (a directory of exports) as one history. */
export function mergeMarketHistories(histories: readonly MarketHistory[]): MarketHistory {
  const [first] = histories;
  if (!first) throw new ValidationError('history: no history file', { field: 'history' });
  for (const h of histories) {
    if (h.sellerId !== first.sellerId) throw new ValidationError(`history: files of two sellers (${first.sellerId}, ${h.sellerId})`, { field: 'sellerId' });
  }
  return {
    sellerId: first.sellerId,
    source: [...new Set(histories.map((h) => h.source))].join('; '),
    recordedFrom: histories.map((h) => h.recordedFrom).reduce((a, b) => (a < b ? a : b)),
    recordedTo: histories.map((h) => h.recordedTo).reduce((a, b) => (a > b ? a : b)),
    records: histories.flatMap((h) => h.records),
    sales: histories.flatMap((h) => h.sales),
  };
}

/** The file form of a history (what the recording script writes). */
export function marketHistoryToFile(history: MarketHistory): Record<string, unknown> {
  return { format: MARKET_HISTORY_FORMAT, ...history };
}

// ---------------------------------------------------------------------------------------------------------------
// Recording and reading (the port; its adapter: shared/adapters/dynamodb/market-history.ts)

/** The recorded market history of a tenant's listings: append on change, read a window of one listing. */
export interface MarketHistoryStore {
  append(tenantId: string, record: MarketRecord): Promise<void>;
  /**
   * One listing's records with `at` in [fromMs, toMs], oldest first, at most `limit`, preceded by the last record
   * before `fromMs` (the market as it stood when the window opened), if there is one.
   */
  read(tenantId: string, listing: { marketplaceId: string; audience: Audience; asin: string }, fromMs: number, toMs: number, limit: number): Promise<MarketRecord[]>;
}

/**
 * The hook of the notification path: records `event` unless it shows the same market as the snapshot it replaced.
 * Returns whether a record was written.
 */
export async function recordMarketChange(store: MarketHistoryStore, tenantId: string, previous: OfferChangeEvent | undefined, event: OfferChangeEvent): Promise<boolean> {
  const next = marketRecordOf(event);
  if (previous && sameMarket(marketRecordOf(previous), next)) return false;
  await store.append(tenantId, next);
  return true;
}
