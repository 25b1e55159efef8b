/**
 * The decision path's side of the min from economics (issue 21): before the engine decides, a rule with cost and
 * margin gets its min from the rule's fees or the offer's fee estimate; with no fees known, or when no price up to
 * max pays, the offer holds (no push) and the reason says why. Pure: the fee estimate was fetched before.
 */
import { formatMinor } from '#shared/kernel/money.ts';
import { deriveOfferMin, type FeeEstimate, type MinDerivation } from './economics.ts';
import { formatBasisPoints, offerIdentity } from './rules.ts';
import type { OfferRules, OfferState, RepriceDecision } from './types.ts';

export interface EconomicRange {
  /** The rules to decide with: `minMinor` is the derived min (the stored rules when the min is given). */
  readonly rules: OfferRules;
  readonly derivation: MinDerivation | null;
  /** Set when the offer must hold instead of deciding: fees unknown, or cost + fees + margin above max. */
  readonly hold: RepriceDecision | null;
}

export function economicRange(rules: OfferRules, estimate: FeeEstimate | undefined, ownPriceMinor: number | null, state: OfferState, nowMs: number): EconomicRange {
  if (!rules.economics) return { rules, derivation: null, hold: null };
  const derivation = deriveOfferMin(rules.economics, rules.maxMinor, estimate, nowMs);
  if (derivation.minMinor !== null) {
    // Never below what validation accepted (the cost floor): an estimate cannot make the rule cheaper than that.
    const minMinor = Math.max(derivation.minMinor, rules.minMinor);
    return { rules: minMinor === rules.minMinor ? rules : { ...rules, minMinor, ...clampedPrices(rules, minMinor) }, derivation, hold: null };
  }
  const current = ownPriceMinor ?? 0;
  const hold: RepriceDecision = {
    ...offerIdentity(rules),
    currentPriceMinor: ownPriceMinor,
    newPriceMinor: ownPriceMinor ?? rules.maxMinor,
    tiers: [],
    action: 'hold',
    reasonCode: derivation.status === 'fees-unknown' ? 'FeesUnknown' : 'MinAboveMax',
    reasonParams:
      derivation.status === 'fees-unknown'
        ? [rules.economics.costMinor, current, 0]
        : [derivation.neededMinor ?? 0, rules.maxMinor, current],
    dryRun: rules.dryRun,
    amazonOnListing: false,
    ownOfferMissing: ownPriceMinor === null,
    nextState: state,
  };
  return { rules, derivation, hold };
}

/** The fixed and fallback prices follow a derived min upwards: they were validated against the cost floor only. */
function clampedPrices(rules: OfferRules, minMinor: number): Pick<OfferRules, 'fixedPriceMinor' | 'fallbackPriceMinor'> {
  return {
    fixedPriceMinor: rules.strategy === 'fixed' ? Math.max(rules.fixedPriceMinor, minMinor) : rules.fixedPriceMinor,
    fallbackPriceMinor: rules.fallback === 'price' ? Math.max(rules.fallbackPriceMinor, minMinor) : rules.fallbackPriceMinor,
  };
}

/** `minDerivation` of the offer views (API and web): how the min came about, as decimal strings. */
export interface MinDerivationView {
  readonly status: MinDerivation['status'];
  readonly cost: string;
  /** Percent on net revenue (price without VAT). */
  readonly margin: string;
  /** VAT included in the prices, percent ("0" where prices are net). */
  readonly vatPercent: string;
  readonly fees: {
    readonly source: 'rule' | 'sp-api' | 'simulated';
    /** When the estimate was had (null for fees given in the rule). */
    readonly at: string | null;
    /** The price Amazon estimated at (null for the rule's). */
    readonly estimatedAtPrice: string | null;
    readonly fulfilment: 'FBA' | 'MFN' | null;
    /** Older than a day: the last estimate, kept because no newer one could be had. */
    readonly stale: boolean;
    readonly referralPercent: string;
    readonly referralMinimum: string;
    readonly fixed: string;
    /** Fees at the derived min. */
    readonly atMin: string | null;
  } | null;
  /** The derived min (null while the fees are unknown or no price up to max pays). */
  readonly min: string | null;
  /** above-max: the lowest price that would pay. */
  readonly needed: string | null;
}

export function minDerivationView(rules: OfferRules, estimate: FeeEstimate | undefined, nowMs: number): MinDerivationView | null {
  if (!rules.economics) return null;
  const d = deriveOfferMin(rules.economics, rules.maxMinor, estimate, nowMs);
  const fmt = (minor: number): string => formatMinor(minor, rules.currency);
  return {
    status: d.status,
    cost: fmt(d.costMinor),
    margin: formatBasisPoints(d.marginBasisPoints),
    vatPercent: formatBasisPoints(d.vatBasisPoints),
    fees: d.fees
      ? {
          source: d.fees.source,
          at: d.fees.estimatedAtMs === null ? null : new Date(d.fees.estimatedAtMs).toISOString(),
          estimatedAtPrice: d.fees.estimatedAtPriceMinor === null ? null : fmt(d.fees.estimatedAtPriceMinor),
          fulfilment: d.fees.fulfilment,
          stale: d.fees.stale,
          referralPercent: formatBasisPoints(d.fees.schedule.referralBasisPoints),
          referralMinimum: fmt(d.fees.schedule.referralMinimumMinor),
          fixed: fmt(d.fees.schedule.fixedMinor),
          atMin: d.feesAtMinMinor === null ? null : fmt(d.feesAtMinMinor),
        }
      : null,
    // The engine never goes below what validation accepted (the cost floor), as economicRange does.
    min: d.minMinor === null ? null : fmt(Math.max(d.minMinor, rules.minMinor)),
    needed: d.neededMinor === null ? null : fmt(d.neededMinor),
  };
}
