import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/kernel/errors.ts';
import { compileRules, decide, decideInto } from '#shared/repricer/engine.ts';
import { toMarketSnapshot } from '#shared/repricer/notification.ts';
import { parseRulesFile, toOfferRules } from '#shared/repricer/rules.ts';
import { DecisionScratch, INITIAL_OFFER_STATE, MAX_PRICE_MINOR, NO_CEILING } from '#shared/repricer/types.ts';
import type { OfferState } from '#shared/repricer/types.ts';
import { NOW, SELLER, market, offer } from './fixtures.ts';

/**
 * Invariants of the pricing core, over generated rules, markets and states (≥ 100,000 cases in total):
 * never outside [min, max] (base price and every B2B tier), never NaN or non-positive, min > max rejected,
 * deterministic, and converging to a stable price (no oscillation) in a market that does not change.
 */

const RUNS = { range: 60_000, determinism: 15_000, minMax: 20_000, convergence: 6_000, threshold: 20_000 };

const decimal = (minor: number): string => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

const rulesArb = fc
  .record({
    min: fc.integer({ min: 1, max: 500_000 }),
    span: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 500_000 })),
    step: fc.integer({ min: 1, max: 5_000 }),
    strategy: fc.constantFrom('buybox', 'push', 'fixed'),
    competitors: fc.constantFrom('all', 'fba', 'merchant', 'buybox-eligible'),
    minSellerRating: fc.integer({ min: 0, max: 100 }),
    fallback: fc.constantFrom('keep', 'max', 'price'),
    amazon: fc.constantFrom('compete', 'hold'),
    excludeSellerIds: fc.subarray(['C0', 'C1', 'C2', 'C3']),
    fixedRatio: fc.double({ min: 0, max: 1, noNaN: true }),
    keepBuyBox: fc.boolean(),
    tiers: fc.array(fc.oneof(fc.record({ percent: fc.integer({ min: 0, max: 9_999 }) }), fc.record({ amount: fc.integer({ min: 0, max: 1_000_000 }) })), { maxLength: 5 }),
    // issue 21 rules
    merchantCheaperBy: fc.option(fc.oneof(fc.integer({ min: 0, max: 10_000 }).map((bp) => `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`), fc.integer({ min: 0, max: 1_000_000 }).map(decimal)), { nil: undefined }),
    minFeedbackCount: fc.integer({ min: 0, max: 1_000 }),
    maxHandlingHours: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
    ignoreShipsFrom: fc.subarray(['CN', 'HK', 'US']),
    lowStockUnits: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
    lowStockRaisePercent: fc.integer({ min: 1, max: 100 }),
    buyBoxShared: fc.constantFrom('win', 'share'),
    buyBoxSuppressed: fc.constantFrom('compete', 'hold', 'threshold'),
    match: fc.constantFrom('never', 'amazon', 'all'),
  })
  .map((g) => {
    const max = Math.min(MAX_PRICE_MINOR, g.min + g.span);
    const inRange = g.min + Math.floor((max - g.min) * g.fixedRatio);
    const b2b = g.tiers.length > 0;
    return compileRules(
      toOfferRules(
        {
          sku: 'P', asin: 'B07XJ8C8F5', marketplaceId: 'A1PA6795UKMFR9', currency: 'EUR', audience: b2b ? 'B2B' : 'B2C',
          strategy: g.strategy, min: decimal(g.min), max: decimal(max), step: decimal(g.step), competitors: g.competitors,
          minSellerRating: g.minSellerRating, fallback: g.fallback, fallbackPrice: decimal(inRange), fixedPrice: decimal(inRange),
          amazon: g.amazon, excludeSellerIds: g.excludeSellerIds, push: { targetUnits: 10, keepBuyBox: g.keepBuyBox },
          tiers: g.tiers.map((t, i) => ('percent' in t
            ? { minQuantity: 2 + i * 3, discountPercent: `${Math.floor(t.percent / 100)}.${String(t.percent % 100).padStart(2, '0')}` }
            : { minQuantity: 2 + i * 3, discountAmount: decimal(t.amount) })),
          ...(g.merchantCheaperBy === undefined || g.competitors === 'fba' ? {} : { merchantCheaperBy: g.merchantCheaperBy }),
          minFeedbackCount: g.minFeedbackCount, ignoreShipsFrom: g.ignoreShipsFrom, lowStockRaisePercent: g.lowStockRaisePercent,
          ...(g.maxHandlingHours === undefined ? {} : { maxHandlingHours: g.maxHandlingHours }),
          ...(g.lowStockUnits === undefined ? {} : { lowStockUnits: g.lowStockUnits }),
          buyBoxShared: g.buyBoxShared, buyBoxSuppressed: g.buyBoxSuppressed, match: g.match,
        },
        'offers[0]',
      ),
      SELLER,
    );
  });

const priceArb = fc.oneof(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: MAX_PRICE_MINOR }));
const offerArb = fc.record({
  seller: fc.constantFrom('C0', 'C1', 'C2', 'C3', 'C4', 'A3JWKAKR8XB7XF', SELLER),
  listing: priceArb,
  shipping: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100_000 })),
  points: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100_000 })),
  fba: fc.boolean(),
  winner: fc.boolean(),
  featured: fc.boolean(),
  rating: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  feedbackCount: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
  handlingHours: fc.option(fc.integer({ min: 0, max: 720 }), { nil: undefined }),
  shipsFrom: fc.option(fc.constantFrom('DE', 'CN', 'US'), { nil: undefined }),
});
interface GeneratedOffer {
  seller: string; listing: number; shipping: number; points: number; fba: boolean; winner: boolean; featured: boolean;
  rating: number | undefined; feedbackCount: number | undefined; handlingHours: number | undefined; shipsFrom: string | undefined;
}
const toOffer = (o: GeneratedOffer) =>
  offer(o.seller, o.listing, {
    shippingMinor: o.shipping, points: o.points, isFulfilledByAmazon: o.fba, isBuyBoxWinner: o.winner, isFeaturedMerchant: o.featured, sellerPositiveFeedbackRating: o.rating,
    feedbackCount: o.feedbackCount, ...(o.handlingHours === undefined ? {} : { maxHandlingHours: o.handlingHours }), ...(o.shipsFrom === undefined ? {} : { shipsFromCountry: o.shipsFrom }),
  });
const thresholdArb = fc.oneof(fc.constant(0), priceArb);
const marketArb = fc
  .record({ offers: fc.array(offerArb, { maxLength: 20 }), threshold: thresholdArb, summaryBuyBox: fc.oneof(fc.constant(0), priceArb) })
  .map(({ offers, threshold, summaryBuyBox }) => toMarketSnapshot({ offers: offers.map(toOffer), summaryBuyBoxLandedMinor: summaryBuyBox, competitivePriceThresholdMinor: threshold }));
const stockArb = fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 30 }));
const stateArb: fc.Arbitrary<OfferState> = fc.record({
  phase: fc.constantFrom(0, 1, 2, 3, 4, 5, 6),
  pendingPriceMinor: fc.oneof(fc.constant(0), priceArb),
  pendingSinceMs: fc.integer({ min: NOW - 86_400_000, max: NOW }),
  lastWinningPriceMinor: fc.oneof(fc.constant(0), priceArb),
  lostAtPriceMinor: fc.oneof(fc.constant(0), priceArb),
  ceilingPremiumBasisPoints: fc.oneof(fc.constant(NO_CEILING), fc.integer({ min: -20_000, max: 50_000 })),
  ceilingLearnedAtMs: fc.integer({ min: NOW - 86_400_000, max: NOW }),
  ceilingReferenceLandedMinor: fc.integer({ min: -100_000, max: MAX_PRICE_MINOR }),
  streak: fc.integer({ min: 0, max: 60 }),
  referenceLandedMinor: fc.integer({ min: -100_000, max: MAX_PRICE_MINOR }),
  lastChangeAtMs: fc.integer({ min: 0, max: NOW }),
});
const salesArb = fc.option(fc.record({ unitsInWindow: fc.integer({ min: 0, max: 10_000 }), windowMs: fc.integer({ min: 1, max: 30 * 86_400_000 }) }), { nil: null });

describe('Repricer invariants (property-based)', () => {
  it('never leaves [min, max], never yields NaN or a non-positive price, for the base price and every B2B tier', () => {
    const out = new DecisionScratch();
    fc.assert(
      fc.property(rulesArb, marketArb, stateArb, salesArb, stockArb, (rules, m, state, sales, stock) => {
        decideInto(out, rules, m, state, NOW, sales, stock);
        const prices = [out.newPrice, ...Array.from(out.tierPrices.subarray(0, out.tierCount))];
        for (const p of prices) {
          if (!Number.isSafeInteger(p) || p <= 0 || p < rules.min || p > rules.max) return false;
        }
        for (let k = 1; k < out.tierCount; k++) if (out.tierPrices[k]! > out.tierPrices[k - 1]!) return false;
        return out.tierCount === rules.tierCount && (out.tierCount === 0 || out.tierPrices[0]! <= out.newPrice);
      }),
      { numRuns: RUNS.range },
    );
  });

  it('is deterministic: the same rules, market, state and time give the same decision', () => {
    fc.assert(
      fc.property(rulesArb, marketArb, stateArb, salesArb, stockArb, (rules, m, state, sales, stock) => {
        expect(decide(rules, m, state, NOW, sales, undefined, stock)).toEqual(decide(rules, m, state, NOW, sales, undefined, stock));
      }),
      { numRuns: RUNS.determinism },
    );
  });

  it('never prices above CompetitivePriceThreshold without the Buy Box, and never raises above it while holding the Buy Box (issue 21 rules)', () => {
    const out = new DecisionScratch();
    fc.assert(
      fc.property(
        rulesArb.filter((r) => r.rules.strategy !== 'fixed'),
        fc.array(offerArb.filter((o) => o.seller !== SELLER), { maxLength: 19 }),
        offerArb.map((o) => ({ ...o, seller: SELLER })),
        priceArb,
        stateArb,
        salesArb,
        stockArb,
        (rules, others, ownOffer, threshold, state, sales, stock) => {
          const m = toMarketSnapshot({ offers: [...others, ownOffer].map(toOffer), summaryBuyBoxLandedMinor: 0, competitivePriceThresholdMinor: threshold });
          decideInto(out, rules, m, state, NOW, sales, stock);
          const ownExtra = ownOffer.shipping - ownOffer.points;
          const othersWin = others.some((o) => o.winner);
          const weWin = ownOffer.winner && (!othersWin || rules.rules.buyBoxShared === 'share');
          if (out.newPrice === rules.min) return true; // the range has the last word
          if (weWin) return out.newPrice <= ownOffer.listing || out.newPrice + ownExtra <= threshold;
          return out.newPrice + ownExtra <= threshold;
        },
      ),
      { numRuns: RUNS.threshold },
    );
  });

  it('rejects min > max, naming the field', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (min, below) => {
        const max = Math.max(1, min - below);
        fc.pre(max < min);
        try {
          parseRulesFile({ sellerId: 'S', offers: [{ sku: 'P', asin: 'B07XJ8C8F5', marketplaceId: 'M', strategy: 'buybox', currency: 'EUR', min: decimal(min), max: decimal(max) }] });
          return false;
        } catch (error) {
          return error instanceof ValidationError && error.message.startsWith('offers[0].min: min ');
        }
      }),
      { numRuns: RUNS.minMax },
    );
  });

  it('converges and then holds in a market that does not change (no oscillation without a reason)', () => {
    // Amazon's answer is modelled as a threshold: our offer wins the Buy Box iff its landed price is below T.
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 20_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 30_000 }),
        fc.integer({ min: 1, max: 30_000 }),
        fc.integer({ min: 1, max: 30_000 }),
        (min, span, step, competitorLanded, threshold, start) => {
          const max = min + span;
          const rules = compileRules(toOfferRules({ sku: 'P', asin: 'B07XJ8C8F5', marketplaceId: 'M', strategy: 'buybox', currency: 'EUR', min: decimal(min), max: decimal(max), step: decimal(step) }, 'o'), SELLER);
          let price = Math.min(max, Math.max(min, start));
          let state: OfferState = INITIAL_OFFER_STATE;
          let now = NOW;
          const trail: { price: number; action: string }[] = [];
          for (let i = 0; i < 300; i++) {
            const weWin = price < threshold;
            const m = market(offer('C0', competitorLanded, { isBuyBoxWinner: !weWin }), offer(SELLER, price, { isBuyBoxWinner: weWin }));
            const d = decide(rules, m, state, now, null);
            trail.push({ price: d.newPriceMinor, action: d.action });
            price = d.newPriceMinor; // applied before the next notification
            state = d.nextState;
            now += 120_000;
          }
          const tail = trail.slice(-10);
          expect(tail.every((t) => t.action === 'hold' && t.price === tail[0]!.price)).toBe(true);
          const settled = tail[0]!.price;
          if (threshold <= min) expect(settled).toBe(min);
          else if (threshold > max) expect(settled).toBe(max);
          else {
            expect(settled).toBeLessThan(threshold); // it wins …
            expect(settled).toBeGreaterThanOrEqual(Math.max(min, threshold - 2 * step)); // … close to the highest winning price
          }
        },
      ),
      { numRuns: RUNS.convergence },
    );
  });
});
