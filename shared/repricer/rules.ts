import * as z from 'zod';
import { ValidationError } from '#shared/kernel/errors.ts';
import { formatMinor, parseCurrency, parseDecimalToMinor } from '#shared/kernel/money.ts';
import type { Currency } from '#shared/kernel/money.ts';
import { MAX_PRICE_MINOR, MAX_QUANTITY_TIERS } from './types.ts';
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

export const offerRulesInputSchema = z.strictObject({
  sku: z.string().trim().min(1).max(200),
  // Amazon's ASINs are 10 upper-case letters or digits, but its own published example notifications carry
  // "123" and "ysp2k4cziG": a rule must be able to match what a notification carries.
  asin: z.string().trim().regex(/^[A-Za-z0-9]{1,20}$/, 'an ASIN is 1 to 20 letters or digits (10 upper-case ones on Amazon)'),
  marketplaceId: z.string().trim().min(1).max(40),
  audience: z.enum(['B2C', 'B2B']).default('B2C'),
  strategy: z.enum(['buybox', 'push', 'fixed']),
  currency: z.string(),
  min: decimal,
  max: decimal,
  step: decimal.default('0.01'),
  competitors: z.enum(['all', 'fba', 'buybox-eligible']).default('all'),
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
  const minMinor = price(input.min, currency, `${at}.min`);
  const maxMinor = price(input.max, currency, `${at}.max`);
  if (minMinor > maxMinor) {
    throw new ValidationError(
      `${at}.min: min ${input.min} is greater than max ${input.max} (min > max is a configuration error)`,
      // The reason as a code and its values too, so a page can word it in its own language.
      { field: `${at}.min`, reason: { code: 'min_above_max', params: { min: input.min, max: input.max, currency } } },
    );
  }
  const stepMinor = price(input.step, currency, `${at}.step`);
  const inRange = (text: string | undefined, name: string): number => {
    const field = `${at}.${name}`;
    if (text === undefined) throw new ValidationError(`${field}: required by this rule`, { field });
    const minor = price(text, currency, field);
    if (minor < minMinor || minor > maxMinor) {
      throw new ValidationError(`${field}: ${text} is outside the range [${input.min}, ${input.max}]`, { field });
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
  };
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

/** Back to the JSON input form (decimal strings): what export and the CSV writer use. */
export function offerRulesToInput(rules: OfferRules): OfferRulesInput {
  const fmt = (minor: number): string => formatMinor(minor, rules.currency);
  const input: OfferRulesInput = {
    sku: rules.sku,
    asin: rules.asin,
    marketplaceId: rules.marketplaceId,
    audience: rules.audience,
    strategy: rules.strategy,
    currency: rules.currency,
    min: fmt(rules.minMinor),
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
  if (rules.fallback === 'price') input.fallbackPrice = fmt(rules.fallbackPriceMinor);
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
