import { CURRENCY_DECIMALS } from '#shared/kernel/money.ts';
import { INITIAL_OFFER_STATE, offerKey, parseOfferChangedNotification, payloadKey, repriceOfferChange } from '#shared/repricer/index.ts';
import type { OfferChangedBody, OfferChangedNotification, OfferState, RulesFile } from '#shared/repricer/index.ts';
import { DEFAULT_AWARD_MODEL, awardBuyBox, isEligible } from './buy-box-award.ts';
import type { AwardOffer } from './buy-box-award.ts';
import { scoreReplayStep, summariseReplay } from './replay-score.ts';
import type { ReplayScore, ReplayStepScore } from './replay-score.ts';

/**
 * The scripted replay market of issue 21 (examples/repricer/replay/): a listing on amazon.de where, step by step,
 * a naive 1-cent undercutter reacts to our price, a seller leaves, a competitor raises, a cheap offer with high
 * shipping arrives, and offers the new competitor rules should ignore come and go (a cross-border seller shipping
 * from China in 10–20 days, a brand-new seller with 4 ratings). Each step the market moves, the Buy Box is awarded
 * by the simulator's judge (`buy-box-award.ts`), a notification in Amazon's format is written, our repricer decides
 * through the use case the CLI and the Lambda run, and our price is live at the next step.
 *
 * `generateReplayMarket` is deterministic: the committed directory is its output (`npx tsx cli/replay-market.ts`).
 */

export const REPLAY_SELLER_ID = 'A2SELLEROPS0DE';
export const REPLAY_MARKETPLACE_ID = 'A1PA6795UKMFR9';
export const REPLAY_ASIN = 'B07XJ8C8F5';
export const REPLAY_SKU = 'KITCHEN-SCALE-01';
const START_MS = Date.parse('2025-03-04T08:00:00Z');
const STEP_MS = 10 * 60_000;
export const REPLAY_STEPS = 60;
/** Amazon's CompetitivePriceThreshold in every Summary of the replay. */
const THRESHOLD_MINOR = 1420;

interface ScriptedOffer {
  readonly sellerId: string;
  listingMinor: number;
  readonly shippingMinor: number;
  readonly fba: boolean;
  readonly rating: number;
  readonly feedbackCount: number;
  readonly handlingHours: readonly [number, number];
  readonly shipsFrom: string;
}

const UNDERCUTTER = 'A2NAIVEUNDERCUT';
const RAISER = 'A1RAISINGFBA001';
const LEAVER = 'A1LEAVINGFBA001';
const HIGH_SHIPPING = 'A3CHEAPHIGHSHIP';
const CROSS_BORDER = 'A4CROSSBORDERCN';
const NEW_SELLER = 'A5BRANDNEWSELLR';

/**
 * The rules the replay is decided with: every issue 21 rule set, the min too: derived from a unit cost of 3.00, the
 * rule's fees (15 % referral, 0.30 minimum, 2.36 fixed) and a 15 % margin with Germany's 19 % VAT in the price.
 */
export const REPLAY_RULES_INPUT = {
  sellerId: REPLAY_SELLER_ID,
  offers: [
    {
      sku: REPLAY_SKU,
      asin: REPLAY_ASIN,
      marketplaceId: REPLAY_MARKETPLACE_ID,
      audience: 'B2C',
      strategy: 'buybox',
      currency: 'EUR',
      max: '15.00',
      step: '0.05',
      competitors: 'all',
      fallback: 'keep',
      amazon: 'compete',
      merchantCheaperBy: '7%',
      minFeedbackCount: 50,
      maxHandlingHours: 72,
      ignoreShipsFrom: ['CN'],
      lowStockUnits: 5,
      lowStockRaisePercent: 50,
      buyBoxShared: 'win',
      buyBoxSuppressed: 'threshold',
      match: 'amazon',
      cost: '3.00',
      margin: '15',
      fees: { referralPercent: '15', referralMinimum: '0.30', fixed: '2.36' },
    },
  ],
} as const;

/** Own stock during the replay (above the low-stock threshold: the rule is set and watching). */
export const REPLAY_STOCK_INPUT = { offers: [{ sku: REPLAY_SKU, marketplaceId: REPLAY_MARKETPLACE_ID, audience: 'B2C', units: 40 }] } as const;

function landedOf(offer: ScriptedOffer): number {
  return offer.listingMinor + offer.shippingMinor;
}

function awardOf(offer: ScriptedOffer): AwardOffer {
  return { landedMinor: landedOf(offer), fba: offer.fba, rating: offer.rating, amazonRetail: false };
}

/** The market's moves before step `step` is notified; `market` holds the offers live now (ours included). */
function moveMarket(step: number, market: ScriptedOffer[]): void {
  const remove = (sellerId: string): void => {
    const i = market.findIndex((o) => o.sellerId === sellerId);
    if (i >= 0) market.splice(i, 1);
  };
  if (step === 5) market.push({ sellerId: CROSS_BORDER, listingMinor: 799, shippingMinor: 0, fba: false, rating: 78, feedbackCount: 120, handlingHours: [240, 480], shipsFrom: 'CN' });
  if (step === 10) market.push({ sellerId: HIGH_SHIPPING, listingMinor: 899, shippingMinor: 499, fba: false, rating: 95, feedbackCount: 410, handlingHours: [24, 48], shipsFrom: 'DE' });
  if (step === 20) market.push({ sellerId: NEW_SELLER, listingMinor: 849, shippingMinor: 0, fba: true, rating: 75, feedbackCount: 4, handlingHours: [0, 24], shipsFrom: 'DE' });
  if (step === 30) remove(LEAVER);
  if (step === 40) remove(NEW_SELLER);
  if (step === 15 || step === 25 || step === 35 || step === 45) {
    const raiser = market.find((o) => o.sellerId === RAISER);
    if (raiser) raiser.listingMinor += 30;
  }
  // The naive undercutter: one cent below the cheapest other Buy Box eligible landed price (the default of most
  // repricers), within its floor and ceiling, whoever that is and whatever it costs it.
  const undercutter = market.find((o) => o.sellerId === UNDERCUTTER);
  if (undercutter) {
    const cheapestOther = Math.min(...market.filter((o) => o !== undercutter && isEligible(DEFAULT_AWARD_MODEL, awardOf(o))).map(landedOf));
    undercutter.listingMinor = Math.min(1450, Math.max(1050, cheapestOther - 1 - undercutter.shippingMinor));
  }
}

function notificationOf(step: number, market: readonly ScriptedOffer[]): OfferChangedNotification {
  const scale = 10 ** CURRENCY_DECIMALS.EUR;
  const money = (minor: number): { Amount: number; CurrencyCode: string } => ({ Amount: minor / scale, CurrencyCode: 'EUR' });
  const at = new Date(START_MS + step * STEP_MS).toISOString();
  const award = awardBuyBox(DEFAULT_AWARD_MODEL, market.map(awardOf));
  const sorted = [...market].sort((a, b) => landedOf(a) - landedOf(b));
  const channel = (o: ScriptedOffer): string => (o.fba ? 'Amazon' : 'Merchant');
  const counts = new Map<string, number>();
  const eligibleCounts = new Map<string, number>();
  const lowest = new Map<string, ScriptedOffer>();
  for (const o of sorted) {
    counts.set(channel(o), (counts.get(channel(o)) ?? 0) + 1);
    if (isEligible(DEFAULT_AWARD_MODEL, awardOf(o))) eligibleCounts.set(channel(o), (eligibleCounts.get(channel(o)) ?? 0) + 1);
    if (!lowest.has(channel(o))) lowest.set(channel(o), o);
  }
  const winner = award.overall >= 0 ? market[award.overall] : undefined;
  const body: OfferChangedBody = {
    SellerId: REPLAY_SELLER_ID,
    OfferChangeTrigger: { MarketplaceId: REPLAY_MARKETPLACE_ID, ASIN: REPLAY_ASIN, ItemCondition: 'new', TimeOfOfferChange: at, OfferChangeType: 'External' },
    Summary: {
      NumberOfOffers: [...counts].map(([c, n]) => ({ Condition: 'new', FulfillmentChannel: c, OfferCount: n })),
      LowestPrices: [...lowest].map(([c, o]) => ({ Condition: 'new', FulfillmentChannel: c, LandedPrice: money(landedOf(o)), ListingPrice: money(o.listingMinor), Shipping: money(o.shippingMinor) })),
      BuyBoxPrices: winner ? [{ Condition: 'new', LandedPrice: money(landedOf(winner)), ListingPrice: money(winner.listingMinor), Shipping: money(winner.shippingMinor) }] : [],
      NumberOfBuyBoxEligibleOffers: [...eligibleCounts].map(([c, n]) => ({ Condition: 'new', FulfillmentChannel: c, OfferCount: n })),
      ListPrice: money(1999),
      CompetitivePriceThreshold: money(THRESHOLD_MINOR),
    },
    Offers: sorted.map((o) => {
      const i = market.indexOf(o);
      return {
        SellerId: o.sellerId,
        SubCondition: 'new',
        SellerFeedbackRating: { FeedbackCount: o.feedbackCount, SellerPositiveFeedbackRating: o.rating },
        ShippingTime: { MinimumHours: o.handlingHours[0], MaximumHours: o.handlingHours[1], AvailabilityType: 'NOW' },
        ListingPrice: money(o.listingMinor),
        Shipping: money(o.shippingMinor),
        ShipsFrom: { Country: o.shipsFrom },
        IsFulfilledByAmazon: o.fba,
        IsBuyBoxWinner: award.overall === i || award.prime === i,
        IsFeaturedMerchant: isEligible(DEFAULT_AWARD_MODEL, awardOf(o)),
        PrimeInformation: { IsOfferPrime: o.fba, IsOfferNationalPrime: o.fba },
        ShipsDomestically: o.shipsFrom === 'DE',
      };
    }),
  };
  return {
    NotificationVersion: '1.0',
    NotificationType: 'ANY_OFFER_CHANGED',
    PayloadVersion: '1.0',
    EventTime: at,
    NotificationMetadata: {
      ApplicationId: 'amzn1.sellerapps.app.sellerops-replay',
      SubscriptionId: 'replay-subscription',
      PublishTime: at,
      NotificationId: `replay-${String(step).padStart(4, '0')}`,
    },
    Payload: { [payloadKey('ANY_OFFER_CHANGED')]: body },
  };
}

export interface ReplayMarket {
  /** One notification per step, oldest first. */
  readonly notifications: readonly OfferChangedNotification[];
  /** Our decided listing price per step. */
  readonly prices: readonly number[];
  readonly score: ReplayScore;
}

/** Runs the scripted market against our repricer with `rules` (the replay's own by default). */
export function generateReplayMarket(rules: RulesFile, stockUnits: number): ReplayMarket {
  const market: ScriptedOffer[] = [
    { sellerId: UNDERCUTTER, listingMinor: 1240, shippingMinor: 0, fba: false, rating: 94, feedbackCount: 870, handlingHours: [24, 48], shipsFrom: 'DE' },
    { sellerId: RAISER, listingMinor: 1220, shippingMinor: 0, fba: true, rating: 96, feedbackCount: 2300, handlingHours: [0, 24], shipsFrom: 'DE' },
    { sellerId: LEAVER, listingMinor: 1190, shippingMinor: 0, fba: true, rating: 99, feedbackCount: 15_000, handlingHours: [0, 24], shipsFrom: 'DE' },
    { sellerId: REPLAY_SELLER_ID, listingMinor: 1249, shippingMinor: 0, fba: true, rating: 98, feedbackCount: 5200, handlingHours: [0, 24], shipsFrom: 'DE' },
  ];
  const ours = market.find((o) => o.sellerId === REPLAY_SELLER_ID)!;
  const rule = rules.offers[0]!;
  const key = offerKey(rule);
  let states = new Map<string, OfferState>([[key, INITIAL_OFFER_STATE]]);
  const notifications: OfferChangedNotification[] = [];
  const prices: number[] = [];
  const steps: ReplayStepScore[] = [];
  for (let step = 0; step < REPLAY_STEPS; step++) {
    moveMarket(step, market);
    const notification = notificationOf(step, market);
    notifications.push(notification);
    const event = parseOfferChangedNotification(notification);
    const result = repriceOfferChange({ event, rules, now: event.timeOfOfferChange, states, stock: new Map([[key, stockUnits]]) });
    states = new Map([...states, ...result.nextStates]);
    const decision = result.decisions[0]!;
    prices.push(decision.newPriceMinor);
    const scored = scoreReplayStep(event, decision.newPriceMinor, rule.maxMinor);
    if (scored) steps.push(scored);
    ours.listingMinor = decision.newPriceMinor; // live before the next step
  }
  return { notifications, prices, score: summariseReplay(steps) };
}
