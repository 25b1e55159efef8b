/**
 * Fee overcharges against the fee preview (`fee_overcharge`, `size_tier_overcharge`): Amazon's size-tier tables on
 * their boundaries, the fee schedule a preview proves, and the claims (or the withheld candidates) on small report sets.
 */
import { describe, expect, it } from 'vitest';
import { runAudit } from '#shared/lost-and-found/audit.ts';
import {
  dayInFileName,
  feeScheduleStart,
  measuredTier,
  packageMeasure,
  statedTier,
  tierAbove,
  type FeeRegion,
  type SizeTier,
} from '#shared/lost-and-found/claim-types/size-tiers.ts';
import { isoDay, parseDayString } from '#shared/lost-and-found/tsv.ts';
import { memorySource, settlement, settlementRow } from './helpers.ts';

function tierOf(region: FeeRegion, sides: [string, string, string], unitOfDimension: string, weight: string, unitOfWeight: string): SizeTier | undefined {
  const measure = packageMeasure(region, { longest: sides[0], median: sides[1], shortest: sides[2], unitOfDimension, weight, unitOfWeight });
  return measure === undefined ? undefined : measuredTier(region, measure);
}

describe('size tiers (Amazon US 2024 table, help 201105770)', () => {
  it.each([
    [['15', '12', '0.75'], '16', 'ounces', 'small_standard'],
    [['15', '12', '0.75'], '1.00', 'pounds', 'small_standard'],
    [['15', '12', '0.76'], '16', 'ounces', 'large_standard'],
    [['15.01', '12', '0.75'], '16', 'ounces', 'large_standard'],
    [['15', '12', '0.75'], '16.01', 'ounces', 'large_standard'],
    [['18', '14', '8'], '20', 'pounds', 'large_standard'],
    [['18', '14', '8.01'], '20', 'pounds', 'large_bulky'],
    [['18', '14', '8'], '20.01', 'pounds', 'large_bulky'],
    // Large bulky by dimensional weight (volume / 139): 6,720 in³ = 48.3 lb; 7,200 in³ = 51.8 lb.
    [['40', '14', '12'], '10', 'pounds', 'large_bulky'],
    [['40', '15', '12'], '10', 'pounds', 'extra_large'],
    [['40', '14', '12'], '50.01', 'pounds', 'extra_large'],
    // Length + girth 130 in at most, sides of at least 2 in in the dimensional weight.
    [['59', '1', '1'], '1', 'pounds', 'large_bulky'],
    [['59.01', '1', '1'], '1', 'pounds', 'extra_large'],
    [['30', '25', '25'], '1', 'pounds', 'extra_large'],
    // The independent US sets' product: 9.65 × 6.30 × 3.23 in, 1.37 lb, labelled "Large Standard-Size".
    [['9.65', '6.30', '3.23'], '1.37', 'pounds', 'large_standard'],
  ] as const)('%j in, %s %s → %s', (sides, weight, unit, tier) => {
    expect(tierOf('us', [...sides], 'inches', weight, unit)).toBe(tier);
  });

  it('sorts the sides, and reads no package in units the table is not written in', () => {
    expect(tierOf('us', ['0.75', '15', '12'], 'inches', '16', 'ounces')).toBe('small_standard');
    expect(tierOf('us', ['30', '20', '1'], 'cm', '0.1', 'kg')).toBeUndefined();
    expect(tierOf('us', ['15', '12', 'n/a'], 'inches', '16', 'ounces')).toBeUndefined();
  });
});

describe('size tiers (Amazon Europe table, Amazon.nl help G2CD5P9TSDYZA2XG)', () => {
  it.each([
    [['20', '15', '1'], '80', 'g', 'small_envelope'],
    [['20', '15', '1'], '81', 'g', 'standard_envelope'],
    [['20.01', '15', '1'], '0.08', 'kg', 'standard_envelope'],
    [['33', '23', '2.5'], '460', 'g', 'standard_envelope'],
    [['33', '23', '2.51'], '460', 'g', 'large_envelope'],
    [['33', '23', '4'], '960', 'g', 'large_envelope'],
    [['33', '23', '6'], '960', 'g', 'extra_large_envelope'],
    [['33', '23', '6'], '961', 'g', 'small_parcel'],
    [['35', '25', '12'], '3.9', 'kg', 'small_parcel'],
    [['35', '25', '12'], '3.901', 'kg', 'standard_parcel'],
    [['45', '34', '26'], '11.9', 'kg', 'standard_parcel'],
    [['45.01', '34', '26'], '11.9', 'kg', 'oversize'],
    [['45', '34', '26'], '11.901', 'kg', 'oversize'],
    // The independent European sets' product, labelled "Standard Parcel" there.
    [['24.5', '16.0', '8.2'], '0.62', 'kg', 'small_parcel'],
    [['24,5', '16,0', '8,2'], '620', 'g', 'small_parcel'],
  ] as const)('%j cm, %s %s → %s', (sides, weight, unit, tier) => {
    expect(tierOf('europe', [...sides], 'cm', weight, unit)).toBe(tier);
  });

  it('reads millimetres too', () => {
    expect(tierOf('europe', ['350', '250', '120'], 'mm', '3900', 'g')).toBe('small_parcel');
  });
});

describe("the preview's stated tier", () => {
  it('reads Amazon’s labels and compares ranks', () => {
    expect(statedTier('us', 'Large Standard-Size')).toBe('large_standard');
    expect(statedTier('us', 'Extra-large 50+ to 70 lb')).toBe('extra_large');
    expect(statedTier('us', 'Small oversize')).toBeUndefined(); // a pre-2024 US tier: not compared
    expect(statedTier('europe', 'Extra Large Envelope')).toBe('extra_large_envelope');
    expect(statedTier('europe', 'Standard Parcel')).toBe('standard_parcel');
    expect(statedTier('europe', 'Small oversize')).toBe('oversize');
    expect(tierAbove('europe', 'standard_parcel', 'small_parcel')).toBe(true);
    expect(tierAbove('europe', 'small_parcel', 'standard_parcel')).toBe(false);
    expect(tierAbove('us', 'large_standard', 'large_standard')).toBe(false);
  });
});

describe('the fee schedule a preview proves', () => {
  const start = (region: FeeRegion, day: string): string => {
    const d = feeScheduleStart(region, parseDayString(day));
    return Number.isNaN(d) ? 'unknown' : isoDay(d);
  };
  it('runs from the last day fees fell up to the preview', () => {
    expect(start('us', '2026-11-20')).toBe('2026-01-15');
    expect(start('us', '2026-01-14')).toBe('2025-01-15');
    expect(start('europe', '2026-11-15')).toBe('2026-02-01');
    expect(start('europe', '2026-01-20')).toBe('2026-01-15');
    expect(start('europe', '2025-06-30')).toBe('2025-01-15');
    expect(start('europe', '2024-06-01')).toBe('unknown');
  });
  it('assumes the yearly changes after the days it lists', () => {
    expect(start('us', '2027-03-01')).toBe('2027-01-15');
    expect(start('europe', '2027-03-01')).toBe('2027-02-01');
  });
  it('dates a preview by its file name when it has a date', () => {
    expect(isoDay(dayInFileName('GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA-2026-11-30.tsv.gz'))).toBe('2026-11-30');
    expect(dayInFileName('fee-preview.tsv')).toBeNaN();
  });
});

const PREVIEW_HEADER = 'sku\tfnsku\tasin\tproduct-name\tlongest-side\tmedian-side\tshortest-side\tunit-of-dimension\titem-package-weight\tunit-of-weight\tproduct-size-tier\tcurrency\tyour-price\testimated-fee-total\texpected-fulfillment-fee-per-unit';
const previewRow = (sku: string, tier: string, currency: string, fee: string, dims = ['24.5', '16.0', '8.2', 'cm', '0.62', 'kg']): string =>
  [sku, `X00${sku}`, `B0${sku}`, 'Test', ...dims, tier, currency, '30.00', '8.00', fee].join('\t');
const preview = (rows: string[]): string => [PREVIEW_HEADER, ...rows].join('\n') + '\n';
const eu = (iso: string): string => iso.split('-').reverse().join('.');

describe('fee claims on a small report set', () => {
  it('claims a charge above Amazon’s own expected fee as certain, and asks for a re-measurement when the tier is above the measurements', async () => {
    const fees = preview([previewRow('SKU-1', 'Small Parcel', 'EUR', '3.00'), previewRow('SKU-2', 'Standard Parcel', 'EUR', '3.78')]);
    const rows = [
      settlementRow('S1', 'Order', 'O1', 'FBAPerUnitFulfillmentFee', '-3,50', eu('2025-06-20'), 'SKU-1'),
      settlementRow('S1', 'Order', 'O2', 'FBAPerUnitFulfillmentFee', '-3,00', eu('2025-06-20'), 'SKU-1'),
      settlementRow('S1', 'Order', 'O3', 'FBAPerUnitFulfillmentFee', '-3,78', eu('2025-06-18'), 'SKU-2'),
      settlementRow('S1', 'Order', 'O4', 'FBAPerUnitFulfillmentFee', '-7,56', eu('2025-06-21'), 'SKU-2', 2),
    ];
    const result = await runAudit([memorySource('fees.tsv', fees), memorySource('s.tsv', settlement('S1', 'EUR', rows, { eu: true }))], { asOf: '2025-06-30' });
    // Sorted by deadline: the tier claim's first charge is the older.
    expect(result.claims.map((c) => [c.type, c.msku, c.ref, c.quantity, c.amount.minor, c.confidence, c.valueUnknown ?? false])).toEqual([
      ['size_tier_overcharge', 'SKU-2', 'SKU-2', 3, 0, 'likely', true],
      ['fee_overcharge', 'SKU-1', 'S1', 1, 50, 'certain', false],
    ]);
    const tier = result.claims[0]!;
    expect(tier).toMatchObject({ eventDate: '2025-06-18', deadline: '2025-09-16', valueBasis: 'unknown' });
    expect(tier.valueUnknownReason).toContain('small parcel');
    expect(tier.evidence.map((e) => e.id)).toEqual(['O3', 'O4']);
    expect(tier.evidence[0]!.detail).toContain('"Standard Parcel"; its dimensions and weight fall in small_parcel');
    expect(result.withheld).toEqual([]);
  });

  it('makes no claim for charges the preview does not cover, and names the preview to upload', async () => {
    // A preview made on 2026-01-20 (its file name) in the US: its schedule starts 2026-01-15, so it proves the
    // charges of 2026-01-15 – 2026-01-20, not one of 2026-01-10 (the old schedule) nor one of 2026-02-05 (after it).
    const fees = preview([previewRow('SKU-1', 'Large Standard-Size', 'USD', '3.00', ['9.65', '6.30', '3.23', 'inches', '1.37', 'pounds'])]);
    const rows = [
      settlementRow('S2', 'Order', 'O1', 'FBAPerUnitFulfillmentFee', '-3.50', '2026-01-10', 'SKU-1'),
      settlementRow('S2', 'Order', 'O2', 'FBAPerUnitFulfillmentFee', '-3.40', '2026-01-16', 'SKU-1'),
      settlementRow('S3', 'Order', 'O3', 'FBAPerUnitFulfillmentFee', '-3.90', '2026-02-05', 'SKU-1'),
    ];
    const result = await runAudit(
      [memorySource('GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA-2026-01-20.tsv', fees), memorySource('s2.tsv', settlement('S2', 'USD', rows.slice(0, 2))), memorySource('s3.tsv', settlement('S3', 'USD', rows.slice(2)))],
      { asOf: '2026-02-10' },
    );
    expect(result.claims.map((c) => [c.type, c.ref, c.quantity, c.amount.minor, c.confidence])).toEqual([['fee_overcharge', 'S2', 1, 40, 'certain']]);
    expect(result.claims[0]!.evidence.map((e) => e.id)).toEqual(['O2']);
    expect(result.withheld.map((w) => [w.type, w.report, w.candidates, w.from, w.to])).toEqual([['fee_overcharge', 'fee_preview', 2, '2026-01-10', '2026-02-05']]);
    expect(result.withheld[0]!.message).toBe('upload a fee preview report that covers 2026-01-10 – 2026-02-05 to check 2 SKU settlements with FBA fees (possible fee_overcharge claims)');
  });

  it('makes no fee claim of a marketplace whose fee schedule it does not know', async () => {
    const fees = preview([previewRow('SKU-1', 'Standard', 'CAD', '3.00')]);
    const rows = [settlementRow('S4', 'Order', 'O1', 'FBAPerUnitFulfillmentFee', '-5.00', '2026-02-01', 'SKU-1')];
    const result = await runAudit([memorySource('fees.tsv', fees), memorySource('s.tsv', settlement('S4', 'CAD', rows))], { asOf: '2026-02-10' });
    expect(result.claims).toEqual([]);
    expect(result.withheld.map((w) => [w.type, w.candidates])).toEqual([['fee_overcharge', 1]]);
  });

  it('keeps the newest preview of a SKU whatever the order the files are read in', async () => {
    const older = preview([previewRow('SKU-1', 'Large Standard-Size', 'USD', '4.00', ['9.65', '6.30', '3.23', 'inches', '1.37', 'pounds'])]);
    const newer = preview([previewRow('SKU-1', 'Large Standard-Size', 'USD', '3.00', ['9.65', '6.30', '3.23', 'inches', '1.37', 'pounds'])]);
    const rows = [settlementRow('S5', 'Order', 'O1', 'FBAPerUnitFulfillmentFee', '-3.50', '2026-02-01', 'SKU-1')];
    const result = await runAudit(
      [memorySource('fees-2026-02-09.tsv', newer), memorySource('fees-2026-02-05.tsv', older), memorySource('s.tsv', settlement('S5', 'USD', rows))],
      { asOf: '2026-02-10' },
    );
    expect(result.claims.map((c) => [c.type, c.amount.minor])).toEqual([['fee_overcharge', 50]]);
  });
});
