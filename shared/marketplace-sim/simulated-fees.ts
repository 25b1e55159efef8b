/**
 * The simulated Amazon's fee estimates (issue 21 economics), the `FeeEstimates` port of the local stack and tests:
 * a deterministic fee schedule in the shape of Amazon's (the Product Fees API's answer is computed the same way):
 * - a referral fee of 15 % of the price with a per-item minimum (Amazon's referral fee for most categories in its
 *   US and EU fee schedules is 15 %, with a minimum of 0.30 USD / EUR, 0.25 GBP, 30 JPY);
 * - an FBA fulfilment fee by size tier (FBA offers only; merchant-fulfilled ones pay none), the tier taken from the
 *   ASIN so every SKU keeps its own. The amounts are round figures of the order of Amazon's published FBA rate
 *   cards (small standard, large standard, large bulky), not its current tariff: the simulation needs a realistic
 *   shape (a fixed part and a part that grows with the price, a minimum), not Amazon's cents.
 * Pure: no clock of its own (the estimate's time is the caller's `now`).
 */
import type { Currency } from '#shared/kernel/money.ts';
import { feesAt, MAX_FEE_ESTIMATES_PER_REQUEST } from '#shared/repricer/index.ts';
import type { FeeEstimate, FeeEstimateRequest, FeeEstimateResult, FeeEstimates, FeeSchedule } from '#shared/repricer/index.ts';
import { ValidationError } from '#shared/kernel/errors.ts';

export const SIMULATED_REFERRAL_BASIS_POINTS = 1500;

/** Per currency: the referral fee's per-item minimum and the FBA fulfilment fee of each size tier, minor units. */
const CURRENCY_FEES: Readonly<Partial<Record<Currency, { readonly referralMinimum: number; readonly fba: readonly [number, number, number] }>>> = {
  USD: { referralMinimum: 30, fba: [322, 475, 961] },
  CAD: { referralMinimum: 30, fba: [400, 590, 1200] },
  MXN: { referralMinimum: 1000, fba: [6000, 8500, 17000] },
  EUR: { referralMinimum: 30, fba: [270, 390, 680] },
  GBP: { referralMinimum: 25, fba: [240, 330, 595] },
  PLN: { referralMinimum: 130, fba: [1150, 1680, 2900] },
  SEK: { referralMinimum: 300, fba: [3000, 4400, 7600] },
  TRY: { referralMinimum: 1000, fba: [9000, 13000, 23000] },
  JPY: { referralMinimum: 30, fba: [290, 421, 589] },
};
const DEFAULT_FEES = { referralMinimum: 30, fba: [300, 450, 900] as const };
export const SIZE_TIERS = ['small standard', 'large standard', 'large bulky'] as const;

/** The size tier the simulation gives an ASIN: a stable hash, most items standard-size. */
export function simulatedSizeTier(asin: string): 0 | 1 | 2 {
  let h = 0;
  for (let i = 0; i < asin.length; i++) h = (h * 31 + asin.charCodeAt(i)) | 0;
  const bucket = Math.abs(h) % 10;
  return bucket < 5 ? 0 : bucket < 9 ? 1 : 2;
}

/** The simulated fee schedule of one offer. */
export function simulatedFeeSchedule(request: Pick<FeeEstimateRequest, 'asin' | 'currency' | 'fulfilment'>): FeeSchedule {
  const fees = CURRENCY_FEES[request.currency] ?? DEFAULT_FEES;
  return {
    referralBasisPoints: SIMULATED_REFERRAL_BASIS_POINTS,
    referralMinimumMinor: fees.referralMinimum,
    fixedMinor: request.fulfilment === 'FBA' ? fees.fba[simulatedSizeTier(request.asin)] : 0,
  };
}

export class SimulatedFeeEstimates implements FeeEstimates {
  /** Estimate calls made (tests read it). */
  calls = 0;

  constructor(private readonly now: () => Date) {}

  estimate(requests: readonly FeeEstimateRequest[]): Promise<readonly FeeEstimateResult[]> {
    if (requests.length === 0 || requests.length > MAX_FEE_ESTIMATES_PER_REQUEST) {
      return Promise.reject(new ValidationError(`requests: 1 to ${MAX_FEE_ESTIMATES_PER_REQUEST} per call, got ${requests.length}`, { field: 'requests' }));
    }
    this.calls++;
    const at = this.now().getTime();
    return Promise.resolve(
      requests.map((request): FeeEstimateResult => {
        const schedule = simulatedFeeSchedule(request);
        const total = feesAt(schedule, request.priceMinor);
        const estimate: FeeEstimate = {
          priceMinor: request.priceMinor,
          totalMinor: total,
          referralMinor: total - schedule.fixedMinor,
          fulfilment: request.fulfilment,
          source: 'simulated',
          estimatedAtMs: at,
        };
        return { ok: true, estimate };
      }),
    );
  }
}
