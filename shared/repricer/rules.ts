import * as z from 'zod';
import { ValidationError } from '#shared/kernel/errors.ts';
import { formatMinor, parseCurrency, parseDecimalToMinor } from '#shared/kernel/money.ts';
import type { Currency } from '#shared/kernel/money.ts';
import { MAX_PRICE_MINOR, MAX_QUANTITY_TIERS } from './types.ts';
import { costFloorMinor, defaultVatBasisPoints, deriveMinPrice, type FeeSchedule, type OfferEconomics } from './economics.ts';
import type { OfferRules, PushRules, QuantityTierRule, RulesFile } from './types.ts';
import { zodToValidationError } from './validation.ts';

/**
 * The rules file (`{"sellerId", "offers": [...]}`) and its validation. External input is checked in two
 * passes: zod for shape and types, then `toOfferRules` for meaning (money parsed in the offer's currency,
 * min ≤ max, prices inside the range …). Every error names the field: `offers[2].min`.
 */

const decimal = z.union([z.string(), z.number()]).transform((v) => String(v));
const DAY_MS = 86_400_000;

export const quantityTierInputSchema = z.strictObject({
  minQuantity: z.number().int().min(2).max(1_000_000),
  discountPercent: decimal.optional(),
  discountAmount: decimal.optional(),
});

export const pushInputSchema = z.strictObject({
  targetUnits: z.number().positive().max(1_000_000),
  periodDays: z.number().positive().max(365).default(1),
  tolerancePercent: z.number().min(0).max(100).default(20),
  keepBuyBox: z.boolean().default(false),
});

// issue 21 economics: the fees a rule may give (all optional, at least one): referral percent with its per-item minimum, plus fixed fees.
export const feesInputSchema = z.strictObject({
  referralPercent: decimal.optional(),
  referralMinimum: decimal.optional(),
  fixed: decimal.optional(),
});

export const offerRulesInputSchema = z.strictObject({
  sku: z.string().trim().min(1).max(200),
  // Amazon's ASINs are 10 upper-case letters or digits, but its own published example notifications carry
  // "123" and "ysp2k4cziG": a rule must be able to match what a notification carries.
  asin: z.string().trim().regex(/^[A-Za-z0-9]{1,20}$/, 'an ASIN is 1 to 20 letters or digits (10 upper-case ones on Amazon)'),
  marketplaceId: z.string().trim().min(1).max(40),
  audience: z.enum(['B2C', 'B2B']).default('B2C'),
  strategy: z.enum(['buybox', 'push', 'fixed']),
  currency: z.string(),
  // Either min, or cost and margin (issue 21 economics, below) to derive it.
  min: decimal.optional(),
  max: decimal,
  step: decimal.default('0.01'),
  competitors: z.enum(['all', 'fba', 'merchant', 'buybox-eligible']).default('all'),
  excludeSellerIds: z.array(z.string().trim().min(1)).max(100).default([]),
  minSellerRating: z.number().min(0).max(100).default(0),
  fallback: z.enum(['keep', 'max', 'price']).default('keep'),
  fallbackPrice: decimal.optional(),
  fixedPrice: decimal.optional(),
  amazon: z.enum(['compete', 'hold']).default('compete'),
  amazonSellerIds: z.array(z.string().trim().min(1)).max(20).default([]),
  dryRun: z.boolean().default(false),
  push: pushInputSchema.optional(),
  tiers: z.array(quantityTierInputSchema).max(MAX_QUANTITY_TIERS).default([]),
  // issue 21 economics: min derived from the seller's unit cost, Amazon's fees and a target margin (economics.ts)
  /** Unit cost, net of VAT. With `margin`, instead of `min`. */
  cost: decimal.optional(),
  /** Target margin on net revenue, percent (15 or "12.5"). */
  margin: decimal.optional(),
  /** Amazon's fees as the rule knows them; absent: Amazon's estimate (getMyFeesEstimates) in production. */
  fees: feesInputSchema.optional(),
  /** VAT included in the prices, percent; default the marketplace's standard rate (0 outside EU, UK, TR, MX, JP). */
  vatPercent: decimal.optional(),
  // issue 21 rules: competitors by fulfilment, feedback count, handling time and origin; stock; Buy Box shared/suppressed; match
  merchantCheaperBy: decimal.optional(),
  minFeedbackCount: z.number().int().min(0).max(100_000_000).default(0),
  maxHandlingHours: z.number().int().min(0).max(8_760).optional(),
  ignoreShipsFrom: z.array(z.string().trim().regex(/^[A-Za-z]{2}$/, 'a country is a two-letter ISO 3166 code such as CN')).max(50).default([]),
  lowStockUnits: z.number().int().min(0).max(1_000_000).optional(),
  lowStockRaisePercent: z.number().min(1).max(100).default(100),
  buyBoxShared: z.enum(['win', 'share']).default('win'),
  buyBoxSuppressed: z.enum(['compete', 'hold', 'threshold']).default('compete'),
  match: z.enum(['never', 'amazon', 'all']).default('never'),
});
export type OfferRulesInput = z.input<typeof offerRulesInputSchema>;

export const rulesFileInputSchema = z.strictObject({
  sellerId: z.string().trim().min(1),
  offers: z.array(z.unknown()),
});

function price(text: string, currency: Currency, field: string): number {
  const minor = parseDecimalToMinor(text, currency, { field });
  if (minor <= 0) throw new ValidationError(`${field}: price must be positive, got "${text}"`, { field });
  if (minor > MAX_PRICE_MINOR) {
    throw new ValidationError(`${field}: "${text}" is absurdly high (limit ${formatMinor(MAX_PRICE_MINOR, currency)})`, { field });
  }
  return minor;
}

/** "3", "2.5", "12.25" percent → basis points. */
export function parsePercentToBasisPoints(text: string, field: string): number {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new ValidationError(`${field}: "${text}" is not a percentage like 3 or 2.5`, { field });
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (bp >= 10_000) throw new ValidationError(`${field}: a discount must be below 100 %`, { field });
  return bp;
}

/** Validates one offer's rules; `at` is the path prefix used in messages (`offers[3]`, `row 4`). */
export function toOfferRules(raw: unknown, at: string): OfferRules {
  const parsed = offerRulesInputSchema.safeParse(raw);
  if (!parsed.success) throw zodToValidationError(parsed.error, 'offer rules', at);
  const input = parsed.data;
  const currency = parseCurrency(input.currency, `${at}.currency`);
  const maxMinor = price(input.max, currency, `${at}.max`);
  const economics = economicsOf(input, currency, maxMinor, at);
  const minMinor = economics ? economics.minMinor : price(input.min ?? '', currency, `${at}.min`);
  if (minMinor > maxMinor) {
    throw new ValidationError(
      `${at}.min: min ${input.min ?? ''} is greater than max ${input.max} (min > max is a configuration error)`,
      // The reason as a code and its values too, so a page can word it in its own language.
      { field: `${at}.min`, reason: { code: 'min_above_max', params: { min: input.min ?? '', max: input.max, currency } } },
    );
  }
  const stepMinor = price(input.step, currency, `${at}.step`);
  const inRange = (text: string | undefined, name: string): number => {
    const field = `${at}.${name}`;
    if (text === undefined) throw new ValidationError(`${field}: required by this rule`, { field });
    const minor = price(text, currency, field);
    if (minor < minMinor || minor > maxMinor) {
      throw new ValidationError(`${field}: ${text} is outside the range [${formatMinor(minMinor, currency)}, ${input.max}]`, { field });
    }
    return minor;
  };
  const fixedPriceMinor = input.strategy === 'fixed' ? inRange(input.fixedPrice, 'fixedPrice') : 0;
  const fallbackPriceMinor = input.fallback === 'price' ? inRange(input.fallbackPrice, 'fallbackPrice') : 0;
  if (input.strategy === 'push' && input.push === undefined) {
    throw new ValidationError(`${at}.push: the push strategy needs {"targetUnits", "periodDays"}`, { field: `${at}.push` });
  }
  const push: PushRules = input.push
    ? {
        targetUnits: input.push.targetUnits,
        periodMs: Math.round(input.push.periodDays * DAY_MS),
        toleranceBasisPoints: Math.round(input.push.tolerancePercent * 100),
        keepBuyBox: input.push.keepBuyBox,
      }
    : { targetUnits: 1, periodMs: DAY_MS, toleranceBasisPoints: 2000, keepBuyBox: false };
  if (input.tiers.length > 0 && input.audience !== 'B2B') {
    throw new ValidationError(`${at}.tiers: quantity tiers exist only for B2B offers`, { field: `${at}.tiers` });
  }
  const tiers: QuantityTierRule[] = [];
  let previousQuantity = 1;
  input.tiers.forEach((tier, i) => {
    const field = `${at}.tiers[${i}]`;
    if (tier.minQuantity <= previousQuantity) {
      throw new ValidationError(`${field}.minQuantity: tiers must have strictly increasing quantities ≥ 2`, {
        field: `${field}.minQuantity`,
      });
    }
    previousQuantity = tier.minQuantity;
    if ((tier.discountPercent === undefined) === (tier.discountAmount === undefined)) {
      throw new ValidationError(`${field}: give exactly one of discountPercent or discountAmount`, { field });
    }
    const discountBasisPoints =
      tier.discountPercent === undefined ? 0 : parsePercentToBasisPoints(tier.discountPercent, `${field}.discountPercent`);
    let discountMinor = 0;
    if (tier.discountAmount !== undefined) {
      discountMinor = parseDecimalToMinor(tier.discountAmount, currency, { field: `${field}.discountAmount` });
      if (discountMinor < 0 || discountMinor > MAX_PRICE_MINOR) {
        throw new ValidationError(`${field}.discountAmount: must be a non-negative amount`, { field: `${field}.discountAmount` });
      }
    }
    tiers.push({ minQuantity: tier.minQuantity, discountBasisPoints, discountMinor });
  });
  return {
    sku: input.sku,
    asin: input.asin,
    marketplaceId: input.marketplaceId,
    audience: input.audience,
    currency,
    strategy: input.strategy,
    minMinor,
    maxMinor,
    stepMinor,
    competitors: input.competitors,
    excludeSellerIds: input.excludeSellerIds,
    minSellerRating: input.minSellerRating,
    fallback: input.fallback,
    fallbackPriceMinor,
    fixedPriceMinor,
    amazon: input.amazon,
    amazonSellerIds: input.amazonSellerIds,
    dryRun: input.dryRun,
    push,
    tiers,
    ...(economics ? { economics: economics.economics } : {}),
    ...competitorRulesOf(input, currency, at),
  };
}

// issue 21 economics: validation of cost, margin, fees and vatPercent, and the min they give.
function economicsOf(input: z.output<typeof offerRulesInputSchema>, currency: Currency, maxMinor: number, at: string): { economics: OfferEconomics; minMinor: number } | null {
  const given = input.cost !== undefined || input.margin !== undefined || input.fees !== undefined || input.vatPercent !== undefined;
  if (!given) {
    if (input.min === undefined) throw new ValidationError(`${at}.min: required (or derive it from cost and margin)`, { field: `${at}.min` });
    return null;
  }
  if (input.min !== undefined) {
    throw new ValidationError(`${at}.cost: give either min or cost and margin (to derive min), not both`, { field: `${at}.cost` });
  }
  if (input.cost === undefined) throw new ValidationError(`${at}.cost: required to derive min (with margin)`, { field: `${at}.cost` });
  if (input.margin === undefined) throw new ValidationError(`${at}.margin: required to derive min from cost (percent, e.g. 15)`, { field: `${at}.margin` });
  const costMinor = amount(input.cost, currency, `${at}.cost`);
  if (costMinor === 0) throw new ValidationError(`${at}.cost: must be positive`, { field: `${at}.cost` });
  const marginBasisPoints = percent(input.margin, `${at}.margin`, 9_900);
  const vatBasisPoints = input.vatPercent === undefined ? defaultVatBasisPoints(input.marketplaceId) : percent(input.vatPercent, `${at}.vatPercent`, 10_000);
  let fees: FeeSchedule | null = null;
  if (input.fees !== undefined) {
    const f = input.fees;
    if (f.referralPercent === undefined && f.referralMinimum === undefined && f.fixed === undefined) {
      throw new ValidationError(`${at}.fees: give referralPercent, referralMinimum or fixed (or leave fees out for Amazon's estimate)`, { field: `${at}.fees` });
    }
    fees = {
      referralBasisPoints: f.referralPercent === undefined ? 0 : percent(f.referralPercent, `${at}.fees.referralPercent`, 9_900),
      referralMinimumMinor: f.referralMinimum === undefined ? 0 : amount(f.referralMinimum, currency, `${at}.fees.referralMinimum`),
      fixedMinor: f.fixed === undefined ? 0 : amount(f.fixed, currency, `${at}.fees.fixed`),
    };
  }
  const economics: OfferEconomics = { costMinor, marginBasisPoints, fees, vatBasisPoints };
  const floor = costFloorMinor(economics);
  const minMinor = fees ? deriveMinPrice(economics, fees, maxMinor) : floor <= maxMinor ? floor : null;
  if (minMinor === null) {
    throw new ValidationError(
      `${at}.cost: cost ${input.cost}${fees ? ', fees' : ''} and margin ${input.margin} % need a price above max ${input.max}`,
      { field: `${at}.cost` },
    );
  }
  return { economics, minMinor };
}

/** A non-negative amount up to MAX_PRICE_MINOR. */
function amount(text: string, currency: Currency, field: string): number {
  const minor = parseDecimalToMinor(text, currency, { field });
  if (minor < 0 || minor > MAX_PRICE_MINOR) throw new ValidationError(`${field}: must be an amount from 0 to ${formatMinor(MAX_PRICE_MINOR, currency)}`, { field });
  return minor;
}

/** "15", "12.5", "7.25" percent → basis points, below `limitBasisPoints`. */
function percent(text: string, field: string, limitBasisPoints: number): number {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new ValidationError(`${field}: "${text}" is not a percentage like 15 or 12.5`, { field });
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (bp >= limitBasisPoints) throw new ValidationError(`${field}: must be below ${formatBasisPoints(limitBasisPoints)} %`, { field });
  return bp;
}

// issue 21 rules: the meaning checks of the competitor rules block, and its way back to the JSON form.

type CompetitorRulesFields = Required<Pick<OfferRules,
  'merchantHandicapBasisPoints' | 'merchantHandicapMinor' | 'minFeedbackCount' | 'maxHandlingHours' | 'ignoreShipsFrom' |
  'lowStockUnits' | 'lowStockRaiseBasisPoints' | 'buyBoxShared' | 'buyBoxSuppressed' | 'match'>>;

/** `merchantCheaperBy`: "5%" (basis points) or "0.50" (an amount in the offer's currency). */
function merchantHandicapOf(text: string | undefined, currency: Currency, field: string): { bp: number; minor: number } {
  if (text === undefined) return { bp: 0, minor: 0 };
  const percent = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%$/.exec(text.trim());
  if (percent) {
    const bp = Number(percent[1]) * 100 + Number((percent[2] ?? '').padEnd(2, '0'));
    if (bp > 10_000) throw new ValidationError(`${field}: "${text}" is more than 100 %`, { field });
    return { bp, minor: 0 };
  }
  if (text.includes('%')) throw new ValidationError(`${field}: "${text}" is not a percentage like 5% or an amount like 0.50`, { field });
  const minor = parseDecimalToMinor(text, currency, { field });
  if (minor < 0 || minor > MAX_PRICE_MINOR) throw new ValidationError(`${field}: must be a non-negative amount or percentage`, { field });
  return { bp: 0, minor };
}

function competitorRulesOf(input: z.output<typeof offerRulesInputSchema>, currency: Currency, at: string): CompetitorRulesFields {
  const handicap = merchantHandicapOf(input.merchantCheaperBy, currency, `${at}.merchantCheaperBy`);
  if (input.merchantCheaperBy !== undefined && input.competitors === 'fba') {
    throw new ValidationError(`${at}.merchantCheaperBy: competitors "fba" already ignores merchant-fulfilled offers`, { field: `${at}.merchantCheaperBy` });
  }
  return {
    merchantHandicapBasisPoints: handicap.bp,
    merchantHandicapMinor: handicap.minor,
    minFeedbackCount: input.minFeedbackCount,
    maxHandlingHours: input.maxHandlingHours ?? -1,
    ignoreShipsFrom: input.ignoreShipsFrom.map((country) => country.toUpperCase()),
    lowStockUnits: input.lowStockUnits ?? -1,
    lowStockRaiseBasisPoints: Math.round(input.lowStockRaisePercent * 100),
    buyBoxShared: input.buyBoxShared,
    buyBoxSuppressed: input.buyBoxSuppressed,
    match: input.match,
  };
}

/** The competitor rules block in the JSON input form: only what differs from the defaults (old exports stay as they were). */
function competitorRulesToInput(rules: OfferRules): Partial<OfferRulesInput> {
  const input: Partial<OfferRulesInput> = {};
  if ((rules.merchantHandicapBasisPoints ?? 0) > 0) input.merchantCheaperBy = `${formatBasisPoints(rules.merchantHandicapBasisPoints ?? 0)}%`;
  else if ((rules.merchantHandicapMinor ?? 0) > 0) input.merchantCheaperBy = formatMinor(rules.merchantHandicapMinor ?? 0, rules.currency);
  if ((rules.minFeedbackCount ?? 0) > 0) input.minFeedbackCount = rules.minFeedbackCount;
  if ((rules.maxHandlingHours ?? -1) >= 0) input.maxHandlingHours = rules.maxHandlingHours;
  if ((rules.ignoreShipsFrom ?? []).length > 0) input.ignoreShipsFrom = [...(rules.ignoreShipsFrom ?? [])];
  if ((rules.lowStockUnits ?? -1) >= 0) {
    input.lowStockUnits = rules.lowStockUnits;
    input.lowStockRaisePercent = (rules.lowStockRaiseBasisPoints ?? 10_000) / 100;
  }
  if (rules.buyBoxShared !== undefined && rules.buyBoxShared !== 'win') input.buyBoxShared = rules.buyBoxShared;
  if (rules.buyBoxSuppressed !== undefined && rules.buyBoxSuppressed !== 'compete') input.buyBoxSuppressed = rules.buyBoxSuppressed;
  if (rules.match !== undefined && rules.match !== 'never') input.match = rules.match;
  return input;
}

/** Parses a whole rules file; the first bad offer throws, naming `offers[i].field`. Duplicate offers are rejected. */
export function parseRulesFile(raw: unknown): RulesFile {
  const parsed = rulesFileInputSchema.safeParse(raw);
  if (!parsed.success) throw zodToValidationError(parsed.error, 'rules file');
  const offers = parsed.data.offers.map((offer, i) => toOfferRules(offer, `offers[${i}]`));
  const seen = new Set<string>();
  offers.forEach((offer, i) => {
    const key = offerKey(offer);
    if (seen.has(key)) {
      throw new ValidationError(`offers[${i}].sku: duplicate rule for ${key}`, { field: `offers[${i}].sku` });
    }
    seen.add(key);
  });
  return { sellerId: parsed.data.sellerId, offers };
}

/** The identity of an offer's rules and state: SKU × marketplace × audience. */
export function offerKey(offer: { readonly sku: string; readonly marketplaceId: string; readonly audience: string }): string {
  return `${offer.sku}|${offer.marketplaceId}|${offer.audience}`;
}

/** The offer the rules are for and how it is priced: what decisions, reports and exports name it by. */
export function offerIdentity(rules: OfferRules): Pick<OfferRules, 'sku' | 'asin' | 'marketplaceId' | 'audience' | 'strategy' | 'currency'> {
  return { sku: rules.sku, asin: rules.asin, marketplaceId: rules.marketplaceId, audience: rules.audience, strategy: rules.strategy, currency: rules.currency };
}

/** Back to the JSON input form (decimal strings): what export and the CSV writer use. */
export function offerRulesToInput(rules: OfferRules): OfferRulesInput {
  const fmt = (minor: number): string => formatMinor(minor, rules.currency);
  const input: OfferRulesInput = {
    ...offerIdentity(rules),
    ...(rules.economics ? {} : { min: fmt(rules.minMinor) }),
    max: fmt(rules.maxMinor),
    step: fmt(rules.stepMinor),
    competitors: rules.competitors,
    excludeSellerIds: [...rules.excludeSellerIds],
    minSellerRating: rules.minSellerRating,
    fallback: rules.fallback,
    amazon: rules.amazon,
    amazonSellerIds: [...rules.amazonSellerIds],
    dryRun: rules.dryRun,
    tiers: rules.tiers.map((t) =>
      t.discountMinor > 0 || t.discountBasisPoints === 0
        ? { minQuantity: t.minQuantity, discountAmount: fmt(t.discountMinor) }
        : { minQuantity: t.minQuantity, discountPercent: formatBasisPoints(t.discountBasisPoints) },
    ),
  };
  Object.assign(input, competitorRulesToInput(rules));
  if (rules.fallback === 'price') input.fallbackPrice = fmt(rules.fallbackPriceMinor);
  // issue 21 economics
  const economics = rules.economics;
  if (economics) {
    input.cost = fmt(economics.costMinor);
    input.margin = formatBasisPoints(economics.marginBasisPoints);
    if (economics.fees) {
      const fees = economics.fees;
      input.fees = {
        ...(fees.referralBasisPoints > 0 ? { referralPercent: formatBasisPoints(fees.referralBasisPoints) } : {}),
        ...(fees.referralMinimumMinor > 0 ? { referralMinimum: fmt(fees.referralMinimumMinor) } : {}),
        ...(fees.fixedMinor > 0 || (fees.referralBasisPoints === 0 && fees.referralMinimumMinor === 0) ? { fixed: fmt(fees.fixedMinor) } : {}),
      };
    }
    if (economics.vatBasisPoints !== defaultVatBasisPoints(rules.marketplaceId)) input.vatPercent = formatBasisPoints(economics.vatBasisPoints);
  }
  if (rules.strategy === 'fixed') input.fixedPrice = fmt(rules.fixedPriceMinor);
  if (rules.strategy === 'push') {
    input.push = {
      targetUnits: rules.push.targetUnits,
      periodDays: rules.push.periodMs / DAY_MS,
      tolerancePercent: rules.push.toleranceBasisPoints / 100,
      keepBuyBox: rules.push.keepBuyBox,
    };
  }
  return input;
}

export function formatBasisPoints(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const rest = bp % 100;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}
