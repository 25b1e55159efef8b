import { OFFER_FBA, Phase, ReasonCode } from './types.ts';
import type { DecisionScratch, MarketSnapshot, OfferRules } from './types.ts';

/**
 * Issue 21, "rules that match how sellers compete": the competitor rules other repricers offer (Informed, BQool,
 * Seller Snap), compiled to integers for the hot loop in engine.ts, plus the small pure steps the engine calls:
 *
 * - who counts: merchant-fulfilled offers weighted by a handicap ("counts only if cheaper by more than 5 % / 0.50"),
 *   minimum feedback count, maximum handling time (`ShippingTime.MaximumHours`), ships-from countries to ignore;
 * - what a rule does with a Buy Box shared by two winners, or suppressed (no winner at all);
 * - "match, don't undercut" (against Amazon retail or everyone);
 * - stock: at or below a threshold of own units the price moves toward max.
 *
 * Every rule's default changes nothing, so offers stored before issue 21 decide as before.
 */

export const SUPPRESSED_COMPETE = 0;
export const SUPPRESSED_HOLD = 1;
export const SUPPRESSED_THRESHOLD = 2;
export const MATCH_NEVER = 0;
export const MATCH_AMAZON = 1;
export const MATCH_ALL = 2;

export interface CompiledCompetitorRules {
  /** Offer flags that exclude a competitor (`competitors: "merchant"` excludes FBA offers). */
  readonly forbiddenFlags: number;
  readonly merchantHandicapBp: number;
  readonly merchantHandicapMinor: number;
  /** True when any per-offer filter below is set: the hot loop skips the call otherwise. */
  readonly offerFilters: boolean;
  readonly minFeedbackCount: number;
  readonly maxHandlingHours: number;
  readonly ignoreShipsFrom: Int32Array;
  readonly lowStockUnits: number;
  readonly lowStockRaiseBp: number;
  readonly shareBuyBox: boolean;
  readonly suppressed: number;
  readonly match: number;
}

/** A two-letter country code as one integer (0 = unknown), so the hot loop compares numbers. */
export function countryNumber(code: string | undefined): number {
  if (code?.length !== 2) return 0;
  const upper = code.toUpperCase();
  return (upper.charCodeAt(0) << 8) | upper.charCodeAt(1);
}

export function compileCompetitorRules(rules: OfferRules): CompiledCompetitorRules {
  const minFeedbackCount = rules.minFeedbackCount ?? 0;
  const maxHandlingHours = rules.maxHandlingHours ?? -1;
  const ignoreShipsFrom = Int32Array.from(rules.ignoreShipsFrom ?? [], countryNumber);
  return {
    forbiddenFlags: rules.competitors === 'merchant' ? OFFER_FBA : 0,
    merchantHandicapBp: rules.merchantHandicapBasisPoints ?? 0,
    merchantHandicapMinor: rules.merchantHandicapMinor ?? 0,
    offerFilters: minFeedbackCount > 0 || maxHandlingHours >= 0 || ignoreShipsFrom.length > 0,
    minFeedbackCount,
    maxHandlingHours,
    ignoreShipsFrom,
    lowStockUnits: rules.lowStockUnits ?? -1,
    lowStockRaiseBp: rules.lowStockRaiseBasisPoints ?? 10_000,
    shareBuyBox: rules.buyBoxShared === 'share',
    suppressed: rules.buyBoxSuppressed === 'hold' ? SUPPRESSED_HOLD : rules.buyBoxSuppressed === 'threshold' ? SUPPRESSED_THRESHOLD : SUPPRESSED_COMPETE,
    match: rules.match === 'all' ? MATCH_ALL : rules.match === 'amazon' ? MATCH_AMAZON : MATCH_NEVER,
  };
}

/** True when offer `i` is ignored by the feedback-count, handling-time or ships-from rules (unknown values are kept). */
export function ignoredByOfferFilters(c: CompiledCompetitorRules, m: MarketSnapshot, i: number): boolean {
  const count = m.feedbackCounts[i]!;
  if (c.minFeedbackCount > 0 && count >= 0 && count < c.minFeedbackCount) return true;
  const hours = m.handlingHours[i]!;
  if (c.maxHandlingHours >= 0 && hours > c.maxHandlingHours) return true;
  const country = m.shipsFrom[i]!;
  if (country !== 0) {
    const ignored = c.ignoreShipsFrom;
    for (let k = 0; k < ignored.length; k++) if (ignored[k] === country) return true;
  }
  return false;
}

/** The landed price a merchant-fulfilled competitor is compared at: it only beats us when cheaper by more than the handicap. */
export function merchantComparedLanded(c: CompiledCompetitorRules, landed: number): number {
  return c.merchantHandicapBp > 0 ? landed + Math.floor((landed * c.merchantHandicapBp) / 10_000) : landed + c.merchantHandicapMinor;
}

/**
 * The price of a Buy Box that nobody holds (Amazon suppressed it), when the rule does not just compete: `hold`
 * keeps the price; `threshold` prices at Amazon's CompetitivePriceThreshold, the highest price Amazon says may be
 * featured (without one the rule competes). Returns -1 to let the strategy compete.
 */
export function suppressedBuyBoxTarget(out: DecisionScratch, c: CompiledCompetitorRules, m: MarketSnapshot, base: number, ownExtra: number): number {
  if (c.suppressed === SUPPRESSED_HOLD) {
    out.reason = ReasonCode.BuyBoxSuppressedHold;
    out.reasonA = base;
    out.reasonB = 0;
    out.reasonC = 0;
    return base;
  }
  const threshold = m.competitiveThresholdLanded;
  if (c.suppressed === SUPPRESSED_THRESHOLD && threshold > 0) {
    const target = threshold - ownExtra;
    out.reason = ReasonCode.BuyBoxSuppressedThreshold;
    out.reasonA = threshold;
    out.reasonB = target;
    out.reasonC = 0;
    return target;
  }
  return -1;
}

/**
 * Own stock at or below the rule's threshold (0 = out of stock): move the strategy's price toward max by the
 * rule's share of the distance; the remaining units sell dearer instead of running out at the Buy Box price.
 * The next decision starts seeking again (no ceiling is learned from a price the stock chose).
 */
export function lowStockTarget(out: DecisionScratch, c: CompiledCompetitorRules, target: number, max: number, stockUnits: number): number {
  if (c.lowStockUnits < 0 || stockUnits < 0 || stockUnits > c.lowStockUnits || !(target < max)) return target;
  const raised = target + Math.floor(((max - target) * c.lowStockRaiseBp) / 10_000);
  out.reason = ReasonCode.LowStockRaise;
  out.reasonA = stockUnits;
  out.reasonB = c.lowStockUnits;
  out.reasonC = raised;
  out.nextPhase = Phase.Seeking;
  out.nextStreak = 0;
  return raised;
}
