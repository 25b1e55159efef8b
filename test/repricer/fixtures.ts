import { compileRules } from '#shared/repricer/engine.ts';
import type { CompiledOfferRules } from '#shared/repricer/engine.ts';
import { toMarketSnapshot } from '#shared/repricer/notification.ts';
import { toOfferRules } from '#shared/repricer/rules.ts';
import type { MarketOffer, MarketSnapshot } from '#shared/repricer/types.ts';

export const SELLER = 'A2SELLEROPS0DE';
export const NOW = Date.parse('2025-03-04T10:00:00Z');

export function rules(overrides: Record<string, unknown> = {}): CompiledOfferRules {
  return compileRules(
    toOfferRules(
      {
        sku: 'SKU-1',
        asin: 'B07XJ8C8F5',
        marketplaceId: 'A1PA6795UKMFR9',
        audience: 'B2C',
        strategy: 'buybox',
        currency: 'EUR',
        min: '8.00',
        max: '15.00',
        step: '0.05',
        ...overrides,
      },
      'offers[0]',
    ),
    SELLER,
  );
}

export function offer(sellerId: string, listingMinor: number, extra: Partial<MarketOffer> = {}): MarketOffer {
  return {
    sellerId,
    listingMinor,
    shippingMinor: 0,
    points: 0,
    isFulfilledByAmazon: true,
    isBuyBoxWinner: false,
    isFeaturedMerchant: true,
    isPrime: true,
    sellerPositiveFeedbackRating: 95,
    feedbackCount: 100,
    subCondition: 'new',
    quantityDiscounts: [],
    ...extra,
  };
}

export function market(...offers: MarketOffer[]): MarketSnapshot {
  return toMarketSnapshot({ offers, summaryBuyBoxLandedMinor: 0 });
}
