import { isAmazonRetailSeller } from '#shared/repricer/index.ts';
import type { OfferChangeEvent } from '#shared/repricer/index.ts';
import { DEFAULT_AWARD_MODEL, awardBuyBox, highestWinningLanded } from './buy-box-award.ts';
import type { AwardModel, AwardOffer } from './buy-box-award.ts';

/**
 * Scores a replay (`sellerops reprice --notifications <dir> --score`) with the simulator's Buy Box judge
 * (`buy-box-award.ts`, written for the simulator, not for this): each step is one notification and the price we
 * decided for it. The judge awards the Buy Box between that price and the other offers of the notification, and
 * knows the highest landed price at which we would still have been the overall winner (the oracle).
 *
 * Held = we are the overall winner (the offer non-Prime customers see; the stricter of Amazon's two Buy Boxes).
 * Our offer is listed last, so a tie goes to the competitor, as in the simulator.
 */

export interface ReplayStepScore {
  readonly held: boolean;
  /** Our landed price at the decided listing price. */
  readonly ourLandedMinor: number;
  /** Highest landed price that would still have won (our max when nobody else can win: the best the rule allows). */
  readonly bestLandedMinor: number;
}

export interface ReplayScore {
  readonly steps: number;
  readonly held: number;
  /** Steps held / steps, 0–1. */
  readonly buyBoxShare: number;
  /** Mean over the held steps of our landed price / the highest landed price that would still have won, 0–1. */
  readonly priceVsBest: number;
}

/**
 * One step: `event` is the market the decision answered, `decidedListingMinor` our new price, `maxListingMinor` the
 * rule's max (what "best" means when no other offer could win). Returns null when our offer is not in the event
 * (nothing to judge: we do not know our fulfilment, rating or shipping).
 */
export function scoreReplayStep(
  event: OfferChangeEvent,
  decidedListingMinor: number,
  maxListingMinor: number,
  model: AwardModel = DEFAULT_AWARD_MODEL,
): ReplayStepScore | null {
  const own = event.offers.find((offer) => offer.sellerId === event.sellerId);
  if (own === undefined) return null;
  const landedOf = (listing: number, shipping: number, points: number): number => Math.max(0, listing + shipping - points);
  const toAward = (offer: (typeof event.offers)[number], listing: number): AwardOffer => ({
    landedMinor: landedOf(listing, offer.shippingMinor, offer.points),
    fba: offer.isFulfilledByAmazon,
    rating: offer.sellerPositiveFeedbackRating ?? 100,
    amazonRetail: isAmazonRetailSeller(offer.sellerId),
  });
  const others = event.offers.filter((offer) => offer.sellerId !== event.sellerId).map((offer) => toAward(offer, offer.listingMinor));
  const ours = toAward(own, decidedListingMinor);
  const offers = [...others, ours];
  const self = offers.length - 1;
  const award = awardBuyBox(model, offers);
  const highest = highestWinningLanded(model, offers, self);
  const maxLanded = landedOf(maxListingMinor, own.shippingMinor, own.points);
  return {
    held: award.overall === self,
    ourLandedMinor: ours.landedMinor,
    bestLandedMinor: Number.isFinite(highest) ? Math.min(highest, maxLanded) : maxLanded,
  };
}

export function summariseReplay(steps: readonly ReplayStepScore[]): ReplayScore {
  const held = steps.filter((step) => step.held);
  const ratio = held.reduce((sum, step) => sum + (step.bestLandedMinor > 0 ? step.ourLandedMinor / step.bestLandedMinor : 0), 0);
  return {
    steps: steps.length,
    held: held.length,
    buyBoxShare: steps.length === 0 ? 0 : held.length / steps.length,
    priceVsBest: held.length === 0 ? 0 : ratio / held.length,
  };
}

/** The score as the CLI's last line prints it. */
export function formatReplayScore(score: ReplayScore): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  return `score: Buy Box held in ${score.held} of ${score.steps} steps (${pct(score.buyBoxShare)}), average winning price ${pct(score.priceVsBest)} of the highest price that would still have won`;
}
