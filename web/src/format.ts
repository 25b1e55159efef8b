/** Dates, times and money in the user's language and time zone (the zone is always named). */
import { language } from './i18n.ts';

const LOCALES = { en: 'en-GB', de: 'de-DE' } as const;

export function locale(): string {
  return LOCALES[language()];
}

export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `30.06.2025, 14:05 MESZ` / `30 Jun 2025, 14:05 BST`: an instant, in the user's zone, with the zone. */
export function dateTime(iso: string): string {
  // (dateStyle/timeStyle cannot be combined with timeZoneName: the parts are named one by one.)
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}

/** A calendar day (`YYYY-MM-DD`, no time, no zone: a deadline is a day, not an instant). */
export function day(isoDay: string): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${isoDay.slice(0, 10)}T00:00:00Z`));
}

/** A month (`YYYY-MM`) as `Jun 2025` / `Juni 2025`. */
export function month(isoMonth: string): string {
  return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${isoMonth}-01T00:00:00Z`));
}

export interface MinorMoney {
  readonly minor: number;
  readonly currency: string;
}

function digitsOf(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Integer minor units → `12,50 €` / `€12.50`. */
export function money(m: MinorMoney): string {
  const digits = digitsOf(m.currency);
  return new Intl.NumberFormat(locale(), { style: 'currency', currency: m.currency }).format(m.minor / 10 ** digits);
}

/**
 * Several currencies summed separately: `12,50 € + 3,00 £`. None at all is a zero in `zeroCurrency` (the account's
 * currency, `0,00 €`), or a zero in no currency when the account has none yet.
 */
export function moneyList(list: readonly MinorMoney[], zeroCurrency?: string): string {
  if (list.length > 0) return list.map(money).join(' + ');
  return zeroCurrency ? money({ minor: 0, currency: zeroCurrency }) : new Intl.NumberFormat(locale()).format(0);
}

/** A decimal string from the API (`"12.50"`) in a currency. */
export function decimalMoney(amount: string, currency: string): string {
  return new Intl.NumberFormat(locale(), { style: 'currency', currency }).format(Number(amount));
}

export function integer(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

export function percent(basisPoints: number): string {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 2 }).format(basisPoints / 10_000);
}

/** `14:05 CEST`: the time of an instant in the user's zone, with the zone (for lists already grouped by day). */
export function time(iso: string): string {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}

/** The user's calendar day of an instant (`YYYY-MM-DD`, in the user's zone). */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The units a duration is worded in, largest first, with their length in seconds. */
const DURATION_UNITS = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

/**
 * A duration in its best unit, in words of the user's language: `30 days` / `30 Tage` (not 43,200 minutes),
 * `2 hours, 5 minutes` / `2 Stunden, 5 Minuten`. The largest unit that fits, and the next smaller one when it is not
 * zero (rounded to it: a duration is read, not computed with). Every duration the app shows goes through here.
 */
export function duration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const fits = DURATION_UNITS.findIndex(([, size]) => total >= size);
  // Under a second (zero): in seconds.
  const index = fits === -1 ? DURATION_UNITS.length - 1 : fits;
  const [unit, size] = DURATION_UNITS[index]!;
  const smaller = DURATION_UNITS[index + 1];
  let whole = Math.floor(total / size);
  let rest = smaller ? Math.round((total - whole * size) / smaller[1]) : 0;
  // 1 hour 59.6 minutes rounds to 2 hours, not "1 hour, 60 minutes".
  if (smaller && rest * smaller[1] >= size) {
    whole += 1;
    rest = 0;
  }
  const part = (value: number, name: string) => new Intl.NumberFormat(locale(), { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);
  const parts = [part(whole, unit), ...(smaller && rest > 0 ? [part(rest, smaller[0])] : [])];
  return new Intl.ListFormat(locale(), { type: 'unit', style: 'long' }).format(parts);
}
