/**
 * Min from economics (issue 21): a rule may derive its minimum price from the seller's unit cost, Amazon's fees and
 * a target margin instead of giving it. Pure and integer-only (minor units, basis points): no float touches money.
 *
 * Definitions (docs/repricer.md, "Min from cost, fees and margin"):
 * - P is the listing price the buyer pays. In marketplaces whose prices include VAT (EU, UK, TR, JP, MX) the
 *   seller keeps the net price N(P) = P × 10000 / (10000 + vat); elsewhere N(P) = P.
 * - fees(P) = max(⌈P × referral / 10000⌉, referralMinimum) + fixed (fulfilment, closing and per-item fees).
 *   Amazon computes the referral fee on the whole price the buyer pays, VAT included.
 * - The margin is on net revenue: N(P) − fees(P) − cost ≥ margin × N(P). Without VAT that is the issue's
 *   P − fees(P) − cost ≥ margin × P. Multiplied out, exactly: P × (10000 − margin) ≥ (fees(P) + cost) × (10000 + vat).
 * - The derived min is the lowest P such that EVERY price from P up to max meets it (the referral fee's rounding
 *   makes the condition jitter by a cent, so the lowest single price that meets it is not enough: the engine may
 *   price anywhere in [min, max]).
 */
import type { Currency } from '#shared/kernel/money.ts';
import { formatMinor } from '#shared/kernel/money.ts';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';

export interface FeeSchedule {
  /** Referral fee in basis points of the price (1500 = 15 %). */
  readonly referralBasisPoints: number;
  /** Amazon's per-item minimum referral fee, minor units. */
  readonly referralMinimumMinor: number;
  /** Fees that do not depend on the price (FBA fulfilment, closing, per-item), minor units. */
  readonly fixedMinor: number;
  /**
   * From an estimate: the referral rate exactly as Amazon's estimate gives it (`referralMinor` per `priceMinor`);
   * `referralBasisPoints` is then its rounding up, for showing. Absent for fees given in a rule.
   */
  readonly referralPerPrice?: { readonly referralMinor: number; readonly priceMinor: number };
}

/** The economics of one rule: the seller's cost, the margin it wants and, when the rule gives them, Amazon's fees. */
export interface OfferEconomics {
  /** The seller's unit cost, net of VAT (reclaimable input VAT is not a cost), minor units. */
  readonly costMinor: number;
  /** Target margin on net revenue, basis points (1500 = 15 %). */
  readonly marginBasisPoints: number;
  /** Fees given in the rule (the CLI, or a seller who knows them); null: Amazon's estimate through the fee port. */
  readonly fees: FeeSchedule | null;
  /** VAT included in the marketplace's prices, basis points: the marketplace's standard rate unless the rule says. */
  readonly vatBasisPoints: number;
}

export type FeeSource = 'rule' | 'sp-api' | 'simulated';

/** Amazon's fees for one offer at one price, as the fee port returns them (and the offer stores them). */
export interface FeeEstimate {
  /** The listing price the fees were estimated at (the lower edge of its price band, see `priceBandOf`). */
  readonly priceMinor: number;
  readonly totalMinor: number;
  /** The referral fee in `totalMinor`; equal to it when Amazon gives no breakdown. */
  readonly referralMinor: number;
  readonly fulfilment: 'FBA' | 'MFN';
  readonly source: 'sp-api' | 'simulated';
  /** When we got it (our clock): its age decides refreshes and is shown. */
  readonly estimatedAtMs: number;
}

/** An estimate is refreshed after a day (Amazon changes fees a few times a year, with notice). */
export const FEE_ESTIMATE_TTL_MS = 24 * 60 * 60_000;
/** An estimate taken at another price band is re-taken at the derived min's band, at most this often. */
export const FEE_ESTIMATE_REBAND_AFTER_MS = 10 * 60_000;
/** Scanning below the sufficient bound stops after this many prices: stopping early only leaves min higher (safe). */
const MAX_SCAN = 200_000;

/**
 * Standard VAT rates in basis points of marketplaces whose shelf prices include VAT (sales tax in US and CA is
 * added at checkout, so their prices are net). Reduced rates (books, food) are set per rule with `vatPercent`.
 */
const VAT_INCLUDED_BASIS_POINTS: Readonly<Record<string, number>> = {
  [MARKETPLACES.DE.id]: 1900,
  [MARKETPLACES.FR.id]: 2000,
  [MARKETPLACES.UK.id]: 2000,
  [MARKETPLACES.IT.id]: 2200,
  [MARKETPLACES.ES.id]: 2100,
  [MARKETPLACES.NL.id]: 2100,
  [MARKETPLACES.PL.id]: 2300,
  [MARKETPLACES.SE.id]: 2500,
  [MARKETPLACES.TR.id]: 2000,
  [MARKETPLACES.MX.id]: 1600,
  [MARKETPLACES.JP.id]: 1000,
};

export function defaultVatBasisPoints(marketplaceId: string): number {
  return VAT_INCLUDED_BASIS_POINTS[marketplaceId] ?? 0;
}

export function feesAt(schedule: FeeSchedule, priceMinor: number): number {
  const exact = schedule.referralPerPrice;
  const referral = exact ? Math.ceil((priceMinor * exact.referralMinor) / exact.priceMinor) : Math.ceil((priceMinor * schedule.referralBasisPoints) / 10_000);
  return (referral > schedule.referralMinimumMinor ? referral : schedule.referralMinimumMinor) + schedule.fixedMinor;
}

/** Whether price P meets the margin: P × (10000 − margin) ≥ (fees(P) + cost) × (10000 + vat), exact integers. */
export function meetsMargin(economics: Omit<OfferEconomics, 'fees'>, schedule: FeeSchedule, priceMinor: number): boolean {
  return priceMinor * (10_000 - economics.marginBasisPoints) >= (feesAt(schedule, priceMinor) + economics.costMinor) * (10_000 + economics.vatBasisPoints);
}

/**
 * The lowest price P ≤ max such that every price in [P, max] meets the margin, or null when max itself does not.
 * First a bound above which the condition always holds (⌈x⌉ < x + 1 makes it linear), then a walk down from it.
 */
export function deriveMinPrice(economics: Omit<OfferEconomics, 'fees'>, schedule: FeeSchedule, maxMinor: number): number | null {
  const keep = 10_000 - economics.marginBasisPoints;
  const gross = 10_000 + economics.vatBasisPoints;
  const fixed = schedule.fixedMinor + economics.costMinor;
  // Above the referral minimum's reach: P × keep ≥ (min + fixed) × gross.
  const boundMinimum = ceilDiv(BigInt(schedule.referralMinimumMinor + fixed) * BigInt(gross), BigInt(keep));
  // Percentage region, with ⌈P × b / 10000⌉ < P × b / 10000 + 1 (an estimate's exact rate is at most its rounded-up b): P × (10000 × keep − b × gross) ≥ (1 + fixed) × gross × 10000.
  const slope = 10_000 * keep - schedule.referralBasisPoints * gross;
  const boundPercent = slope > 0 ? ceilDiv(BigInt(1 + fixed) * BigInt(gross) * 10_000n, BigInt(slope)) : Number.POSITIVE_INFINITY;
  const bound = Math.max(boundMinimum, boundPercent, 1);
  let lowest: number;
  if (bound <= maxMinor) lowest = bound;
  else if (meetsMargin(economics, schedule, maxMinor)) lowest = maxMinor;
  else return null;
  for (let scanned = 0; scanned < MAX_SCAN && lowest > 1 && meetsMargin(economics, schedule, lowest - 1); scanned++) lowest--;
  return lowest;
}

/**
 * The fee schedule an estimate at price X implies, never below Amazon's real fees at any price: with R the referral
 * part and T the total at X, fees(P) = max(⌈P × R / X⌉, R) + (T − R). Below X that is T (fees never fall when the
 * price rises); above X the referral grows in proportion, at least as fast as a percentage with a minimum does.
 * Exact at X itself: the fee port estimates at the derived min's price band, so the bound is tight where it matters.
 */
/** ⌈a / b⌉ of non-negative integers, exact (the products above pass 2^53 for large costs); as a number, capped far above any price. */
function ceilDiv(a: bigint, b: bigint): number {
  const q = (a + b - 1n) / b;
  return q > 4_000_000_000n ? Number.POSITIVE_INFINITY : Number(q);
}

export function scheduleFromEstimate(estimate: FeeEstimate): FeeSchedule {
  const referral = Math.min(Math.max(estimate.referralMinor, 0), estimate.totalMinor);
  const price = Math.max(1, estimate.priceMinor);
  return {
    referralBasisPoints: Math.ceil((referral * 10_000) / price),
    referralMinimumMinor: referral,
    fixedMinor: estimate.totalMinor - referral,
    referralPerPrice: { referralMinor: referral, priceMinor: price },
  };
}

/**
 * The price band an estimate is taken at: prices are grouped in bands of 1/32 of their power of two (3–6 % wide),
 * and an estimate is asked for at the band's lower edge, so it holds (as an upper bound) for every price in the band.
 */
export function priceBandOf(priceMinor: number): number {
  if (priceMinor <= 32) return Math.max(1, priceMinor);
  const width = 2 ** Math.max(0, Math.floor(Math.log2(priceMinor)) - 5);
  return Math.floor(priceMinor / width) * width;
}

/** The lowest price that covers cost and margin with no fees at all: a lower bound of every derived min. */
export function costFloorMinor(economics: Omit<OfferEconomics, 'fees'>): number {
  return Math.max(1, Math.ceil((economics.costMinor * (10_000 + economics.vatBasisPoints)) / (10_000 - economics.marginBasisPoints)));
}

/** How a derived min came about: what the offer view shows (`minDerivation`) and the reason quotes. */
export interface MinDerivation {
  readonly costMinor: number;
  readonly marginBasisPoints: number;
  readonly vatBasisPoints: number;
  /** The fees used, null when none is known yet. */
  readonly fees: {
    readonly source: FeeSource;
    readonly schedule: FeeSchedule;
    /** Estimates only: when and at which price Amazon (or the simulation) estimated them. */
    readonly estimatedAtMs: number | null;
    readonly estimatedAtPriceMinor: number | null;
    readonly fulfilment: 'FBA' | 'MFN' | null;
    /** Older than FEE_ESTIMATE_TTL_MS: the last estimate, used because no newer one could be had. */
    readonly stale: boolean;
  } | null;
  /** `derived`: min is `minMinor`; `fees-unknown`: no fees yet, the offer holds; `above-max`: no price up to max pays. */
  readonly status: 'derived' | 'fees-unknown' | 'above-max';
  readonly minMinor: number | null;
  /** Fees at `minMinor` (null without a min). */
  readonly feesAtMinMinor: number | null;
  /** above-max: the lowest price that would pay (null if none does at any price we accept). */
  readonly neededMinor: number | null;
}

/** Upper bound for a price we would ever derive (as `MAX_PRICE_MINOR` in types.ts). */
const DERIVATION_CEILING_MINOR = 1_000_000_000;

/** The min of a rule with economics: from the rule's fees, else the offer's last estimate (of any age), else unknown. */
export function deriveOfferMin(economics: OfferEconomics, maxMinor: number, estimate: FeeEstimate | undefined, nowMs: number): MinDerivation {
  const base = { costMinor: economics.costMinor, marginBasisPoints: economics.marginBasisPoints, vatBasisPoints: economics.vatBasisPoints };
  let fees: MinDerivation['fees'];
  if (economics.fees) fees = { source: 'rule', schedule: economics.fees, estimatedAtMs: null, estimatedAtPriceMinor: null, fulfilment: null, stale: false };
  else if (estimate) {
    fees = {
      source: estimate.source,
      schedule: scheduleFromEstimate(estimate),
      estimatedAtMs: estimate.estimatedAtMs,
      estimatedAtPriceMinor: estimate.priceMinor,
      fulfilment: estimate.fulfilment,
      stale: nowMs - estimate.estimatedAtMs > FEE_ESTIMATE_TTL_MS,
    };
  } else return { ...base, fees: null, status: 'fees-unknown', minMinor: null, feesAtMinMinor: null, neededMinor: null };
  const minMinor = deriveMinPrice(economics, fees.schedule, maxMinor);
  if (minMinor === null) {
    return { ...base, fees, status: 'above-max', minMinor: null, feesAtMinMinor: null, neededMinor: deriveMinPrice(economics, fees.schedule, DERIVATION_CEILING_MINOR) };
  }
  return { ...base, fees, status: 'derived', minMinor, feesAtMinMinor: feesAt(fees.schedule, minMinor), neededMinor: null };
}

/** The price the fee port should estimate at for this offer: the band of its derived min, or of its cost floor before any. */
export function wantedEstimatePrice(economics: OfferEconomics, maxMinor: number, estimate: FeeEstimate | undefined, nowMs: number): number {
  const derivation = deriveOfferMin(economics, maxMinor, estimate, nowMs);
  return priceBandOf(Math.min(derivation.minMinor ?? derivation.neededMinor ?? costFloorMinor(economics), maxMinor));
}

/** Whether the offer's estimate should be (re)taken now: none, older than a day, or taken at another band a while ago. */
export function needsFeeEstimate(economics: OfferEconomics, maxMinor: number, estimate: FeeEstimate | undefined, nowMs: number): boolean {
  if (economics.fees) return false;
  if (!estimate) return true;
  const age = nowMs - estimate.estimatedAtMs;
  if (age > FEE_ESTIMATE_TTL_MS) return true;
  return age > FEE_ESTIMATE_REBAND_AFTER_MS && wantedEstimatePrice(economics, maxMinor, estimate, nowMs) !== estimate.priceMinor;
}

/** "3 h", "2 d": the age of an estimate in reasons. */
export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/** The derivation in words, appended to a decision's reason when its fees are not fresh (`min … from the last fee estimate, 3 d old`). */
export function derivationNote(derivation: MinDerivation, currency: Currency, nowMs: number): string {
  if (!derivation.fees?.stale || derivation.minMinor === null || derivation.fees.estimatedAtMs === null) return '';
  return ` (min ${formatMinor(derivation.minMinor, currency)} ${currency} from the last fee estimate, ${formatAge(nowMs - derivation.fees.estimatedAtMs)} old: no newer one could be had)`;
}
