/**
 * The simulator's Buy Box award model. Amazon does not publish its algorithm; this model keeps the parts
 * sellers observe: the landed price (listing + shipping − points) matters most, fulfilment by Amazon and
 * seller rating weigh in, Amazon retail gets a small edge, only eligible (featured) offers can win, and there
 * can be two winners: the best Prime offer (shown to Prime customers) and the best offer overall.
 *
 * Score = landed × weight / 10 000, lower wins, where weight = 10 000 + merchant penalty + rating penalty −
 * Amazon retail bonus (all in basis points). Integer arithmetic only: a tie is not a win.
 */

export interface AwardModel {
  /** Merchant-fulfilled offers are scored as if this many bp more expensive. */
  readonly merchantPenaltyBp: number;
  /** Per point of positive feedback below 100 %. */
  readonly ratingPenaltyBpPerPoint: number;
  readonly amazonRetailBonusBp: number;
  /** Below this rating an offer is not eligible (not a featured merchant). */
  readonly minEligibleRating: number;
  /** Share of customers who are Prime members (they see the best Prime offer). */
  readonly primeCustomerShare: number;
}

export const DEFAULT_AWARD_MODEL: AwardModel = {
  merchantPenaltyBp: 600,
  ratingPenaltyBpPerPoint: 40,
  amazonRetailBonusBp: 200,
  minEligibleRating: 80,
  primeCustomerShare: 0.7,
};

export interface AwardOffer {
  readonly landedMinor: number;
  readonly fba: boolean;
  readonly rating: number;
  readonly amazonRetail: boolean;
}

export function isEligible(model: AwardModel, offer: AwardOffer): boolean {
  return offer.amazonRetail || offer.rating >= model.minEligibleRating;
}

export function weightOf(model: AwardModel, offer: AwardOffer): number {
  return (
    10_000 +
    (offer.fba ? 0 : model.merchantPenaltyBp) +
    Math.round((100 - offer.rating) * model.ratingPenaltyBpPerPoint) -
    (offer.amazonRetail ? model.amazonRetailBonusBp : 0)
  );
}

export interface Award {
  /** Best eligible offer overall (shown to non-Prime customers), −1 if none. */
  readonly overall: number;
  /** Best eligible Prime (FBA or Amazon) offer, −1 if none. */
  readonly prime: number;
}

/** Ties go to the earlier offer in the list; the simulator lists competitors before the seller under test. */
export function awardBuyBox(model: AwardModel, offers: readonly AwardOffer[]): Award {
  let overall = -1;
  let prime = -1;
  let bestScore = Infinity;
  let bestPrimeScore = Infinity;
  offers.forEach((offer, i) => {
    if (!isEligible(model, offer)) return;
    const score = offer.landedMinor * weightOf(model, offer);
    if (score < bestScore) {
      bestScore = score;
      overall = i;
    }
    if ((offer.fba || offer.amazonRetail) && score < bestPrimeScore) {
      bestPrimeScore = score;
      prime = i;
    }
  });
  return { overall, prime };
}

/** Fraction of Buy Box traffic offer `i` gets under the award. */
export function buyBoxShareOf(model: AwardModel, award: Award, i: number): number {
  const primeShare = award.prime === -1 ? 0 : model.primeCustomerShare;
  return (award.prime === i ? primeShare : 0) + (award.overall === i ? 1 - primeShare : 0);
}

/**
 * The oracle: the highest landed price at which offer `self` would be the overall winner against the
 * others as they are now (strictly lower score than every other eligible offer). Infinity when alone.
 */
export function highestWinningLanded(model: AwardModel, offers: readonly AwardOffer[], self: number): number {
  const me = offers[self];
  if (!me || !isEligible(model, me)) return -Infinity;
  let bestOther = Infinity;
  offers.forEach((offer, i) => {
    if (i === self || !isEligible(model, offer)) return;
    const score = offer.landedMinor * weightOf(model, offer);
    if (score < bestOther) bestOther = score;
  });
  if (bestOther === Infinity) return Infinity;
  return Math.floor((bestOther - 1) / weightOf(model, me));
}
