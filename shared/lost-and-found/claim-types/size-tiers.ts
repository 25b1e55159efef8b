/**
 * Amazon's product size tiers and the days its FBA fulfilment fees changed: what the fee rules need to tell
 * whether a fee preview proves anything about a charge. Pure functions over the preview's text fields, called
 * once per preview row (never per settlement row). Sources, read on 2026-11-30 (docs/lost-and-found.md#fee-overcharges-and-size-tiers):
 *
 * - US tiers from 2024-02-05: Amazon Seller Central help 201105770 "Product size tiers"
 *   (https://sellercentral.amazon.com/gp/help/external/201105770; its 2023 table "ending after February 4, 2024"
 *   was readable; the 2024 rows as reproduced from Amazon's "Changes to size tiers and fees" by the third-party
 *   https://huzaifa.org/amazon-new-product-size-tiers-2024-fee/): small standard ≤ 15 × 12 × 0.75 in and 16 oz of
 *   unit weight; large standard ≤ 18 × 14 × 8 in and 20 lb; large bulky ≤ 59 × 33 × 33 in, length + girth ≤ 130 in
 *   and 50 lb; extra-large beyond. Except for small standard, the weight is the greater of unit weight and
 *   dimensional weight (volume in³ / 139; for large bulky and extra-large with sides of at least 2 in).
 * - Europe (UK, DE, FR, IT, ES, NL, SE, PL…): Amazon.nl help G2CD5P9TSDYZA2XG "Product size tier"
 *   (https://sellercentral.amazon.nl/gp/help/external/G2CD5P9TSDYZA2XG): small envelope ≤ 20 × 15 × 1 cm / 80 g,
 *   standard envelope ≤ 33 × 23 × 2.5 cm / 460 g, large envelope ≤ 33 × 23 × 4 cm / 960 g, extra-large envelope
 *   ≤ 33 × 23 × 6 cm / 960 g, small parcel ≤ 35 × 25 × 12 cm / 3.9 kg, standard parcel ≤ 45 × 34 × 26 cm / 11.9 kg
 *   (unit weight), oversize tiers beyond (told apart here only as "oversize": the page's oversize rows mix unit
 *   and dimensional weight limits this module does not need).
 */
import type { Currency } from '#shared/kernel/money.ts';
import { parseDayString } from '../tsv.ts';

/** The fee tables a preview can be read against, by the marketplace's currency. */
export type FeeRegion = 'us' | 'europe';

export const US_SIZE_TIERS = ['small_standard', 'large_standard', 'large_bulky', 'extra_large'] as const;
export const EUROPE_SIZE_TIERS = [
  'small_envelope',
  'standard_envelope',
  'large_envelope',
  'extra_large_envelope',
  'small_parcel',
  'standard_parcel',
  'oversize',
] as const;
export type SizeTier = (typeof US_SIZE_TIERS)[number] | (typeof EUROPE_SIZE_TIERS)[number];

/**
 * A package in the table's own integer units, so that boundaries compare exactly: US lengths in hundredths of an
 * inch and weight in hundredths of an ounce; Europe lengths in hundredths of a centimetre and weight in grams.
 * Sides sorted longest first.
 */
export interface PackageMeasure {
  longest: number;
  median: number;
  shortest: number;
  weight: number;
}

const EUROPE_CURRENCIES: ReadonlySet<string> = new Set(['EUR', 'GBP', 'SEK', 'PLN']);
const OUNCES_PER_POUND = 16;

export function feeRegion(currency: Currency): FeeRegion | undefined {
  if (currency === 'USD') return 'us';
  return EUROPE_CURRENCIES.has(currency) ? 'europe' : undefined;
}

/**
 * "24.5" or "24,5" as an integer with `decimals` places (rounded half up beyond them); NaN unless a plain
 * non-negative decimal. Measurements carry no thousands separators. Read character by character: it runs for six
 * fields of every preview row.
 */
export function parseMeasure(text: string, decimals: number): number {
  let i = 0;
  let end = text.length;
  while (i < end && text.charCodeAt(i) === 32) i++;
  while (end > i && text.charCodeAt(end - 1) === 32) end--;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
    digits++;
  }
  if (digits === 0) return Number.NaN;
  let place = 0;
  let roundUp = false;
  if (i < end) {
    const separator = text.charCodeAt(i);
    if ((separator !== 46 && separator !== 44) || i + 1 === end) return Number.NaN;
    for (i++; i < end; i++, place++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return Number.NaN;
      if (place < decimals) value = value * 10 + digit;
      else if (place === decimals) roundUp = digit >= 5;
    }
  }
  for (; place < decimals; place++) value *= 10;
  return roundUp ? value + 1 : value;
}

/** Units as the preview writes them, lower case. */
const LENGTH_UNITS: ReadonlyMap<string, 'in' | 'cm' | 'mm'> = new Map([
  ['in', 'in'], ['inch', 'in'], ['inches', 'in'],
  ['cm', 'cm'], ['centimeter', 'cm'], ['centimeters', 'cm'], ['centimetre', 'cm'], ['centimetres', 'cm'],
  ['mm', 'mm'], ['millimeter', 'mm'], ['millimeters', 'mm'], ['millimetre', 'mm'], ['millimetres', 'mm'],
]);
const WEIGHT_UNITS: ReadonlyMap<string, 'lb' | 'oz' | 'kg' | 'g'> = new Map([
  ['lb', 'lb'], ['lbs', 'lb'], ['pound', 'lb'], ['pounds', 'lb'],
  ['oz', 'oz'], ['ounce', 'oz'], ['ounces', 'oz'],
  ['kg', 'kg'], ['kilogram', 'kg'], ['kilograms', 'kg'],
  ['g', 'g'], ['gram', 'g'], ['grams', 'g'],
]);

/** The fee preview's dimension and weight fields, as written. */
export interface PreviewMeasureText {
  longest: string;
  median: string;
  shortest: string;
  unitOfDimension: string;
  weight: string;
  unitOfWeight: string;
}

/** The package in the region's table units, or undefined when a field is missing or in units the table is not written in. */
export function packageMeasure(region: FeeRegion, text: PreviewMeasureText): PackageMeasure | undefined {
  const lengthUnit = LENGTH_UNITS.get(text.unitOfDimension.trim().toLowerCase());
  const weightUnit = WEIGHT_UNITS.get(text.unitOfWeight.trim().toLowerCase());
  if (lengthUnit === undefined || weightUnit === undefined) return undefined;
  // Table units: hundredths of an inch and of an ounce (US); hundredths of a centimetre and grams (Europe).
  let sideDecimals: number;
  let weight: number;
  if (region === 'us') {
    if (lengthUnit !== 'in') return undefined;
    sideDecimals = 2;
    if (weightUnit === 'lb') weight = parseMeasure(text.weight, 2) * OUNCES_PER_POUND;
    else if (weightUnit === 'oz') weight = parseMeasure(text.weight, 2);
    else return undefined;
  } else {
    if (lengthUnit === 'in') return undefined;
    sideDecimals = lengthUnit === 'cm' ? 2 : 1;
    if (weightUnit === 'kg') weight = parseMeasure(text.weight, 3);
    else if (weightUnit === 'g') weight = parseMeasure(text.weight, 0);
    else return undefined;
  }
  const a = parseMeasure(text.longest, sideDecimals);
  const b = parseMeasure(text.median, sideDecimals);
  const c = parseMeasure(text.shortest, sideDecimals);
  if (Number.isNaN(weight) || Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c)) return undefined;
  const longest = Math.max(a, b, c);
  const shortest = Math.min(a, b, c);
  return { longest, median: a + b + c - longest - shortest, shortest, weight };
}

/** Hundredths of an inch cubed per cubic inch. */
const CUBIC_HUNDREDTHS = 1_000_000;
/** US dimensional weight: cubic inches per pound. */
const US_DIM_DIVISOR = 139;

function fits(m: PackageMeasure, longest: number, median: number, shortest: number): boolean {
  return m.longest <= longest && m.median <= median && m.shortest <= shortest;
}

/** Greater of unit and dimensional weight at most `pounds` (dimensional weight with sides of at least `minSide`). */
function usShippingWeightAtMost(m: PackageMeasure, pounds: number, minSide = 0): boolean {
  const volume = m.longest * Math.max(m.median, minSide) * Math.max(m.shortest, minSide);
  return m.weight <= pounds * OUNCES_PER_POUND * 100 && volume <= US_DIM_DIVISOR * pounds * CUBIC_HUNDREDTHS;
}

/** The tier the package falls into by the region's table (every limit inclusive: "up to"). */
export function measuredTier(region: FeeRegion, m: PackageMeasure): SizeTier {
  if (region === 'us') {
    if (fits(m, 1500, 1200, 75) && m.weight <= 16 * 100) return 'small_standard';
    if (fits(m, 1800, 1400, 800) && usShippingWeightAtMost(m, 20)) return 'large_standard';
    if (fits(m, 5900, 3300, 3300) && m.longest + 2 * (m.median + m.shortest) <= 13_000 && usShippingWeightAtMost(m, 50, 200)) return 'large_bulky';
    return 'extra_large';
  }
  if (fits(m, 2000, 1500, 100) && m.weight <= 80) return 'small_envelope';
  if (fits(m, 3300, 2300, 250) && m.weight <= 460) return 'standard_envelope';
  if (fits(m, 3300, 2300, 400) && m.weight <= 960) return 'large_envelope';
  if (fits(m, 3300, 2300, 600) && m.weight <= 960) return 'extra_large_envelope';
  if (fits(m, 3500, 2500, 1200) && m.weight <= 3900) return 'small_parcel';
  if (fits(m, 4500, 3400, 2600) && m.weight <= 11_900) return 'standard_parcel';
  return 'oversize';
}

/** Amazon's names as the preview writes them ("Large Standard-Size", "Standard Parcel"), by normalised prefix. */
const US_LABELS: ReadonlyArray<[string, SizeTier]> = [
  ['smallstandard', 'small_standard'],
  ['largestandard', 'large_standard'],
  ['largebulky', 'large_bulky'],
  ['extralarge', 'extra_large'],
];
const EUROPE_LABELS: ReadonlyArray<[string, SizeTier]> = [
  ['smallenvelope', 'small_envelope'],
  ['standardenvelope', 'standard_envelope'],
  ['largeenvelope', 'large_envelope'],
  ['extralargeenvelope', 'extra_large_envelope'],
  ['smallparcel', 'small_parcel'],
  ['standardparcel', 'standard_parcel'],
  ['smalloversize', 'oversize'],
  ['standardoversize', 'oversize'],
  ['largeoversize', 'oversize'],
  ['specialoversize', 'oversize'],
];

/** Labels already read, per region. */
const statedTierByLabel: Record<FeeRegion, Map<string, SizeTier | undefined>> = { us: new Map(), europe: new Map() };

/**
 * The tier Amazon states in the preview, or undefined when the label is not one of the region's current tiers
 * (the US's pre-2024 oversize tiers, an unknown name): such a row is not compared.
 */
export function statedTier(region: FeeRegion, label: string): SizeTier | undefined {
  // A catalogue has a handful of distinct labels: each is read once.
  const known = statedTierByLabel[region];
  if (known.has(label)) return known.get(label);
  const normalised = label.toLowerCase().replace(/[^a-z]/g, '');
  let stated: SizeTier | undefined;
  for (const [prefix, tier] of region === 'us' ? US_LABELS : EUROPE_LABELS) {
    if (normalised.startsWith(prefix)) {
      stated = tier;
      break;
    }
  }
  if (known.size < 1_000) known.set(label, stated);
  return stated;
}

function tierRank(region: FeeRegion, tier: SizeTier): number {
  return (region === 'us' ? (US_SIZE_TIERS as readonly SizeTier[]) : (EUROPE_SIZE_TIERS as readonly SizeTier[])).indexOf(tier);
}

/** True when Amazon's stated tier is above the tier the preview's own dimensions and weight warrant. */
export function tierAbove(region: FeeRegion, stated: SizeTier, measured: SizeTier): boolean {
  return tierRank(region, stated) > tierRank(region, measured);
}

/**
 * A preview row's tiers: the one its measurements fall into (undefined when they cannot be read in the table's
 * units) and whether the tier Amazon states is above it (false when either is unknown: nothing to compare).
 */
export function previewTiers(region: FeeRegion, text: PreviewMeasureText, label: string): { measured: SizeTier | undefined; statedAbove: boolean } {
  const measure = packageMeasure(region, text);
  const measured = measure === undefined ? undefined : measuredTier(region, measure);
  const stated = statedTier(region, label);
  return { measured, statedAbove: measured !== undefined && stated !== undefined && tierAbove(region, stated, measured) };
}

/**
 * Days on which a region's fulfilment fees fell for some products (a rate card with decreases, the end of the
 * holiday peak fee). A preview proves the fee a charge should have been only for charges since the last such day:
 * across it, an older charge could be right at the older, higher rate. Days on which fees only rose (the start of
 * a peak) do not cut: an older charge above the newer, higher expected fee is still above its own.
 */
const FEE_DECREASE_DAYS: Readonly<Record<FeeRegion, readonly string[]>> = {
  us: [
    // 2024 US fee changes with the new size tiers (Amazon help 201105770: tables change after 2024-02-04).
    '2024-02-05',
    // End of the holiday peak fulfilment fee of 15 Oct 2024 – 14 Jan 2025 (third-party: sellersprite.com, 2024).
    '2025-01-15',
    // End of the 15 Oct 2025 – 14 Jan 2026 peak fee (third-party: estorefactory.com, sellerlabs.com) and the 2026
    // US fee changes, which lowered the low-price FBA rates (Amazon's announcement, reposted at
    // https://sellersasksellers.com/t/2026-updates-to-us-referral-and-fulfillment-by-amazon-fees/6593).
    '2026-01-15',
  ],
  europe: [
    // End of the 2024 peak season (third-party: forceget.com "2025 Amazon FBA Fee Changes" compares peak and non-peak).
    '2025-01-15',
    // Parcels by unit weight instead of dimensional weight in UK, DE, FR, IT, ES; UK/DE peak fee starts (third-party:
    // metaprice.io, notpim.com, 2025).
    '2025-10-15',
    // Amazon Europe's 2026 fee announcement (reposted in Amazon's European seller forums): parcel fees reduced from
    // 2025-12-15, low-price FBA rates extended to £20/€20 from 2026-02-01. The UK/DE peak fee ended 2026-01-14.
    '2025-12-15',
    '2026-01-15',
    '2026-02-01',
  ],
};

/** The day the list above was last checked: later years are assumed to change on the recurring days below. */
export const FEE_CALENDAR_READ_ON = '2026-11-30';
/** Yearly days fees have fallen on (end of the holiday peak; Europe's February rate cards), assumed after the list. */
const RECURRING_DECREASES: Readonly<Record<FeeRegion, ReadonlyArray<[month: number, day: number]>>> = {
  us: [[1, 15]],
  europe: [[1, 15], [2, 1]],
};

const decreaseDays: Record<FeeRegion, number[]> = {
  us: FEE_DECREASE_DAYS.us.map(parseDayString),
  europe: FEE_DECREASE_DAYS.europe.map(parseDayString),
};
const calendarEnd = parseDayString(FEE_CALENDAR_READ_ON);

/**
 * The first day of the fee schedule in force on `day`: a preview made on `day` proves the expected fee of charges
 * from then to `day`. NaN when no decrease day is known before `day` (a preview older than the calendar).
 */
export function feeScheduleStart(region: FeeRegion, day: number): number {
  let start = Number.NaN;
  for (const d of decreaseDays[region]) if (d <= day) start = d;
  if (day > calendarEnd) {
    const year = Number(new Date(day * 86_400_000).toISOString().slice(0, 4));
    for (const y of [year - 1, year]) {
      for (const [month, dayOfMonth] of RECURRING_DECREASES[region]) {
        const d = Date.UTC(y, month - 1, dayOfMonth) / 86_400_000;
        if (d > calendarEnd && d <= day && (Number.isNaN(start) || d > start)) start = d;
      }
    }
  }
  return start;
}

/** A YYYY-MM-DD date in a file name (`GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA-2026-11-30.tsv.gz`), NaN without one. */
export function dayInFileName(name: string): number {
  const match = /(?:^|[^0-9])(\d{4}-\d{2}-\d{2})(?:[^0-9]|$)/.exec(name);
  return match === null ? Number.NaN : parseDayString(match[1]!);
}
