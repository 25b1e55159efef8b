import { describe, expect, it } from 'vitest';
import { ManualClock } from '#shared/kernel/clock.ts';
import { money } from '#shared/kernel/money.ts';
import { checkDamageBurst, checkExpiringUnfiled, isoWeek, poissonUpperTail } from '#shared/lost-and-found/anomaly.ts';
import { summariseClaims } from '#shared/lost-and-found/dashboard.ts';
import { InMemoryClaimRepository, InMemoryCsmTasks } from '../support/lost-and-found-memory.ts';
import { newClaim, type Claim, type ClaimStatus } from '#shared/lost-and-found/lifecycle.ts';
import type { DailyCount, FoundClaim } from '#shared/lost-and-found/model.ts';
import { requestSetupHelp, runDailyAnomalyCheck } from '#shared/lost-and-found/use-cases.ts';

let n = 0;
const claim = (status: ClaimStatus, minor: number, deadline: string, extra: Partial<Claim> = {}): Claim => {
  const found: FoundClaim = {
    id: `clm_${++n}`, type: 'lost_warehouse', msku: 'S', fnsku: 'F', asin: 'A', quantity: 1, ref: `R${n}`, amount: money(minor, 'EUR'),
    valueBasis: 'seller_cost', eventDate: '2025-05-01', openFrom: '2025-05-31', deadline, evidence: [],
  };
  return { ...newClaim(found, 'c1', new Date('2025-06-01T00:00:00Z')), status, ...extra };
};

describe('dashboard figures', () => {
  it('sums found, filed, paid, rejected and expiring claims, the recovered total and our 25 % fee', () => {
    const claims = [
      claim('found', 1000, '2025-07-05'),
      claim('found', 500, '2025-09-01'),
      claim('filed', 2000, '2025-07-01'),
      claim('paid', 3000, '2025-07-01', { recovered: money(2800, 'EUR') }),
      claim('partially_paid', 1000, '2025-07-01', { recovered: money(401, 'EUR') }),
      claim('rejected', 700, '2025-07-01'),
    ];
    const summary = summariseClaims(claims, { asOf: new Date('2025-06-30T12:00:00Z') });
    expect(summary.found).toEqual({ count: 2, value: [money(1500, 'EUR')] });
    expect(summary.filed).toEqual({ count: 1, value: [money(2000, 'EUR')] });
    expect(summary.paid).toEqual({ count: 2, value: [money(4000, 'EUR')] });
    expect(summary.rejected.count).toBe(1);
    expect(summary.expiring).toEqual({ count: 1, value: [money(1000, 'EUR')] });
    expect(summary.recovered).toEqual([money(3201, 'EUR')]);
    expect(summary.feeOwed).toEqual([money(800, 'EUR')]);
    expect(summary.byMonth.map((m) => m.month)).toEqual(['2025-06']);
    expect(summary.byType[0]).toMatchObject({ type: 'lost_warehouse', found: { count: 2 } });
    expect(summariseClaims(claims, { asOf: new Date('2025-06-30'), feeBasisPoints: 1000 }).feeOwed).toEqual([money(320, 'EUR')]);
  });

  it('never adds up different currencies', () => {
    const gbp = { ...claim('found', 900, '2025-09-01'), amount: money(900, 'GBP') };
    const summary = summariseClaims([claim('found', 100, '2025-09-01'), gbp], { asOf: new Date('2025-06-30') });
    expect(summary.found.value).toEqual([money(100, 'EUR'), money(900, 'GBP')]);
  });
});

describe('anomaly calls', () => {
  const asOf = new Date('2025-06-30T05:00:00Z');
  const days = (entries: Array<[string, number]>): DailyCount[] => entries.map(([day, count]) => ({ day, count }));

  it('flags unfiled claims above the threshold that expire within N days', () => {
    const claims = [claim('found', 6000, '2025-07-10'), claim('found', 6000, '2025-07-14'), claim('found', 99_000, '2025-07-20'), claim('filed', 99_000, '2025-07-01')];
    const finding = checkExpiringUnfiled('c1', claims, { asOf, withinDays: 14, defaultThresholdMinor: 10_000 });
    expect(finding).toMatchObject({ kind: 'claims_expiring', dedupKey: `c1#claims_expiring#${isoWeek(20269)}` });
    expect(finding!.title).toContain('2 unfiled claim(s) worth 120.00 EUR');
    expect(checkExpiringUnfiled('c1', claims.slice(0, 1), { asOf, defaultThresholdMinor: 10_000 })).toBeUndefined();
  });

  it('computes the Poisson upper tail', () => {
    expect(poissonUpperTail(0, 2)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(poissonUpperTail(3, 0.7)).toBeCloseTo(1 - Math.exp(-0.7) * (1 + 0.7 + 0.245), 12);
  });

  it('flags a burst of damage adjustments against the seller’s own 90-day baseline', () => {
    const baseline = days([['2025-04-10', 2], ['2025-05-15', 3], ['2025-06-01', 4]]); // 9 in 90 days → λ = 0.7 a week
    const quiet = checkDamageBurst('c1', [...baseline, ...days([['2025-06-28', 2]])], { asOf });
    expect(quiet.finding).toBeUndefined();
    const burst = checkDamageBurst('c1', [...baseline, ...days([['2025-06-26', 3], ['2025-06-29', 3]])], { asOf });
    expect(burst.observed).toBe(6);
    expect(burst.expected).toBeCloseTo(0.7, 5);
    expect(burst.pValue).toBeLessThan(0.01);
    expect(burst.finding!.dedupKey).toBe('c1#damage_burst#2025-W27');
  });

  it('uses a floor for sellers with no damage history, and needs at least 3 events', () => {
    expect(checkDamageBurst('c1', days([['2025-06-29', 2]]), { asOf }).finding).toBeUndefined();
    expect(checkDamageBurst('c1', days([['2025-06-29', 3]]), { asOf }).finding).toBeDefined();
  });

  it('a burst of damage adjustments creates exactly one CSM task and one push, however often the check runs', async () => {
    const clock = new ManualClock(asOf);
    const tasks = new InMemoryCsmTasks();
    const ports = { claims: new InMemoryClaimRepository(), tasks, notifications: tasks };
    const dailyDamage = days([['2025-06-27', 4], ['2025-06-29', 5]]);
    const first = await runDailyAnomalyCheck(ports, clock, { customerId: 'c1', dailyDamage });
    clock.advance(86_400_000);
    const second = await runDailyAnomalyCheck(ports, clock, { customerId: 'c1', dailyDamage });
    expect(first.created).toEqual(['c1#damage_burst#2025-W27']);
    expect(second.findings).toHaveLength(1);
    expect(second.created).toEqual([]);
    expect(tasks.tasks).toHaveLength(1);
    expect(tasks.pushes).toHaveLength(1);
  });

  it('does not call a customer with nothing unusual', async () => {
    const tasks = new InMemoryCsmTasks();
    const result = await runDailyAnomalyCheck({ claims: new InMemoryClaimRepository(), tasks, notifications: tasks }, new ManualClock(asOf), { customerId: 'c1', dailyDamage: [] });
    expect(result.findings).toEqual([]);
    expect(tasks.pushes).toEqual([]);
  });

  it('lets the customer ask for set-up help at any time', async () => {
    const tasks = new InMemoryCsmTasks();
    const result = await requestSetupHelp({ tasks, notifications: tasks }, new ManualClock(asOf), { customerId: 'c1', note: 'please help' });
    expect(result).toEqual({ created: true, dedupKey: 'c1#setup_help#2025-06-30' });
    expect(tasks.tasks[0]).toMatchObject({ kind: 'setup_help', detail: 'please help' });
  });
});
