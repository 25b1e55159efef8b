import { ValidationError } from './errors.ts';

/**
 * The one money type. Amounts are integer minor units (cents) with an ISO 4217 currency: never floats.
 * Hot loops (repricer, audit) work on the bare `minor` integers and build `Money` only at their edges.
 */
export interface Money {
  readonly minor: number;
  readonly currency: Currency;
}

/** Currencies of the Amazon marketplaces we serve, with their number of decimal places. */
export const CURRENCY_DECIMALS = {
  EUR: 2,
  GBP: 2,
  USD: 2,
  CAD: 2,
  MXN: 2,
  BRL: 2,
  SEK: 2,
  PLN: 2,
  TRY: 2,
  AED: 2,
  SAR: 2,
  AUD: 2,
  SGD: 2,
  INR: 2,
  EGP: 2,
  JPY: 0,
} as const;

export type Currency = keyof typeof CURRENCY_DECIMALS;
export const CURRENCIES = Object.keys(CURRENCY_DECIMALS) as Currency[];

export function isCurrency(value: string): value is Currency {
  return Object.hasOwn(CURRENCY_DECIMALS, value);
}

export function parseCurrency(value: string, field = 'currency'): Currency {
  const upper = value.trim().toUpperCase();
  if (!isCurrency(upper)) throw new ValidationError(`${field}: unknown currency "${value}"`, { field });
  return upper;
}

export function money(minor: number, currency: Currency): Money {
  if (!Number.isSafeInteger(minor)) throw new ValidationError(`amount must be an integer number of minor units, got ${minor}`);
  return { minor, currency };
}

/**
 * Parses a decimal string ("8", "8.5", "8.50", "-3.20", and with `allowDecimalComma` the EU form "8,50")
 * into exact minor units. Rejects more decimals than the currency has, thousands separators, exponents.
 */
export function parseDecimalToMinor(
  text: string,
  currency: Currency,
  options: { field?: string; allowDecimalComma?: boolean } = {},
): number {
  const field = options.field ?? 'amount';
  let s = text.trim();
  if (options.allowDecimalComma) s = s.replace(',', '.');
  const match = /^([+-]?)(\d{1,13})(?:\.(\d*))?$/.exec(s);
  const decimals = CURRENCY_DECIMALS[currency];
  if (!match) throw new ValidationError(`${field}: "${text}" is not a decimal amount`, { field });
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > decimals) {
    throw new ValidationError(`${field}: "${text}" has more than ${decimals} decimals for ${currency}`, { field });
  }
  const minor = Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
  return sign === '-' ? -minor : minor;
}

/** Formats minor units as a plain decimal string with the currency's decimals: 800 EUR → "8.00". */
export function formatMinor(minor: number, currency: Currency): string {
  const decimals = CURRENCY_DECIMALS[currency];
  if (decimals === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const unit = 10 ** decimals;
  return `${sign}${Math.trunc(abs / unit)}.${String(abs % unit).padStart(decimals, '0')}`;
}

export function formatMoney(value: Money): string {
  return `${formatMinor(value.minor, value.currency)} ${value.currency}`;
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.minor + b.minor, a.currency);
}

export function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new ValidationError(`currency mismatch: ${a.currency} vs ${b.currency}`, { field: 'currency' });
  }
}

/** Percentage of an amount in basis points (2500 = 25 %), rounded half away from zero to a whole minor unit. */
export function percentOf(amount: Money, basisPoints: number): Money {
  const raw = (amount.minor * basisPoints) / 10_000;
  return money(Math.sign(raw) * Math.round(Math.abs(raw)), amount.currency);
}
