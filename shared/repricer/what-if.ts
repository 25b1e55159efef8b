/**
 * What-if before going live (issue 21): the customer's own rules replayed against the recorded market history
 * of their listings, compared with what their current pricing did in the same market.
 *
 * Pure: no clock, no I/O. For each offer rule, the recorded snapshots are replayed in time order, with the
 * production timing: every recorded change is a notification, a tick decides every REPRICER_TICK_MINUTES, a
 * pushed price is live APPLY_DELAY_MS later (Amazon takes 1–2 minutes) and Amazon's notification of our own
 * change is decided too. Each step goes through `decideOffer`, the decision step the Lambda runs. The competitors
 * are as recorded; only our price follows the proposed rules. Who would hold the Buy Box at our simulated price
 * is judged by a `BuyBoxJudge` (the marketplace simulator's award model in the CLI and the API: the repricer
 * cannot import the simulator, which imports the repricer), and the winner flags the engine reads are the judge's.
 *
 * What is recorded and what is estimated (both are labelled in the report):
 * - recorded: the competitors, our actual price, Amazon's IsBuyBoxWinner flag for our offer, units sold per day;
 * - modelled: Buy Box share at any price (actual and proposed alike, so the two compare like with like), the best
 *   possible price (the highest price that would still have won, in [min, max]);
 * - estimated: the proposed units and revenue (DEMAND_MODEL below).
 */
import { formatMinor, type Currency } from '#shared/kernel/money.ts';
import { isAmazonRetailSeller } from './amazon-retail.ts';
import { newStoredOffer, type StoredOffer } from './model.ts';
import { decideOffer } from './offer-decision.ts';
import { offerIdentity } from './rules.ts';
import { SALES_WINDOW_MAX_DAYS, salesHistoryOf, salesWindowDays, utcDay } from './sales.ts';
import { eventOfRecord, marketListingKey, type MarketHistory, type MarketHistoryStore, type MarketRecord, type RecordedSales } from './market-history.ts';
import type { MarketOffer, OfferChangeEvent, OfferRules, RulesFile } from './types.ts';
import type { SalesStore } from './ports.ts';

/** One offer as a Buy Box judge sees it. */
export interface JudgedOffer {
  readonly landedMinor: number;
  readonly fba: boolean;
  /** Positive feedback in percent; 100 when Amazon did not report it. */
  readonly rating: number;
  readonly amazonRetail: boolean;
  /** Amazon's IsFeaturedMerchant: only a featured offer can win. */
  readonly featured: boolean;
}

/** Decides who holds the Buy Box in a market (a model: Amazon does not publish its algorithm). */
export interface BuyBoxJudge {
  /** What the report says the judge is, e.g. the award model's name and parameters. */
  readonly description: string;
  /** Share of Buy Box traffic of each offer (0–1, summing to 1 or 0) and the offers Amazon would flag as winners. */
  judge(offers: readonly JudgedOffer[]): { readonly shares: readonly number[]; readonly winners: readonly number[] };
  /** The highest landed price at which offer `self` would win overall against the others: Infinity alone, −Infinity never. */
  highestWinningLanded(offers: readonly JudgedOffer[], self: number): number;
}

/** The scheduled tick's period in production (infra/wiring/repricer.ts REPRICER_TICK_MINUTES). */
export const WHAT_IF_TICK_MS = 5 * 60_000;
/** A pushed price goes live this long after the decision (Amazon applies it in 1–2 minutes). */
export const APPLY_DELAY_MS = 2 * 60_000;
export const MAX_WHAT_IF_DAYS = 90;
const DAY_MS = 86_400_000;

export const DEMAND_MODEL =
  'Units: each day, the units recorded at the current prices × (proposed Buy Box share ÷ current Buy Box share, both from the award model). ' +
  "The price's own effect on demand is not estimated (the history holds one price path). Revenue: those units × the proposed price while holding the Buy Box. " +
  'A day on which the current pricing had no modelled Buy Box share gives no basis: it is left out of both sides and counted.';

export interface WhatIfInput {
  readonly rules: RulesFile;
  readonly history: MarketHistory;
  /** Days back from the history's end (`recordedTo`), at most MAX_WHAT_IF_DAYS. */
  readonly days: number;
  readonly judge: BuyBoxJudge;
}

/** Figures of one pricing (current or proposed) over the covered time. */
export interface PricingFigures {
  /** Time-weighted Buy Box share from the award model (0–1). */
  readonly buyBoxShare: number;
  /** Time-weighted average listing price. */
  readonly averagePrice: string;
  /** averagePrice ÷ the average best possible price. */
  readonly priceVsBest: number;
  /** Current: recorded units; proposed: estimated (null when no sales are recorded). */
  readonly units: number | null;
  readonly revenue: string | null;
  readonly priceChanges: number;
}

export interface WhatIfOfferReport {
  readonly sku: string;
  readonly asin: string;
  readonly marketplaceId: string;
  readonly audience: 'B2C' | 'B2B';
  readonly strategy: string;
  readonly currency: Currency;
  readonly snapshots: number;
  /** When the replay of this offer starts (its first recorded market in the window), null without history. */
  readonly coveredFrom: string | null;
  readonly coveredDays: number;
  /** Share of the covered time Amazon flagged our actual offer as Buy Box winner (recorded, not modelled). */
  readonly recordedBuyBoxShare: number | null;
  readonly bestPossibleAveragePrice: string | null;
  readonly current: PricingFigures | null;
  readonly proposed: PricingFigures | null;
  readonly units: {
    readonly salesRecorded: boolean;
    readonly daysEstimated: number;
    readonly daysWithoutBasis: number;
    /** Recorded units of the days without basis: left out of both sides. */
    readonly unitsLeftOut: number;
    /** Current revenue is recorded (true) or recorded units × the actual price (false). */
    readonly revenueRecorded: boolean;
  };
  readonly notes: readonly string[];
}

export interface WhatIfReport {
  readonly sellerId: string;
  readonly source: string;
  readonly days: number;
  readonly window: { readonly from: string; readonly to: string };
  /** Days of the window the history covers (the widest offer); less than `days` when recording began later. */
  readonly coveredDays: number;
  readonly judge: string;
  readonly demandModel: string;
  readonly offers: readonly WhatIfOfferReport[];
  readonly total: {
    readonly currency: Currency | null;
    readonly current: { readonly buyBoxShare: number; readonly priceVsBest: number; readonly units: number | null; readonly revenue: string | null } | null;
    readonly proposed: { readonly buyBoxShare: number; readonly priceVsBest: number; readonly units: number | null; readonly revenue: string | null } | null;
  };
}

export function runWhatIf(input: WhatIfInput): WhatIfReport {
  const { rules, history, judge } = input;
  const days = Math.min(Math.max(input.days, 0), MAX_WHAT_IF_DAYS);
  const endMs = Date.parse(history.recordedTo);
  const startMs = endMs - days * DAY_MS;
  const byListing = new Map<string, MarketRecord[]>();
  for (const r of history.records) {
    if (r.sellerId !== rules.sellerId) continue;
    const key = marketListingKey(r);
    const list = byListing.get(key) ?? [];
    list.push(r);
    byListing.set(key, list);
  }
  for (const list of byListing.values()) list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const replays = rules.offers.map((rule) =>
    replayOffer(rule, rules.sellerId, byListing.get(marketListingKey(rule)) ?? [], history.sales, startMs, endMs, judge),
  );
  const offers = replays.map((r) => r.report);
  return {
    sellerId: rules.sellerId,
    source: history.source,
    days,
    window: { from: new Date(startMs).toISOString(), to: new Date(endMs).toISOString() },
    coveredDays: Math.max(0, ...offers.map((o) => o.coveredDays)),
    judge: judge.description,
    demandModel: DEMAND_MODEL,
    offers,
    total: totalOf(replays),
  };
}

// ---------------------------------------------------------------------------------------------------------------

interface Sums {
  covered: number;
  recordedWin: number;
  currentShare: number;
  proposedShare: number;
  currentPrice: number;
  proposedPrice: number;
  best: number;
}

interface DaySums {
  covered: number;
  currentShare: number;
  proposedShare: number;
  /** Σ price × share × dt: the price while holding the Buy Box, for revenue. */
  currentPriceShare: number;
  proposedPriceShare: number;
}

interface Replay {
  readonly report: WhatIfOfferReport;
  readonly sums: Sums;
  /** Units and revenue in minor units, on the days with a basis (null without sales). */
  readonly currentUnits: number | null;
  readonly proposedUnits: number | null;
  readonly currentRevenueMinor: number | null;
  readonly proposedRevenueMinor: number | null;
}

/** One moment's market with our offer at a given price, judged. */
interface Judged {
  readonly share: number;
  readonly bestListing: number;
  readonly event: OfferChangeEvent;
}

function replayOffer(
  rule: OfferRules,
  sellerId: string,
  records: readonly MarketRecord[],
  sales: readonly RecordedSales[],
  startMs: number,
  endMs: number,
  judge: BuyBoxJudge,
): Replay {
  const notes: string[] = [];
  const sums: Sums = { covered: 0, recordedWin: 0, currentShare: 0, proposedShare: 0, currentPrice: 0, proposedPrice: 0, best: 0 };
  const daySums = new Map<string, DaySums>();
  // The market at the window's start is the last record before it; later records are the changes.
  let first = -1;
  for (let i = 0; i < records.length && Date.parse(records[i]!.at) <= startMs; i++) first = i;
  if (first === -1 && records.length > 0 && Date.parse(records[0]!.at) < endMs) first = 0;
  if (first === -1) {
    notes.push(`no recorded market for ${rule.asin} (${rule.marketplaceId}, ${rule.audience}) in the window`);
    return emptyReplay(rule, records.length, notes);
  }
  const coveredFromMs = Math.max(startMs, Date.parse(records[first]!.at));
  const amazonIds = new Set(rule.amazonSellerIds);
  const isAmazon = (id: string): boolean => isAmazonRetailSeller(id) || amazonIds.has(id);
  const liveRule: OfferRules = { ...rule, dryRun: false };
  // Push decides on units sold, as the Lambda does on Amazon's orders: here the units recorded at the current prices,
  // known up to the day before the decision (the daily orders report's lag).
  const recordedDays: Record<string, number> = {};
  for (const s of sales) if (s.sku === rule.sku && s.marketplaceId === rule.marketplaceId && s.audience === rule.audience) recordedDays[s.day] = (recordedDays[s.day] ?? 0) + s.units;
  const decidesOnSales = rule.strategy === 'push' && Object.keys(recordedDays).length > 0;

  let index = first;
  let market = records[index]!;
  let nowMs = coveredFromMs;
  let proposedPrice = ownOf(market, sellerId)?.[1] ?? null;
  let offer: StoredOffer = newStoredOffer('what-if', sellerId, liveRule, nowMs);
  let nextTickMs = nowMs;
  let proposedChanges = 0;
  let recordedChanges = 0;
  let snapshots = 1;
  // Judged again only when what they depend on changes (a tick changes neither the market nor our price).
  let marketEvent = eventOfRecord(market);
  let current = judgeAt(marketEvent, ownOf(market, sellerId)?.[1] ?? null, sellerId, liveRule, judge, isAmazon, nowMs);
  let proposed = judgeAt(marketEvent, proposedPrice, sellerId, liveRule, judge, isAmazon, nowMs);

  const accumulate = (fromMs: number, toMs: number): void => {
    const own = ownOf(market, sellerId);
    if (!own || proposedPrice === null || !current || !proposed || toMs <= fromMs) return;
    for (let a = fromMs; a < toMs; ) {
      const dayEnd = Math.min(toMs, Math.floor(a / DAY_MS) * DAY_MS + DAY_MS);
      const dt = dayEnd - a;
      sums.covered += dt;
      sums.recordedWin += (own[4] & 4) !== 0 ? dt : 0;
      sums.currentShare += current.share * dt;
      sums.proposedShare += proposed.share * dt;
      sums.currentPrice += own[1] * dt;
      sums.proposedPrice += proposedPrice * dt;
      sums.best += current.bestListing * dt;
      const day = new Date(a).toISOString().slice(0, 10);
      const d = daySums.get(day) ?? { covered: 0, currentShare: 0, proposedShare: 0, currentPriceShare: 0, proposedPriceShare: 0 };
      d.covered += dt;
      d.currentShare += current.share * dt;
      d.proposedShare += proposed.share * dt;
      d.currentPriceShare += own[1] * current.share * dt;
      d.proposedPriceShare += proposedPrice * proposed.share * dt;
      daySums.set(day, d);
      a = dayEnd;
    }
  };

  /** Decides on the market as it is now; a push goes live APPLY_DELAY_MS later. */
  const decideNow = (): { atMs: number; priceMinor: number } | null => {
    if (!proposed) return null;
    const salesNow = decidesOnSales ? salesHistoryOf(recordedDays, utcDay(nowMs), salesWindowDays(rule.push.periodMs)) : null;
    const result = decideOffer(offer, proposed.event, undefined, false, nowMs, salesNow);
    if (result.next) offer = result.next;
    if (!result.push) return null;
    proposedChanges++;
    // Marked pushed at once: the replay's Amazon accepts every price inside the range.
    offer = { ...offer, lastPushedPriceMinor: result.push.price.minor, pendingPush: null };
    return { atMs: nowMs + APPLY_DELAY_MS, priceMinor: result.push.price.minor };
  };

  /** Our pushed price on its way to Amazon: live at `atMs`. */
  let pending = decideNow();
  for (;;) {
    const nextRecordMs = index + 1 < records.length ? Date.parse(records[index + 1]!.at) : Infinity;
    const nextMs = Math.min(nextRecordMs, nextTickMs + WHAT_IF_TICK_MS, pending ? pending.atMs : Infinity);
    if (nextMs >= endMs) break;
    accumulate(nowMs, nextMs);
    nowMs = nextMs;
    const marketBefore = index;
    const priceBefore = proposedPrice;
    while (index + 1 < records.length && Date.parse(records[index + 1]!.at) <= nowMs) {
      const before = ownOf(market, sellerId)?.[1];
      market = records[++index]!;
      snapshots++;
      const after = ownOf(market, sellerId)?.[1];
      if (after !== undefined && before !== undefined && after !== before) recordedChanges++;
      // Our offer missing from the recording (e.g. out of stock): the proposal restarts from the actual price.
      if (proposedPrice === null && after !== undefined) proposedPrice = after;
    }
    if (pending && pending.atMs <= nowMs) {
      proposedPrice = pending.priceMinor;
      pending = null;
    }
    if (nextTickMs + WHAT_IF_TICK_MS <= nowMs) nextTickMs += WHAT_IF_TICK_MS;
    if (index !== marketBefore) {
      marketEvent = eventOfRecord(market);
      current = judgeAt(marketEvent, ownOf(market, sellerId)?.[1] ?? null, sellerId, liveRule, judge, isAmazon, nowMs);
    }
    if (index !== marketBefore || proposedPrice !== priceBefore) proposed = judgeAt(marketEvent, proposedPrice, sellerId, liveRule, judge, isAmazon, nowMs);
    pending = decideNow() ?? pending;
  }
  accumulate(nowMs, endMs);

  if (sums.covered === 0) {
    notes.push(`our offer (seller ${sellerId}) is not in the recorded market of ${rule.asin}`);
    return emptyReplay(rule, snapshots, notes, new Date(coveredFromMs).toISOString());
  }
  const coveredDays = round(sums.covered / DAY_MS, 2);
  if (coveredDays < round((endMs - startMs) / DAY_MS, 2)) notes.push(`history covers ${coveredDays.toFixed(1)} of the ${round((endMs - startMs) / DAY_MS, 1)} days asked for`);
  if (rule.strategy === 'push') {
    notes.push(
      decidesOnSales
        ? 'push strategy: decided on the units recorded at the current prices (as the Lambda decides on Amazon\'s orders); how the proposed prices would have changed those units is not modelled'
        : 'push strategy: no sales recorded, so it holds the price (as the Lambda does before the first orders report)',
    );
  }
  if (rule.audience === 'B2B' && rule.tiers.length > 0) notes.push('B2B quantity tiers are not judged: the Buy Box is judged on the single-unit price');
  // The recorded market holds competitors' offers, not our stock over time: the rule waits, as the Lambda does with stock unknown.
  if ((rule.lowStockUnits ?? -1) >= 0) notes.push('low-stock rule: the recorded history has no stock, so the rule never fires in the replay (stock unknown: it waits)');

  const offerSales = sales.filter((s) => s.sku === rule.sku && s.marketplaceId === rule.marketplaceId && s.audience === rule.audience);
  const units = unitsOf(offerSales, daySums);
  if (offerSales.length === 0) notes.push('no sales recorded for this offer: units and revenue are not estimated');
  if (units.daysWithoutBasis > 0) notes.push(`${units.daysWithoutBasis} day(s) without a basis (no modelled Buy Box share at the current prices): ${units.unitsLeftOut} recorded units left out of both sides`);
  const fmt = (minor: number): string => formatMinor(Math.round(minor), rule.currency);
  const figures = (share: number, price: number, unitsSold: number | null, revenueMinor: number | null, changes: number): PricingFigures => ({
    buyBoxShare: round(share / sums.covered, 4),
    averagePrice: fmt(price / sums.covered),
    priceVsBest: round(price / sums.best, 4),
    units: unitsSold === null ? null : round(unitsSold, 1),
    revenue: revenueMinor === null ? null : fmt(revenueMinor),
    priceChanges: changes,
  });
  return {
    report: {
      ...offerIdentity(rule),
      snapshots,
      coveredFrom: new Date(coveredFromMs).toISOString(),
      coveredDays,
      recordedBuyBoxShare: round(sums.recordedWin / sums.covered, 4),
      bestPossibleAveragePrice: fmt(sums.best / sums.covered),
      current: figures(sums.currentShare, sums.currentPrice, units.current, units.currentRevenueMinor, recordedChanges),
      proposed: figures(sums.proposedShare, sums.proposedPrice, units.proposed, units.proposedRevenueMinor, proposedChanges),
      units: {
        salesRecorded: offerSales.length > 0,
        daysEstimated: units.daysEstimated,
        daysWithoutBasis: units.daysWithoutBasis,
        unitsLeftOut: units.unitsLeftOut,
        revenueRecorded: offerSales.length > 0 && offerSales.every((s) => s.revenueMinor !== undefined),
      },
      notes,
    },
    sums,
    currentUnits: units.current,
    proposedUnits: units.proposed,
    currentRevenueMinor: units.currentRevenueMinor,
    proposedRevenueMinor: units.proposedRevenueMinor,
  };
}

/** Units and revenue per the demand model, over the days the replay covered. */
function unitsOf(sales: readonly RecordedSales[], daySums: ReadonlyMap<string, DaySums>) {
  let current = 0;
  let proposed = 0;
  let currentRevenueMinor = 0;
  let proposedRevenueMinor = 0;
  let daysEstimated = 0;
  let daysWithoutBasis = 0;
  let unitsLeftOut = 0;
  for (const s of sales) {
    const d = daySums.get(s.day);
    if (!d) continue;
    if (d.currentShare <= 0) {
      if (s.units > 0 || d.proposedShare > 0) {
        daysWithoutBasis++;
        unitsLeftOut += s.units;
      } else daysEstimated++;
      continue;
    }
    daysEstimated++;
    const estimated = (s.units * d.proposedShare) / d.currentShare;
    current += s.units;
    proposed += estimated;
    currentRevenueMinor += s.revenueMinor ?? s.units * (d.currentPriceShare / d.currentShare);
    proposedRevenueMinor += d.proposedShare > 0 ? estimated * (d.proposedPriceShare / d.proposedShare) : 0;
  }
  const none = sales.length === 0;
  return {
    current: none ? null : current,
    proposed: none ? null : proposed,
    currentRevenueMinor: none ? null : currentRevenueMinor,
    proposedRevenueMinor: none ? null : proposedRevenueMinor,
    daysEstimated,
    daysWithoutBasis,
    unitsLeftOut,
  };
}

/** Our recorded offer in a market record (the first of the seller's, as the engine prices from one). */
function ownOf(record: MarketRecord, sellerId: string) {
  return record.offers.find((o) => o[0] === sellerId);
}

/** The market with our offer at `priceMinor`, judged: our share, the best possible price, and the event the engine reads. */
function judgeAt(
  recorded: OfferChangeEvent,
  priceMinor: number | null,
  sellerId: string,
  rule: OfferRules,
  judge: BuyBoxJudge,
  isAmazon: (sellerId: string) => boolean,
  nowMs: number,
): Judged | null {
  const ownIndex = recorded.offers.findIndex((o) => o.sellerId === sellerId);
  if (ownIndex === -1 || priceMinor === null) return null;
  const offers: MarketOffer[] = recorded.offers.map((o, i) => (i === ownIndex ? { ...o, listingMinor: priceMinor } : o));
  // Competitors first, ours last: a tie goes to the competitor (as in the simulator).
  const order = [...offers.keys()].filter((i) => i !== ownIndex).concat(ownIndex);
  const judged = order.map((i): JudgedOffer => {
    const o = offers[i]!;
    return {
      landedMinor: Math.max(0, o.listingMinor + o.shippingMinor - o.points),
      fba: o.isFulfilledByAmazon,
      rating: o.sellerPositiveFeedbackRating ?? 100,
      amazonRetail: isAmazon(o.sellerId),
      featured: o.isFeaturedMerchant,
    };
  });
  const self = judged.length - 1;
  const { shares, winners } = judge.judge(judged);
  const winning = new Set(winners.map((w) => order[w]));
  const own = offers[ownIndex]!;
  const highest = judge.highestWinningLanded(judged, self);
  const bestListing = highest === Infinity ? rule.maxMinor : highest === -Infinity ? rule.minMinor : highest - own.shippingMinor + own.points;
  return {
    share: shares[self] ?? 0,
    bestListing: Math.min(rule.maxMinor, Math.max(rule.minMinor, bestListing)),
    event: { ...recorded, timeOfOfferChange: new Date(nowMs), offers: offers.map((o, i) => ({ ...o, isBuyBoxWinner: winning.has(i) })) },
  };
}

function emptyReplay(rule: OfferRules, snapshots: number, notes: string[], coveredFrom: string | null = null): Replay {
  return {
    report: {
      ...offerIdentity(rule),
      snapshots,
      coveredFrom,
      coveredDays: 0,
      recordedBuyBoxShare: null,
      bestPossibleAveragePrice: null,
      current: null,
      proposed: null,
      units: { salesRecorded: false, daysEstimated: 0, daysWithoutBasis: 0, unitsLeftOut: 0, revenueRecorded: false },
      notes,
    },
    sums: { covered: 0, recordedWin: 0, currentShare: 0, proposedShare: 0, currentPrice: 0, proposedPrice: 0, best: 0 },
    currentUnits: null,
    proposedUnits: null,
    currentRevenueMinor: null,
    proposedRevenueMinor: null,
  };
}

/** All offers together: time-weighted shares and price ratios, summed units and revenue (one currency only). */
function totalOf(replays: readonly Replay[]): WhatIfReport['total'] {
  const covered = replays.filter((r) => r.sums.covered > 0);
  const currencies = new Set(covered.map((r) => r.report.currency));
  const currency = currencies.size === 1 ? [...currencies][0]! : null;
  if (covered.length === 0) return { currency, current: null, proposed: null };
  const sum = (f: (r: Replay) => number): number => covered.reduce((a, r) => a + f(r), 0);
  const time = sum((r) => r.sums.covered);
  const best = sum((r) => r.sums.best);
  const withSales = covered.filter((r) => r.currentUnits !== null);
  const money = (f: (r: Replay) => number | null): string | null =>
    currency === null || withSales.length === 0 ? null : formatMinor(Math.round(withSales.reduce((a, r) => a + (f(r) ?? 0), 0)), currency);
  const units = (f: (r: Replay) => number | null): number | null => (withSales.length === 0 ? null : round(withSales.reduce((a, r) => a + (f(r) ?? 0), 0), 1));
  return {
    currency,
    current: {
      buyBoxShare: round(sum((r) => r.sums.currentShare) / time, 4),
      priceVsBest: round(sum((r) => r.sums.currentPrice) / best, 4),
      units: units((r) => r.currentUnits),
      revenue: money((r) => r.currentRevenueMinor),
    },
    proposed: {
      buyBoxShare: round(sum((r) => r.sums.proposedShare) / time, 4),
      priceVsBest: round(sum((r) => r.sums.proposedPrice) / best, 4),
      units: units((r) => r.proposedUnits),
      revenue: money((r) => r.proposedRevenueMinor),
    },
  };
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

// ---------------------------------------------------------------------------------------------------------------
// The API's use case (POST /repricer/simulations): the tenant's own recorded history, read by key, bounded.

/** Offers one simulation request may name: each reads one listing's history and replays ≤ 90 days. */
export const MAX_SIMULATION_OFFERS = 10;
/** Market records read per listing (a listing changing every minute for 90 days has 130,000: the newest are cut). */
export const MAX_RECORDS_PER_LISTING = 20_000;

export async function simulateWithRecordedHistory(
  store: MarketHistoryStore,
  tenantId: string,
  rules: RulesFile,
  days: number,
  nowMs: number,
  judge: BuyBoxJudge,
  /** Units sold per day from Amazon's orders (the Push strategy's store); absent: no units, so none estimated. */
  salesStore?: Pick<SalesStore, 'readSales'>,
): Promise<WhatIfReport> {
  const fromMs = nowMs - Math.min(days, MAX_WHAT_IF_DAYS) * DAY_MS;
  const listings = new Map(rules.offers.map((o) => [marketListingKey(o), { marketplaceId: o.marketplaceId, audience: o.audience, asin: o.asin }]));
  const records: MarketRecord[] = [];
  const cut: string[] = [];
  for (const listing of listings.values()) {
    // Read by the tenant's own key: another tenant's records are in other partitions.
    const read = await store.read(tenantId, listing, fromMs, nowMs, MAX_RECORDS_PER_LISTING);
    if (read.length >= MAX_RECORDS_PER_LISTING) cut.push(listing.asin);
    records.push(...read);
  }
  const source =
    "recorded by sellerops from Amazon's offer notifications and the ticks' snapshots" +
    (cut.length > 0 ? ` (only the first ${MAX_RECORDS_PER_LISTING} changes of ${cut.join(', ')} were read)` : '');
  const history: MarketHistory = { sellerId: rules.sellerId, source, recordedFrom: new Date(fromMs).toISOString(), recordedTo: new Date(nowMs).toISOString(), records, sales: salesStore ? await recordedSalesOf(salesStore, tenantId, rules, fromMs) : [] };
  return runWhatIf({ rules, history, days, judge });
}

/**
 * The stored units sold per day of the rules' SKUs as recorded sales: every day from the window's start up to the day
 * sales are known until (a known day without orders is 0 units). A SKU's units are Amazon's for the SKU: B2C and B2B
 * offers of one SKU both read them. Only the last SALES_WINDOW_MAX_DAYS days before that day are taken as known (what
 * the back-fill brings and the retention keeps): a longer window has units for its last 30 days only, never made-up zeros.
 */
async function recordedSalesOf(store: Pick<SalesStore, 'readSales'>, tenantId: string, rules: RulesFile, fromMs: number): Promise<RecordedSales[]> {
  const keys = [...new Map(rules.offers.map((o) => [`${o.marketplaceId}|${o.sku}`, { marketplaceId: o.marketplaceId, sku: o.sku }])).values()];
  const read = await store.readSales(tenantId, keys);
  const days = new Map(read.skus.map((s) => [`${s.marketplaceId}|${s.sku}`, s.days]));
  const out: RecordedSales[] = [];
  for (const offer of rules.offers) {
    const until = read.knownUntil.get(offer.marketplaceId);
    if (until === undefined) continue;
    const units = days.get(`${offer.marketplaceId}|${offer.sku}`) ?? {};
    const first = utcDay(Math.max(fromMs, Date.parse(`${until}T00:00:00Z`) - SALES_WINDOW_MAX_DAYS * DAY_MS));
    for (let day = first; day < until; day = utcDay(Date.parse(`${day}T00:00:00Z`) + DAY_MS)) {
      out.push({ sku: offer.sku, marketplaceId: offer.marketplaceId, audience: offer.audience, day, units: units[day] ?? 0 });
    }
  }
  return out;
}
