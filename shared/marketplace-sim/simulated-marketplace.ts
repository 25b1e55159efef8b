import { ValidationError } from '#shared/kernel/errors.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { CURRENCY_DECIMALS } from '#shared/kernel/money.ts';
import type { Currency } from '#shared/kernel/money.ts';
import { MAX_ASINS_PER_SNAPSHOT_REQUEST, type AmazonMarketplace, type MarketSnapshotRequest, type MarketSnapshotResult, type PriceChange, type PriceChangeResult, type PriceFeedOutcome, type SubmitOptions, FEED_SUBMISSION_PREFIX, type FeedMessageRef, readProcessingReport, parseOfferChangedNotification, payloadKey, type OfferChangedBody, type OfferChangedNotification, type Audience } from '#shared/repricer/index.ts';
import { DEFAULT_AWARD_MODEL, awardBuyBox, buyBoxShareOf, highestWinningLanded } from './buy-box-award.ts';
import type { Award, AwardModel, AwardOffer } from './buy-box-award.ts';
import { nextCompetitorPrice, reactionWindow, schedulePeriod } from './competitors.ts';
import type { CompetitorBehaviour } from './competitors.ts';
import { Prng } from './prng.ts';

/**
 * A simulated Amazon marketplace behind the `AmazonMarketplace` port: listings with competing offers,
 * competitors that reprice by their own behaviour, a Buy Box award model, demand that depends on the Buy Box
 * price, a 1–2 minute delay before submitted prices apply, and ANY_OFFER_CHANGED / B2B_ANY_OFFER_CHANGED
 * notifications in Amazon's wire format for every offer change.
 *
 * Time comes from the injected Clock: each call first catches the market up to `clock.now()` (minute by
 * minute for sales), so a ManualClock can jump days ahead. Deterministic for a given seed.
 */

const MINUTE_MS = 60_000;

export interface SimOfferSpec {
  readonly sellerId: string;
  readonly sku: string;
  readonly listingMinor: number;
  readonly shippingMinor: number;
  readonly fba: boolean;
  /** Positive feedback, percent. */
  readonly rating: number;
  readonly amazonRetail?: boolean;
  /** Competitors carry a behaviour; the seller under test has none (it reprices through the port). */
  readonly behaviour?: CompetitorBehaviour;
}

export interface DemandModel {
  /** Units per day across the listing when the Buy Box price equals `referencePriceMinor`. */
  readonly unitsPerDayAtReference: number;
  readonly referencePriceMinor: number;
  /** Price elasticity: demand ∝ (reference / price)^elasticity. */
  readonly elasticity: number;
  /** Share of units that go to the Buy Box winner; the rest go to the cheapest other eligible offer. */
  readonly buyBoxUnitShare: number;
}

export const DEFAULT_DEMAND: DemandModel = {
  unitsPerDayAtReference: 60,
  referencePriceMinor: 1200,
  elasticity: 0.8,
  buyBoxUnitShare: 0.9,
};

export interface SimListingSpec {
  readonly marketplaceId: string;
  readonly asin: string;
  readonly audience: Audience;
  readonly currency: Currency;
  readonly offers: readonly SimOfferSpec[];
  readonly demand?: DemandModel;
}

interface SimOffer {
  readonly spec: SimOfferSpec;
  listingMinor: number;
  quantityTiers: { minQuantity: number; listingMinor: number }[];
  reactionScheduled: boolean;
  // statistics (seller under test and competitors alike)
  units: number;
  revenueMinor: number;
  buyBoxShareMinutes: number;
  priceMinutesSum: number;
  /** Units sold per minute, for sales-history queries (minute index → units). */
  readonly salesLog: { atMs: number; units: number }[];
  /** When the offer was listed (its stock counts as changed then: Amazon's inventory reports a new SKU as updated). */
  readonly listedAtMs: number;
}

interface SimListing {
  readonly spec: SimListingSpec;
  readonly offers: SimOffer[];
  readonly demand: DemandModel;
  award: Award;
  minutes: number;
}

type SimEvent =
  | { readonly atMs: number; readonly seq: number; readonly kind: 'apply'; readonly listing: SimListing; readonly offer: SimOffer; readonly priceMinor: number; readonly tiers: { minQuantity: number; listingMinor: number }[] | null }
  | { readonly atMs: number; readonly seq: number; readonly kind: 'react' | 'scheduled'; readonly listing: SimListing; readonly offer: SimOffer };

export interface SimulatedMarketplaceOptions {
  readonly clock: Clock;
  readonly seed: number;
  readonly award?: AwardModel;
  /** Delay before a submitted price is live: uniform in [min, max] ms (Amazon: about 1–2 minutes). */
  readonly priceDelayMs?: readonly [number, number];
  /** How long a JSON_LISTINGS_FEED takes until its processing report is there (default 2 minutes). */
  readonly feedProcessingMs?: number;
}

/** Amazon's JSON_LISTINGS_FEED processing report (schemas/feeds/listings-feed-processing-report-schema-v2.json). */
export interface ListingsFeedProcessingReport {
  readonly header: { readonly sellerId: string; readonly version: '2.0'; readonly feedId: string; readonly report: { readonly includedData: readonly string[]; readonly apiVersion: string } };
  readonly issues: readonly { readonly messageId: number; readonly sku: string; readonly code: string; readonly severity: 'ERROR' | 'WARNING'; readonly message: string }[];
  readonly summary: { readonly errors: number; readonly warnings: number; readonly messagesProcessed: number; readonly messagesAccepted: number; readonly messagesInvalid: number };
}

/** The fault knob's default: what Amazon says when a price is refused (its listings issue code 90244). */
export const SIMULATED_FEED_REJECTION = "90244 The price of 'purchasable_offer' is not accepted for this item: it is outside the allowed price range.";

export interface OfferStats {
  readonly units: number;
  readonly revenueMinor: number;
  readonly minutes: number;
  /** Time-weighted share of Buy Box traffic, 0–1. */
  readonly buyBoxShare: number;
  /** Time-weighted average listing price (minor units). */
  readonly averagePriceMinor: number;
}

/** One simulated order line (what Amazon's all-orders report has a row for). */
export interface SimulatedOrderLine {
  readonly orderId: string;
  readonly purchasedAtMs: number;
  readonly sku: string;
  readonly asin: string;
  readonly quantity: number;
  readonly cancelled: boolean;
  readonly business: boolean;
  readonly fba: boolean;
  readonly currency: Currency;
  /** Listing price × quantity at the time the report is made (the simulator keeps no price per sale). */
  readonly itemPriceMinor: number;
}

/** Units a seller under test has of a SKU in a marketplace until the simulation is told otherwise (`setStock`). */
export const SIMULATED_INITIAL_STOCK = 200;

/** A seller's own stock of one SKU in a marketplace (what Amazon's FBA inventory or the merchant's quantity says). */
export interface SimulatedStock {
  readonly sku: string;
  readonly asin: string;
  readonly fba: boolean;
  readonly units: number;
  /** When the units last changed (a sale, or set). */
  readonly updatedAtMs: number;
}

/** An order id in Amazon's 3-7-7 form, stable for a listing's n-th sale. */
function simulatedOrderId(listing: string, n: number): string {
  let h = 7;
  for (let i = 0; i < listing.length; i++) h = (h * 31 + listing.charCodeAt(i)) >>> 0;
  return `302-${String(h % 10_000_000).padStart(7, '0')}-${String(n).padStart(7, '0')}`;
}

export class SimulatedMarketplace implements AmazonMarketplace {
  private readonly clock: Clock;
  private readonly award: AwardModel;
  private readonly delay: readonly [number, number];
  private readonly random: Prng;
  private readonly demandRandom: Prng;
  private readonly listings = new Map<string, SimListing>();
  private readonly queue: SimEvent[] = [];
  private seq = 0;
  private nowMs: number;
  private nextMinuteMs: number;
  private readonly inbox = new Map<string, OfferChangedNotification[]>();
  private notificationCounter = 0;
  private submissionCounter = 0;
  private feedCounter = 0;
  private readonly feedProcessingMs: number;
  private readonly feeds = new Map<string, { sellerId: string; doneAtMs: number; report: ListingsFeedProcessingReport }>();
  /** The fault knob: SKUs (per seller) whose feed messages Amazon rejects, with the message it gives. */
  private readonly feedRejections = new Map<string, string>();
  /** Stock set per `<sellerId>|<marketplaceId>|<sku>` (units, when); unset: SIMULATED_INITIAL_STOCK since the start. */
  private readonly stockSet = new Map<string, { units: number; atMs: number }>();

  constructor(options: SimulatedMarketplaceOptions) {
    this.clock = options.clock;
    this.award = options.award ?? DEFAULT_AWARD_MODEL;
    this.delay = options.priceDelayMs ?? [60_000, 120_000];
    const root = new Prng(options.seed);
    this.random = root.fork(1);
    this.demandRandom = root.fork(2);
    this.nowMs = this.clock.now().getTime();
    this.nextMinuteMs = this.nowMs + MINUTE_MS;
    this.feedProcessingMs = options.feedProcessingMs ?? 2 * MINUTE_MS;
  }

  static listingKey(marketplaceId: string, asin: string, audience: Audience): string {
    return `${marketplaceId}|${asin}|${audience}`;
  }

  addListing(spec: SimListingSpec): void {
    const key = SimulatedMarketplace.listingKey(spec.marketplaceId, spec.asin, spec.audience);
    if (this.listings.has(key)) throw new ValidationError(`listing ${key} already exists`, { field: 'asin' });
    const offers: SimOffer[] = spec.offers.map((o) => ({
      spec: o,
      listingMinor: o.listingMinor,
      quantityTiers: [],
      reactionScheduled: false,
      units: 0,
      revenueMinor: 0,
      buyBoxShareMinutes: 0,
      priceMinutesSum: 0,
      salesLog: [],
      listedAtMs: this.nowMs,
    }));
    const listing: SimListing = { spec, offers, demand: spec.demand ?? DEFAULT_DEMAND, award: { overall: -1, prime: -1 }, minutes: 0 };
    listing.award = awardBuyBox(this.award, this.awardOffers(listing));
    this.listings.set(key, listing);
    for (const offer of offers) {
      const period = offer.spec.behaviour ? schedulePeriod(offer.spec.behaviour) : null;
      if (period !== null) this.push({ atMs: this.nowMs + period, seq: this.seq++, kind: 'scheduled', listing, offer });
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // The port

  async getMarketSnapshots(request: MarketSnapshotRequest): Promise<readonly MarketSnapshotResult[]> {
    if (request.asins.length === 0 || request.asins.length > MAX_ASINS_PER_SNAPSHOT_REQUEST) {
      throw new ValidationError(`asins: 1 to ${MAX_ASINS_PER_SNAPSHOT_REQUEST} ASINs per request, got ${request.asins.length}`, { field: 'asins' });
    }
    this.sync();
    return request.asins.map((asin): MarketSnapshotResult => {
      const listing = this.listings.get(SimulatedMarketplace.listingKey(request.marketplaceId, asin, request.audience));
      if (!listing) return { asin, ok: false, error: 'no such listing in this marketplace' };
      return { asin, ok: true, market: parseOfferChangedNotification(this.buildNotification(listing, request.sellerId)) };
    });
  }

  async submitPriceChanges(changes: readonly PriceChange[], options: SubmitOptions): Promise<readonly PriceChangeResult[]> {
    this.sync();
    if (options.bulk === true && !options.dryRun) return this.submitFeed(changes);
    return changes.map((change): PriceChangeResult => {
      const base = { sku: change.sku, marketplaceId: change.marketplaceId, audience: change.audience };
      const submissionId = `sim-${++this.submissionCounter}`;
      const listing = this.listings.get(SimulatedMarketplace.listingKey(change.marketplaceId, change.asin, change.audience));
      const offer = listing?.offers.find((o) => o.spec.sellerId === change.sellerId && o.spec.sku === change.sku);
      const issues: string[] = [];
      if (!listing || !offer) issues.push(`no offer for SKU ${change.sku} on ${change.asin}`);
      else if (change.price.currency !== listing.spec.currency) issues.push(`currency ${change.price.currency} is not ${listing.spec.currency}`);
      if (!Number.isSafeInteger(change.price.minor) || change.price.minor <= 0) issues.push('price must be a positive amount');
      if (change.quantityTiers.length > 5) issues.push('at most 5 quantity tiers');
      if (change.quantityTiers.length > 0 && change.audience !== 'B2B') issues.push('quantity tiers are B2B only');
      if (issues.length > 0 || !listing || !offer) return { ...base, status: 'REJECTED', submissionId, issues };
      if (options.dryRun) return { ...base, status: 'VALIDATED', submissionId, issues };
      const atMs = this.nowMs + this.random.int(this.delay[0], this.delay[1]);
      const tiers = change.quantityTiers.map((t) => ({ minQuantity: t.minQuantity, listingMinor: t.price.minor }));
      this.push({ atMs, seq: this.seq++, kind: 'apply', listing, offer, priceMinor: change.price.minor, tiers });
      return { ...base, status: 'ACCEPTED', submissionId, expectedEffectiveAt: new Date(atMs), issues };
    });
  }

  async feedOutcome(sellerId: string, feedId: string, messages: readonly FeedMessageRef[]): Promise<PriceFeedOutcome> {
    this.sync();
    const feed = this.feeds.get(feedId);
    if (!feed || feed.sellerId !== sellerId) return { status: 'FAILED', message: `feed ${feedId} does not exist for seller ${sellerId}` };
    if (this.nowMs < feed.doneAtMs) return { status: 'IN_PROGRESS' };
    return readProcessingReport(feed.report, messages);
  }

  /** JSON_LISTINGS_FEEDs, one per seller and marketplace: every change SUBMITTED; the report decides later. */
  private submitFeed(changes: readonly PriceChange[]): PriceChangeResult[] {
    const groups = new Map<string, PriceChange[]>();
    for (const c of changes) {
      const key = `${c.sellerId}|${c.marketplaceId}`;
      const group = groups.get(key) ?? [];
      group.push(c);
      groups.set(key, group);
    }
    const results = new Map<PriceChange, PriceChangeResult>();
    const doneAtMs = this.nowMs + this.feedProcessingMs;
    for (const group of groups.values()) {
      const feedId = `SIMFEED${(++this.feedCounter).toString().padStart(8, '0')}`;
      const sellerId = group[0]!.sellerId;
      const issues: ListingsFeedProcessingReport['issues'][number][] = [];
      group.forEach((change, k) => {
        const messageId = k + 1;
        const problem = this.feedRejections.get(`${sellerId}|${change.sku}`) ?? this.problemWith(change);
        if (problem !== undefined) {
          const [code, ...words] = problem.split(' ');
          issues.push({ messageId, sku: change.sku, code: code ?? '', severity: 'ERROR', message: words.join(' ') });
        } else {
          // Accepted: live once the feed is processed and Amazon's usual delay has passed.
          const listing = this.listings.get(SimulatedMarketplace.listingKey(change.marketplaceId, change.asin, change.audience))!;
          const offer = listing.offers.find((o) => o.spec.sellerId === change.sellerId && o.spec.sku === change.sku)!;
          const tiers = change.quantityTiers.map((t) => ({ minQuantity: t.minQuantity, listingMinor: t.price.minor }));
          this.push({ atMs: doneAtMs + this.random.int(this.delay[0], this.delay[1]), seq: this.seq++, kind: 'apply', listing, offer, priceMinor: change.price.minor, tiers });
        }
        results.set(change, { sku: change.sku, marketplaceId: change.marketplaceId, audience: change.audience, status: 'SUBMITTED', submissionId: `${FEED_SUBMISSION_PREFIX}${feedId}`, feedMessageId: messageId, issues: [] });
      });
      const invalid = new Set(issues.map((i) => i.messageId)).size;
      this.feeds.set(feedId, {
        sellerId,
        doneAtMs,
        report: {
          header: { sellerId, version: '2.0', feedId, report: { includedData: ['issues'], apiVersion: '2021-08-01' } },
          issues,
          summary: { errors: issues.length, warnings: 0, messagesProcessed: group.length, messagesAccepted: group.length - invalid, messagesInvalid: invalid },
        },
      });
    }
    return changes.map((c) => results.get(c)!);
  }

  /** Why Amazon would refuse this change (`<code> <message>`), or undefined. */
  private problemWith(change: PriceChange): string | undefined {
    const listing = this.listings.get(SimulatedMarketplace.listingKey(change.marketplaceId, change.asin, change.audience));
    const offer = listing?.offers.find((o) => o.spec.sellerId === change.sellerId && o.spec.sku === change.sku);
    if (!listing || !offer) return `90220 The SKU '${change.sku}' has no offer on ${change.asin} in this marketplace.`;
    if (change.price.currency !== listing.spec.currency) return `99022 The currency ${change.price.currency} is not the marketplace currency ${listing.spec.currency}.`;
    if (!Number.isSafeInteger(change.price.minor) || change.price.minor <= 0) return '99022 The price must be a positive amount.';
    if (change.quantityTiers.length > 5) return '99022 At most 5 quantity discount tiers are allowed.';
    if (change.quantityTiers.length > 0 && change.audience !== 'B2B') return '99022 Quantity discounts are for business (B2B) offers only.';
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Simulation controls (local stack, CLI, tests)

  /**
   * The fault knob: Amazon rejects this seller's SKU in every feed from now on with `message` (`<code> <text>`,
   * default SIMULATED_FEED_REJECTION); `null` lifts it.
   */
  rejectSkuInFeeds(sellerId: string, sku: string, message: string | null = SIMULATED_FEED_REJECTION): void {
    const key = `${sellerId}|${sku}`;
    if (message === null) this.feedRejections.delete(key);
    else this.feedRejections.set(key, message);
  }

  /** A submitted feed's processing report in Amazon's shape (undefined until it is processed). */
  processingReport(feedId: string): ListingsFeedProcessingReport | undefined {
    this.sync();
    const feed = this.feeds.get(feedId);
    return feed && this.nowMs >= feed.doneAtMs ? feed.report : undefined;
  }

  /** Catches the market up to the clock. */
  sync(): void {
    const target = this.clock.now().getTime();
    for (;;) {
      const next = this.queue[0];
      const eventAt = next ? next.atMs : Infinity;
      if (this.nextMinuteMs <= target && this.nextMinuteMs <= eventAt) {
        this.nowMs = this.nextMinuteMs;
        this.minuteTick();
        this.nextMinuteMs += MINUTE_MS;
        continue;
      }
      if (next && eventAt <= target) {
        this.pop();
        this.nowMs = eventAt;
        this.handle(next);
        continue;
      }
      break;
    }
    this.nowMs = Math.max(this.nowMs, target);
  }

  /** Notifications queued for a seller since the last call (oldest first). */
  drainNotifications(sellerId: string): OfferChangedNotification[] {
    this.sync();
    const queued = this.inbox.get(sellerId) ?? [];
    this.inbox.set(sellerId, []);
    return queued;
  }

  /** A new offer appears on a listing (a new competitor, Amazon retail starting to sell): every seller is notified. */
  addOffer(marketplaceId: string, asin: string, audience: Audience, spec: SimOfferSpec): void {
    this.sync();
    const listing = this.requireListing(marketplaceId, asin, audience);
    if (listing.offers.some((o) => o.spec.sellerId === spec.sellerId)) throw new ValidationError(`sellerId: ${spec.sellerId} already sells ${asin}`, { field: 'sellerId' });
    const offer: SimOffer = { spec, listingMinor: spec.listingMinor, quantityTiers: [], reactionScheduled: false, units: 0, revenueMinor: 0, buyBoxShareMinutes: 0, priceMinutesSum: 0, salesLog: [], listedAtMs: this.nowMs };
    listing.offers.push(offer);
    const period = spec.behaviour ? schedulePeriod(spec.behaviour) : null;
    if (period !== null) this.push({ atMs: this.nowMs + period, seq: this.seq++, kind: 'scheduled', listing, offer });
    this.changed(listing);
  }

  /** An offer leaves a listing (e.g. Amazon retail stops selling). */
  removeOffer(marketplaceId: string, asin: string, audience: Audience, sellerId: string): void {
    this.sync();
    const listing = this.requireListing(marketplaceId, asin, audience);
    const offer = this.requireOffer(listing, sellerId);
    listing.offers.splice(listing.offers.indexOf(offer), 1);
    this.changed(listing);
  }

  hasListing(marketplaceId: string, asin: string, audience: Audience): boolean {
    return this.listings.has(SimulatedMarketplace.listingKey(marketplaceId, asin, audience));
  }

  /** The sellers under test (offers without a behaviour): whose notifications the local stack relays. */
  sellersUnderTest(): string[] {
    const ids = new Set<string>();
    for (const listing of this.listings.values()) for (const o of listing.offers) if (!o.spec.behaviour) ids.add(o.spec.sellerId);
    return [...ids];
  }

  /** The listing as an ANY_OFFER_CHANGED / B2B_ANY_OFFER_CHANGED notification for `sellerId`, now. */
  currentNotification(marketplaceId: string, asin: string, audience: Audience, sellerId: string): OfferChangedNotification {
    this.sync();
    return this.buildNotification(this.requireListing(marketplaceId, asin, audience), sellerId);
  }

  /** Sets a price with no delay: only for the oracle baseline, which by definition reacts instantly. */
  setPriceImmediately(marketplaceId: string, asin: string, audience: Audience, sellerId: string, priceMinor: number): void {
    const listing = this.requireListing(marketplaceId, asin, audience);
    const offer = this.requireOffer(listing, sellerId);
    if (offer.listingMinor !== priceMinor) {
      offer.listingMinor = priceMinor;
      this.changed(listing);
    }
  }

  /** The highest listing price at which `sellerId` would hold the Buy Box against the offers as they are now. */
  oracleListingPrice(marketplaceId: string, asin: string, audience: Audience, sellerId: string): number {
    const listing = this.requireListing(marketplaceId, asin, audience);
    const self = listing.offers.findIndex((o) => o.spec.sellerId === sellerId);
    const landed = highestWinningLanded(this.award, this.awardOffers(listing), self);
    const shipping = listing.offers[self]?.spec.shippingMinor ?? 0;
    return landed === Infinity ? Infinity : landed - shipping;
  }

  listingPrices(marketplaceId: string, asin: string, audience: Audience): { sellerId: string; listingMinor: number; buyBoxShare: number }[] {
    const listing = this.requireListing(marketplaceId, asin, audience);
    return listing.offers.map((o, i) => ({ sellerId: o.spec.sellerId, listingMinor: o.listingMinor, buyBoxShare: buyBoxShareOf(this.award, listing.award, i) }));
  }

  offerStats(marketplaceId: string, asin: string, audience: Audience, sellerId: string): OfferStats {
    const listing = this.requireListing(marketplaceId, asin, audience);
    const offer = this.requireOffer(listing, sellerId);
    const minutes = listing.minutes;
    return {
      units: offer.units,
      revenueMinor: offer.revenueMinor,
      minutes,
      buyBoxShare: minutes === 0 ? 0 : offer.buyBoxShareMinutes / minutes,
      averagePriceMinor: minutes === 0 ? offer.listingMinor : offer.priceMinutesSum / minutes,
    };
  }

  /** Units `sellerId` sold on the listing since `sinceMs` (for the Push strategy's sales history). */
  unitsSoldSince(marketplaceId: string, asin: string, audience: Audience, sellerId: string, sinceMs: number): number {
    const offer = this.requireOffer(this.requireListing(marketplaceId, asin, audience), sellerId);
    let units = 0;
    for (let i = offer.salesLog.length - 1; i >= 0; i--) {
      const entry = offer.salesLog[i]!;
      if (entry.atMs < sinceMs) break;
      units += entry.units;
    }
    return units;
  }

  /**
   * The seller's order lines in a marketplace purchased in [fromMs, toMs), oldest first: one order per minute a
   * listing sold (its units the quantity). Simulated buyers cancel one order in ten (deterministically), so the
   * all-orders report the local Amazon makes from these has the cancelled lines Push must not count.
   */
  ordersOf(sellerId: string, marketplaceId: string, fromMs: number, toMs: number): SimulatedOrderLine[] {
    this.sync();
    const lines: SimulatedOrderLine[] = [];
    for (const listing of this.listings.values()) {
      if (listing.spec.marketplaceId !== marketplaceId) continue;
      const offer = listing.offers.find((o) => o.spec.sellerId === sellerId);
      if (!offer) continue;
      offer.salesLog.forEach((entry, i) => {
        if (entry.atMs < fromMs || entry.atMs >= toMs) return;
        lines.push({
          orderId: simulatedOrderId(`${listing.spec.marketplaceId}|${listing.spec.asin}|${listing.spec.audience}|${sellerId}`, i),
          purchasedAtMs: entry.atMs,
          sku: offer.spec.sku,
          asin: listing.spec.asin,
          quantity: entry.units,
          cancelled: i % 10 === 9,
          business: listing.spec.audience === 'B2B',
          fba: offer.spec.fba,
          currency: listing.spec.currency,
          itemPriceMinor: offer.listingMinor * entry.units,
        });
      });
    }
    return lines.sort((a, b) => a.purchasedAtMs - b.purchasedAtMs);
  }

  /** Sets the seller's stock of a SKU in a marketplace (a delivery arrived, a count): sales from now on take from it. */
  setStock(sellerId: string, marketplaceId: string, sku: string, units: number): void {
    this.sync();
    this.stockSet.set(`${sellerId}|${marketplaceId}|${sku}`, { units, atMs: this.nowMs });
  }

  /**
   * The seller's stock per SKU in a marketplace (B2C and B2B offers of a SKU share it): what it was set to (or
   * SIMULATED_INITIAL_STOCK) less the units sold since on orders not cancelled (the orders `ordersOf` reports), never below 0.
   */
  inventoryOf(sellerId: string, marketplaceId: string): SimulatedStock[] {
    this.sync();
    const bySku = new Map<string, { asin: string; fba: boolean; sold: number; lastSaleMs: number }>();
    for (const listing of this.listings.values()) {
      if (listing.spec.marketplaceId !== marketplaceId) continue;
      const offer = listing.offers.find((o) => o.spec.sellerId === sellerId);
      if (!offer) continue;
      const set = this.stockSet.get(`${sellerId}|${marketplaceId}|${offer.spec.sku}`);
      const entry = bySku.get(offer.spec.sku) ?? { asin: listing.spec.asin, fba: offer.spec.fba, sold: 0, lastSaleMs: offer.listedAtMs };
      offer.salesLog.forEach((sale, i) => {
        // The simulated buyers cancel one order in ten (see ordersOf): a cancelled order takes nothing from stock.
        if (i % 10 === 9 || sale.atMs < (set?.atMs ?? 0)) return;
        entry.sold += sale.units;
        entry.lastSaleMs = Math.max(entry.lastSaleMs, sale.atMs);
      });
      bySku.set(offer.spec.sku, entry);
    }
    return [...bySku].map(([sku, e]) => {
      const set = this.stockSet.get(`${sellerId}|${marketplaceId}|${sku}`);
      return { sku, asin: e.asin, fba: e.fba, units: Math.max(0, (set?.units ?? SIMULATED_INITIAL_STOCK) - e.sold), updatedAtMs: Math.max(e.lastSaleMs, set?.atMs ?? 0) };
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Internals

  private requireListing(marketplaceId: string, asin: string, audience: Audience): SimListing {
    const listing = this.listings.get(SimulatedMarketplace.listingKey(marketplaceId, asin, audience));
    if (!listing) throw new ValidationError(`asin: no simulated listing ${asin} in ${marketplaceId} (${audience})`, { field: 'asin' });
    return listing;
  }

  private requireOffer(listing: SimListing, sellerId: string): SimOffer {
    const offer = listing.offers.find((o) => o.spec.sellerId === sellerId);
    if (!offer) throw new ValidationError(`sellerId: ${sellerId} has no offer on ${listing.spec.asin}`, { field: 'sellerId' });
    return offer;
  }

  private awardOffers(listing: SimListing): AwardOffer[] {
    return listing.offers.map((o) => ({
      landedMinor: o.listingMinor + o.spec.shippingMinor,
      fba: o.spec.fba,
      rating: o.spec.rating,
      amazonRetail: o.spec.amazonRetail ?? false,
    }));
  }

  private handle(event: SimEvent): void {
    const { listing, offer } = event;
    if (event.kind === 'apply') {
      if (event.tiers) offer.quantityTiers = event.tiers;
      if (offer.listingMinor !== event.priceMinor) {
        offer.listingMinor = event.priceMinor;
        this.changed(listing);
      }
      return;
    }
    const behaviour = offer.spec.behaviour;
    if (!behaviour) return;
    if (event.kind === 'react') offer.reactionScheduled = false;
    else {
      const period = schedulePeriod(behaviour);
      if (period !== null) this.push({ atMs: this.nowMs + period, seq: this.seq++, kind: 'scheduled', listing, offer });
    }
    const self = listing.offers.indexOf(offer);
    let lowestOther = Infinity;
    listing.offers.forEach((o, i) => {
      if (i !== self) lowestOther = Math.min(lowestOther, o.listingMinor + o.spec.shippingMinor);
    });
    const winner = listing.award.overall;
    const otherWinner = winner >= 0 && winner !== self ? listing.offers[winner]! : undefined;
    const next = nextCompetitorPrice(behaviour, {
      ownListingMinor: offer.listingMinor,
      ownShippingMinor: offer.spec.shippingMinor,
      lowestOtherLanded: lowestOther,
      otherWinnerLanded: otherWinner ? otherWinner.listingMinor + otherWinner.spec.shippingMinor : Infinity,
      isWinner: winner === self || listing.award.prime === self,
    });
    if (next !== null) {
      const atMs = this.nowMs + this.random.int(this.delay[0], this.delay[1]);
      this.push({ atMs, seq: this.seq++, kind: 'apply', listing, offer, priceMinor: next, tiers: null });
    }
  }

  /** An offer changed: re-award the Buy Box, notify the sellers, let reactive competitors schedule a look. */
  private changed(listing: SimListing): void {
    listing.award = awardBuyBox(this.award, this.awardOffers(listing));
    for (const offer of listing.offers) {
      const window = offer.spec.behaviour ? reactionWindow(offer.spec.behaviour) : null;
      if (window && !offer.reactionScheduled) {
        offer.reactionScheduled = true;
        this.push({ atMs: this.nowMs + this.random.int(window[0], window[1]), seq: this.seq++, kind: 'react', listing, offer });
      }
      if (!offer.spec.behaviour) {
        const inbox = this.inbox.get(offer.spec.sellerId) ?? [];
        inbox.push(this.buildNotification(listing, offer.spec.sellerId));
        this.inbox.set(offer.spec.sellerId, inbox);
      }
    }
  }

  private minuteTick(): void {
    const model = this.award;
    for (const listing of this.listings.values()) {
      listing.minutes++;
      const { award, offers, demand } = listing;
      offers.forEach((offer, i) => {
        offer.buyBoxShareMinutes += buyBoxShareOf(model, award, i);
        offer.priceMinutesSum += offer.listingMinor;
      });
      // Two customer segments: Prime members see the Prime winner, the others the overall winner.
      const segments: [number, number][] = [
        [award.prime, award.prime >= 0 ? model.primeCustomerShare : 0],
        [award.overall, award.prime >= 0 ? 1 - model.primeCustomerShare : 1],
      ];
      for (const [winner, share] of segments) {
        if (winner < 0 || share === 0) continue;
        const winnerOffer = offers[winner]!;
        const price = winnerOffer.listingMinor + winnerOffer.spec.shippingMinor;
        const lambda = (demand.unitsPerDayAtReference / 1440) * share * (demand.referencePriceMinor / price) ** demand.elasticity;
        const units = this.demandRandom.poisson(lambda);
        for (let u = 0; u < units; u++) {
          const buyer = this.demandRandom.next() < demand.buyBoxUnitShare ? winner : this.cheapestOther(listing, winner);
          if (buyer >= 0) this.sell(offers[buyer]!);
        }
      }
    }
  }

  private cheapestOther(listing: SimListing, winner: number): number {
    let best = -1;
    let bestLanded = Infinity;
    listing.offers.forEach((o, i) => {
      const landed = o.listingMinor + o.spec.shippingMinor;
      if (i !== winner && o.spec.rating >= this.award.minEligibleRating && landed < bestLanded) {
        bestLanded = landed;
        best = i;
      }
    });
    return best;
  }

  private sell(offer: SimOffer): void {
    offer.units++;
    offer.revenueMinor += offer.listingMinor;
    const last = offer.salesLog[offer.salesLog.length - 1];
    if (last && last.atMs === this.nowMs) last.units++;
    else offer.salesLog.push({ atMs: this.nowMs, units: 1 });
  }

  private buildNotification(listing: SimListing, forSellerId: string): OfferChangedNotification {
    const { spec, offers, award } = listing;
    const currency = spec.currency;
    const scale = 10 ** CURRENCY_DECIMALS[currency];
    const money = (minor: number): { Amount: number; CurrencyCode: string } => ({ Amount: minor / scale, CurrencyCode: currency });
    const isoNow = new Date(this.nowMs).toISOString();
    const b2b = spec.audience === 'B2B';
    const sorted = offers
      .map((o, i) => ({ o, i, landed: o.listingMinor + o.spec.shippingMinor }))
      .sort((a, b) => a.landed - b.landed)
      .slice(0, 20);
    const channel = (o: SimOffer): string => (o.spec.fba || o.spec.amazonRetail ? 'Amazon' : 'Merchant');
    const counts = new Map<string, number>();
    const lowest = new Map<string, SimOffer>();
    for (const { o } of sorted) {
      const c = channel(o);
      counts.set(c, (counts.get(c) ?? 0) + 1);
      const best = lowest.get(c);
      if (!best || o.listingMinor + o.spec.shippingMinor < best.listingMinor + best.spec.shippingMinor) lowest.set(c, o);
    }
    const winner = award.overall >= 0 ? offers[award.overall] : undefined;
    const body: OfferChangedBody = {
      SellerId: forSellerId,
      OfferChangeTrigger: { MarketplaceId: spec.marketplaceId, ASIN: spec.asin, ItemCondition: 'new', TimeOfOfferChange: isoNow, OfferChangeType: 'External' },
      Summary: {
        NumberOfOffers: [...counts].map(([c, n]) => ({ Condition: 'new', FulfillmentChannel: c, OfferCount: n })),
        LowestPrices: [...lowest].map(([c, o]) => ({
          Condition: 'new',
          FulfillmentChannel: c,
          ...(b2b ? { OfferType: 'B2B', QuantityTier: 1 } : {}),
          LandedPrice: money(o.listingMinor + o.spec.shippingMinor),
          ListingPrice: money(o.listingMinor),
          Shipping: money(o.spec.shippingMinor),
        })),
        BuyBoxPrices: winner
          ? [
              {
                Condition: 'new',
                ...(b2b ? { OfferType: 'B2B', QuantityTier: 1, SellerId: winner.spec.sellerId } : {}),
                LandedPrice: money(winner.listingMinor + winner.spec.shippingMinor),
                ListingPrice: money(winner.listingMinor),
                Shipping: money(winner.spec.shippingMinor),
              },
            ]
          : [],
        ...(b2b ? { BuyBoxEligibleOffers: [...counts].map(([c, n]) => ({ Condition: 'new', FulfillmentChannel: c, OfferCount: n })) } : {}),
      },
      Offers: sorted.map(({ o, i }) => ({
        SellerId: o.spec.sellerId,
        SubCondition: 'new',
        ...(o.spec.amazonRetail ? {} : { SellerFeedbackRating: { FeedbackCount: 1000, SellerPositiveFeedbackRating: o.spec.rating } }),
        ShippingTime: { MinimumHours: o.spec.fba ? 24 : 48, MaximumHours: o.spec.fba ? 48 : 96, AvailabilityType: 'NOW' },
        ListingPrice: money(o.listingMinor),
        Shipping: money(o.spec.shippingMinor),
        ...(b2b && o.quantityTiers.length > 0
          ? { QuantityDiscountPrice: o.quantityTiers.map((t) => ({ QuantityTier: t.minQuantity, QuantityDiscountType: 'QUANTITY_DISCOUNT', ListingPrice: money(t.listingMinor) })) }
          : {}),
        IsFulfilledByAmazon: o.spec.fba || (o.spec.amazonRetail ?? false),
        IsBuyBoxWinner: award.overall === i || award.prime === i,
        IsFeaturedMerchant: (o.spec.amazonRetail ?? false) || o.spec.rating >= this.award.minEligibleRating,
        PrimeInformation: b2b
          ? { IsPrime: o.spec.fba || (o.spec.amazonRetail ?? false), IsNationalPrime: o.spec.fba }
          : { IsOfferPrime: o.spec.fba || (o.spec.amazonRetail ?? false), IsOfferNationalPrime: o.spec.fba },
        ShipsDomestically: true,
      })),
    };
    const type = b2b ? 'B2B_ANY_OFFER_CHANGED' : 'ANY_OFFER_CHANGED';
    const id = `sim-${(++this.notificationCounter).toString(16).padStart(8, '0')}`;
    return {
      NotificationVersion: '1.0',
      NotificationType: type,
      PayloadVersion: '1.0',
      EventTime: isoNow,
      NotificationMetadata: { ApplicationId: 'sellerops-marketplace-sim', SubscriptionId: 'sim-subscription', PublishTime: isoNow, NotificationId: id },
      Payload: { [payloadKey(type)]: body },
    };
  }

  private push(event: SimEvent): void {
    const q = this.queue;
    q.push(event);
    let i = q.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(q[parent]!, q[i]!)) break;
      [q[parent], q[i]] = [q[i]!, q[parent]!];
      i = parent;
    }
  }

  private pop(): void {
    const q = this.queue;
    const last = q.pop();
    if (q.length === 0 || !last) return;
    q[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < q.length && before(q[l]!, q[m]!)) m = l;
      if (r < q.length && before(q[r]!, q[m]!)) m = r;
      if (m === i) break;
      [q[m], q[i]] = [q[i]!, q[m]!];
      i = m;
    }
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
