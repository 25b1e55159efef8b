import {
  DecisionScratch,
  NO_CEILING,
  OFFER_AMAZON_RETAIL,
  OFFER_BUYBOX_ELIGIBLE,
  OFFER_BUYBOX_WINNER,
  OFFER_FBA,
  Phase,
  ReasonCode,
} from './types.ts';
import type {
  DecisionAction,
  MarketSnapshot,
  OfferRules,
  OfferState,
  OwnSalesHistory,
  RepriceDecision,
  TierPrice,
} from './types.ts';
import { reasonCodeName } from './reasons.ts';
import {
  MATCH_ALL,
  MATCH_AMAZON,
  SUPPRESSED_COMPETE,
  compileCompetitorRules,
  ignoredByOfferFilters,
  lowStockTarget,
  merchantComparedLanded,
  suppressedBuyBoxTarget,
} from './competitor-rules.ts';
import type { CompiledCompetitorRules } from './competitor-rules.ts';
import { internSellerId } from './seller-ids.ts';

/**
 * The decision engine. `decideInto` is the hot path: a pure function of (compiled rules, market snapshot,
 * state, now, own sales) that writes its result into a caller-owned `DecisionScratch` and allocates nothing.
 * `decide` wraps it into an immutable `RepriceDecision` for the edges.
 *
 * Invariant (property-tested): the new base price and every B2B tier price lie in [min, max] and are
 * positive integers, whatever the market data says.
 */

const STRATEGY_BUYBOX = 0;
const STRATEGY_PUSH = 1;
const STRATEGY_FIXED = 2;
const FALLBACK_KEEP = 0;
const FALLBACK_MAX = 1;
const FALLBACK_PRICE = 2;
const INFINITE_PRICE = 2_147_483_647;
/** Step multipliers double on consecutive raises/undercuts, capped at 2^MAX_STREAK steps. */
const MAX_STREAK = 8;

/** How long we wait for Amazon to apply a pushed price (it takes ~1–2 min) before acting again anyway. */
export const DEFAULT_AWAIT_PRICE_MS = 5 * 60_000;
/** A learned Buy Box ceiling is forgotten after this long, so the engine probes again. */
export const DEFAULT_REPROBE_AFTER_MS = 12 * 60 * 60_000;

/** Rules flattened to integers for the hot loop; build once per rules change with `compileRules`. */
export interface CompiledOfferRules {
  readonly rules: OfferRules;
  readonly ownSellerId: string;
  readonly ownSellerNumber: number;
  readonly strategy: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly requiredFlags: number;
  readonly minRating: number;
  readonly excludeSellerNumbers: Int32Array;
  readonly extraAmazonSellerNumbers: Int32Array;
  readonly amazonHold: boolean;
  readonly fallback: number;
  readonly fallbackPrice: number;
  readonly fixedPrice: number;
  readonly tierCount: number;
  readonly tierQuantity: Int32Array;
  readonly tierBasisPoints: Int32Array;
  readonly tierAmount: Int32Array;
  readonly pushTargetUnits: number;
  readonly pushPeriodMs: number;
  readonly pushToleranceBp: number;
  readonly pushKeepBuyBox: boolean;
  readonly awaitPriceMs: number;
  readonly reprobeAfterMs: number;
  /** Issue 21 rules (competitor-rules.ts). */
  readonly competition: CompiledCompetitorRules;
}

export interface EngineOptions {
  readonly awaitPriceMs?: number;
  readonly reprobeAfterMs?: number;
}

export function compileRules(rules: OfferRules, ownSellerId: string, options: EngineOptions = {}): CompiledOfferRules {
  const tierCount = rules.tiers.length;
  const tierQuantity = new Int32Array(5);
  const tierBasisPoints = new Int32Array(5);
  const tierAmount = new Int32Array(5);
  rules.tiers.forEach((tier, i) => {
    tierQuantity[i] = tier.minQuantity;
    tierBasisPoints[i] = tier.discountBasisPoints;
    tierAmount[i] = tier.discountMinor;
  });
  return {
    rules,
    ownSellerId,
    ownSellerNumber: internSellerId(ownSellerId),
    strategy: rules.strategy === 'buybox' ? STRATEGY_BUYBOX : rules.strategy === 'push' ? STRATEGY_PUSH : STRATEGY_FIXED,
    min: rules.minMinor,
    max: rules.maxMinor,
    step: rules.stepMinor,
    requiredFlags: rules.competitors === 'fba' ? OFFER_FBA : rules.competitors === 'buybox-eligible' ? OFFER_BUYBOX_ELIGIBLE : 0,
    // Ratings are whole percents in the snapshot: "ignore below 95.5" means ignore 95 and below.
    minRating: Math.ceil(rules.minSellerRating),
    excludeSellerNumbers: Int32Array.from(rules.excludeSellerIds, internSellerId),
    extraAmazonSellerNumbers: Int32Array.from(rules.amazonSellerIds, internSellerId),
    amazonHold: rules.amazon === 'hold',
    fallback: rules.fallback === 'keep' ? FALLBACK_KEEP : rules.fallback === 'max' ? FALLBACK_MAX : FALLBACK_PRICE,
    fallbackPrice: rules.fallbackPriceMinor,
    fixedPrice: rules.fixedPriceMinor,
    tierCount,
    tierQuantity,
    tierBasisPoints,
    tierAmount,
    pushTargetUnits: rules.push.targetUnits,
    pushPeriodMs: rules.push.periodMs,
    pushToleranceBp: rules.push.toleranceBasisPoints,
    pushKeepBuyBox: rules.push.keepBuyBox,
    awaitPriceMs: options.awaitPriceMs ?? DEFAULT_AWAIT_PRICE_MS,
    reprobeAfterMs: options.reprobeAfterMs ?? DEFAULT_REPROBE_AFTER_MS,
    competition: compileCompetitorRules(rules),
  };
}

function containsNumber(ids: Int32Array, id: number): boolean {
  for (let i = 0; i < ids.length; i++) if (ids[i] === id) return true;
  return false;
}

function stepTimes(step: number, streak: number): number {
  return step * 2 ** (streak < MAX_STREAK ? streak : MAX_STREAK);
}

function copyState(out: DecisionScratch, s: OfferState): void {
  out.nextPhase = s.phase;
  out.nextPendingPrice = s.pendingPriceMinor;
  out.nextPendingSinceMs = s.pendingSinceMs;
  out.nextLastWinningPrice = s.lastWinningPriceMinor;
  out.nextLostAtPrice = s.lostAtPriceMinor;
  out.nextCeilingPremiumBp = s.ceilingPremiumBasisPoints;
  out.nextCeilingLearnedAtMs = s.ceilingLearnedAtMs;
  out.nextCeilingReferenceLanded = s.ceilingReferenceLandedMinor;
  out.nextStreak = s.streak;
  out.nextReferenceLanded = s.referenceLandedMinor;
  out.nextLastChangeAtMs = s.lastChangeAtMs;
}

function setReason(out: DecisionScratch, reason: ReasonCode, a: number, b: number, c: number): void {
  out.reason = reason;
  out.reasonA = a;
  out.reasonB = b;
  out.reasonC = c;
}

/**
 * Decides the price of one offer. Writes into `out`; reads `rules`, `market`, `state` and never mutates them.
 * `sales` feeds the Push strategy (null = no sales data); `stockUnits` the low-stock rule (-1 = unknown).
 */
export function decideInto(
  out: DecisionScratch,
  r: CompiledOfferRules,
  m: MarketSnapshot,
  s: OfferState,
  nowMs: number,
  sales: OwnSalesHistory | null,
  stockUnits = -1,
): void {
  const n = m.count;
  const c = r.competition;
  const forbidden = c.forbiddenFlags;
  const merchantHandicap = c.merchantHandicapBp > 0 || c.merchantHandicapMinor > 0;
  const ids = m.sellerNumbers;
  const landedPrices = m.landed;
  const attributes = m.attributes;
  const ownId = r.ownSellerNumber;
  const required = r.requiredFlags;
  const minRating = r.minRating;
  const exclude = r.excludeSellerNumbers;
  const extraAmazon = r.extraAmazonSellerNumbers;

  // Our own offers (a seller may list FBA and merchant-fulfilled offers on one ASIN) are never competitors.
  // The one a decision prices from is the one in the Buy Box, else our cheapest.
  let own = -1;
  let ownWinner = false;
  let others = 0;
  let otherFlaggedWinners = 0;
  let qualifying = 0;
  let lowest = INFINITE_PRICE;
  let lowestSeen = INFINITE_PRICE;
  let winner = INFINITE_PRICE;
  let lowestIsAmazon = false;
  let winnerIsAmazon = false;
  let amazonLanded = INFINITE_PRICE;
  const summaryWinnerLanded = m.summaryBuyBoxLanded;
  let summaryWinnerFilteredOut = false;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    const attr = attributes[i]!;
    const f = attr & 0xff;
    const landed = landedPrices[i]!;
    if (id === ownId) {
      const flagged = (f & OFFER_BUYBOX_WINNER) !== 0;
      if (own < 0 || (flagged && !ownWinner) || (flagged === ownWinner && landed < landedPrices[own]!)) own = i;
      if (flagged) ownWinner = true;
      continue;
    }
    others++;
    if (landed < lowestSeen) lowestSeen = landed;
    if ((f & OFFER_BUYBOX_WINNER) !== 0) otherFlaggedWinners++;
    const amazon = (f & OFFER_AMAZON_RETAIL) !== 0 || (extraAmazon.length > 0 && containsNumber(extraAmazon, id));
    if (amazon && landed < amazonLanded) amazonLanded = landed;
    if (
      (f & required) !== required ||
      (f & forbidden) !== 0 ||
      attr >> 8 < minRating ||
      (exclude.length > 0 && containsNumber(exclude, id)) ||
      (c.offerFilters && ignoredByOfferFilters(c, m, i))
    ) {
      if (landed === summaryWinnerLanded) summaryWinnerFilteredOut = true;
      continue;
    }
    qualifying++;
    // A merchant-fulfilled competitor may be weighted: compared as if dearer by the rule's handicap.
    const compared = merchantHandicap && (f & OFFER_FBA) === 0 && !amazon ? merchantComparedLanded(c, landed) : landed;
    if (compared < lowest) {
      lowest = compared;
      lowestIsAmazon = amazon;
    }
    if ((f & OFFER_BUYBOX_WINNER) !== 0 && compared < winner) {
      winner = compared;
      winnerIsAmazon = amazon;
    }
  }
  const ownLandedSeen = own >= 0 ? landedPrices[own]! : -1;
  // The Summary speaks for offers Amazon left out of `Offers` (it sends at most 20; its samples send fewer).
  let summaryWinnerIsOurs = false;
  if (winner === INFINITE_PRICE && otherFlaggedWinners === 0 && !ownWinner && summaryWinnerLanded > 0 && !summaryWinnerFilteredOut) {
    const named = m.summaryBuyBoxSeller;
    if (named === ownId || (named === 0 && summaryWinnerLanded === ownLandedSeen)) {
      summaryWinnerIsOurs = true;
    } else if (named === 0 || !containsNumber(exclude, named)) {
      // Someone holds the Buy Box at that price, listed or not: undercut that one.
      winner = summaryWinnerLanded;
      if (summaryWinnerLanded < lowest) lowest = summaryWinnerLanded;
      if (qualifying === 0) qualifying = 1;
      if (others === 0) others = 1;
    }
  }
  const summaryLowest = (required & OFFER_FBA) !== 0 ? m.summaryLowestFbaLanded : m.summaryLowestLanded;
  if (summaryLowest > 0 && summaryLowest < lowestSeen && summaryLowest < lowest && summaryLowest !== ownLandedSeen) {
    // A cheaper offer than any listed one exists: it competes (its rating and seller are unknown to the filters).
    lowest = summaryLowest;
    lowestIsAmazon = false;
    if (qualifying === 0) qualifying = 1;
    if (others === 0) others = 1;
  }
  if (others === 0 && m.totalOfferCount > n) others = m.totalOfferCount - n;

  const current = own >= 0 ? m.listing[own]! : -1;
  const ownExtra = own >= 0 ? m.shipping[own]! - m.points[own]! : 0;
  // Amazon can show two winners (best Prime offer, best offer overall). Sharing the Buy Box with another offer
  // is not owning it: the strategy aims to be the only winner, so a shared Buy Box counts as not won.
  // The rule may accept sharing it (`buyBoxShared: "share"`): then holding either of the two is winning.
  const weWin = own >= 0 && (ownWinner || summaryWinnerIsOurs) && (otherFlaggedWinners === 0 || c.shareBuyBox);
  // Nobody holds the Buy Box (Amazon suppressed it): neither a flagged winner nor a Summary Buy Box price.
  const suppressed = !ownWinner && !summaryWinnerIsOurs && otherFlaggedWinners === 0 && summaryWinnerLanded === 0;
  // Without our own offer in the data we assume the worst case, being priced at max.
  const base = current >= 0 ? current : r.max;

  copyState(out, s);
  out.currentPrice = current;
  out.ownOfferMissing = own < 0;
  out.amazonOnListing = amazonLanded !== INFINITE_PRICE;

  let target: number;
  switch (r.strategy) {
    case STRATEGY_BUYBOX:
      target = buyBox(out, r, m, s, nowMs, current, base, ownExtra, weWin, suppressed, others, qualifying, lowest, winner, winnerIsAmazon || (winner === INFINITE_PRICE && lowestIsAmazon), amazonLanded);
      break;
    case STRATEGY_PUSH:
      target = push(out, r, s, nowMs, base, ownExtra, qualifying, lowest, sales);
      break;
    default:
      target = r.fixedPrice;
      setReason(out, ReasonCode.Fixed, r.fixedPrice, 0, 0);
      out.nextPhase = Phase.Managed;
      out.nextPendingPrice = 0;
  }

  if (r.strategy !== STRATEGY_FIXED) target = lowStockTarget(out, c, target, r.max, stockUnits);

  // Amazon may stop featuring an offer priced above its CompetitivePriceThreshold (or the list price): a raise
  // stops there. Without the Buy Box, a price above the threshold is what keeps it away (issue 21): such a price
  // comes down to the threshold. Holding the Buy Box above it, nothing is lowered. The range has the last word.
  const cap = m.raiseCapLanded;
  const threshold = m.competitiveThresholdLanded;
  if (r.strategy !== STRATEGY_FIXED && !weWin && threshold > 0 && target + ownExtra > threshold) {
    target = threshold - ownExtra;
    setReason(out, ReasonCode.AtCompetitiveThreshold, threshold, target < r.min ? r.min : target > r.max ? r.max : target, 0);
  } else if (cap > 0 && r.strategy !== STRATEGY_FIXED && target > base && target + ownExtra > cap) {
    const capped = cap - ownExtra > base ? cap - ownExtra : base;
    setReason(out, ReasonCode.RaiseCapped, cap, capped < r.min ? r.min : capped > r.max ? r.max : capped, m.raiseCapSource);
    target = capped;
  }

  // The range is the customer's hard limit: the last word belongs to the clamp. `!(x >= min)` also catches NaN.
  const min = r.min;
  const max = r.max;
  if (!(target >= min)) target = min;
  else if (target > max) target = max;
  target = Math.floor(target);
  out.newPrice = target;
  out.action = target > base ? 1 : target < base ? -1 : 0;
  if (out.action !== 0) {
    out.nextPendingPrice = target;
    out.nextPendingSinceMs = nowMs;
    out.nextLastChangeAtMs = nowMs;
  }

  // B2B quantity tiers follow the base price: a discount per tier, never above the previous tier, never outside the range.
  const tiers = r.tierCount;
  out.tierCount = tiers;
  let previous = target;
  for (let k = 0; k < tiers; k++) {
    const bp = r.tierBasisPoints[k]!;
    let price = bp > 0 ? Math.floor((target * (10_000 - bp)) / 10_000) : target - r.tierAmount[k]!;
    if (price > previous) price = previous;
    if (!(price >= min)) price = min;
    else if (price > max) price = max;
    out.tierPrices[k] = price;
    previous = price;
  }
}

function buyBox(
  out: DecisionScratch,
  r: CompiledOfferRules,
  m: MarketSnapshot,
  s: OfferState,
  nowMs: number,
  current: number,
  base: number,
  ownExtra: number,
  weWin: boolean,
  suppressed: boolean,
  others: number,
  qualifying: number,
  lowest: number,
  winner: number,
  referenceIsAmazon: boolean,
  amazonLanded: number,
): number {
  const step = r.step;
  if (others === 0) {
    setReason(out, ReasonCode.SoleSeller, r.max, 0, 0);
    out.nextPhase = Phase.Sole;
    out.nextPendingPrice = 0;
    out.nextStreak = 0;
    return r.max;
  }
  if (amazonLanded !== INFINITE_PRICE && r.amazonHold) {
    const keep = base > r.max ? r.max : base < r.min ? r.min : base;
    setReason(out, ReasonCode.AmazonHold, amazonLanded, keep, 0);
    out.nextPhase = Phase.AmazonHold;
    out.nextPendingPrice = 0;
    return keep;
  }
  if (qualifying === 0) {
    out.nextPhase = Phase.Fallback;
    out.nextPendingPrice = 0;
    out.nextStreak = 0;
    if (r.fallback === FALLBACK_MAX) {
      setReason(out, ReasonCode.FallbackMax, r.max, 0, 0);
      return r.max;
    }
    if (r.fallback === FALLBACK_PRICE) {
      setReason(out, ReasonCode.FallbackPrice, r.fallbackPrice, 0, 0);
      return r.fallbackPrice;
    }
    const keep = base > r.max ? r.max : base < r.min ? r.min : base;
    setReason(out, ReasonCode.FallbackKeep, keep, 0, 0);
    return keep;
  }

  // Wait for Amazon's answer to the last push before reacting again (it applies prices in ~1–2 min).
  const pending = s.pendingPriceMinor;
  if (pending > 0 && current !== pending && nowMs - s.pendingSinceMs < r.awaitPriceMs) {
    // Hold (no new push): the decision keeps the live price and the pending one stays in the state.
    setReason(out, ReasonCode.AwaitingPrice, pending, Math.floor((nowMs - s.pendingSinceMs) / 1000), 0);
    return base;
  }
  out.nextPendingPrice = 0;

  if (suppressed && r.competition.suppressed !== SUPPRESSED_COMPETE) {
    const target = suppressedBuyBoxTarget(out, r.competition, m, base, ownExtra);
    if (target >= 0) {
      out.nextPhase = Phase.Seeking;
      out.nextStreak = 0;
      return target;
    }
  }

  // A new cheapest competitor restarts the step doubling: big jumps are only for a market that stands still.
  let streak = s.referenceLandedMinor === lowest ? s.streak : 0;
  out.nextReferenceLanded = lowest;
  let ceilingBp = s.ceilingPremiumBasisPoints;
  if (ceilingBp !== NO_CEILING && nowMs - s.ceilingLearnedAtMs > r.reprobeAfterMs) ceilingBp = NO_CEILING;
  out.nextCeilingPremiumBp = ceilingBp;
  const ownLanded = base + ownExtra;
  // While the cheapest competitor stands where it stood, the exact landed price that lost is the ceiling;
  // once it moves, the ceiling follows it by the learned relative premium.
  const ceilingLanded =
    ceilingBp === NO_CEILING
      ? INFINITE_PRICE
      : s.ceilingReferenceLandedMinor === lowest && s.lostAtPriceMinor > 0
        ? s.lostAtPriceMinor + ownExtra
        : Math.floor((lowest * (10_000 + ceilingBp)) / 10_000);

  if (weWin) {
    out.nextLastWinningPrice = current;
    let targetLanded: number;
    let reason: ReasonCode;
    let reasonA: number;
    if (ownLanded < lowest - step && ceilingLanded === INFINITE_PRICE) {
      // Cheapest by more than a step: one step below the next competitor is still the cheapest offer.
      targetLanded = lowest - step;
      reason = ReasonCode.RaiseToBelowNext;
      reasonA = lowest;
    } else {
      reasonA = stepTimes(step, streak);
      targetLanded = ownLanded + reasonA;
      reason = ReasonCode.RaiseProbing;
    }
    if (ceilingLanded !== INFINITE_PRICE && targetLanded > ceilingLanded - step) targetLanded = ceilingLanded - step;
    let target = targetLanded - ownExtra;
    if (target > r.max) target = r.max;
    if (target > current) {
      setReason(out, reason, reasonA, target, ceilingLanded === INFINITE_PRICE ? NO_CEILING : ceilingLanded - ownExtra);
      out.nextPhase = Phase.Probing;
      // Only probing raises double the next step; the jump below the next competitor is a known-safe move.
      out.nextStreak = reason === ReasonCode.RaiseProbing ? streak + 1 : streak;
      return target;
    }
    // At the highest price that keeps the Buy Box (or at max): the fixed point of the strategy.
    const keep = current > r.max ? r.max : current < r.min ? r.min : current;
    if (keep >= r.max) setReason(out, ReasonCode.HoldAtMax, keep, 0, 0);
    // The price that lost is the ceiling as it stands now: after the cheapest competitor moved, the loss price
    // moved with it (by the learned premium), so the stale price that lost at the time would not explain a hold above it.
    else setReason(out, ReasonCode.HoldAtCeiling, keep, ceilingLanded !== INFINITE_PRICE ? ceilingLanded - ownExtra : keep + step, 0);
    out.nextPhase = Phase.Holding;
    out.nextStreak = 0;
    return keep;
  }

  if (s.phase === Phase.Probing && current === pending && current > 0 && s.lastWinningPriceMinor > 0 && s.lastWinningPriceMinor < current) {
    // Our own raise lost the Buy Box: remember where (relative to the cheapest competitor) and go back.
    out.nextLostAtPrice = current;
    if (lowest > 0) {
      out.nextCeilingPremiumBp = Math.round(((ownLanded - lowest) * 10_000) / lowest);
      out.nextCeilingLearnedAtMs = nowMs;
      out.nextCeilingReferenceLanded = lowest;
    }
    out.nextPhase = Phase.Seeking;
    out.nextStreak = 0;
    setReason(out, ReasonCode.RevertAfterLoss, current, s.lastWinningPriceMinor, 0);
    return s.lastWinningPriceMinor;
  }

  // Not winning: undercut the landed price that wins by one step.
  const reference = winner !== INFINITE_PRICE ? winner : lowest;
  const match = r.competition.match;
  if (match === MATCH_ALL || (match === MATCH_AMAZON && referenceIsAmazon)) {
    // "Match, don't undercut": price at the reference, and once there, hold instead of starting a price war.
    out.nextPhase = Phase.Seeking;
    out.nextStreak = 0;
    if (current >= 0 && ownLanded <= reference) {
      setReason(out, ReasonCode.MatchHold, reference, base, 0);
      return base;
    }
    const target = reference - ownExtra;
    setReason(out, ReasonCode.MatchPrice, reference, target < r.min ? r.min : target > r.max ? r.max : target, referenceIsAmazon ? 1 : 0);
    return target;
  }
  let targetLanded = reference - step;
  let reason: ReasonCode = winner !== INFINITE_PRICE ? ReasonCode.UndercutBuyBox : ReasonCode.UndercutLowest;
  let reasonA = reference;
  let reasonC = step;
  if (current >= 0 && ownLanded <= targetLanded) {
    // Already below the winner and Amazon still prefers it (fulfilment, rating): step down, doubling each time.
    reasonC = stepTimes(step, streak);
    targetLanded = ownLanded - reasonC;
    reason = ReasonCode.LowerStillLosing;
    reasonA = base;
    streak++;
  } else {
    streak = 0;
  }
  out.nextStreak = streak;
  out.nextPhase = Phase.Seeking;
  let target = targetLanded - ownExtra;
  if (target < r.min) {
    target = r.min;
    setReason(out, ReasonCode.AtMinCannotWin, reference, r.min, 0);
    return target;
  }
  setReason(out, reason, reasonA, target > r.max ? r.max : target, reasonC);
  return target;
}

function push(
  out: DecisionScratch,
  r: CompiledOfferRules,
  s: OfferState,
  nowMs: number,
  base: number,
  ownExtra: number,
  qualifying: number,
  lowest: number,
  sales: OwnSalesHistory | null,
): number {
  out.nextPhase = Phase.Managed;
  out.nextPendingPrice = 0;
  const step = r.step;
  // One move per period: a Push step must be given time to show in the sales before the next one.
  if (s.lastChangeAtMs > 0 && nowMs - s.lastChangeAtMs < r.pushPeriodMs) {
    setReason(out, ReasonCode.PushCooldown, Math.floor((nowMs - s.lastChangeAtMs) / 60_000), Math.floor(r.pushPeriodMs / 60_000), base);
    return base;
  }
  let target = base;
  if (sales === null || !(sales.windowMs > 0) || !(sales.unitsInWindow >= 0)) {
    setReason(out, ReasonCode.PushNoSalesData, base, 0, 0);
  } else {
    // Compare units per period: units × period vs target × window (no division, no rounding drift).
    const sold = sales.unitsInWindow * r.pushPeriodMs;
    const expected = r.pushTargetUnits * sales.windowMs;
    const units = Math.round((sales.unitsInWindow * r.pushPeriodMs) / sales.windowMs);
    if (sold * 10_000 > expected * (10_000 + r.pushToleranceBp)) {
      target = base + step;
      setReason(out, ReasonCode.PushRaise, units, r.pushTargetUnits, target);
    } else if (sold * 10_000 < expected * (10_000 - r.pushToleranceBp)) {
      target = base - step;
      setReason(out, ReasonCode.PushLower, units, r.pushTargetUnits, target);
    } else {
      setReason(out, ReasonCode.PushOnTarget, units, r.pushTargetUnits, base);
    }
  }
  if (r.pushKeepBuyBox && qualifying > 0) {
    const cap = lowest - step - ownExtra;
    if (target > cap) {
      target = cap < r.min ? r.min : cap;
      setReason(out, ReasonCode.PushBuyBoxGuard, lowest, target, 0);
    }
  }
  return target;
}

// -------------------------------------------------------------------------------------------------------------
// Edge form

const ACTIONS: readonly DecisionAction[] = ['lower', 'hold', 'raise'];

export function scratchToState(out: DecisionScratch): OfferState {
  return {
    phase: out.nextPhase,
    pendingPriceMinor: out.nextPendingPrice,
    pendingSinceMs: out.nextPendingSinceMs,
    lastWinningPriceMinor: out.nextLastWinningPrice,
    lostAtPriceMinor: out.nextLostAtPrice,
    ceilingPremiumBasisPoints: out.nextCeilingPremiumBp,
    ceilingLearnedAtMs: out.nextCeilingLearnedAtMs,
    ceilingReferenceLandedMinor: out.nextCeilingReferenceLanded,
    streak: out.nextStreak,
    referenceLandedMinor: out.nextReferenceLanded,
    lastChangeAtMs: out.nextLastChangeAtMs,
  };
}

/** Allocating wrapper around `decideInto`: the form the use case, the CLI and the tests read. */
export function decide(
  rules: CompiledOfferRules,
  market: MarketSnapshot,
  state: OfferState,
  nowMs: number,
  sales: OwnSalesHistory | null,
  out: DecisionScratch = new DecisionScratch(),
  stockUnits = -1,
): RepriceDecision {
  decideInto(out, rules, market, state, nowMs, sales, stockUnits);
  const tiers: TierPrice[] = [];
  for (let k = 0; k < out.tierCount; k++) {
    tiers.push({ minQuantity: rules.tierQuantity[k]!, priceMinor: out.tierPrices[k]! });
  }
  const o = rules.rules;
  return {
    sku: o.sku,
    asin: o.asin,
    marketplaceId: o.marketplaceId,
    audience: o.audience,
    strategy: o.strategy,
    currency: o.currency,
    currentPriceMinor: out.currentPrice >= 0 ? out.currentPrice : null,
    newPriceMinor: out.newPrice,
    tiers,
    action: ACTIONS[out.action + 1]!,
    reasonCode: reasonCodeName(out.reason),
    reasonParams: [out.reasonA, out.reasonB, out.reasonC],
    dryRun: o.dryRun,
    amazonOnListing: out.amazonOnListing,
    ownOfferMissing: out.ownOfferMissing,
    nextState: scratchToState(out),
  };
}
