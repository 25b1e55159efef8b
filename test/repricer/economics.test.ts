/**
 * Min from cost, fees and margin (issue 21 economics): the integer derivation against a brute-force search, the
 * conservative fee schedule an estimate implies, the rule fields (validation with the field named, JSON and CSV
 * round trips) and the CLI path (fees in the rule; without them the offer holds).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/kernel/errors.ts';
import {
  costFloorMinor,
  deriveMinPrice,
  deriveOfferMin,
  feesAt,
  FEE_ESTIMATE_TTL_MS,
  meetsMargin,
  needsFeeEstimate,
  priceBandOf,
  scheduleFromEstimate,
  type FeeEstimate,
  type FeeSchedule,
} from '#shared/repricer/economics.ts';
import { exportRulesCsv, importRulesCsv } from '#shared/repricer/rules-csv.ts';
import { offerRulesToInput, parseRulesFile, toOfferRules } from '#shared/repricer/rules.ts';
import { repriceOfferChange } from '#shared/repricer/reprice-notification.ts';
import type { OfferChangeEvent } from '#shared/repricer/types.ts';
import { offer as marketOffer, SELLER } from './fixtures.ts';

const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
const base = { sku: 'ECON-1', asin: 'B0ECON0001', marketplaceId: US, strategy: 'buybox', currency: 'USD', max: '40.00' };

const scheduleArb = fc.record({
  referralBasisPoints: fc.integer({ min: 0, max: 3_000 }),
  referralMinimumMinor: fc.integer({ min: 0, max: 500 }),
  fixedMinor: fc.integer({ min: 0, max: 1_500 }),
});
const economicsArb = fc.record({
  costMinor: fc.integer({ min: 1, max: 2_000 }),
  marginBasisPoints: fc.integer({ min: 0, max: 6_000 }),
  vatBasisPoints: fc.constantFrom(0, 700, 1_900, 2_000, 2_500),
});

describe('the derived min: the lowest price from which every price up to max meets the margin', () => {
  it('matches a brute-force search over every price (exact integers, referral minimum, VAT)', () => {
    fc.assert(
      fc.property(economicsArb, scheduleArb, fc.integer({ min: 1, max: 6_000 }), (economics, schedule, max) => {
        const derived = deriveMinPrice(economics, schedule, max);
        // Brute force: walk down from max while the margin holds.
        let lowest: number | null = null;
        for (let p = max; p >= 1 && meetsMargin(economics, schedule, p); p--) lowest = p;
        expect(derived).toBe(lowest);
      }),
      { numRuns: 3_000 },
    );
  });

  it('cost 6.00, fees 15 % (min 0.30) + 3.10, margin 15 %: 13.02 in the US, 16.15 in Germany (19 % VAT in the price, margin on net)', () => {
    const fees: FeeSchedule = { referralBasisPoints: 1500, referralMinimumMinor: 30, fixedMinor: 310 };
    const us = { costMinor: 600, marginBasisPoints: 1500, vatBasisPoints: 0 };
    expect(deriveMinPrice(us, fees, 4000)).toBe(1302);
    // 13.00 meets it exactly (13.00 − 1.95 − 3.10 − 6.00 = 1.95 = 15 %), but at 13.01 the referral fee rounds up to
    // 1.96 and the margin falls short by a fraction of a cent: the engine may price anywhere above min, so min is 13.02.
    expect(meetsMargin(us, fees, 1300)).toBe(true);
    expect(meetsMargin(us, fees, 1301)).toBe(false);
    expect((1302 - feesAt(fees, 1302) - 600) * 10_000).toBeGreaterThanOrEqual(1500 * 1302);
    // Germany: net 16.15 / 1.19 = 13.57; 13.57 − 2.43 − 3.10 − 6.00 = 2.04 ≥ 15 % of 13.57.
    expect(deriveMinPrice({ ...us, vatBasisPoints: 1900 }, fees, 4000)).toBe(1615);
  });

  it('is null when not even max pays, and the cost floor bounds every derived min from below', () => {
    expect(deriveMinPrice({ costMinor: 3_000, marginBasisPoints: 1500, vatBasisPoints: 0 }, { referralBasisPoints: 1500, referralMinimumMinor: 30, fixedMinor: 310 }, 4000)).toBeNull();
    fc.assert(
      fc.property(economicsArb, scheduleArb, (economics, schedule) => {
        const derived = deriveMinPrice(economics, schedule, 1_000_000);
        if (derived !== null) expect(derived).toBeGreaterThanOrEqual(costFloorMinor(economics));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('the fee schedule an estimate implies', () => {
  it('is never below the real fees at any price and equal to the estimate at its price', () => {
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 200_000 }), (real, anchor, price) => {
        const total = feesAt(real, anchor);
        const referral = total - real.fixedMinor;
        const estimate: FeeEstimate = { priceMinor: anchor, totalMinor: total, referralMinor: referral, fulfilment: 'FBA', source: 'sp-api', estimatedAtMs: 0 };
        const implied = scheduleFromEstimate(estimate);
        expect(feesAt(implied, anchor)).toBe(total);
        expect(feesAt(implied, price)).toBeGreaterThanOrEqual(feesAt(real, price));
        // Without a breakdown (the whole total as referral) it is still an upper bound.
        const lump = scheduleFromEstimate({ ...estimate, referralMinor: total });
        expect(feesAt(lump, price)).toBeGreaterThanOrEqual(feesAt(real, price));
      }),
      { numRuns: 5_000 },
    );
  });

  it('price bands hold every price from their lower edge, 3–6 % wide', () => {
    for (const price of [1, 31, 33, 999, 1_000, 1_059, 12_345, 999_999]) {
      const band = priceBandOf(price);
      expect(band).toBeLessThanOrEqual(price);
      expect(price - band).toBeLessThanOrEqual(Math.max(1, Math.ceil(price * 0.0625)));
      expect(priceBandOf(band)).toBe(band);
    }
  });

  it('asks for a new estimate when there is none, after a day, or a while after the derived min moved to another band', () => {
    const rules = toOfferRules({ ...base, cost: '6.00', margin: '15' }, 'r');
    const economics = rules.economics!;
    expect(needsFeeEstimate(economics, rules.maxMinor, undefined, 0)).toBe(true);
    const good = deriveOfferMin(economics, rules.maxMinor, { priceMinor: 1000, totalMinor: 455, referralMinor: 150, fulfilment: 'FBA', source: 'simulated', estimatedAtMs: 0 }, 0);
    const at: FeeEstimate = { priceMinor: priceBandOf(good.minMinor!), totalMinor: 500, referralMinor: 190, fulfilment: 'FBA', source: 'simulated', estimatedAtMs: 0 };
    const settled = deriveOfferMin(economics, rules.maxMinor, at, 0);
    const stable: FeeEstimate = { ...at, priceMinor: priceBandOf(settled.minMinor!) };
    expect(needsFeeEstimate(economics, rules.maxMinor, stable, 60_000)).toBe(false);
    expect(needsFeeEstimate(economics, rules.maxMinor, stable, FEE_ESTIMATE_TTL_MS + 1)).toBe(true);
    expect(needsFeeEstimate(economics, rules.maxMinor, { ...stable, priceMinor: 3_000 }, 60_000)).toBe(false);
    expect(needsFeeEstimate(economics, rules.maxMinor, { ...stable, priceMinor: 3_000 }, 11 * 60_000)).toBe(true);
  });
});

describe('the rule fields cost, margin, fees and vatPercent', () => {
  it('derives min at validation when the rule gives the fees, the cost floor when Amazon will', () => {
    const withFees = toOfferRules({ ...base, cost: '6.00', margin: 15, fees: { referralPercent: '15', referralMinimum: '0.30', fixed: '3.10' } }, 'offers[0]');
    expect(withFees.minMinor).toBe(1302);
    const fromAmazon = toOfferRules({ ...base, marketplaceId: DE, currency: 'EUR', cost: '6.00', margin: '15' }, 'offers[0]');
    expect(fromAmazon.economics).toEqual({ costMinor: 600, marginBasisPoints: 1500, fees: null, vatBasisPoints: 1900 });
    expect(fromAmazon.minMinor).toBe(840); // 6.00 × 1.19 / 0.85: cost and margin, no fees yet
  });

  it('names the field of every mistake', () => {
    const error = (input: Record<string, unknown>): string => {
      try {
        toOfferRules({ ...base, ...input }, 'offers[3]');
      } catch (e) {
        if (e instanceof ValidationError) return e.message;
        throw e;
      }
      return 'no error';
    };
    expect(error({})).toMatch(/^offers\[3\]\.min: required \(or derive it from cost and margin\)/);
    expect(error({ min: '5.00', cost: '6.00', margin: 15 })).toMatch(/^offers\[3\]\.cost: give either min or cost and margin/);
    expect(error({ cost: '6.00' })).toMatch(/^offers\[3\]\.margin: required/);
    expect(error({ margin: 15 })).toMatch(/^offers\[3\]\.cost: required/);
    expect(error({ cost: '6.00', margin: 100 })).toMatch(/^offers\[3\]\.margin: must be below 99 %/);
    expect(error({ cost: '6.00', margin: 'lots' })).toMatch(/^offers\[3\]\.margin: "lots" is not a percentage/);
    expect(error({ cost: '6.001', margin: 15 })).toMatch(/^offers\[3\]\.cost: "6.001" has more than 2 decimals/);
    expect(error({ cost: '6.00', margin: 15, fees: {} })).toMatch(/^offers\[3\]\.fees: give referralPercent/);
    expect(error({ cost: '6.00', margin: 15, fees: { referralPercent: 'x' } })).toMatch(/^offers\[3\]\.fees\.referralPercent:/);
    expect(error({ cost: '6.00', margin: 15, fees: { fixed: '-1' } })).toMatch(/^offers\[3\]\.fees\.fixed:/);
    expect(error({ cost: '30.00', margin: 15, fees: { referralPercent: 15, fixed: '3.10' } })).toMatch(/^offers\[3\]\.cost: cost 30.00, fees and margin 15 % need a price above max 40.00/);
    expect(error({ cost: '6.00', margin: 15, vatPercent: 'x' })).toMatch(/^offers\[3\]\.vatPercent:/);
  });

  it('round-trips through the rules file JSON and the rules CSV', () => {
    const file = parseRulesFile({
      sellerId: SELLER,
      offers: [
        { ...base, cost: '6.00', margin: '15', fees: { referralPercent: '15', referralMinimum: '0.30', fixed: '3.10' } },
        { ...base, sku: 'ECON-2', marketplaceId: DE, currency: 'EUR', cost: '6.00', margin: '12.5', vatPercent: '7' },
        { ...base, sku: 'ECON-3', cost: '6.00', margin: '15', fees: { fixed: '4.50' } },
        { ...base, sku: 'PLAIN', min: '9.00' },
      ],
    });
    const again = parseRulesFile({ sellerId: SELLER, offers: file.offers.map(offerRulesToInput) });
    expect(again).toEqual(file);
    expect(offerRulesToInput(file.offers[1]!)).toMatchObject({ cost: '6.00', margin: '12.5', vatPercent: '7' });
    expect(offerRulesToInput(file.offers[1]!).min).toBeUndefined();
    const csv = exportRulesCsv(file);
    const imported = importRulesCsv(csv, SELLER);
    expect(imported.errors).toEqual([]);
    expect(imported.rules).toEqual(file);
  });

  it('imports a CSV with a cost column and no min column, naming the column of a bad cell', () => {
    const csv = [
      'sku,asin,marketplace_id,currency,max,strategy,cost,margin,fee_referral_percent,fee_fixed',
      'A,B0ECON0001,ATVPDKIKX0DER,USD,40.00,buybox,6.00,15,15,3.10',
      'B,B0ECON0002,ATVPDKIKX0DER,USD,40.00,buybox,6.00,15,abc,3.10',
      'C,B0ECON0003,ATVPDKIKX0DER,USD,40.00,buybox,,15,,',
    ].join('\n');
    const imported = importRulesCsv(csv, SELLER);
    expect(imported.rules.offers.map((o) => [o.sku, o.minMinor])).toEqual([['A', 1302]]);
    expect(imported.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'fee_referral_percent'],
      [4, 'cost'],
    ]);
    expect(importRulesCsv('sku,asin,marketplace_id,currency,max,strategy\n', SELLER).errors[0]?.message).toMatch(/missing column "min"/);
  });
});

describe('the CLI path: fees in the rule, or a hold', () => {
  const event = (ownMinor: number, competitorMinor: number): OfferChangeEvent => ({
    notificationType: 'ANY_OFFER_CHANGED', sellerId: SELLER, marketplaceId: US, asin: base.asin, audience: 'B2C', itemCondition: 'new', currency: 'USD',
    timeOfOfferChange: new Date('2025-03-04T10:00:00Z'),
    offers: [marketOffer(SELLER, ownMinor), marketOffer('A1COMPETITOR01', competitorMinor, { isBuyBoxWinner: true })],
    summaryBuyBoxLandedMinor: competitorMinor, totalOfferCount: 2,
  });

  it('never undercuts to below cost + fees + margin when the rule gives the fees', () => {
    const rules = parseRulesFile({ sellerId: SELLER, offers: [{ ...base, cost: '6.00', margin: 15, fees: { referralPercent: '15', referralMinimum: '0.30', fixed: '3.10' } }] });
    const result = repriceOfferChange({ event: event(1500, 900), rules, now: new Date('2025-03-04T10:00:00Z') });
    expect(result.decisions[0]).toMatchObject({ newPriceMinor: 1302, reasonCode: 'AtMinCannotWin' });
  });

  it('over generated costs, margins, fee schedules, VAT and markets: every decision in [derived min, max] and paying the margin', () => {
    fc.assert(
      fc.property(
        economicsArb,
        scheduleArb,
        fc.integer({ min: 2_000, max: 20_000 }),
        fc.constantFrom('buybox', 'push', 'fixed'),
        fc.array(fc.record({ own: fc.integer({ min: 1, max: 30_000 }), competitor: fc.integer({ min: 1, max: 30_000 }) }), { minLength: 1, maxLength: 6 }),
        (economics, schedule, max, strategy, markets) => {
          const fmt = (minor: number): string => (minor / 100).toFixed(2);
          let rules;
          try {
            rules = parseRulesFile({
              sellerId: SELLER,
              offers: [{
                ...base, strategy, max: fmt(max), cost: fmt(economics.costMinor), margin: (economics.marginBasisPoints / 100).toFixed(2), vatPercent: (economics.vatBasisPoints / 100).toFixed(2),
                fees: { referralPercent: (schedule.referralBasisPoints / 100).toFixed(2), referralMinimum: fmt(schedule.referralMinimumMinor), fixed: fmt(schedule.fixedMinor) },
                ...(strategy === 'fixed' ? { fixedPrice: fmt(max) } : {}), ...(strategy === 'push' ? { push: { targetUnits: 5 } } : {}),
              }],
            });
          } catch (e) {
            // Only a rule whose cost, fees and margin need more than max is refused, and it says so.
            expect(e).toBeInstanceOf(ValidationError);
            expect(deriveMinPrice(economics, schedule, max)).toBeNull();
            return;
          }
          const min = rules.offers[0]!.minMinor;
          expect(min).toBe(deriveMinPrice(economics, schedule, max));
          let states;
          for (const m of markets) {
            const result = repriceOfferChange({ event: event(m.own, m.competitor), rules, now: new Date('2025-03-04T10:00:00Z'), ...(states ? { states } : {}) });
            states = result.nextStates;
            for (const d of result.decisions) {
              expect(d.newPriceMinor).toBeGreaterThanOrEqual(min);
              expect(d.newPriceMinor).toBeLessThanOrEqual(max);
              expect(meetsMargin(economics, schedule, d.newPriceMinor)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('holds, and says so, when the fees are unknown (no fees in the rule and no estimate in the CLI)', () => {
    const rules = parseRulesFile({ sellerId: SELLER, offers: [{ ...base, cost: '6.00', margin: 15 }] });
    const result = repriceOfferChange({ event: event(1500, 900), rules, now: new Date('2025-03-04T10:00:00Z') });
    expect(result.decisions[0]).toMatchObject({ action: 'hold', reasonCode: 'FeesUnknown', reasonParams: [600, 1500, 0] });
    expect(result.priceChanges).toEqual([]);
  });
});
