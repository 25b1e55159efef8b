import type { Currency } from '#shared/kernel/money.ts';
import type { OfferEconomics } from './economics.ts';

/**
 * Types of the pricing core. Two layers:
 * - the edge types (`OfferChangeEvent`, `RepriceDecision`) carry decimal-safe integers plus a currency and are
 *   what notifications, rules files, the CLI and the Lambda exchange;
 * - the hot types (`CompiledOfferRules`, `MarketSnapshot`, `DecisionScratch`) are flat integers and typed arrays
 *   so one decision allocates nothing (see docs/repricer.md, "Performance").
 * All prices are integer minor units (cents); landed price = listing + shipping − points.
 */

export type Audience = 'B2C' | 'B2B';
export type StrategyName = 'buybox' | 'push' | 'fixed';
export type CompetitorFilterName = 'all' | 'fba' | 'merchant' | 'buybox-eligible';
export type FallbackMode = 'keep' | 'max' | 'price';
export type AmazonPolicy = 'compete' | 'hold';
export type DecisionAction = 'raise' | 'lower' | 'hold';
// issue 21 rules: what a rule does with a shared or suppressed Buy Box, and when it matches instead of undercutting
export type BuyBoxSharedPolicy = 'win' | 'share';
export type BuyBoxSuppressedPolicy = 'compete' | 'hold' | 'threshold';
export type MatchPolicy = 'never' | 'amazon' | 'all';

/** Offer flags, one byte per offer in `MarketSnapshot.flags`. */
export const OFFER_FBA = 1;
/** `IsFeaturedMerchant`: the seller is eligible to win the Buy Box. */
export const OFFER_BUYBOX_ELIGIBLE = 2;
export const OFFER_BUYBOX_WINNER = 4;
export const OFFER_PRIME = 8;
export const OFFER_AMAZON_RETAIL = 16;

/** Rating stored for offers whose notification carries no feedback rating: never filtered out as "too low". */
export const RATING_UNKNOWN = 101;

/** Upper bound for any price we accept (in minor units): 10,000,000.00 in a 2-decimal currency. */
export const MAX_PRICE_MINOR = 1_000_000_000;
export const MAX_QUANTITY_TIERS = 5;

export interface QuantityTierRule {
  /** Quantity from which the tier price applies (≥ 2, strictly increasing across tiers). */
  readonly minQuantity: number;
  /** Either a percentage off the base price, in basis points (300 = 3 %) … */
  readonly discountBasisPoints: number;
  /** … or a fixed amount off the base price in minor units. Exactly one of the two is non-zero. */
  readonly discountMinor: number;
}

/** The validated rules of one offer (SKU × marketplace × audience), prices in minor units. */
export interface OfferRules {
  readonly sku: string;
  readonly asin: string;
  readonly marketplaceId: string;
  readonly audience: Audience;
  readonly currency: Currency;
  readonly strategy: StrategyName;
  readonly minMinor: number;
  readonly maxMinor: number;
  /** Undercut / raise step of the Buy Box strategy and the step of the Push strategy. */
  readonly stepMinor: number;
  readonly competitors: CompetitorFilterName;
  readonly excludeSellerIds: readonly string[];
  /** Offers whose positive feedback (0–100 %) is below this are ignored; 0 = no rating filter. */
  readonly minSellerRating: number;
  readonly fallback: FallbackMode;
  /** Used when `fallback` is `price`. */
  readonly fallbackPriceMinor: number;
  /** The price of the `fixed` strategy. */
  readonly fixedPriceMinor: number;
  readonly amazon: AmazonPolicy;
  /** Extra seller ids to treat as Amazon retail (the known retail ids per marketplace are built in). */
  readonly amazonSellerIds: readonly string[];
  readonly dryRun: boolean;
  readonly push: PushRules;
  readonly tiers: readonly QuantityTierRule[];
  // issue 21 economics: min derived from cost, fees and margin (economics.ts)
  /**
   * Present when the rule derives its min instead of giving it. Then `minMinor` is the derived min when the rule
   * gives the fees, else the cost floor (cost and margin with no fees), and each decision derives the real min from
   * the offer's fee estimate (never lower than `minMinor`). Absent on rules with a given min (and stored before).
   */
  readonly economics?: OfferEconomics;
  // issue 21 rules: competitors by fulfilment, feedback count, handling time and origin; stock; Buy Box shared/suppressed; match.
  // Optional: offers stored before issue 21 carry none of them (absent = the default, which changes nothing).
  /** A merchant-fulfilled competitor is compared as if its landed price were this many basis points higher … */
  readonly merchantHandicapBasisPoints?: number;
  /** … or this much higher (minor units); at most one of the two is non-zero. */
  readonly merchantHandicapMinor?: number;
  /** Offers whose seller has fewer ratings than this are ignored (offers without a count are kept); 0 = no filter. */
  readonly minFeedbackCount?: number;
  /** Offers that ship later than this (`ShippingTime.MaximumHours`) are ignored; -1 = no limit. */
  readonly maxHandlingHours?: number;
  /** Offers shipping from these countries (ISO 3166 alpha-2, upper case) are ignored. */
  readonly ignoreShipsFrom?: readonly string[];
  /** At or below this many units of own stock the price moves toward max; -1 = stock is not considered. */
  readonly lowStockUnits?: number;
  /** How far toward max a low stock moves the price, in basis points of the distance (10,000 = to max). */
  readonly lowStockRaiseBasisPoints?: number;
  readonly buyBoxShared?: BuyBoxSharedPolicy;
  readonly buyBoxSuppressed?: BuyBoxSuppressedPolicy;
  readonly match?: MatchPolicy;
}

export interface PushRules {
  /** Units per period the seller wants to sell. */
  readonly targetUnits: number;
  readonly periodMs: number;
  /** ± band around the target inside which the price holds, in basis points (2000 = ±20 %). */
  readonly toleranceBasisPoints: number;
  /** When true the price never rises above one step below the cheapest qualifying competitor. */
  readonly keepBuyBox: boolean;
}

export interface RulesFile {
  readonly sellerId: string;
  readonly offers: readonly OfferRules[];
}

// ---------------------------------------------------------------------------------------------------------
// Market data

/** One offer of a listing as Amazon reports it (normalised from a notification or getItemOffersBatch). */
export interface MarketOffer {
  readonly sellerId: string;
  readonly listingMinor: number;
  readonly shippingMinor: number;
  /** Amazon Points (JP) valued at one minor unit each: 1 point = 1 yen. */
  readonly points: number;
  readonly isFulfilledByAmazon: boolean;
  readonly isBuyBoxWinner: boolean;
  readonly isFeaturedMerchant: boolean;
  readonly isPrime: boolean;
  /** Positive feedback in percent, or undefined when Amazon does not report it. */
  readonly sellerPositiveFeedbackRating: number | undefined;
  readonly feedbackCount: number | undefined;
  readonly subCondition: string;
  /** B2B quantity discount prices of this offer (empty for B2C). */
  readonly quantityDiscounts: readonly { readonly quantityTier: number; readonly listingMinor: number }[];
  // issue 21 rules: optional so stored snapshots and hand-made offers without them still read
  /** `ShippingTime.MaximumHours`: the longest the seller takes to ship. */
  readonly maxHandlingHours?: number;
  /** `ShipsFrom.Country` (ISO 3166 alpha-2). */
  readonly shipsFromCountry?: string;
}

/** The market of one ASIN in one marketplace for one audience at one moment: what a decision reads. */
export interface OfferChangeEvent {
  readonly notificationType: 'ANY_OFFER_CHANGED' | 'B2B_ANY_OFFER_CHANGED';
  /** The seller the notification was sent to. */
  readonly sellerId: string;
  readonly marketplaceId: string;
  readonly asin: string;
  readonly audience: Audience;
  readonly itemCondition: string;
  readonly currency: Currency;
  readonly timeOfOfferChange: Date;
  readonly offers: readonly MarketOffer[];
  /** Landed Buy Box price from the Summary for the item condition (0 when Amazon reports none). */
  readonly summaryBuyBoxLandedMinor: number;
  readonly totalOfferCount: number;
  /*
   * The rest of the Summary, for when the offer that matters is not among `Offers` (Amazon sends at most 20).
   * Optional so snapshots stored before they existed still read; absent or 0 means Amazon reported none.
   */
  /** Seller holding the Buy Box, when the Summary names it (B2B `BuyBoxPrices[].SellerId`). */
  readonly summaryBuyBoxSellerId?: string;
  /** Lowest landed price of the item condition over all fulfilment channels (`LowestPrices`). */
  readonly summaryLowestLandedMinor?: number;
  /** Lowest landed price of the item condition fulfilled by Amazon (`LowestPrices`, FulfillmentChannel Amazon). */
  readonly summaryLowestFbaLandedMinor?: number;
  /** `CompetitivePriceThreshold`: above this landed price Amazon may not feature the offer. */
  readonly competitivePriceThresholdMinor?: number;
  /** `ListPrice` (the manufacturer's list price). */
  readonly listPriceMinor?: number;
  /** Buy Box eligible offers of the item condition (`NumberOfBuyBoxEligibleOffers` / B2B `BuyBoxEligibleOffers`), -1 unknown. */
  readonly buyBoxEligibleOfferCount?: number;
}

/**
 * Struct-of-arrays view of one listing used by the hot path. Built once per event and shared by every
 * offer rule of that ASIN; strategies never allocate while reading it.
 */
export interface MarketSnapshot {
  readonly count: number;
  readonly sellerIds: readonly string[];
  /** `sellerIds` interned to integers (see seller-ids.ts): what the hot loop compares. */
  readonly sellerNumbers: Int32Array;
  readonly listing: Int32Array;
  readonly shipping: Int32Array;
  readonly points: Int32Array;
  /** listing + shipping − points, computed once per snapshot (every rule of the ASIN compares on it). */
  readonly landed: Int32Array;
  /** Packed per offer: OFFER_* flags in bits 0–7, positive feedback percent (or RATING_UNKNOWN) in bits 8–15. */
  readonly attributes: Int32Array;
  /** Landed Buy Box price from the Summary, 0 if unknown. */
  readonly summaryBuyBoxLanded: number;
  /** Interned id of the seller the Summary names as Buy Box winner, 0 if not named. */
  readonly summaryBuyBoxSeller: number;
  /** Lowest landed prices from the Summary (any channel / FBA only), 0 if unknown. */
  readonly summaryLowestLanded: number;
  readonly summaryLowestFbaLanded: number;
  /** Offers on the listing according to the Summary (0 if it does not say): more than `count` means unseen ones. */
  readonly totalOfferCount: number;
  /** Landed price above which a raise is not taken (min of CompetitivePriceThreshold and ListPrice), 0 if none. */
  readonly raiseCapLanded: number;
  /** Which of the two sets `raiseCapLanded`: 1 CompetitivePriceThreshold, 2 ListPrice. */
  readonly raiseCapSource: number;
  // issue 21 rules
  /** `CompetitivePriceThreshold` alone (landed, 0 if none): the price above which an offer without the Buy Box stays unfeatured. */
  readonly competitiveThresholdLanded: number;
  /** Seller feedback count per offer, -1 when Amazon does not report it. */
  readonly feedbackCounts: Int32Array;
  /** `ShippingTime.MaximumHours` per offer, -1 when absent. */
  readonly handlingHours: Int32Array;
  /** `ShipsFrom.Country` per offer as a number (`countryNumber`), 0 when absent. */
  readonly shipsFrom: Int32Array;
}

/** Own sales over a recent window, the input of the Push strategy. */
export interface OwnSalesHistory {
  readonly unitsInWindow: number;
  readonly windowMs: number;
}

// ---------------------------------------------------------------------------------------------------------
// Decision state

/** Where an offer is in the Buy Box cycle (numeric so the hot path compares integers). */
export const Phase = {
  /** Not winning: undercutting the price that wins. */
  Seeking: 0,
  /** Buy Box is ours: raising step by step. */
  Probing: 1,
  /** Buy Box is ours at the learned ceiling (or at max): holding. */
  Holding: 2,
  /** No other offer on the listing: at max. */
  Sole: 3,
  /** No qualifying competitor: fallback price. */
  Fallback: 4,
  /** Push or fixed strategy. */
  Managed: 5,
  /** Amazon retail on the listing and the rule says hold. */
  AmazonHold: 6,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];
export const PHASE_NAMES: Readonly<Record<Phase, string>> = {
  0: 'trying-to-win',
  1: 'probing-up',
  2: 'holding',
  3: 'sole-seller',
  4: 'fallback',
  5: 'managed',
  6: 'amazon-hold',
};

/** Per-offer memory between decisions. Plain integers: cheap to copy, store (DynamoDB) and compare. */
export interface OfferState {
  readonly phase: Phase;
  /** Listing price we pushed and are waiting for Amazon to apply (0 = nothing pending). */
  readonly pendingPriceMinor: number;
  readonly pendingSinceMs: number;
  /** Last listing price that held the Buy Box (0 = unknown). */
  readonly lastWinningPriceMinor: number;
  /** Last listing price at which a raise lost the Buy Box (0 = none). */
  readonly lostAtPriceMinor: number;
  /**
   * What the loss taught: the landed premium over the cheapest qualifying competitor at which the Buy Box was
   * lost, in basis points. Relative, so the ceiling follows the market when competitors move. NO_CEILING if none.
   */
  readonly ceilingPremiumBasisPoints: number;
  readonly ceilingLearnedAtMs: number;
  /** Cheapest competitor landed price when the ceiling was learned: while it stands, the exact lost price is the ceiling. */
  readonly ceilingReferenceLandedMinor: number;
  /** Consecutive raises (step doubles each time) or consecutive failed undercuts (likewise). */
  readonly streak: number;
  /** Cheapest qualifying competitor landed price seen by the last decision: a change resets the streak. */
  readonly referenceLandedMinor: number;
  /** When the price was last changed by a decision (Push strategy waits one period between moves). */
  readonly lastChangeAtMs: number;
}

export const NO_CEILING = 2_000_000_000;

export const INITIAL_OFFER_STATE: OfferState = Object.freeze({
  phase: Phase.Seeking,
  pendingPriceMinor: 0,
  pendingSinceMs: 0,
  lastWinningPriceMinor: 0,
  lostAtPriceMinor: 0,
  ceilingPremiumBasisPoints: NO_CEILING,
  ceilingLearnedAtMs: 0,
  ceilingReferenceLandedMinor: 0,
  streak: 0,
  referenceLandedMinor: 0,
  lastChangeAtMs: 0,
});

// ---------------------------------------------------------------------------------------------------------
// Decisions

export interface TierPrice {
  readonly minQuantity: number;
  readonly priceMinor: number;
}

/** One decision, the edge form (allocated). The hot form is `DecisionScratch`. */
export interface RepriceDecision {
  readonly sku: string;
  readonly asin: string;
  readonly marketplaceId: string;
  readonly audience: Audience;
  readonly strategy: StrategyName;
  readonly currency: Currency;
  /** Our listing price in the market data, null if our offer is not among the offers. */
  readonly currentPriceMinor: number | null;
  readonly newPriceMinor: number;
  readonly tiers: readonly TierPrice[];
  readonly action: DecisionAction;
  readonly reasonCode: ReasonCodeName;
  readonly reasonParams: readonly [number, number, number];
  /** True when the rule is in dry-run mode: the decision is recorded, never pushed. */
  readonly dryRun: boolean;
  readonly amazonOnListing: boolean;
  readonly ownOfferMissing: boolean;
  readonly nextState: OfferState;
}

export const ReasonCode = {
  SoleSeller: 1,
  FallbackKeep: 2,
  FallbackMax: 3,
  FallbackPrice: 4,
  AmazonHold: 5,
  AwaitingPrice: 6,
  UndercutBuyBox: 7,
  UndercutLowest: 8,
  LowerStillLosing: 9,
  AtMinCannotWin: 10,
  RaiseToBelowNext: 11,
  RaiseProbing: 12,
  HoldAtCeiling: 13,
  HoldAtMax: 14,
  RevertAfterLoss: 15,
  PushRaise: 16,
  PushLower: 17,
  PushOnTarget: 18,
  PushCooldown: 19,
  PushBuyBoxGuard: 20,
  Fixed: 21,
  PushNoSalesData: 22,
  /** A raise stopped at Amazon's CompetitivePriceThreshold or the list price (params: cap landed, price, source). */
  RaiseCapped: 23,
  // issue 21 economics
  /** The min comes from cost, fees and margin, and no fee estimate exists yet: holding (params: cost, current, 0). */
  FeesUnknown: 24,
  /** Cost, fees and margin need a price above max: holding (params: price needed or 0, max, current). */
  MinAboveMax: 25,
  // issue 21 rules
  /** Not holding the Buy Box above CompetitivePriceThreshold: priced at it (params: threshold landed, price). */
  AtCompetitiveThreshold: 26,
  /** Own stock at or below the rule's threshold: moved toward max (params: units, threshold, price). */
  LowStockRaise: 27,
  /** No Buy Box winner on the listing (suppressed) and the rule says hold (params: price). */
  BuyBoxSuppressedHold: 28,
  /** No Buy Box winner on the listing and the rule says price at the threshold (params: threshold landed, price). */
  BuyBoxSuppressedThreshold: 29,
  /** Matching the Buy Box / lowest price instead of undercutting it (params: reference landed, price, 1 = Amazon). */
  MatchPrice: 30,
  /** Already matching and still not winning: holding instead of starting a price war (params: reference landed, price). */
  MatchHold: 31,
} as const;
export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];
export type ReasonCodeName = keyof typeof ReasonCode;

/**
 * Caller-owned output of the hot decision function: plain numeric fields, reused across decisions.
 * `next*` fields are the state after the decision.
 */
export class DecisionScratch {
  newPrice = 0;
  /** 1 raise, −1 lower, 0 hold. */
  action = 0;
  reason: ReasonCode = ReasonCode.Fixed;
  reasonA = 0;
  reasonB = 0;
  reasonC = 0;
  amazonOnListing = false;
  ownOfferMissing = false;
  currentPrice = -1;
  readonly tierPrices = new Int32Array(5);
  tierCount = 0;
  nextPhase: Phase = Phase.Seeking;
  nextPendingPrice = 0;
  nextPendingSinceMs = 0;
  nextLastWinningPrice = 0;
  nextLostAtPrice = 0;
  nextCeilingPremiumBp = NO_CEILING;
  nextCeilingLearnedAtMs = 0;
  nextCeilingReferenceLanded = 0;
  nextStreak = 0;
  nextReferenceLanded = 0;
  nextLastChangeAtMs = 0;
}
