/**
 * EventBridge Scheduler cron expressions, evaluated in an IANA time zone: `cron(minutes hours day-of-month
 * month day-of-week year)`. Supports `*`, `?`, lists, ranges, steps (`/`), month and weekday names and `L`
 * (last day of the month) in day-of-month; `W` and `#` are refused with a clear error rather than guessed.
 * Day-of-week is 1-7 = SUN-SAT, as in EventBridge. Pure: used by the local scheduler and by tests.
 */
import { instantAt, isValidTimeZone, wallClockIn } from '#shared/kernel/time-zones.ts';

export interface CronSpec {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** Empty when day-of-month is `?`. */
  readonly daysOfMonth: ReadonlySet<number>;
  readonly lastDayOfMonth: boolean;
  readonly months: ReadonlySet<number>;
  /** Empty when day-of-week is `?`. 1 = Sunday … 7 = Saturday. */
  readonly daysOfWeek: ReadonlySet<number>;
  /** Empty = every year. */
  readonly years: ReadonlySet<number>;
  readonly domAny: boolean;
  readonly dowAny: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export class CronError extends Error {
  constructor(expression: string, why: string) {
    super(`invalid cron expression "${expression}": ${why}`);
    this.name = 'CronError';
  }
}

/** Parses `cron(...)` (or the six bare fields). */
export function parseCron(expression: string): CronSpec {
  const inner = expression.trim().replace(/^cron\((.*)\)$/s, '$1').trim();
  const fields = inner.split(/\s+/);
  if (fields.length !== 6) throw new CronError(expression, 'six fields expected: minutes hours day-of-month month day-of-week year');
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new CronError(expression, 'exactly one of day-of-month and day-of-week must be "?"');
  const field = (text: string, lo: number, hi: number, names: readonly string[] = [], nameBase = 1) => {
    const values = new Set<number>();
    for (const part of text.split(',')) {
      if (/[W#]/.test(part)) throw new CronError(expression, `"${part}": W and # are not supported`);
      const [range = '', stepText] = part.split('/');
      const step = stepText === undefined ? 1 : Number(stepText);
      if (!Number.isInteger(step) || step < 1) throw new CronError(expression, `bad step in "${part}"`);
      const value = (v: string) => {
        const named = names.indexOf(v.toUpperCase());
        const n = named >= 0 ? named + nameBase : Number(v);
        if (!Number.isInteger(n) || n < lo || n > hi) throw new CronError(expression, `"${v}" is outside ${lo}-${hi}`);
        return n;
      };
      let from: number;
      let to: number;
      if (range === '*') [from, to] = [lo, hi];
      else if (range.includes('-')) {
        const [a = '', b = ''] = range.split('-');
        [from, to] = [value(a), value(b)];
        if (from > to) throw new CronError(expression, `empty range "${range}"`);
      } else {
        from = value(range);
        to = stepText === undefined ? from : hi;
      }
      for (let v = from; v <= to; v += step) values.add(v);
    }
    return values;
  };
  const lastDayOfMonth = dom === 'L';
  return {
    minutes: field(min, 0, 59),
    hours: field(hour, 0, 23),
    daysOfMonth: dom === '?' || lastDayOfMonth ? new Set() : field(dom, 1, 31),
    lastDayOfMonth,
    months: field(month, 1, 12, MONTHS),
    daysOfWeek: dow === '?' ? new Set() : field(dow, 1, 7, WEEKDAYS),
    years: year === '*' ? new Set() : field(year, 1970, 2199),
    domAny: dom === '?',
    dowAny: dow === '?',
  };
}

const DAY_MS = 86_400_000;

/**
 * The first occurrence strictly after `after`, in `timeZone`; undefined if none within `horizonYears`.
 * Local times skipped by a DST change do not occur (as Scheduler does, nothing fires for them).
 */
export function nextCronOccurrence(expression: string | CronSpec, after: Date, timeZone = 'UTC', horizonYears = 5): Date | undefined {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the message names a parsed spec only by its type; cron strings are the case that matters
  if (!isValidTimeZone(timeZone)) throw new CronError(String(expression), `unknown time zone ${timeZone}`);
  const spec = typeof expression === 'string' ? parseCron(expression) : expression;
  const start = wallClockIn(after, timeZone);
  const startDay = Date.UTC(start.year, start.month - 1, start.day);
  const hours = [...spec.hours].sort((a, b) => a - b);
  const minutes = [...spec.minutes].sort((a, b) => a - b);
  for (let d = 0; d <= horizonYears * 366; d++) {
    const date = new Date(startDay + d * DAY_MS);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (spec.years.size > 0 && !spec.years.has(year)) continue;
    if (!spec.months.has(month)) continue;
    if (!spec.domAny) {
      const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
      if (spec.lastDayOfMonth ? day !== last : !spec.daysOfMonth.has(day)) continue;
    }
    if (!spec.dowAny && !spec.daysOfWeek.has(date.getUTCDay() + 1)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const instant = instantAt({ year, month, day, hour, minute }, timeZone);
        if (instant.getTime() <= after.getTime()) continue;
        const seen = wallClockIn(instant, timeZone);
        if (seen.hour !== hour || seen.minute !== minute || seen.day !== day) continue; // skipped by DST
        return instant;
      }
    }
  }
  return undefined;
}

/** Every occurrence in (after, until], in order. */
export function cronOccurrencesBetween(expression: string, after: Date, until: Date, timeZone = 'UTC'): Date[] {
  const spec = parseCron(expression);
  const out: Date[] = [];
  let cursor = after;
  for (;;) {
    const next = nextCronOccurrence(spec, cursor, timeZone);
    if (!next || next.getTime() > until.getTime()) return out;
    out.push(next);
    cursor = next;
  }
}
