import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/kernel/errors.ts';
import { parseMerchantListingsReport, planListingsImport, type ImportedListing } from '#shared/repricer/listings-import.ts';

const report = readFileSync(new URL('../fixtures/amazon/reports/GET_MERCHANT_LISTINGS_ALL_DATA.tsv', import.meta.url), 'utf-8');
const US = 'ATVPDKIKX0DER';

describe('parseMerchantListingsReport', () => {
  const parsed = parseMerchantListingsReport(report, 'USD');

  it('reads every good line of a realistic All Listings report, by header name', () => {
    expect(parsed.listings.map((l) => l.sku)).toEqual(['KM-EDEL-40G', 'FBA-CAFE-CREME-TASSEN-6ER-SET-PORZ-WEISS', 'RK-70x140', 'DRAFT-1']);
    expect(parsed.listings[0]).toEqual({
      sku: 'KM-EDEL-40G', asin: 'B07XJ8C8F5', title: 'Kaffeemühle Edelstahl – manuell, 40 g', priceMinor: 2499, quantity: 17, fulfillmentChannel: 'DEFAULT', active: true,
    });
  });

  it('keeps 40-character SKUs and non-ASCII titles intact', () => {
    const cups = parsed.listings[1];
    expect(cups?.sku).toHaveLength(40);
    expect(cups?.title).toBe('Café Crème Tassen (6er-Set) · Porzellan — 日本製');
    expect(cups?.priceMinor).toBe(3950);
    expect(cups?.quantity).toBeUndefined(); // FBA listings leave quantity empty
    expect(parsed.listings[2]?.title).toBe('Ręcznik kąpielowy ♥ 70×140');
  });

  it('marks non-Active listings inactive and keeps a missing price as undefined', () => {
    expect(parsed.listings[2]?.active).toBe(false);
    expect(parsed.listings[3]).toMatchObject({ sku: 'DRAFT-1', active: false, priceMinor: undefined });
  });

  it('rejects bad lines alone, with their line numbers', () => {
    expect(parsed.rejected).toEqual([
      { line: 6, reason: expect.stringContaining('longer than 40') as unknown },
      { line: 7, reason: expect.stringContaining('is not an ASIN') as unknown },
    ]);
  });

  it('rejects a file that is not this report, and a SKU listed twice', () => {
    expect(() => parseMerchantListingsReport('sku\tasin\tprice\nA\tB07XJ8C8F5\t1.00\n', 'USD')).toThrow(ValidationError);
    const twice = parseMerchantListingsReport('seller-sku\tasin1\tprice\tstatus\nA\tB07XJ8C8F5\t1.00\tActive\nA\tB07XJ8C8F5\t2.00\tActive\n', 'USD');
    expect(twice.listings).toHaveLength(1);
    expect(twice.rejected[0]?.reason).toContain('listed twice');
  });
});

describe('planListingsImport', () => {
  const { listings } = parseMerchantListingsReport(report, 'USD');
  const context = { marketplaceId: US, currency: 'USD' as const, day: '2026-11-30', isConfigured: () => false };

  it('imports every listing without a range, and a repeat of the same report writes nothing', () => {
    const first = planListingsImport([], listings, context);
    expect(first.writes).toHaveLength(4);
    expect(first.writes.filter((l) => l.status === 'active').map((l) => l.sku)).toEqual(['KM-EDEL-40G', 'FBA-CAFE-CREME-TASSEN-6ER-SET-PORZ-WEISS']);
    expect(planListingsImport(first.writes, listings, context).writes).toEqual([]);
  });

  it('never touches an offer the customer already configured', () => {
    const plan = planListingsImport([], listings, { ...context, isConfigured: (sku) => sku === 'KM-EDEL-40G' });
    expect(plan.alreadyConfigured).toEqual(['KM-EDEL-40G']);
    expect(plan.writes.map((l) => l.sku)).not.toContain('KM-EDEL-40G');
  });

  it('marks listings gone from the next day’s report inactive, and updates changed prices', () => {
    const yesterday = planListingsImport([], listings, { ...context, day: '2026-11-29' }).writes;
    const today = listings.filter((l) => l.sku !== 'KM-EDEL-40G').map((l) => (l.sku === 'RK-70x140' ? { ...l, priceMinor: 1100 } : l));
    const plan = planListingsImport(yesterday, today, context);
    const bySku = new Map(plan.writes.map((l): [string, ImportedListing] => [l.sku, l]));
    expect(bySku.get('KM-EDEL-40G')).toMatchObject({ status: 'inactive', lastSeenDay: '2026-11-29' });
    expect(bySku.get('RK-70x140')?.priceMinor).toBe(1100);
    // Listings of another marketplace are not this report's to deactivate.
    expect(planListingsImport(yesterday, [], { ...context, marketplaceId: 'A1PA6795UKMFR9' }).writes).toEqual([]);
  });
});
