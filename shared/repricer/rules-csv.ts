import { parse } from 'csv-parse/sync';
import { isDomainError } from '#shared/kernel/errors.ts';
import { formatBasisPoints, offerKey, offerRulesToInput, toOfferRules } from './rules.ts';
import type { OfferRules, RulesFile } from './types.ts';

/**
 * Bulk import/export of offer rules as CSV, the spreadsheet format sellers exchange with other repricers:
 * one row per offer, `sku,asin,marketplace_id,audience,currency,min,max,strategy,…`. Comma or semicolon
 * separated (detected from the header; with semicolons a decimal comma "8,50" is accepted). Lists inside a
 * cell use `|`: `exclude_sellers` = `A1|A2`, `tiers` = `5:3%|10:5%|20:1.50` (quantity:percent% or
 * quantity:amount off the base price). Every bad row is reported with its row number and field; good rows
 * are still imported.
 */

export const RULES_CSV_COLUMNS = [
  'sku',
  'asin',
  'marketplace_id',
  'audience',
  'currency',
  'min',
  'max',
  'strategy',
  'step',
  'competitors',
  'exclude_sellers',
  'min_rating',
  'fallback',
  'fallback_price',
  'fixed_price',
  'amazon',
  'dry_run',
  'target_units',
  'period_days',
  'tolerance_percent',
  'keep_buybox',
  'tiers',
  // issue 21 economics: min derived from cost, fees and margin (instead of the min column)
  'cost',
  'margin',
  'fee_referral_percent',
  'fee_referral_minimum',
  'fee_fixed',
  'vat_percent',
  // issue 21 rules: competitor rules, stock, Buy Box shared/suppressed, match
  'merchant_cheaper_by',
  'min_feedback_count',
  'max_handling_hours',
  'ignore_ships_from',
  'low_stock_units',
  'low_stock_raise_percent',
  'buybox_shared',
  'buybox_suppressed',
  'match',
] as const;
type Column = (typeof RULES_CSV_COLUMNS)[number];
/** `min` is required unless the file derives it (a `cost` column): see importRulesCsv. */
const REQUIRED: readonly Column[] = ['sku', 'asin', 'marketplace_id', 'currency', 'max', 'strategy'];

export interface CsvRowError {
  /** 1-based line in the file; the header is row 1. */
  readonly row: number;
  readonly field: string;
  readonly message: string;
  /** The reason as a code and its values, where the rule that failed gives one (`min_above_max`: `min`, `max`). */
  readonly reason?: RowErrorReason;
}

export interface RowErrorReason {
  readonly code: string;
  readonly params: Readonly<Record<string, string>>;
}

function reasonOf(details: Readonly<Record<string, unknown>> | undefined): RowErrorReason | undefined {
  const reason = details?.['reason'];
  if (typeof reason !== 'object' || reason === null) return undefined;
  const { code, params } = reason as { code?: unknown; params?: unknown };
  if (typeof code !== 'string' || typeof params !== 'object' || params === null) return undefined;
  return { code, params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) };
}

export interface RulesCsvImport {
  readonly rules: RulesFile;
  readonly errors: readonly CsvRowError[];
}

class CellError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function bool(value: string, field: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', '1', 'y'].includes(v)) return true;
  if (['false', 'no', '0', 'n'].includes(v)) return false;
  throw new CellError(field, `${field}: "${value}" is not true/false`);
}

function num(value: string, field: string): number {
  const n = Number(value.trim().replace(',', '.'));
  if (!Number.isFinite(n)) throw new CellError(field, `${field}: "${value}" is not a number`);
  return n;
}

function tiers(value: string): { minQuantity: number; discountPercent?: string; discountAmount?: string }[] {
  return value
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = /^(\d+)\s*:\s*([0-9.,]+)\s*(%?)$/.exec(part);
      if (!match) throw new CellError('tiers', `tiers: "${part}" is not quantity:discount (5:3% or 5:0.50)`);
      const amount = match[2]!.replace(',', '.');
      return match[3] === '%'
        ? { minQuantity: Number(match[1]), discountPercent: amount }
        : { minQuantity: Number(match[1]), discountAmount: amount };
    });
}

/** Maps one CSV record to the JSON rules input, then validates it with the same code as the rules file. */
function rowToOfferRules(record: Record<string, string>, decimalComma: boolean): OfferRules {
  const cell = (column: Column): string | undefined => {
    const v = record[column];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const money = (column: Column): string | undefined => {
    const v = cell(column);
    return v !== undefined && decimalComma ? v.replace(',', '.') : v;
  };
  const input: Record<string, unknown> = {
    sku: cell('sku'),
    asin: cell('asin'),
    marketplaceId: cell('marketplace_id'),
    currency: cell('currency'),
    min: money('min'),
    max: money('max'),
    strategy: cell('strategy')?.toLowerCase(),
  };
  const optional: [Column, string, (v: string) => unknown][] = [
    ['audience', 'audience', (v) => v.toUpperCase()],
    ['step', 'step', (v) => (decimalComma ? v.replace(',', '.') : v)],
    ['competitors', 'competitors', (v) => v.toLowerCase()],
    ['exclude_sellers', 'excludeSellerIds', (v) => v.split('|').map((s) => s.trim()).filter((s) => s !== '')],
    ['min_rating', 'minSellerRating', (v) => num(v, 'min_rating')],
    ['fallback', 'fallback', (v) => v.toLowerCase()],
    ['fallback_price', 'fallbackPrice', (v) => (decimalComma ? v.replace(',', '.') : v)],
    ['fixed_price', 'fixedPrice', (v) => (decimalComma ? v.replace(',', '.') : v)],
    ['amazon', 'amazon', (v) => v.toLowerCase()],
    ['dry_run', 'dryRun', (v) => bool(v, 'dry_run')],
    ['tiers', 'tiers', tiers],
    // issue 21 rules
    ['merchant_cheaper_by', 'merchantCheaperBy', (v) => (decimalComma ? v.replace(',', '.') : v)],
    ['min_feedback_count', 'minFeedbackCount', (v) => num(v, 'min_feedback_count')],
    ['max_handling_hours', 'maxHandlingHours', (v) => num(v, 'max_handling_hours')],
    ['ignore_ships_from', 'ignoreShipsFrom', (v) => v.split('|').map((s) => s.trim()).filter((s) => s !== '')],
    ['low_stock_units', 'lowStockUnits', (v) => num(v, 'low_stock_units')],
    ['low_stock_raise_percent', 'lowStockRaisePercent', (v) => num(v, 'low_stock_raise_percent')],
    ['buybox_shared', 'buyBoxShared', (v) => v.toLowerCase()],
    ['buybox_suppressed', 'buyBoxSuppressed', (v) => v.toLowerCase()],
    ['match', 'match', (v) => v.toLowerCase()],
  ];
  for (const [column, key, convert] of optional) {
    const v = cell(column);
    if (v !== undefined) input[key] = convert(v);
  }
  // issue 21 economics
  for (const [column, key] of [['cost', 'cost'], ['margin', 'margin'], ['vat_percent', 'vatPercent']] as const) {
    const v = money(column);
    if (v !== undefined) input[key] = v;
  }
  const fees = { referralPercent: money('fee_referral_percent'), referralMinimum: money('fee_referral_minimum'), fixed: money('fee_fixed') };
  if (Object.values(fees).some((v) => v !== undefined)) input['fees'] = Object.fromEntries(Object.entries(fees).filter(([, v]) => v !== undefined));
  const targetUnits = cell('target_units');
  if (targetUnits !== undefined) {
    const pushInput: Record<string, unknown> = { targetUnits: num(targetUnits, 'target_units') };
    const period = cell('period_days');
    if (period !== undefined) pushInput['periodDays'] = num(period, 'period_days');
    const tolerance = cell('tolerance_percent');
    if (tolerance !== undefined) pushInput['tolerancePercent'] = num(tolerance, 'tolerance_percent');
    const keep = cell('keep_buybox');
    if (keep !== undefined) pushInput['keepBuyBox'] = bool(keep, 'keep_buybox');
    input['push'] = pushInput;
  }
  return toOfferRules(input, 'row');
}

/** Maps a field path from the JSON form (`row.marketplaceId`, `row.tiers[1].minQuantity`) back to the CSV column. */
function columnOf(field: string): string {
  // issue 21 economics: fees.referralPercent → fee_referral_percent …
  const fee = /^row\.fees\.(referralPercent|referralMinimum|fixed)/.exec(field)?.[1];
  if (fee) return { referralPercent: 'fee_referral_percent', referralMinimum: 'fee_referral_minimum', fixed: 'fee_fixed' }[fee] ?? 'fee_fixed';
  const name = field.replace(/^row\.?/, '').replace(/\[.*$/, '').split('.')[0] ?? '';
  const map: Record<string, Column> = {
    marketplaceId: 'marketplace_id',
    excludeSellerIds: 'exclude_sellers',
    minSellerRating: 'min_rating',
    fallbackPrice: 'fallback_price',
    fixedPrice: 'fixed_price',
    dryRun: 'dry_run',
    push: 'target_units',
    fees: 'fee_fixed',
    vatPercent: 'vat_percent',
    // issue 21 rules
    merchantCheaperBy: 'merchant_cheaper_by',
    minFeedbackCount: 'min_feedback_count',
    maxHandlingHours: 'max_handling_hours',
    ignoreShipsFrom: 'ignore_ships_from',
    lowStockUnits: 'low_stock_units',
    lowStockRaisePercent: 'low_stock_raise_percent',
    buyBoxShared: 'buybox_shared',
    buyBoxSuppressed: 'buybox_suppressed',
  };
  return map[name] ?? name;
}

export function importRulesCsv(text: string, sellerId: string): RulesCsvImport {
  const headerLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = headerLine.includes(';') && !headerLine.includes(',') ? ';' : ',';
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), delimiter, skip_empty_lines: true, bom: true, trim: true });
  } catch (error) {
    return { rules: { sellerId, offers: [] }, errors: [{ row: 1, field: '(file)', message: `not a readable CSV file: ${(error as Error).message}` }] };
  }
  const headers = headerLine.replace(/^\uFEFF/, '').split(delimiter).map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
  const unknown = headers.filter((h) => h !== '' && !(RULES_CSV_COLUMNS as readonly string[]).includes(h));
  const missing = [...REQUIRED, ...(headers.includes('cost') ? [] : (['min'] as const))].filter((h) => !headers.includes(h));
  if (unknown.length > 0 || missing.length > 0) {
    const problems = [
      ...missing.map((h) => `missing column "${h}"`),
      ...unknown.map((h) => `unknown column "${h}" (known: ${RULES_CSV_COLUMNS.join(', ')})`),
    ];
    return { rules: { sellerId, offers: [] }, errors: [{ row: 1, field: missing[0] ?? unknown[0] ?? '(header)', message: problems.join('; ') }] };
  }
  const offers: OfferRules[] = [];
  const errors: CsvRowError[] = [];
  const seen = new Map<string, number>();
  records.forEach((record, i) => {
    const row = i + 2;
    try {
      const offer = rowToOfferRules(record, delimiter === ';');
      const key = offerKey(offer);
      const first = seen.get(key);
      if (first !== undefined) {
        errors.push({ row, field: 'sku', message: `sku: duplicate of row ${first} (${key})` });
        return;
      }
      seen.set(key, row);
      offers.push(offer);
    } catch (error) {
      if (error instanceof CellError) {
        errors.push({ row, field: error.field, message: error.message });
      } else if (isDomainError(error)) {
        const field = typeof error.details?.['field'] === 'string' ? columnOf(error.details['field']) : '(row)';
        const reason = reasonOf(error.details);
        errors.push({ row, field, message: error.message.replace(/\brow\./g, '').replace(/invalid offer rules: /, ''), ...(reason ? { reason } : {}) });
      } else {
        throw error;
      }
    }
  });
  return { rules: { sellerId, offers }, errors };
}

function quote(value: string): string {
  return /[",;\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function exportRulesCsv(rules: RulesFile): string {
  const lines = [RULES_CSV_COLUMNS.join(',')];
  for (const offer of rules.offers) {
    const input = offerRulesToInput(offer);
    const values: Record<Column, string> = {
      sku: offer.sku,
      asin: offer.asin,
      marketplace_id: offer.marketplaceId,
      audience: offer.audience,
      currency: offer.currency,
      min: input.min === undefined ? '' : String(input.min),
      max: String(input.max),
      strategy: offer.strategy,
      step: String(input.step),
      competitors: offer.competitors,
      exclude_sellers: offer.excludeSellerIds.join('|'),
      min_rating: offer.minSellerRating === 0 ? '' : String(offer.minSellerRating),
      fallback: offer.fallback,
      fallback_price: input.fallbackPrice === undefined ? '' : String(input.fallbackPrice),
      fixed_price: input.fixedPrice === undefined ? '' : String(input.fixedPrice),
      amazon: offer.amazon,
      dry_run: offer.dryRun ? 'true' : 'false',
      target_units: offer.strategy === 'push' ? String(offer.push.targetUnits) : '',
      period_days: offer.strategy === 'push' ? String(offer.push.periodMs / 86_400_000) : '',
      tolerance_percent: offer.strategy === 'push' ? String(offer.push.toleranceBasisPoints / 100) : '',
      keep_buybox: offer.strategy === 'push' ? String(offer.push.keepBuyBox) : '',
      tiers: offer.tiers
        .map((t) =>
          t.discountBasisPoints > 0 ? `${t.minQuantity}:${formatBasisPoints(t.discountBasisPoints)}%` : `${t.minQuantity}:${String(input.tiers?.find((x) => x.minQuantity === t.minQuantity)?.discountAmount ?? '0')}`,
        )
        .join('|'),
      // issue 21 economics
      cost: input.cost === undefined ? '' : String(input.cost),
      margin: input.margin === undefined ? '' : String(input.margin),
      fee_referral_percent: input.fees?.referralPercent === undefined ? '' : String(input.fees.referralPercent),
      fee_referral_minimum: input.fees?.referralMinimum === undefined ? '' : String(input.fees.referralMinimum),
      fee_fixed: input.fees?.fixed === undefined ? '' : String(input.fees.fixed),
      vat_percent: input.vatPercent === undefined ? '' : String(input.vatPercent),
      // issue 21 rules: empty when the rule keeps the default
      merchant_cheaper_by: input.merchantCheaperBy === undefined ? '' : String(input.merchantCheaperBy),
      min_feedback_count: input.minFeedbackCount === undefined ? '' : String(input.minFeedbackCount),
      max_handling_hours: input.maxHandlingHours === undefined ? '' : String(input.maxHandlingHours),
      ignore_ships_from: (input.ignoreShipsFrom ?? []).join('|'),
      low_stock_units: input.lowStockUnits === undefined ? '' : String(input.lowStockUnits),
      low_stock_raise_percent: input.lowStockRaisePercent === undefined ? '' : String(input.lowStockRaisePercent),
      buybox_shared: input.buyBoxShared ?? '',
      buybox_suppressed: input.buyBoxSuppressed ?? '',
      match: input.match ?? '',
    };
    lines.push(RULES_CSV_COLUMNS.map((c) => quote(values[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}
