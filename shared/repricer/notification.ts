import * as z from 'zod';
import { ValidationError } from '#shared/kernel/errors.ts';
import { CURRENCY_DECIMALS, formatMinor, parseCurrency } from '#shared/kernel/money.ts';
import type { Currency } from '#shared/kernel/money.ts';
import { isAmazonRetailSeller } from './amazon-retail.ts';
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
 * schemas/notifications/AnyOfferChangedNotification.json and B2bAnyOfferChangedNotification.json):
 *
 *   { NotificationVersion, NotificationType, PayloadVersion, EventTime, NotificationMetadata,
 *     Payload: { AnyOfferChangedNotification | B2BAnyOfferChangedNotification:
 *       { SellerId, OfferChangeTrigger{MarketplaceId, ASIN, ItemCondition, TimeOfOfferChange, OfferChangeType?},
 *         Summary{NumberOfOffers, LowestPrices, BuyBoxPrices, …}, Offers[] } } }
 *
 * The schema requires what a decision needs and accepts (ignores) the rest. Amazon's documents mark some
 * fields required that real messages omit (Points, ShipsFrom, PrimeInformation …): those are optional here.
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
  ListingPrice: moneySchema,
  Shipping: moneySchema.optional(),
  Points: pointsSchema.optional(),
  SellerId: z.string().optional(),
});

export const notificationOfferSchema = z.object({
  SellerId: z.string().min(1),
  SubCondition: z.string(),
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
  Shipping: moneySchema,
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
    ItemCondition: z.string().min(1),
    TimeOfOfferChange: z.iso.datetime({ offset: true }),
    OfferChangeType: z.string().optional(),
  }),
  Summary: z.object({
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
  }),
  Offers: z.array(notificationOfferSchema).max(100),
});
export type OfferChangedBody = z.infer<typeof offerChangedBodySchema>;

export const NOTIFICATION_TYPES = ['ANY_OFFER_CHANGED', 'B2B_ANY_OFFER_CHANGED'] as const;
export type OfferNotificationType = (typeof NOTIFICATION_TYPES)[number];

const envelopeSchema = z.object({
  NotificationVersion: z.string().min(1),
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

/**
 * Parses and validates one notification (the SQS message body, already JSON-decoded) into an
 * `OfferChangeEvent` with integer prices. Throws ValidationError naming the field on any bad input.
 */
export function parseOfferChangedNotification(raw: unknown): OfferChangeEvent {
  const envelope = envelopeSchema.safeParse(raw);
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
  return toOfferChangeEvent(type, body.data, prefix);
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

function toOfferChangeEvent(type: OfferNotificationType, body: OfferChangedBody, prefix: string): OfferChangeEvent {
  const firstOffer = body.Offers[0];
  const currencySource = firstOffer?.ListingPrice.CurrencyCode ?? body.Summary.BuyBoxPrices[0]?.ListingPrice.CurrencyCode;
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
      shippingMinor: amountToMinor(offer.Shipping, currency, `${at}.Shipping`, true),
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
    };
  });
  const condition = body.OfferChangeTrigger.ItemCondition.toLowerCase();
  let summaryBuyBoxLandedMinor = 0;
  body.Summary.BuyBoxPrices.forEach((entry, i) => {
    const at = `${prefix}.Summary.BuyBoxPrices[${i}]`;
    if (entry.Condition.toLowerCase() !== condition) return;
    if (entry.QuantityTier !== undefined && entry.QuantityTier > 1) return;
    const landed = entry.LandedPrice
      ? amountToMinor(entry.LandedPrice, currency, `${at}.LandedPrice`, true)
      : amountToMinor(entry.ListingPrice, currency, `${at}.ListingPrice`, false) +
        (entry.Shipping ? amountToMinor(entry.Shipping, currency, `${at}.Shipping`, true) : 0) -
        (entry.Points?.PointsNumber ?? 0);
    if (summaryBuyBoxLandedMinor === 0 || landed < summaryBuyBoxLandedMinor) summaryBuyBoxLandedMinor = landed;
  });
  const counted = body.Summary.NumberOfOffers.reduce((sum, entry) => sum + entry.OfferCount, 0);
  const audience: Audience = type === 'B2B_ANY_OFFER_CHANGED' ? 'B2B' : 'B2C';
  return {
    notificationType: type,
    sellerId: body.SellerId,
    marketplaceId: body.OfferChangeTrigger.MarketplaceId,
    asin: body.OfferChangeTrigger.ASIN,
    audience,
    itemCondition: body.OfferChangeTrigger.ItemCondition,
    currency,
    timeOfOfferChange: new Date(body.OfferChangeTrigger.TimeOfOfferChange),
    offers,
    summaryBuyBoxLandedMinor,
    totalOfferCount: Math.max(counted, offers.length),
  };
}

/** Lays the offers out as typed arrays for the hot path (built once per event, shared by all rules). */
export function toMarketSnapshot(event: Pick<OfferChangeEvent, 'offers' | 'summaryBuyBoxLandedMinor'>): MarketSnapshot {
  const n = event.offers.length;
  const listing = new Int32Array(n);
  const shipping = new Int32Array(n);
  const points = new Int32Array(n);
  const landed = new Int32Array(n);
  const attributes = new Int32Array(n);
  const sellerIds: string[] = [];
  const sellerNumbers = new Int32Array(n);
  event.offers.forEach((offer, i) => {
    sellerIds.push(offer.sellerId);
    sellerNumbers[i] = internSellerId(offer.sellerId);
    listing[i] = offer.listingMinor;
    shipping[i] = offer.shippingMinor;
    points[i] = offer.points;
    landed[i] = offer.listingMinor + offer.shippingMinor - offer.points;
    const flags =
      (offer.isFulfilledByAmazon ? OFFER_FBA : 0) |
      (offer.isFeaturedMerchant ? OFFER_BUYBOX_ELIGIBLE : 0) |
      (offer.isBuyBoxWinner ? OFFER_BUYBOX_WINNER : 0) |
      (offer.isPrime ? OFFER_PRIME : 0) |
      (isAmazonRetailSeller(offer.sellerId) ? OFFER_AMAZON_RETAIL : 0);
    const rating = offer.sellerPositiveFeedbackRating === undefined ? RATING_UNKNOWN : Math.floor(offer.sellerPositiveFeedbackRating);
    attributes[i] = flags | (rating << 8);
  });
  return { count: n, sellerIds, sellerNumbers, listing, shipping, points, landed, attributes, summaryBuyBoxLanded: event.summaryBuyBoxLandedMinor };
}
