import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/kernel/errors.ts';
import { decide } from '#shared/repricer/engine.ts';
import { parseOfferChangedNotification, toMarketSnapshot } from '#shared/repricer/notification.ts';
import { exportRulesCsv, importRulesCsv } from '#shared/repricer/rules-csv.ts';
import { offerRulesToInput, parseRulesFile } from '#shared/repricer/rules.ts';
import { INITIAL_OFFER_STATE } from '#shared/repricer/types.ts';
import type { MarketOffer } from '#shared/repricer/types.ts';
import { NOW, SELLER, market, offer, rules } from './fixtures.ts';

/** Issue 21, rules that match how sellers compete (shared/repricer/competitor-rules.ts and its hooks in the engine). */

const AMAZON = 'A3JWKAKR8XB7XF';
const mfn = (sellerId: string, listingMinor: number, extra: Partial<MarketOffer> = {}): MarketOffer => offer(sellerId, listingMinor, { isFulfilledByAmazon: false, isPrime: false, ...extra });

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('Competitor rules (issue 21)', () => {
  it('weights merchant-fulfilled competitors: one counts only when cheaper by more than the handicap', () => {
    const m = market(mfn('M1', 1100, { isBuyBoxWinner: true }), offer(SELLER, 1249));
    expect(decide(rules(), m, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1095, reasonCode: 'UndercutBuyBox' });
    // 11.00 × 1.05 = 11.55 → undercut to 11.50; 11.00 + 0.80 = 11.80 → 11.75.
    expect(decide(rules({ merchantCheaperBy: '5%' }), m, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(1150);
    expect(decide(rules({ merchantCheaperBy: '0.80' }), m, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(1175);
    // FBA competitors are compared as they are.
    const fba = market(offer('F1', 1100, { isBuyBoxWinner: true }), offer(SELLER, 1249));
    expect(decide(rules({ merchantCheaperBy: '5%' }), fba, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(1095);
  });

  it('competes with merchant-fulfilled offers only (competitors "merchant") or FBA ones only ("fba")', () => {
    const m = market(offer('F1', 1100), mfn('M1', 1200), offer(SELLER, 1249));
    expect(decide(rules({ competitors: 'merchant' }), m, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1195, reasonCode: 'UndercutLowest' });
    expect(decide(rules({ competitors: 'fba' }), m, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(1095);
  });

  it('ignores sellers with few ratings, long handling times or shipping from ignored countries (unknown values are kept)', () => {
    const m = market(
      offer('NEW', 900, { feedbackCount: 3 }),
      mfn('SLOW', 950, { maxHandlingHours: 480 }),
      mfn('CN', 980, { shipsFromCountry: 'CN' }),
      offer('UNKNOWN', 1150, { feedbackCount: undefined }),
      offer(SELLER, 1249),
    );
    const r = rules({ minFeedbackCount: 50, maxHandlingHours: 72, ignoreShipsFrom: ['cn'] });
    expect(decide(r, m, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(1145);
    expect(decide(rules(), m, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(895);
  });

  it('reads feedback count, handling time and ships-from country from Amazon\'s notification', () => {
    const event = parseOfferChangedNotification({
      NotificationType: 'ANY_OFFER_CHANGED',
      Payload: {
        AnyOfferChangedNotification: {
          SellerId: SELLER,
          OfferChangeTrigger: { MarketplaceId: 'A1PA6795UKMFR9', ASIN: 'B07XJ8C8F5', TimeOfOfferChange: '2025-03-04T10:00:00Z' },
          Offers: [{
            SellerId: 'CN1', ListingPrice: { Amount: 7.99, CurrencyCode: 'EUR' }, IsFulfilledByAmazon: false,
            SellerFeedbackRating: { FeedbackCount: 12, SellerPositiveFeedbackRating: 90 },
            ShippingTime: { MinimumHours: 240, MaximumHours: 480 }, ShipsFrom: { Country: 'CN' },
          }],
        },
      },
    });
    expect(event.offers[0]).toMatchObject({ feedbackCount: 12, maxHandlingHours: 480, shipsFromCountry: 'CN' });
    const snapshot = toMarketSnapshot(event);
    expect([snapshot.feedbackCounts[0], snapshot.handlingHours[0], snapshot.shipsFrom[0]]).toEqual([12, 480, (67 << 8) | 78]);
  });

  it('moves toward max on low stock or out of stock, and only when the stock is known', () => {
    const m = market(offer('F1', 1200, { isBuyBoxWinner: true }), offer(SELLER, 1249));
    const r = rules({ lowStockUnits: 3, lowStockRaisePercent: 50 });
    // The strategy says 11.95; half-way to the max 15.00 is 13.47.
    expect(decide(r, m, INITIAL_OFFER_STATE, NOW, null, undefined, 2)).toMatchObject({ newPriceMinor: 1347, reasonCode: 'LowStockRaise' });
    expect(decide(r, m, INITIAL_OFFER_STATE, NOW, null, undefined, 0).newPriceMinor).toBe(1347);
    expect(decide(rules({ lowStockUnits: 0 }), m, INITIAL_OFFER_STATE, NOW, null, undefined, 0).newPriceMinor).toBe(1500);
    expect(decide(r, m, INITIAL_OFFER_STATE, NOW, null, undefined, 4).newPriceMinor).toBe(1195);
    expect(decide(r, m, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(1195);
  });

  it('shares the Buy Box when the rule says so (probes up while holding one of the two), else tries to win it alone', () => {
    const m = market(mfn('M1', 1000, { isBuyBoxWinner: true }), offer(SELLER, 1100, { isBuyBoxWinner: true }));
    expect(decide(rules(), m, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ action: 'lower', reasonCode: 'UndercutBuyBox' });
    expect(decide(rules({ buyBoxShared: 'share' }), m, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ action: 'raise', reasonCode: 'RaiseProbing' });
  });

  it('with a suppressed Buy Box (no winner at all): competes, holds, or prices at the CompetitivePriceThreshold', () => {
    const suppressed = toMarketSnapshot({ offers: [offer('F1', 1300), offer(SELLER, 1400)], summaryBuyBoxLandedMinor: 0, competitivePriceThresholdMinor: 1250 });
    expect(decide(rules(), suppressed, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1250, reasonCode: 'AtCompetitiveThreshold' });
    expect(decide(rules({ buyBoxSuppressed: 'hold' }), suppressed, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1250, reasonCode: 'AtCompetitiveThreshold' });
    expect(decide(rules({ buyBoxSuppressed: 'threshold' }), suppressed, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1250, reasonCode: 'BuyBoxSuppressedThreshold' });
    const noThreshold = toMarketSnapshot({ offers: [offer('F1', 1300), offer(SELLER, 1400)], summaryBuyBoxLandedMinor: 0 });
    expect(decide(rules({ buyBoxSuppressed: 'hold' }), noThreshold, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1400, reasonCode: 'BuyBoxSuppressedHold', action: 'hold' });
    expect(decide(rules({ buyBoxSuppressed: 'threshold' }), noThreshold, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1295, reasonCode: 'UndercutLowest' });
    expect(decide(rules(), noThreshold, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(1295);
  });

  it('never stays above the CompetitivePriceThreshold without the Buy Box (B2C and B2B); holding the Buy Box, only raises stop there', () => {
    for (const audience of ['B2C', 'B2B'] as const) {
      const losing = toMarketSnapshot({ offers: [offer('F1', 1500, { isBuyBoxWinner: true }), offer(SELLER, 1490)], summaryBuyBoxLandedMinor: 1500, competitivePriceThresholdMinor: 1300 });
      const r = rules({ audience, max: '20.00' });
      expect(decide(r, losing, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1300, reasonCode: 'AtCompetitiveThreshold' });
      const winning = toMarketSnapshot({ offers: [offer('F1', 1500), offer(SELLER, 1400, { isBuyBoxWinner: true })], summaryBuyBoxLandedMinor: 1400, competitivePriceThresholdMinor: 1300 });
      expect(decide(r, winning, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1400, action: 'hold', reasonCode: 'RaiseCapped' });
    }
    // The range has the last word: a threshold below min prices at min.
    const low = toMarketSnapshot({ offers: [offer('F1', 1000, { isBuyBoxWinner: true }), offer(SELLER, 1200)], summaryBuyBoxLandedMinor: 1000, competitivePriceThresholdMinor: 500 });
    expect(decide(rules(), low, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(800);
  });

  it('matches Amazon retail instead of undercutting it, and holds there instead of starting a price war', () => {
    const m = market(offer(AMAZON, 1199, { isBuyBoxWinner: true, sellerPositiveFeedbackRating: undefined }), offer(SELLER, 1249));
    expect(decide(rules(), m, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(1194);
    const matched = decide(rules({ match: 'amazon' }), m, INITIAL_OFFER_STATE, NOW, null);
    expect(matched).toMatchObject({ newPriceMinor: 1199, reasonCode: 'MatchPrice' });
    const still = market(offer(AMAZON, 1199, { isBuyBoxWinner: true, sellerPositiveFeedbackRating: undefined }), offer(SELLER, 1199));
    expect(decide(rules({ match: 'amazon' }), still, matched.nextState, NOW + 600_000, null)).toMatchObject({ newPriceMinor: 1199, action: 'hold', reasonCode: 'MatchHold' });
    // Against other sellers `amazon` still undercuts; `all` matches everyone.
    const other = market(offer('F1', 1199, { isBuyBoxWinner: true }), offer(SELLER, 1249));
    expect(decide(rules({ match: 'amazon' }), other, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(1194);
    expect(decide(rules({ match: 'all' }), other, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(1199);
  });
});

describe('Competitor rules in the rules file and CSV (issue 21)', () => {
  const base = { sku: 'SKU-1', asin: 'B07XJ8C8F5', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C', strategy: 'buybox', currency: 'EUR', min: '8.00', max: '15.00' };
  const full = {
    ...base, merchantCheaperBy: '7.5%', minFeedbackCount: 50, maxHandlingHours: 72, ignoreShipsFrom: ['CN', 'HK'], lowStockUnits: 5, lowStockRaisePercent: 50,
    buyBoxShared: 'share', buyBoxSuppressed: 'threshold', match: 'amazon',
  };

  it('validates each field with an error naming it', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ merchantCheaperBy: '5 percent' }, 'offers[0].merchantCheaperBy'],
      [{ merchantCheaperBy: '150%' }, 'offers[0].merchantCheaperBy: "150%" is more than 100 %'],
      [{ merchantCheaperBy: '-1' }, 'offers[0].merchantCheaperBy'],
      [{ merchantCheaperBy: '5%', competitors: 'fba' }, 'offers[0].merchantCheaperBy: competitors "fba" already ignores'],
      [{ minFeedbackCount: -1 }, 'offers[0].minFeedbackCount'],
      [{ maxHandlingHours: 1.5 }, 'offers[0].maxHandlingHours'],
      [{ ignoreShipsFrom: ['China'] }, 'offers[0].ignoreShipsFrom[0]'],
      [{ lowStockUnits: -2 }, 'offers[0].lowStockUnits'],
      [{ lowStockRaisePercent: 0 }, 'offers[0].lowStockRaisePercent'],
      [{ buyBoxShared: 'maybe' }, 'offers[0].buyBoxShared'],
      [{ buyBoxSuppressed: 'max' }, 'offers[0].buyBoxSuppressed'],
      [{ match: 'sometimes' }, 'offers[0].match'],
    ];
    for (const [extra, message] of cases) {
      expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [{ ...base, ...extra }] })).message).toContain(message);
    }
  });

  it('round-trips through JSON and CSV, and leaves rules without them as they were', () => {
    const parsed = parseRulesFile({ sellerId: 'S', offers: [full, { ...base, sku: 'SKU-2', merchantCheaperBy: '0.50' }, { ...base, sku: 'SKU-3' }] });
    expect(parsed.offers[0]).toMatchObject({
      merchantHandicapBasisPoints: 750, merchantHandicapMinor: 0, minFeedbackCount: 50, maxHandlingHours: 72, ignoreShipsFrom: ['CN', 'HK'],
      lowStockUnits: 5, lowStockRaiseBasisPoints: 5000, buyBoxShared: 'share', buyBoxSuppressed: 'threshold', match: 'amazon',
    });
    expect(parsed.offers[1]).toMatchObject({ merchantHandicapBasisPoints: 0, merchantHandicapMinor: 50 });
    const inputs = parsed.offers.map(offerRulesToInput);
    expect(inputs[0]).toMatchObject({ merchantCheaperBy: '7.5%', minFeedbackCount: 50, maxHandlingHours: 72, ignoreShipsFrom: ['CN', 'HK'], lowStockUnits: 5, lowStockRaisePercent: 50, buyBoxShared: 'share', buyBoxSuppressed: 'threshold', match: 'amazon' });
    expect(inputs[1]).toMatchObject({ merchantCheaperBy: '0.50' });
    expect(Object.keys(inputs[2]!)).not.toContain('merchantCheaperBy');
    expect(Object.keys(inputs[2]!)).not.toContain('match');
    expect(parseRulesFile({ sellerId: 'S', offers: inputs })).toEqual(parsed);
    const csv = exportRulesCsv(parsed);
    expect(csv.split('\n')[0]).toContain('merchant_cheaper_by,min_feedback_count,max_handling_hours,ignore_ships_from,low_stock_units,low_stock_raise_percent,buybox_shared,buybox_suppressed,match');
    const back = importRulesCsv(csv, 'S');
    expect(back.errors).toEqual([]);
    expect(back.rules).toEqual(parsed);
  });

  it('reads the CSV columns (semicolons and decimal commas too) and names the column of a bad cell', () => {
    const csv = 'sku;asin;marketplace_id;currency;min;max;strategy;merchant_cheaper_by;ignore_ships_from;low_stock_units;match\nA;B07XJ8C8F5;A1PA6795UKMFR9;EUR;8,00;15,00;buybox;0,75;CN|HK;2;all\nB;B07XJ8C8F5;A1PA6795UKMFR9;EUR;8,00;15,00;buybox;;;x;all\n';
    const result = importRulesCsv(csv, 'S');
    expect(result.rules.offers[0]).toMatchObject({ merchantHandicapMinor: 75, ignoreShipsFrom: ['CN', 'HK'], lowStockUnits: 2, match: 'all' });
    expect(result.errors).toEqual([{ row: 3, field: 'low_stock_units', message: 'low_stock_units: "x" is not a number' }]);
  });
});
