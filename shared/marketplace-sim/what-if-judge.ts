/**
 * The simulator's Buy Box award model as the what-if's judge (`BuyBoxJudge` of shared/repricer/what-if.ts): the
 * same scoring that decides the simulated marketplace's Buy Box decides who would have held it in a replay of
 * recorded history. It lives here, not in the repricer, because the simulator already imports the repricer.
 */
import type { BuyBoxJudge, JudgedOffer } from '#shared/repricer/index.ts';
import { awardBuyBox, buyBoxShareOf, highestWinningLanded, type AwardModel, type AwardOffer, DEFAULT_AWARD_MODEL } from './buy-box-award.ts';

/** Amazon's IsFeaturedMerchant decides eligibility in recorded data: an offer not featured is left out of the award. */
function awardOffersOf(offers: readonly JudgedOffer[]): { award: AwardOffer[]; indexOf: number[] } {
  const award: AwardOffer[] = [];
  const indexOf: number[] = [];
  offers.forEach((o, i) => {
    if (!o.featured) return;
    award.push({ landedMinor: o.landedMinor, fba: o.fba, rating: o.rating, amazonRetail: o.amazonRetail });
    indexOf.push(i);
  });
  return { award, indexOf };
}

export function awardModelJudge(model: AwardModel = DEFAULT_AWARD_MODEL): BuyBoxJudge {
  return {
    description:
      `the marketplace simulator's award model (shared/marketplace-sim/buy-box-award.ts): lowest landed × weight wins, merchant fulfilment +${model.merchantPenaltyBp} bp, ` +
      `${model.ratingPenaltyBpPerPoint} bp per point of feedback below 100 %, Amazon retail −${model.amazonRetailBonusBp} bp; a Prime winner for ${Math.round(model.primeCustomerShare * 100)} % of customers and an overall one for the rest; only featured offers win`,
    judge(offers) {
      const { award, indexOf } = awardOffersOf(offers);
      const result = awardBuyBox(model, award);
      const shares = offers.map(() => 0);
      indexOf.forEach((original, i) => {
        shares[original] = buyBoxShareOf(model, result, i);
      });
      const winners = [...new Set([result.overall, result.prime].filter((i) => i >= 0).map((i) => indexOf[i]!))];
      return { shares, winners };
    },
    highestWinningLanded(offers, self) {
      if (!offers[self]?.featured) return -Infinity;
      const { award, indexOf } = awardOffersOf(offers);
      return highestWinningLanded(model, award, indexOf.indexOf(self));
    },
  };
}
