import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/kernel/errors.ts';
import { exportRulesCsv, importRulesCsv } from '#shared/repricer/rules-csv.ts';
import { parseRulesFile } from '#shared/repricer/rules.ts';
import { readFileSync } from 'node:fs';

const offer = (extra: Record<string, unknown> = {}) => ({
  sku: 'SKU-1', asin: 'B07XJ8C8F5', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C', strategy: 'buybox', currency: 'EUR', min: '8.00', max: '15.00', ...extra,
});

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('Offer rules', () => {
  it('parses decimal prices into minor units of the offer currency', () => {
    const rules = parseRulesFile({ sellerId: 'S', offers: [offer({ step: '1', currency: 'jpy', min: '800', max: '1500' })] });
    expect(rules.offers[0]).toMatchObject({ currency: 'JPY', minMinor: 800, maxMinor: 1500, stepMinor: 1 });
  });

  it('rejects min > max with an error naming the field', () => {
    const error = errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer(), offer({ sku: 'SKU-2', min: '16.00' })] }));
    expect(error.message).toContain('offers[1].min');
    expect(error.message).toContain('greater than max');
    expect(error.details?.['field']).toBe('offers[1].min');
  });

  it('rejects unknown currencies, negative, zero, absurd and malformed prices, naming the field', () => {
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer({ currency: 'XYZ' })] })).message).toContain('offers[0].currency: unknown currency "XYZ"');
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer({ min: '-1.00' })] })).message).toContain('offers[0].min');
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer({ min: '0' })] })).message).toContain('offers[0].min: price must be positive');
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer({ max: '99999999999' })] })).message).toContain('offers[0].max');
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer({ max: '15.001' })] })).message).toContain('more than 2 decimals');
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer({ strategy: 'magic' })] })).message).toContain('offers[0].strategy');
  });

  it('requires what a strategy needs and keeps prices of fixed/fallback inside the range', () => {
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer({ strategy: 'fixed' })] })).message).toContain('offers[0].fixedPrice: required');
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer({ strategy: 'fixed', fixedPrice: '20.00' })] })).message).toContain('outside the range');
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer({ strategy: 'push' })] })).message).toContain('offers[0].push');
  });

  it('accepts up to five B2B tiers with increasing quantities, and rejects tiers on B2C', () => {
    const tiers = [2, 5, 10, 20, 50].map((q) => ({ minQuantity: q, discountPercent: String(q / 10) }));
    expect(parseRulesFile({ sellerId: 'S', offers: [offer({ audience: 'B2B', tiers })] }).offers[0]?.tiers).toHaveLength(5);
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer({ audience: 'B2B', tiers: [...tiers, { minQuantity: 99, discountPercent: '9' }] })] })).message).toContain('offers[0].tiers');
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer({ audience: 'B2B', tiers: [{ minQuantity: 5, discountPercent: '1' }, { minQuantity: 5, discountPercent: '2' }] })] })).message).toContain('tiers[1].minQuantity');
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer({ tiers: [{ minQuantity: 5, discountPercent: '1' }] })] })).message).toContain('only for B2B');
  });

  it('rejects duplicate offers (same SKU, marketplace and audience)', () => {
    expect(errorOf(() => parseRulesFile({ sellerId: 'S', offers: [offer(), offer()] })).message).toContain('duplicate');
  });
});

describe('Rules CSV import and export', () => {
  it('imports the example CSV with one rejected row reported by row number and field', () => {
    const { rules, errors } = importRulesCsv(readFileSync('examples/repricer/rules.csv', 'utf8'), 'A2SELLEROPS0DE');
    expect(rules.offers.map((o) => `${o.sku}/${o.audience}`)).toEqual(['KITCHEN-SCALE-01/B2C', 'KITCHEN-SCALE-01/B2B', 'GARLIC-PRESS-PL/B2C']);
    expect(rules.offers[1]?.tiers).toEqual([
      { minQuantity: 5, discountBasisPoints: 300, discountMinor: 0 },
      { minQuantity: 10, discountBasisPoints: 500, discountMinor: 0 },
      { minQuantity: 25, discountBasisPoints: 0, discountMinor: 120 },
    ]);
    expect(errors).toEqual([
      {
        row: 5,
        field: 'min',
        message: expect.stringContaining('min 15.00 is greater than max 12.00'),
        // The reason as a code with its values, for a page to word in its own language.
        reason: { code: 'min_above_max', params: { min: '15.00', max: '12.00', currency: 'EUR' } },
      },
    ]);
  });

  it('accepts semicolon-separated files with decimal commas', () => {
    const csv = 'sku;asin;marketplace_id;currency;min;max;strategy;step\nA;B07XJ8C8F5;A1PA6795UKMFR9;EUR;8,50;15,00;buybox;0,05\n';
    const { rules, errors } = importRulesCsv(csv, 'S');
    expect(errors).toEqual([]);
    expect(rules.offers[0]).toMatchObject({ minMinor: 850, maxMinor: 1500, stepMinor: 5 });
  });

  it('reports missing and unknown columns', () => {
    const { errors } = importRulesCsv('sku,asin,price\nA,B,1\n', 'S');
    expect(errors[0]?.row).toBe(1);
    expect(errors[0]?.message).toContain('missing column "marketplace_id"');
    expect(errors[0]?.message).toContain('unknown column "price"');
  });

  it('exports what it imports (round trip)', () => {
    const first = importRulesCsv(readFileSync('examples/repricer/rules.csv', 'utf8'), 'S');
    const again = importRulesCsv(exportRulesCsv(first.rules), 'S');
    expect(again.errors).toEqual([]);
    expect(again.rules).toEqual(first.rules);
  });
});
