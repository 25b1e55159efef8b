import * as z from 'zod';
import { ValidationError } from '#shared/kernel/errors.ts';
import { CURRENCY_DECIMALS, formatMinor, parseCurrency } from '#shared/kernel/money.ts';
import type { Currency } from '#shared/kernel/money.ts';
import { isAmazonRetailSeller } from './amazon-retail.ts';
import { countryNumber } from './competitor-rules.ts';
import { internSellerId } from './seller-ids.ts';
import {
  MAX_PRICE_MINOR,
  OFFER_AMAZON_RETAIL,
  OFFER_BUYBOX_ELIGIBLE,
  OFFER_BUYBOX_WINNER,
  OFFER_FBA,
  OFFER_PRIME,
  RATING_UNKNOWN,
} from './types.ts';
import type { Audience, MarketOffer, MarketSnapshot, OfferChangeEvent } from './types.ts';
import { zodToValidationError } from './validation.ts';

/**
 * Amazon SP-API `ANY_OFFER_CHANGED` and `B2B_ANY_OFFER_CHANGED` notifications, as they arrive in the SQS
 * message body. Field names follow Amazon's schemas (amzn/selling-partner-api-models,
 * schemas/notifications/AnyOfferChangedNotification.json and B2bAnyOfferChangedNotification.json, copied into
 * test/fixtures/amazon/ with the commit they came from):
 *
 *   { NotificationVersion, NotificationType, PayloadVersion, EventTime, NotificationMetadata,
 *     Payload: { AnyOfferChangedNotification | B2BAnyOfferChangedNotification:
 *       { SellerId, OfferChangeTrigger{MarketplaceId, ASIN, ItemCondition, TimeOfOfferChange, OfferChangeType?},
 *         Summary{NumberOfOffers, LowestPrices, BuyBoxPrices, …}, Offers[] } } }
 *
 * The two schemas differ: B2B counts Buy Box eligible offers in `BuyBoxEligibleOffers` (B2C:
 * `NumberOfBuyBoxEligibleOffers`), its Prime flags are `IsPrime`/`IsNationalPrime` (B2C: `IsOfferPrime`/
 * `IsOfferNationalPrime`), and its price entries carry `OfferType`, `QuantityTier` and the winner's `SellerId`.
 * Amazon published the B2B schema in camelCase (`payload.b2bAnyOfferChangedNotification.offerChangeTrigger.asin`)
 * until February 2026 and in PascalCase since: a camelCase document is read with its keys capitalised.
 *
 * The schema requires what a decision needs and accepts (ignores) the rest. Amazon's own sample solutions send
 * messages without NotificationVersion, metadata, Summary, ItemCondition, TimeOfOfferChange or SubCondition:
 * those are optional here (the time falls back to EventTime, then PublishTime, then the time we received it).
 */

const moneySchema = z.object({ Amount: z.number(), CurrencyCode: z.string().min(1) });
const pointsSchema = z.object({ PointsNumber: z.number().int().nonnegative() });
const offerCountSchema = z.object({
  Condition: z.string(),
  FulfillmentChannel: z.string(),
  OfferCount: z.number().int().nonnegative(),
});
const priceEntrySchema = z.object({
  Condition: z.string(),
  FulfillmentChannel: z.string().optional(),
  OfferType: z.string().optional(),
  QuantityTier: z.number().int().optional(),
  DiscountType: z.string().optional(),
  LandedPrice: moneySchema.optional(),
  // Amazon's schema requires it, its sample solutions send a Buy Box price with only LandedPrice.
  ListingPrice: moneySchema.optional(),
  Shipping: moneySchema.optional(),
  Points: pointsSchema.optional(),
  SellerId: z.string().optional(),
});

type PriceEntry = z.infer<typeof priceEntrySchema>;

export const notificationOfferSchema = z.object({
  SellerId: z.string().min(1),
  SubCondition: z.string().default('new'),
  SellerFeedbackRating: z
    .object({
      FeedbackCount: z.number().int().nonnegative().optional(),
      SellerPositiveFeedbackRating: z.number().min(0).max(100).optional(),
    })
    .optional(),
  ShippingTime: z
    .object({
      MinimumHours: z.number().int().optional(),
      MaximumHours: z.number().int().optional(),
      AvailabilityType: z.string().optional(),
      AvailableDate: z.string().optional(),
    })
    .optional(),
  ListingPrice: moneySchema,
  Shipping: moneySchema.optional(),
  Points: pointsSchema.optional(),
  QuantityDiscountPrice: z
    .array(z.object({ QuantityTier: z.number().int().positive(), QuantityDiscountType: z.string(), ListingPrice: moneySchema }))
    .optional(),
  ShipsFrom: z.object({ Country: z.string(), State: z.string().optional() }).optional(),
  IsFulfilledByAmazon: z.boolean(),
  IsBuyBoxWinner: z.boolean().optional(),
  IsFeaturedMerchant: z.boolean().optional(),
  ShipsDomestically: z.boolean().optional(),
  ShipsInternationally: z.boolean().optional(),
  IsExpeditedShippingAvailable: z.boolean().optional(),
  PrimeInformation: z
    .object({
      IsOfferPrime: z.boolean().optional(),
      IsOfferNationalPrime: z.boolean().optional(),
      IsPrime: z.boolean().optional(),
      IsNationalPrime: z.boolean().optional(),
    })
    .optional(),
});
export type NotificationOffer = z.infer<typeof notificationOfferSchema>;

export const offerChangedBodySchema = z.object({
  SellerId: z.string().min(1),
  OfferChangeTrigger: z.object({
    MarketplaceId: z.string().min(1),
    ASIN: z.string().min(1),
    ItemCondition: z.string().min(1).default('new'),
    TimeOfOfferChange: z.iso.datetime({ offset: true }).optional(),
    OfferChangeType: z.string().optional(),
  }),
  Summary: z
    .object({
    NumberOfOffers: z.array(offerCountSchema).default([]),
    LowestPrices: z.array(priceEntrySchema).default([]),
    BuyBoxPrices: z.array(priceEntrySchema).default([]),
    BuyBoxEligibleOffers: z.array(offerCountSchema).optional(),
    NumberOfBuyBoxEligibleOffers: z.array(offerCountSchema).optional(),
    TotalBuyBoxEligibleOffers: z.number().int().optional(),
    ListPrice: moneySchema.optional(),
    CompetitivePriceThreshold: moneySchema.optional(),
    SuggestedLowerPricePlusShipping: moneySchema.optional(),
    MinimumAdvertisedPrice: moneySchema.optional(),
    SalesRankings: z.array(z.object({ ProductCategoryId: z.string(), Rank: z.number().int() })).optional(),
    })
    .default({ NumberOfOffers: [], LowestPrices: [], BuyBoxPrices: [] }),
  Offers: z.array(notificationOfferSchema).max(100),
});
export type OfferChangedBody = z.infer<typeof offerChangedBodySchema>;

export const NOTIFICATION_TYPES = ['ANY_OFFER_CHANGED', 'B2B_ANY_OFFER_CHANGED'] as const;
export type OfferNotificationType = (typeof NOTIFICATION_TYPES)[number];

const envelopeSchema = z.object({
  NotificationVersion: z.string().min(1).optional(),
  NotificationType: z.enum(NOTIFICATION_TYPES),
  PayloadVersion: z.string().optional(),
  EventTime: z.string().optional(),
  NotificationMetadata: z
    .object({
      ApplicationId: z.string().optional(),
      SubscriptionId: z.string().optional(),
      PublishTime: z.string().optional(),
      NotificationId: z.string().optional(),
    })
    .optional(),
  Payload: z.record(z.string(), z.unknown()),
});

/** The wire form, typed (what the simulator emits and a test fixture writes). */
export interface OfferChangedNotification {
  NotificationVersion: string;
  NotificationType: OfferNotificationType;
  PayloadVersion: string;
  EventTime: string;
  NotificationMetadata: { ApplicationId: string; SubscriptionId: string; PublishTime: string; NotificationId: string };
  Payload: { AnyOfferChangedNotification?: OfferChangedBody; B2BAnyOfferChangedNotification?: OfferChangedBody };
}

/** The key under which Amazon puts the body for each notification type. */
export function payloadKey(type: OfferNotificationType): 'AnyOfferChangedNotification' | 'B2BAnyOfferChangedNotification' {
  return type === 'ANY_OFFER_CHANGED' ? 'AnyOfferChangedNotification' : 'B2BAnyOfferChangedNotification';
}

/** camelCase keys whose PascalCase form is not just the first letter capitalised. */
const PASCAL_CASE_EXCEPTIONS: Readonly<Record<string, string>> = {
  asin: 'ASIN',
  b2bAnyOfferChangedNotification: 'B2BAnyOfferChangedNotification',
};

/** Amazon's camelCase B2B documents (schema before February 2026) with their keys in the PascalCase of today's schema. */
function toPascalCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPascalCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const pascal = PASCAL_CASE_EXCEPTIONS[key] ?? (key.length > 0 ? key[0]!.toUpperCase() + key.slice(1) : key);
    out[pascal] = toPascalCaseKeys(inner);
  }
  return out;
}

function isCamelCaseDocument(raw: unknown): boolean {
  return raw !== null && typeof raw === 'object' && !('NotificationType' in raw) && 'notificationType' in raw;
}

export interface ParseOptions {
  /** When the message was received: the decision time of a message that carries no time at all. */
  readonly receivedAt?: Date;
}

/**
 * Parses and validates one notification (the SQS message body, already JSON-decoded) into an
 * `OfferChangeEvent` with integer prices. Throws ValidationError naming the field on any bad input.
 */
export function parseOfferChangedNotification(raw: unknown, options: ParseOptions = {}): OfferChangeEvent {
  const document = isCamelCaseDocument(raw) ? toPascalCaseKeys(raw) : raw;
  const envelope = envelopeSchema.safeParse(document);
  if (!envelope.success) throw zodToValidationError(envelope.error, 'notification');
  const type = envelope.data.NotificationType;
  let key: string = payloadKey(type);
  // Accept the B2B body under the B2C key too: some relays normalise the key.
  if (!(key in envelope.data.Payload) && type === 'B2B_ANY_OFFER_CHANGED' && 'AnyOfferChangedNotification' in envelope.data.Payload) {
    key = 'AnyOfferChangedNotification';
  }
  const prefix = `Payload.${key}`;
  if (!(key in envelope.data.Payload)) {
    throw new ValidationError(`invalid notification: ${prefix}: missing for ${type}`, { field: prefix });
  }
  const body = offerChangedBodySchema.safeParse(envelope.data.Payload[key]);
  if (!body.success) throw zodToValidationError(body.error, 'notification', prefix);
  const at = timeOf(body.data.OfferChangeTrigger.TimeOfOfferChange, envelope.data.EventTime, envelope.data.NotificationMetadata?.PublishTime, options.receivedAt);
  if (at === undefined) {
    const field = `${prefix}.OfferChangeTrigger.TimeOfOfferChange`;
    throw new ValidationError(`invalid notification: ${field}: missing, and the message carries no EventTime or PublishTime either`, { field });
  }
  return toOfferChangeEvent(type, body.data, prefix, at);
}

/** The first valid time of: TimeOfOfferChange (validated by the schema), EventTime, PublishTime, the receive time. */
function timeOf(offerChange: string | undefined, eventTime: string | undefined, publishTime: string | undefined, receivedAt: Date | undefined): Date | undefined {
  for (const text of [offerChange, eventTime, publishTime]) {
    if (text === undefined) continue;
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return receivedAt;
}

interface MoneyInput {
  readonly Amount: number;
  readonly CurrencyCode: string;
}

/** Converts Amazon's decimal `Amount` to minor units: finite, not negative, not absurd, no sub-cent digits. */
function amountToMinor(value: MoneyInput, currency: Currency, field: string, allowZero: boolean): number {
  const code = parseCurrency(value.CurrencyCode, `${field}.CurrencyCode`);
  if (code !== currency) {
    throw new ValidationError(`${field}.CurrencyCode: ${code} differs from the listing currency ${currency}`, {
      field: `${field}.CurrencyCode`,
    });
  }
  const amount = value.Amount;
  const scaled = amount * 10 ** CURRENCY_DECIMALS[currency];
  const minor = Math.round(scaled);
  const amountField = `${field}.Amount`;
  if (!Number.isFinite(amount) || amount < 0) {
    throw new ValidationError(`${amountField}: ${amount} is not a valid price (negative or not a number)`, { field: amountField });
  }
  if (minor > MAX_PRICE_MINOR) {
    throw new ValidationError(`${amountField}: ${amount} is absurdly high (limit ${formatMinor(MAX_PRICE_MINOR, currency)})`, {
      field: amountField,
    });
  }
  if (Math.abs(scaled - minor) > 1e-6 * Math.max(1, Math.abs(scaled))) {
    throw new ValidationError(`${amountField}: ${amount} has more decimals than ${currency} allows`, { field: amountField });
  }
  if (!allowZero && minor === 0) {
    throw new ValidationError(`${amountField}: a listing price must be positive`, { field: amountField });
  }
  return minor;
}

function toOfferChangeEvent(type: OfferNotificationType, body: OfferChangedBody, prefix: string, timeOfOfferChange: Date): OfferChangeEvent {
  const firstOffer = body.Offers[0];
  const firstBuyBox = body.Summary.BuyBoxPrices[0];
  const currencySource = firstOffer?.ListingPrice.CurrencyCode ?? (firstBuyBox?.LandedPrice ?? firstBuyBox?.ListingPrice)?.CurrencyCode;
  const currencyField = firstOffer ? `${prefix}.Offers[0].ListingPrice.CurrencyCode` : `${prefix}.Summary.BuyBoxPrices[0].ListingPrice.CurrencyCode`;
  if (currencySource === undefined) {
    // Nothing to price against: an empty listing still parses (Offers: []), but we need its currency from somewhere.
    throw new ValidationError(`${prefix}.Offers: no offers and no Buy Box price, so no currency to price in`, { field: `${prefix}.Offers` });
  }
  const currency = parseCurrency(currencySource, currencyField);
  const offers: MarketOffer[] = body.Offers.map((offer, i) => {
    const at = `${prefix}.Offers[${i}]`;
    const rating = offer.SellerFeedbackRating?.SellerPositiveFeedbackRating;
    return {
      sellerId: offer.SellerId,
      listingMinor: amountToMinor(offer.ListingPrice, currency, `${at}.ListingPrice`, false),
      shippingMinor: offer.Shipping ? amountToMinor(offer.Shipping, currency, `${at}.Shipping`, true) : 0,
      points: offer.Points?.PointsNumber ?? 0,
      isFulfilledByAmazon: offer.IsFulfilledByAmazon,
      isBuyBoxWinner: offer.IsBuyBoxWinner ?? false,
      // Amazon omits IsFeaturedMerchant on some messages; an offer is presumed eligible unless told otherwise.
      isFeaturedMerchant: offer.IsFeaturedMerchant ?? true,
      isPrime: offer.PrimeInformation?.IsOfferPrime ?? offer.PrimeInformation?.IsPrime ?? offer.IsFulfilledByAmazon,
      sellerPositiveFeedbackRating: rating,
      feedbackCount: offer.SellerFeedbackRating?.FeedbackCount,
      subCondition: offer.SubCondition,
      quantityDiscounts: (offer.QuantityDiscountPrice ?? []).map((tier, k) => ({
        quantityTier: tier.QuantityTier,
        listingMinor: amountToMinor(tier.ListingPrice, currency, `${at}.QuantityDiscountPrice[${k}].ListingPrice`, false),
      })),
      ...(offer.ShippingTime?.MaximumHours === undefined ? {} : { maxHandlingHours: offer.ShippingTime.MaximumHours }),
      ...(offer.ShipsFrom === undefined ? {} : { shipsFromCountry: offer.ShipsFrom.Country }),
    };
  });
  const condition = body.OfferChangeTrigger.ItemCondition.toLowerCase();
  const summary = body.Summary;
  /** The single-unit landed price of a Summary entry for the item condition, or 0 for another condition / a quantity tier. */
  const landedOf = (entry: PriceEntry, at: string): number => {
    if (entry.Condition.toLowerCase() !== condition) return 0;
    if (entry.QuantityTier !== undefined && entry.QuantityTier > 1) return 0;
    if (entry.LandedPrice) return amountToMinor(entry.LandedPrice, currency, `${at}.LandedPrice`, true);
    if (!entry.ListingPrice) throw new ValidationError(`${at}: neither LandedPrice nor ListingPrice`, { field: at });
    const landed =
      amountToMinor(entry.ListingPrice, currency, `${at}.ListingPrice`, false) +
      (entry.Shipping ? amountToMinor(entry.Shipping, currency, `${at}.Shipping`, true) : 0) -
      (entry.Points?.PointsNumber ?? 0);
    return landed > 0 ? landed : 0;
  };
  let summaryBuyBoxLandedMinor = 0;
  let summaryBuyBoxSellerId: string | undefined;
  summary.BuyBoxPrices.forEach((entry, i) => {
    const landed = landedOf(entry, `${prefix}.Summary.BuyBoxPrices[${i}]`);
    if (landed === 0) return;
    if (summaryBuyBoxLandedMinor === 0 || landed < summaryBuyBoxLandedMinor) {
      summaryBuyBoxLandedMinor = landed;
      summaryBuyBoxSellerId = entry.SellerId;
    }
  });
  let summaryLowestLandedMinor = 0;
  let summaryLowestFbaLandedMinor = 0;
  summary.LowestPrices.forEach((entry, i) => {
    const landed = landedOf(entry, `${prefix}.Summary.LowestPrices[${i}]`);
    if (landed === 0) return;
    if (summaryLowestLandedMinor === 0 || landed < summaryLowestLandedMinor) summaryLowestLandedMinor = landed;
    if (entry.FulfillmentChannel === 'Amazon' && (summaryLowestFbaLandedMinor === 0 || landed < summaryLowestFbaLandedMinor)) summaryLowestFbaLandedMinor = landed;
  });
  const eligibleCounts = summary.NumberOfBuyBoxEligibleOffers ?? summary.BuyBoxEligibleOffers;
  const buyBoxEligibleOfferCount = eligibleCounts
    ? eligibleCounts.reduce((sum, entry) => sum + (entry.Condition.toLowerCase() === condition ? entry.OfferCount : 0), 0)
    : -1;
  const counted = summary.NumberOfOffers.reduce((sum, entry) => sum + (entry.Condition.toLowerCase() === condition ? entry.OfferCount : 0), 0);
  const audience: Audience = type === 'B2B_ANY_OFFER_CHANGED' ? 'B2B' : 'B2C';
  const optionalMinor = (value: MoneyInput | undefined, field: string): number => (value ? amountToMinor(value, currency, `${prefix}.Summary.${field}`, true) : 0);
  return {
    notificationType: type,
    sellerId: body.SellerId,
    marketplaceId: body.OfferChangeTrigger.MarketplaceId,
    asin: body.OfferChangeTrigger.ASIN,
    audience,
    itemCondition: body.OfferChangeTrigger.ItemCondition,
    currency,
    timeOfOfferChange,
    offers,
    summaryBuyBoxLandedMinor,
    totalOfferCount: Math.max(counted, offers.length),
    ...(summaryBuyBoxSellerId === undefined ? {} : { summaryBuyBoxSellerId }),
    summaryLowestLandedMinor,
    summaryLowestFbaLandedMinor,
    competitivePriceThresholdMinor: optionalMinor(summary.CompetitivePriceThreshold, 'CompetitivePriceThreshold'),
    listPriceMinor: optionalMinor(summary.ListPrice, 'ListPrice'),
    buyBoxEligibleOfferCount,
  };
}

type SnapshotInput = Pick<OfferChangeEvent, 'offers' | 'summaryBuyBoxLandedMinor'> &
  Partial<
    Pick<
      OfferChangeEvent,
      'totalOfferCount' | 'summaryBuyBoxSellerId' | 'summaryLowestLandedMinor' | 'summaryLowestFbaLandedMinor' | 'competitivePriceThresholdMinor' | 'listPriceMinor'
    >
  >;

/** Lays the offers out as typed arrays for the hot path (built once per event, shared by all rules). */
export function toMarketSnapshot(event: SnapshotInput): MarketSnapshot {
  const n = event.offers.length;
  const listing = new Int32Array(n);
  const shipping = new Int32Array(n);
  const points = new Int32Array(n);
  const landed = new Int32Array(n);
  const attributes = new Int32Array(n);
  const sellerIds: string[] = [];
  const sellerNumbers = new Int32Array(n);
  const feedbackCounts = new Int32Array(n);
  const handlingHours = new Int32Array(n);
  const shipsFrom = new Int32Array(n);
  event.offers.forEach((offer, i) => {
    feedbackCounts[i] = offer.feedbackCount ?? -1;
    handlingHours[i] = offer.maxHandlingHours ?? -1;
    shipsFrom[i] = countryNumber(offer.shipsFromCountry);
    sellerIds.push(offer.sellerId);
    sellerNumbers[i] = internSellerId(offer.sellerId);
    listing[i] = offer.listingMinor;
    shipping[i] = offer.shippingMinor;
    points[i] = offer.points;
    // Points lower what the buyer pays, never below nothing (Amazon's own examples carry more points than price).
    const paid = offer.listingMinor + offer.shippingMinor - offer.points;
    landed[i] = paid > 0 ? paid : 0;
    const flags =
      (offer.isFulfilledByAmazon ? OFFER_FBA : 0) |
      (offer.isFeaturedMerchant ? OFFER_BUYBOX_ELIGIBLE : 0) |
      (offer.isBuyBoxWinner ? OFFER_BUYBOX_WINNER : 0) |
      (offer.isPrime ? OFFER_PRIME : 0) |
      (isAmazonRetailSeller(offer.sellerId) ? OFFER_AMAZON_RETAIL : 0);
    const rating = offer.sellerPositiveFeedbackRating === undefined ? RATING_UNKNOWN : Math.floor(offer.sellerPositiveFeedbackRating);
    attributes[i] = flags | (rating << 8);
  });
  const threshold = event.competitivePriceThresholdMinor ?? 0;
  const listPrice = event.listPriceMinor ?? 0;
  const capSource = threshold > 0 && (listPrice === 0 || threshold <= listPrice) ? 1 : listPrice > 0 ? 2 : 0;
  return {
    count: n,
    sellerIds,
    sellerNumbers,
    listing,
    shipping,
    points,
    landed,
    attributes,
    summaryBuyBoxLanded: event.summaryBuyBoxLandedMinor,
    summaryBuyBoxSeller: event.summaryBuyBoxSellerId === undefined ? 0 : internSellerId(event.summaryBuyBoxSellerId),
    summaryLowestLanded: event.summaryLowestLandedMinor ?? 0,
    summaryLowestFbaLanded: event.summaryLowestFbaLandedMinor ?? 0,
    totalOfferCount: event.totalOfferCount ?? 0,
    raiseCapLanded: capSource === 1 ? threshold : capSource === 2 ? listPrice : 0,
    raiseCapSource: capSource,
    competitiveThresholdLanded: threshold,
    feedbackCounts,
    handlingHours,
    shipsFrom,
  };
}
