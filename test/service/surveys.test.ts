import { describe, expect, it } from 'vitest';
import { ManualClock } from '#shared/kernel/clock.ts';
import type { Language } from '#shared/kernel/languages.ts';
import type { CustomerRecord } from '#shared/customers/customer.ts';
import type { StaffMember } from '#shared/csm/staff.ts';
import type { CsmTask } from '#shared/csm/tasks.ts';
import {
  applySurveyCallOutcome,
  npsOf,
  planSurveyCampaign,
  quarterBounds,
  quarterOf,
  quarterResults,
  surveyEligibility,
  workingDays,
  type SurveyDeps,
  type SurveyResponse,
} from '#shared/service/surveys.ts';

const LANGS: Language[] = ['de', 'fr', 'es', 'it', 'tr', 'nl'];

function member(staffId: string, languages: Language[], dailyCalls: number, customers: string[] = []): StaffMember {
  return { staffId, name: staffId, email: `${staffId}@x.de`, languages, capacity: 1000, dailyCalls, available: true, lead: false, active: true, timeZone: 'Europe/Berlin', customers, version: 1 };
}

function customer(tenantId: string, overrides: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    tenantId,
    companyName: tenantId,
    contactEmail: `${tenantId}@x.de`,
    language: 'de',
    marketplaces: ['DE'],
    amazonSellerId: 'A2EXAMPLE12345',
    timeZone: 'Europe/Berlin',
    createdAt: '2026-01-01T00:00:00Z',
    contracts: { 'lost-and-found': { product: 'lost-and-found', status: 'active', startedAt: '2026-01-01T00:00:00Z', trialEndsAt: null, plan: 'starter', offerLimit: 1000, endsAt: null, sequence: 1 } },
    pendingEvents: [],
    version: 1,
    ...overrides,
  };
}

describe('quarters and working days', () => {
  it('knows the quarter in a time zone and its Monday-to-Friday days', () => {
    expect(quarterOf(new Date('2026-12-31T23:30:00Z'), 'Europe/Berlin')).toBe('2027-Q1');
    expect(quarterOf(new Date('2026-12-31T23:30:00Z'), 'UTC')).toBe('2026-Q4');
    const days = workingDays('2027-Q1', 'Europe/Berlin');
    expect(days[0]).toBe('2027-01-01');
    expect(days.at(-1)).toBe('2027-03-31');
    expect(days).toHaveLength(64);
    expect(quarterBounds('2027-Q2', 'Europe/Berlin').start.toISOString()).toBe('2027-03-31T22:00:00.000Z');
  });
});

describe('survey eligibility', () => {
  const at = new Date('2027-01-01T05:00:00Z');
  it('takes active customers whose contract is older than the minimum', () => {
    expect(surveyEligibility(customer('a'), at, 30)).toEqual({ eligible: true });
    expect(surveyEligibility(customer('b', { contracts: { repricer: { product: 'repricer', status: 'active', startedAt: '2026-12-20T00:00:00Z', trialEndsAt: null, plan: 'starter', offerLimit: 1, endsAt: null, sequence: 1 } } }), at, 30)).toEqual({ eligible: false, reason: 'too-recent' });
  });
  it('skips customers who cancelled and customers still in trial', () => {
    const c = customer('a');
    const cancelled = { ...c.contracts['lost-and-found']!, status: 'cancelled' as const };
    expect(surveyEligibility(customer('c', { contracts: { 'lost-and-found': cancelled } }), at, 30)).toEqual({ eligible: false, reason: 'cancelled' });
    expect(surveyEligibility(customer('d', { contracts: { repricer: { ...cancelled, product: 'repricer', status: 'trial' } } }), at, 30)).toEqual({ eligible: false, reason: 'trial-only' });
  });
});

describe('campaign planning', () => {
  const staff = [
    member('s1', ['de', 'fr', 'en'], 6),
    member('s2', ['de', 'es', 'en'], 4),
    member('s3', ['it', 'es', 'en'], 5),
    member('s4', ['tr', 'de', 'en'], 3),
    member('s5', ['nl', 'de', 'fr'], 8),
    member('s6', ['fr', 'it', 'tr', 'nl'], 2),
  ];
  const days = workingDays('2027-Q1', 'Europe/Berlin');
  const candidates = Array.from({ length: 1200 }, (_, i) => ({ tenantId: `t${String(i).padStart(4, '0')}`, companyName: `T${i}`, language: LANGS[i % 6]!, csmId: ['s1', 's2', 's3', 's4', 's5', 's6'][i % 5]! }));
  const plan = planSurveyCampaign({ candidates, staff, days, settings: { defaultDailyCalls: 8, firstCallHour: 9 } });

  it('plans exactly one call per customer, each with a manager who speaks the language', () => {
    expect(plan.calls).toHaveLength(1200);
    expect(new Set(plan.calls.map((c) => c.tenantId)).size).toBe(1200);
    const speaks = new Map(staff.map((s) => [s.staffId, s.languages]));
    for (const call of plan.calls) expect(speaks.get(call.assigneeId!), call.tenantId).toContain(call.language);
  });

  it("keeps every manager's daily load within their daily capacity, spread over the quarter", () => {
    const perDay = new Map<string, number>();
    for (const call of plan.calls) perDay.set(`${call.assigneeId}|${call.day}`, (perDay.get(`${call.assigneeId}|${call.day}`) ?? 0) + 1);
    for (const [key, count] of perDay) expect(count, key).toBeLessThanOrEqual(staff.find((s) => s.staffId === key.split('|')[0])!.dailyCalls!);
    for (const load of plan.loads) {
      expect(load.maxPerDay).toBeLessThanOrEqual(load.dailyCalls);
      if (load.calls >= days.length) expect(load.days).toBe(days.length);
    }
    expect(plan.calls.every((c) => c.dueAt! >= '2027-01-01' && c.dueAt! < '2027-04-01')).toBe(true);
  });

  it("gives a customer to their own manager first when the manager speaks the language and has room", () => {
    const own = plan.calls.filter((c) => c.basis === 'own-manager');
    expect(own.length).toBeGreaterThan(0);
    for (const call of own) expect(candidates.find((c) => c.tenantId === call.tenantId)!.csmId).toBe(call.assigneeId);
  });

  it('leaves a call unassigned (flagged) rather than overload anyone', () => {
    const tiny = planSurveyCampaign({ candidates: candidates.slice(0, 50).map((c) => ({ ...c, language: 'tr' as const })), staff: [member('x', ['tr'], 1)], days: days.slice(0, 10), settings: { defaultDailyCalls: 8, firstCallHour: 9 } });
    expect(tiny.calls.filter((c) => c.assigneeId === 'x')).toHaveLength(10);
    expect(tiny.calls.filter((c) => c.assigneeId === null && c.basis === 'no-capacity')).toHaveLength(40);
  });
});

describe('NPS and results', () => {
  it('computes NPS as % promoters minus % detractors', () => {
    expect(npsOf([10, 9, 8, 7, 6, 0])).toMatchObject({ promoters: 2, passives: 2, detractors: 2, nps: 0 });
    expect(npsOf([10, 10, 9, 5]).nps).toBe(50);
    expect(npsOf([]).nps).toBeNull();
  });

  it('gives the response rate, satisfaction per product and NPS per language', () => {
    const r = (tenantId: string, language: Language, overall: number, products: SurveyResponse['products']): SurveyResponse => ({
      quarter: '2027-Q1', tenantId, language, overall, products, improve: null, followUpConsent: true, recordedAt: '', recordedBy: 's', taskId: null,
    });
    const results = quarterResults('2027-Q1', [r('a', 'de', 10, [{ product: 'repricer', satisfaction: 9 }]), r('b', 'fr', 3, [{ product: 'repricer', satisfaction: 4 }, { product: 'lost-and-found', satisfaction: 8 }])], 4);
    expect(results).toMatchObject({ nps: 0, responses: 2, planned: 4, responseRate: 0.5 });
    expect(results.byProduct.repricer).toMatchObject({ responses: 2, averageSatisfaction: 6.5 });
    expect(results.byProduct['lost-and-found']).toMatchObject({ responses: 1, averageSatisfaction: 8 });
    expect(results.byLanguage).toMatchObject({ de: { nps: 100 }, fr: { nps: -100 } });
  });
});

describe('survey call outcomes', () => {
  const clock = new ManualClock(new Date('2027-01-05T10:00:00Z'));
  const deps = { clock, timeZone: 'Europe/Berlin' } as unknown as SurveyDeps;
  const task: CsmTask = {
    taskId: 'task-1', kind: 'survey-call', tenantId: 't', companyName: 'T', language: 'de', assigneeId: 's1', status: 'open',
    dueAt: '2027-01-05T08:00:00.000Z', createdAt: '', title: '', details: { quarter: '2027-Q1', attempts: 0, maxAttempts: 2 }, version: 1,
  };

  it('moves an unanswered call to the next working day, then closes it as unreachable', async () => {
    const retry = await applySurveyCallOutcome(deps, task, { result: 'no-answer' }, 's1');
    expect(retry).toMatchObject({ status: 'open', dueAt: '2027-01-06T08:00:00.000Z', details: { attempts: 1 } });
    const last = await applySurveyCallOutcome(deps, retry, { result: 'no-answer' }, 's1');
    expect(last).toMatchObject({ status: 'done', outcome: { result: 'unreachable', attempts: 2 } });
  });

  it('reschedules within the quarter and refuses a time outside it', async () => {
    const moved = await applySurveyCallOutcome(deps, task, { result: 'reschedule', at: '2027-02-10T14:00:00+01:00' }, 's1');
    expect(moved).toMatchObject({ status: 'open', dueAt: '2027-02-10T13:00:00.000Z' });
    await expect(applySurveyCallOutcome(deps, task, { result: 'reschedule', at: '2027-04-02T10:00:00Z' }, 's1')).rejects.toThrow(/within 2027-Q1/);
  });
});
