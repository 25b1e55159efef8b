/**
 * Issue 8 through the local stack, as a new user would: quarterly survey campaign for 240 customers in six
 * languages (for 2,000 customers, timed: `npm run bench -- survey-campaign`), survey answers → NPS, five
 * differently-worded difficulties → one root cause and one push to product development, support requests from
 * the website form and the hotline, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextCronOccurrence } from '../../local/cron.ts';
import { SURVEY_SCHEDULE, quarterOf, previousQuarter } from '#shared/service/surveys.ts';
import { invoke } from '../../local/lambda-runtime.ts';
import { startApi, type Api, type ResponseBody } from '../support/local-stack.ts';

const LANGUAGES = ['de', 'fr', 'es', 'it', 'tr', 'nl'] as const;
/** Twelve managers, three or four languages each, 3–6 survey calls a day. */
const TEAM = [
  { staffId: 'cs-anna', languages: ['de', 'en', 'fr'], dailyCalls: 6 },
  { staffId: 'cs-marc', languages: ['fr', 'de', 'en'], dailyCalls: 5 },
  { staffId: 'cs-lucia', languages: ['es', 'en', 'de'], dailyCalls: 4 },
  { staffId: 'cs-elif', languages: ['tr', 'de', 'en'], dailyCalls: 4 },
  { staffId: 'cs-kemal', languages: ['tr', 'en', 'fr'], dailyCalls: 3 },
  { staffId: 'cs-pablo', languages: ['es', 'fr', 'en', 'it'], dailyCalls: 5 },
  { staffId: 'cs-greta', languages: ['de', 'nl', 'en'], dailyCalls: 4 },
  { staffId: 'cs-sofia', languages: ['es', 'it', 'en'], dailyCalls: 4 },
  { staffId: 'cs-jan', languages: ['nl', 'de', 'en', 'fr'], dailyCalls: 3 },
  { staffId: 'cs-giulia', languages: ['it', 'es', 'en', 'fr'], dailyCalls: 4 },
  { staffId: 'cs-aylin', languages: ['tr', 'nl', 'en'], dailyCalls: 3 },
  { staffId: 'cs-louise', languages: ['fr', 'nl', 'it'], dailyCalls: 3 },
] as const;
const speaks = new Map<string, readonly string[]>(TEAM.map((m) => [m.staffId, m.languages]));
const dailyCalls = new Map<string, number>(TEAM.map((m) => [m.staffId, m.dailyCalls]));

/** Enough for every manager to get calls in several of their languages; 2,000 is the benchmark's. */
const CUSTOMERS = 240;
const CANCELLED = Array.from({ length: 20 }, (_, i) => `cs-${String(i * 11).padStart(4, '0')}`);
const TRIALS = Array.from({ length: 6 }, (_, i) => `cs-trial-${i}`);
const FIVE_WAYS = [
  'Claims take far too long to be filed with Amazon',
  'Filing a reimbursement claim with Amazon is very slow',
  'It takes ages until my claims are filed at Amazon',
  'Slow claim filing with Amazon',
  'Amazon claims get filed too slowly',
];

let api: Api;
let lead: string;
let quarter: string;
let firedAt: string;
const calls: { tenantId: string; taskId: string; language: string; assigneeId: string | null; day: string | null }[] = [];
const tokens = new Map<string, string>();

async function csm(staffId: string) {
  if (!tokens.has(staffId)) tokens.set(staffId, await api.token('csm', staffId));
  return tokens.get(staffId)!;
}

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

beforeAll(async () => {
  api = await startApi();
  lead = await api.token('csm-lead', 'cs-anna');
  for (const m of TEAM) {
    const put = await api.call('PUT', `/csm/staff/${m.staffId}`, {
      token: lead,
      body: { name: m.staffId, email: `${m.staffId}@example.com`, languages: m.languages, capacity: 1000, dailyCalls: m.dailyCalls, timeZone: 'Europe/Berlin' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  }
  // Customers count for a survey once their contract is a week old (configurable).
  expect((await api.call('PUT', '/surveys/settings', { token: lead, body: { minContractDays: 7 } })).body).toMatchObject({ minContractDays: 7, defaultDailyCalls: 8 });

  const tenants = Array.from({ length: CUSTOMERS }, (_, i) => ({ id: `cs-${String(i).padStart(4, '0')}`, language: LANGUAGES[i % LANGUAGES.length]! }));
  await inBatches(tenants, 50, async (t) => {
    const r = await api.call('POST', '/signups', {
      token: await api.token('customer', t.id),
      body: { product: 'lost-and-found', companyName: `Seller ${t.id}`, contactEmail: `${t.id}@example.com`, language: t.language, marketplaces: ['DE'], amazonSellerId: 'A2EXAMPLE12345' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  });
  for (const id of TRIALS) {
    const r = await api.call('POST', '/signups', {
      token: await api.token('customer', id),
      body: { product: 'repricer', companyName: id, contactEmail: `${id}@example.com`, language: 'de', marketplaces: ['DE'], amazonSellerId: 'A2EXAMPLE12345' },
    });
    expect(r.status).toBe(201);
  }
  for (const id of CANCELLED) {
    expect((await api.call('POST', '/contracts/lost-and-found/cancellation', { token: await api.token('customer', id), body: { reason: 'closing the shop' } })).status).toBe(200);
  }
  await api.stack.pollers!.idle(120_000);
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

describe('quarterly satisfaction survey campaign (R-S2)', () => {
  it('creates exactly one survey call per eligible customer when the quarterly schedule fires, language-matched and within daily capacity', async () => {
    // The first quarter start at least 8 days away, so every contract is older than the 7-day minimum.
    const now = api.stack.clock.now();
    const fireAt = nextCronOccurrence(SURVEY_SCHEDULE.cron, new Date(now.getTime() + 8 * 86_400_000), SURVEY_SCHEDULE.timeZone)!;
    quarter = quarterOf(fireAt, SURVEY_SCHEDULE.timeZone);
    firedAt = fireAt.toISOString();
    const minutes = Math.ceil((fireAt.getTime() - now.getTime()) / 60_000) + 1;
    const advanced = await api.call('POST', '/_local/clock/advance', { body: { minutes } });
    expect(advanced.status).toBe(200);
    expect(advanced.body.fired).toContain(`${SURVEY_SCHEDULE.name}@${fireAt.toISOString()}`);

    const campaign = (await api.call('GET', `/surveys/campaigns/${quarter}`, { token: lead })).body;
    const eligible = CUSTOMERS - CANCELLED.length;
    expect(campaign).toMatchObject({ quarter, eligible, created: eligible, alreadyPlanned: 0, unassigned: 0 });
    expect(campaign.skipped['trial-only']).toBe(TRIALS.length);

    let cursor: string | null = null;
    do {
      const page: { status: number; body: ResponseBody } = await api.call('GET', `/surveys/campaigns/${quarter}/calls?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: lead });
      expect(page.status).toBe(200);
      calls.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(calls).toHaveLength(eligible);
    expect(new Set(calls.map((c) => c.tenantId)).size).toBe(eligible);
    for (const id of [...CANCELLED, ...TRIALS]) expect(calls.find((c) => c.tenantId === id)).toBeUndefined();

    const perDay = new Map<string, number>();
    for (const call of calls) {
      expect(speaks.get(call.assigneeId!), `${call.tenantId} (${call.language}) → ${call.assigneeId}`).toContain(call.language);
      perDay.set(`${call.assigneeId}|${call.day}`, (perDay.get(`${call.assigneeId}|${call.day}`) ?? 0) + 1);
    }
    for (const [key, count] of perDay) expect(count, key).toBeLessThanOrEqual(dailyCalls.get(key.split('|')[0]!)!);

    const lines = campaign.loads.map(
      (l: ResponseBody) => `  ${l.staffId.padEnd(10)} ${l.languages.join('/').padEnd(12)} ${String(l.calls).padStart(4)} calls over ${l.days} days, max ${l.maxPerDay}/day (capacity ${l.dailyCalls}) ${JSON.stringify(l.byLanguage)}`,
    );
    process.stdout.write(`survey campaign ${quarter}: ${eligible} calls over ${campaign.workingDays} working days, \n${lines.join('\n')}\n`);
    expect(campaign.loads.every((l: ResponseBody) => l.maxPerDay <= l.dailyCalls)).toBe(true);
    expect(campaign.loads.reduce((sum: number, l: { calls: number }) => sum + l.calls, 0)).toBe(eligible);
  });

  it('never plans a second call for a customer in the same quarter (the schedule firing again creates nothing)', async () => {
    // As EventBridge Scheduler would on a retry: the same scheduled time again.
    const again = await invoke<Record<string, unknown>>(api.stack.handlers, 'surveyCampaign', { schedule: SURVEY_SCHEDULE.name, scheduledTime: firedAt });
    expect(again).toMatchObject({ quarter, created: 0, alreadyPlanned: CUSTOMERS - CANCELLED.length });
  });

  it('puts each survey call into the task queue of its manager', async () => {
    for (const call of calls.filter((_, i) => i % 20 === 0)) {
      const started = await api.call('POST', `/csm/tasks/${call.taskId}/start`, { token: await csm(call.assigneeId!) });
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ kind: 'survey-call', tenantId: call.tenantId, language: call.language, assigneeId: call.assigneeId });
      expect(started.body.details).toMatchObject({ quarter, surveyDay: call.day });
    }
  });
});

describe('survey answers, NPS and product feedback (R-S2, R-S3)', () => {
  it("records answers from the calls: the quarter's NPS; five customers' difficulty in different words → one root cause, one push", async () => {
    const scores = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0]; // 5 promoters, 2 passives, 3 detractors → NPS 20
    const answered = calls.filter((c) => !CANCELLED.includes(c.tenantId)).slice(0, scores.length);
    for (const [i, call] of answered.entries()) {
      const done = await api.call('POST', `/csm/tasks/${call.taskId}/complete`, {
        token: await csm(call.assigneeId!),
        body: {
          outcome: {
            result: 'answered',
            answers: {
              overall: scores[i],
              products: [{ product: 'lost-and-found', satisfaction: 10 - i }],
              improve: i === 0 ? 'Show the claim deadlines on the dashboard' : undefined,
              followUpConsent: i % 2 === 0,
              difficulties: i < FIVE_WAYS.length ? [{ productArea: 'lost-and-found', severity: i === 2 ? 'high' : 'medium', verbatim: FIVE_WAYS[i] }] : [],
            },
          },
        },
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.status).toBe('done');
    }
    const results = (await api.call('GET', `/surveys/results/${quarter}`, { token: lead })).body;
    process.stdout.write(`survey results ${quarter}: NPS ${results.nps}, ${results.responses} responses of ${results.planned} (rate ${results.responseRate}), by language ${JSON.stringify(results.byLanguage)}\n`);
    expect(results).toMatchObject({ quarter, responses: 10, promoters: 5, passives: 2, detractors: 3, nps: 20, planned: CUSTOMERS - CANCELLED.length, followUpConsents: 5 });
    expect(results.byProduct['lost-and-found']).toMatchObject({ responses: 10, averageSatisfaction: 5.5 });
    expect(Object.values(results.byLanguage as Record<string, { responses: number }>).reduce((n, l) => n + l.responses, 0)).toBe(10);
    expect(results.improvements).toEqual(['Show the claim deadlines on the dashboard']);

    const causes = (await api.call('GET', '/feedback/root-causes?area=lost-and-found', { token: lead })).body.items;
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ customers: 5, mentions: 5, maxSeverity: 'high', publishedLevel: 1 });
    expect(new Set(causes[0].affectedCustomers)).toEqual(new Set(answered.slice(0, 5).map((c) => c.tenantId)));

    const pushes = await api.eventually(
      async () => (await api.call('GET', '/_local/product-feedback')).body.items,
      (items: ResponseBody[]) => items.length >= 1,
    );
    // Once the consumers are idle and product development's inbox is empty, a second push would be in `all`.
    await api.stack.pollers!.idle(120_000);
    await api.drained('sellerops-local-product-feedback-inbox');
    const all = (await api.call('GET', '/_local/product-feedback')).body.items;
    expect(pushes.length).toBe(1);
    expect(all).toHaveLength(1);
    expect(all[0].attributes).toMatchObject({ kind: 'root-cause.new', productArea: 'lost-and-found', rootCauseId: causes[0].rootCauseId });
    expect(all[0].body).toMatchObject({ version: 1, customers: 3 });

    const trend = (await api.call('GET', `/surveys/trends?from=${previousQuarter(quarter)}&to=${quarter}`, { token: lead })).body;
    expect(trend.quarters.map((q: ResponseBody) => [q.quarter, q.nps])).toEqual([
      [previousQuarter(quarter), null],
      [quarter, 20],
    ]);
  });

  it('supports "no answer, try again" and rescheduling', async () => {
    const call = calls[50]!;
    const token = await csm(call.assigneeId!);
    const retry = await api.call('POST', `/csm/tasks/${call.taskId}/complete`, { token, body: { outcome: { result: 'no-answer' } } });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ status: 'open', details: { attempts: 1 } });
    const at = new Date(api.stack.clock.now().getTime() + 3 * 86_400_000).toISOString();
    const moved = await api.call('POST', `/csm/tasks/${call.taskId}/complete`, { token, body: { outcome: { result: 'reschedule', at } } });
    expect(moved.body).toMatchObject({ status: 'open', dueAt: at });
  });

  it('answers bad input with a clear 4xx or an idempotent no-op, and loses nothing', async () => {
    const call = calls[70]!;
    const token = await csm(call.assigneeId!);
    const outOfRange = await api.call('POST', `/csm/tasks/${call.taskId}/complete`, { token, body: { outcome: { result: 'answered', answers: { overall: 11, followUpConsent: false } } } });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.error.message).toMatch(/overall/);
    const body = { customerId: call.tenantId, answers: { overall: 8, followUpConsent: true } };
    expect((await api.call('POST', '/surveys/responses', { token: lead, body })).status).toBe(201);
    const duplicate = await api.call('POST', '/surveys/responses', { token: lead, body: { ...body, answers: { overall: 2, followUpConsent: false } } });
    expect(duplicate.status).toBe(200);
    expect(duplicate.body).toMatchObject({ created: false, overall: 8 });
    expect((await api.call('POST', '/surveys/responses', { token: lead, body: { ...body, customerId: 'nobody-here' } })).status).toBe(404);
    const cancelled = await api.call('POST', '/surveys/responses', { token: lead, body: { ...body, customerId: CANCELLED[0] } });
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.error.code).toBe('customer_cancelled');
    // The inbound answer closed the customer's survey task; a second completion is refused.
    expect((await api.call('POST', `/csm/tasks/${call.taskId}/complete`, { token, body: { outcome: { result: 'declined' } } })).status).toBe(409);
    expect((await api.call('GET', `/surveys/results/${quarter}`, { token: lead })).body.responses).toBe(11);
    expect((await api.call('GET', '/surveys/results/2027-Q5', { token: lead })).status).toBe(400);
    const dup = { customerId: call.tenantId, touchpoint: 'support-request', productArea: 'billing', severity: 'low', verbatim: 'The invoice PDF is hard to find' };
    expect((await api.call('POST', '/feedback/difficulties', { token: lead, body: dup })).status).toBe(201);
    expect((await api.call('POST', '/feedback/difficulties', { token: lead, body: dup })).status).toBe(200);
    expect((await api.call('POST', '/feedback/difficulties', { token: lead, body: { ...dup, severity: 'urgent' } })).status).toBe(400);
    expect((await api.call('POST', '/feedback/difficulties', { token: lead, body: { ...dup, customerId: 'nobody-here' } })).status).toBe(404);
  });
});

describe('support requests (R-S1)', () => {
  const form = (overrides: Record<string, unknown> = {}) => ({
    name: 'Jean Dupont',
    email: 'cs-0001@example.com',
    language: 'fr',
    customerId: 'cs-0001',
    subject: 'Claim status',
    message: 'Where can I see the status of my claims?',
    ...overrides,
  });

  it("routes a website request to the customer's manager by language, with a status, and resolves it with the task", async () => {
    const sent = await api.call('POST', '/support/requests', { body: form() }); // no token: public
    expect(sent.status).toBe(202);
    expect(sent.body.requestId).toMatch(/^sr-/);
    const request = (await api.call('GET', `/support/requests/${sent.body.requestId}`, { token: lead })).body;
    const owner = (await api.call('GET', '/customers/cs-0001', { token: lead })).body.csmId;
    expect(request).toMatchObject({ channel: 'web', status: 'open', tenantId: 'cs-0001', csmId: owner, routing: 'own-manager' });
    expect(speaks.get(owner)).toContain('fr');
    // The customer sees their own request, nobody else's.
    expect((await api.call('GET', `/support/requests/${sent.body.requestId}`, { token: await api.token('customer', 'cs-0001') })).body.status).toBe('open');
    expect((await api.call('GET', `/support/requests/${sent.body.requestId}`, { token: await api.token('customer', 'cs-0002') })).status).toBe(404);
    // A repeat of the same form is the same request.
    expect((await api.call('POST', '/support/requests', { body: form() })).body.requestId).toBe(sent.body.requestId);

    const done = await api.call('POST', `/csm/tasks/${request.taskId}/complete`, { token: await csm(owner), body: { outcome: { notes: 'Showed the dashboard', resolved: true } } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await api.call('GET', `/support/requests/${sent.body.requestId}`, { token: lead })).body.status).toBe('resolved');
  });

  it('logs hotline calls for known customers only', async () => {
    const logged = await api.call('POST', '/support/hotline', { token: lead, body: { customerId: 'cs-0004', subject: 'Login', message: 'Cannot log in since yesterday' } });
    expect(logged.status).toBe(201);
    expect(speaks.get(logged.body.csmId)).toContain('tr'); // cs-0004 speaks Turkish
    expect((await api.call('POST', '/support/hotline', { token: lead, body: { customerId: 'nobody-here', subject: 'x', message: 'y' } })).status).toBe(404);
    expect((await api.call('PATCH', `/support/requests/${logged.body.requestId}`, { token: lead, body: { status: 'closed' } })).body.status).toBe('closed');
    expect((await api.call('PATCH', `/support/requests/${logged.body.requestId}`, { token: lead, body: { status: 'open' } })).status).toBe(409);
  });

  it('protects the public form: validation, honeypot, rate limit per e-mail', async () => {
    expect((await api.call('POST', '/support/requests', { body: form({ email: 'not-an-email' }) })).status).toBe(400);
    expect((await api.call('POST', '/support/requests', { body: form({ message: 'short' }) })).status).toBe(400);
    expect((await api.call('POST', '/support/requests', { body: form({ extra: 'field' }) })).status).toBe(400);
    const bot = await api.call('POST', '/support/requests', { body: form({ email: 'bot@example.com', website: 'http://spam.example' }) });
    expect(bot.status).toBe(202);
    expect(bot.body.requestId).toBeNull();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api.call('POST', '/support/requests', { body: form({ email: 'flood@example.com', customerId: undefined, message: `Message number ${i} about claims` }) })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });
});
