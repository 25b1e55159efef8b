import type { Currency, Money } from '#shared/kernel/money.ts';
import { money } from '#shared/kernel/money.ts';
import type { Claim } from './lifecycle.ts';
import type { DailyCount } from './model.ts';
import { dayOfDate, isoDay, parseDayString } from './tsv.ts';

/**
 * R-L4: the only reasons to call a Lost & Found customer. Each check is pure and returns, when it fires, a
 * deduplication key (customer + kind + ISO week) so the daily job creates exactly one CSM task per week.
 */

export interface AnomalyFinding {
  kind: 'claims_expiring' | 'damage_burst';
  customerId: string;
  dedupKey: string;
  title: string;
  detail: string;
}

/** ISO-8601 week of a day, e.g. "2025-W27": the dedup window of anomaly tasks. */
export function isoWeek(day: number): string {
  const date = new Date(day * 86_400_000);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = day - weekday + 3;
  const year = new Date(thursday * 86_400_000).getUTCFullYear();
  const firstThursday = Math.floor(Date.UTC(year, 0, 4) / 86_400_000);
  const firstWeekThursday = firstThursday - ((new Date(firstThursday * 86_400_000).getUTCDay() + 6) % 7) + 3;
  const week = 1 + Math.round((thursday - firstWeekThursday) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export interface ExpiringCheckOptions {
  asOf: Date;
  withinDays?: number;
  /** Minor units per currency above which unfiled expiring value is worth a call; default 10000 (100.00). */
  thresholdMinor?: Partial<Record<Currency, number>>;
  defaultThresholdMinor?: number;
}

/** Claims still unfiled (found or reversed) whose deadline falls within N days, worth more than the threshold. */
export function checkExpiringUnfiled(customerId: string, claims: readonly Claim[], options: ExpiringCheckOptions): AnomalyFinding | undefined {
  const asOfDay = dayOfDate(options.asOf);
  const withinDays = options.withinDays ?? 14;
  const totals = new Map<Currency, { minor: number; count: number }>();
  for (const claim of claims) {
    if (claim.status !== 'found' && claim.status !== 'reversed') continue;
    const deadline = parseDayString(claim.deadline);
    if (deadline < asOfDay || deadline - asOfDay > withinDays) continue;
    const entry = totals.get(claim.amount.currency) ?? { minor: 0, count: 0 };
    entry.minor += claim.amount.minor;
    entry.count++;
    totals.set(claim.amount.currency, entry);
  }
  const over: Money[] = [];
  let count = 0;
  for (const [currency, { minor, count: n }] of totals) {
    const threshold = options.thresholdMinor?.[currency] ?? options.defaultThresholdMinor ?? 10_000;
    if (minor > threshold) {
      over.push(money(minor, currency));
      count += n;
    }
  }
  if (over.length === 0) return undefined;
  const value = over.map((m) => `${(m.minor / 100).toFixed(2)} ${m.currency}`).join(' + ');
  return {
    kind: 'claims_expiring',
    customerId,
    dedupKey: `${customerId}#claims_expiring#${isoWeek(asOfDay)}`,
    title: `${count} unfiled claim(s) worth ${value} expire within ${withinDays} days`,
    detail: `Call the customer to file them before their deadline (${withinDays}-day horizon from ${isoDay(asOfDay)}).`,
  };
}

/** P(X ≥ k) for X ~ Poisson(λ): 1 − Σ_{i<k} e^−λ λ^i / i!. */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  let term = Math.exp(-lambda);
  let cumulative = term;
  for (let i = 1; i < k; i++) {
    term *= lambda / i;
    cumulative += term;
  }
  return Math.max(0, 1 - cumulative);
}

export interface DamageBurstOptions {
  asOf: Date;
  windowDays?: number;
  baselineDays?: number;
  pValue?: number;
  /** Rate floor per day for sellers with little or no history (default one damage a month). */
  floorPerDay?: number;
  /** Never call about fewer damage adjustments than this in the window. */
  minimumEvents?: number;
}

export interface DamageBurstResult {
  observed: number;
  expected: number;
  pValue: number;
  finding: AnomalyFinding | undefined;
}

/**
 * One-sided Poisson tail test against the seller's own baseline: k damage adjustments in the last 7 days
 * (as-of day included) vs λ = max(rate over the 90 days before that window, floor) × 7; anomalous when
 * P(X ≥ k | λ) < 0.01 and k ≥ 3.
 */
export function checkDamageBurst(customerId: string, dailyDamage: readonly DailyCount[], options: DamageBurstOptions): DamageBurstResult {
  const asOfDay = dayOfDate(options.asOf);
  const windowDays = options.windowDays ?? 7;
  const baselineDays = options.baselineDays ?? 90;
  const alpha = options.pValue ?? 0.01;
  const floorPerDay = options.floorPerDay ?? 1 / 30;
  const minimumEvents = options.minimumEvents ?? 3;
  const windowStart = asOfDay - windowDays + 1;
  const baselineStart = windowStart - baselineDays;
  let observed = 0;
  let baseline = 0;
  for (const { day, count } of dailyDamage) {
    const d = parseDayString(day);
    if (d >= windowStart && d <= asOfDay) observed += count;
    else if (d >= baselineStart && d < windowStart) baseline += count;
  }
  const expected = Math.max(baseline / baselineDays, floorPerDay) * windowDays;
  const p = poissonUpperTail(observed, expected);
  const finding: AnomalyFinding | undefined =
    observed >= minimumEvents && p < alpha
      ? {
          kind: 'damage_burst',
          customerId,
          dedupKey: `${customerId}#damage_burst#${isoWeek(asOfDay)}`,
          title: `${observed} damage adjustments in ${windowDays} days (expected ${expected.toFixed(1)})`,
          detail: `Poisson tail P(X ≥ ${observed} | λ = ${expected.toFixed(2)}) = ${p.toExponential(2)} < ${alpha}: baseline ${baseline} in the previous ${baselineDays} days. Check packaging and inbound prep with the customer.`,
        }
      : undefined;
  return { observed, expected, pValue: p, finding };
}
