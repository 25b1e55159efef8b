import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRulesFile } from '#shared/repricer/rules.ts';
import { repriceNotification } from '#shared/repricer/reprice-notification.ts';

const notification = JSON.parse(readFileSync('examples/repricer/any-offer-changed.json', 'utf8')) as unknown;
const rules = parseRulesFile(JSON.parse(readFileSync('examples/repricer/rules.json', 'utf8')));
const now = new Date('2025-03-04T10:15:02Z');

describe('repriceNotification use case (what the Lambda calls)', () => {
  it('returns decisions, next states and the price changes to submit', () => {
    const result = repriceNotification({ notification, rules, now });
    expect(result.decisions).toHaveLength(1);
    expect(result.priceChanges).toEqual([
      { sellerId: 'A2SELLEROPS0DE', sku: 'KITCHEN-SCALE-01', asin: 'B07XJ8C8F5', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C', price: { minor: 1194, currency: 'EUR' }, quantityTiers: [] },
    ]);
    expect(result.nextStates.get('KITCHEN-SCALE-01|A1PA6795UKMFR9|B2C')?.pendingPriceMinor).toBe(1194);
  });

  it('records dry-run decisions but submits nothing and keeps the state', () => {
    const dry = parseRulesFile({ sellerId: rules.sellerId, offers: [{ sku: 'KITCHEN-SCALE-01', asin: 'B07XJ8C8F5', marketplaceId: 'A1PA6795UKMFR9', strategy: 'buybox', currency: 'EUR', min: '8.00', max: '15.00', dryRun: true }] });
    const result = repriceNotification({ notification, rules: dry, now });
    expect(result.decisions[0]).toMatchObject({ dryRun: true, action: 'lower' });
    expect(result.priceChanges).toEqual([]);
    expect(result.nextStates.get('KITCHEN-SCALE-01|A1PA6795UKMFR9|B2C')?.pendingPriceMinor).toBe(0);
  });

  it('rejects rules of another seller and a currency that does not match the listing', () => {
    expect(() => repriceNotification({ notification, rules: { ...rules, sellerId: 'OTHER' }, now })).toThrow(/sellerId: the rules are for seller OTHER/);
    const usd = parseRulesFile({ sellerId: rules.sellerId, offers: [{ sku: 'K', asin: 'B07XJ8C8F5', marketplaceId: 'A1PA6795UKMFR9', strategy: 'buybox', currency: 'USD', min: '8.00', max: '15.00' }] });
    expect(() => repriceNotification({ notification, rules: usd, now })).toThrow(/offers\[0\]\.currency/);
  });
});
