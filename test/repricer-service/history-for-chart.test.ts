import { describe, expect, it } from 'vitest';
import { newStoredOffer } from '#shared/repricer/model.ts';
import { decideOffer } from '#shared/repricer/offer-decision.ts';
import { toOfferRules } from '#shared/repricer/rules.ts';
import type { OfferChangeEvent } from '#shared/repricer/types.ts';

const ME = 'A2ME0000000001';
const rules = toOfferRules({ sku: 'S1', asin: 'B000000001', marketplaceId: 'A1PA6795UKMFR9', strategy: 'buybox', currency: 'EUR', min: '8.00', max: '15.00', step: '0.05' }, 't');
const offer = (seller: string, price: number, shipping: number, winner = false) => ({
  sellerId: seller, listingMinor: price, shippingMinor: shipping, points: 0, isFulfilledByAmazon: true, isBuyBoxWinner: winner, isFeaturedMerchant: true,
  isPrime: true, sellerPositiveFeedbackRating: 95, feedbackCount: 100, subCondition: 'new', quantityDiscounts: [],
});
const market = (offers: ReturnType<typeof offer>[]): OfferChangeEvent => ({
  notificationType: 'ANY_OFFER_CHANGED', sellerId: ME, marketplaceId: 'A1PA6795UKMFR9', asin: 'B000000001', audience: 'B2C', itemCondition: 'new',
  currency: 'EUR', timeOfOfferChange: new Date('2025-03-03T08:00:00Z'), offers, summaryBuyBoxLandedMinor: 0, totalOfferCount: offers.length,
});

describe('what a decision records for the price-history chart', () => {
  it('records the lowest landed competitor price (listing + shipping, not ours) and the band at the time', () => {
    const stored = { ...newStoredOffer('t1', ME, rules, 0), version: 1 };
    // Our own offer is the cheapest: it is not a competitor. The cheapest landed competitor is 11.00 + 0.50.
    const r = decideOffer(stored, market([offer(ME, 999, 0), offer('A1OTHER0000001', 1100, 50, true), offer('A1OTHER0000002', 1180, 0)]), undefined, false, 1);
    expect(r.history).toHaveLength(1);
    expect(r.history[0]).toMatchObject({ lowestCompetitorMinor: 1150, minMinor: 800, maxMinor: 1500 });
  });

  it('records no lowest competitor when there is none', () => {
    const stored = { ...newStoredOffer('t1', ME, rules, 0), version: 1 };
    const r = decideOffer(stored, market([offer(ME, 999, 0, true)]), undefined, false, 1);
    expect(r.history[0]?.lowestCompetitorMinor).toBeNull();
  });
});
