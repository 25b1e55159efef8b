/**
 * Issue 19's customer side of feedback and support, through the local stack's API: a customer answers the quarterly
 * survey they were sent (`GET /customer-surveys`, `POST /customer-surveys/{surveyId}/answer`), which the CSM's
 * results and NPS trend count and which closes the survey call; and a customer lists their own support requests,
 * newest first (`GET /support-requests`), and nobody else's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SURVEY_SCHEDULE, quarterOf } from '#shared/service/surveys.ts';
import { invoke } from '../../local/lambda-runtime.ts';
import { exampleSignup, startApi, type Api, type ResponseBody } from '../support/local-stack.ts';

let api: Api;
let lead: string;
let quarter: string;
const token = new Map<string, string>();

async function customerToken(tenant: string): Promise<string> {
  if (!token.has(tenant)) token.set(tenant, await api.token('customer', tenant));
  return token.get(tenant)!;
}

async function signUp(tenant: string, product: 'lost-and-found' | 'repricer', language: string): Promise<void> {
  const body = exampleSignup({ product, companyName: `Shop ${tenant}`, contactEmail: `${tenant}@example.com`, language, amazonSellerId: 'A2FEEDBACK0001' });
  const signed = await api.call('POST', '/signups', { token: await customerToken(tenant), body });
  expect(signed.status, JSON.stringify(signed.body)).toBe(201);
}

beforeAll(async () => {
  api = await startApi();
  lead = await api.token('csm-lead', 'fb-anna');
  const staff = await api.call('PUT', '/csm/staff/fb-anna', { token: lead, body: { name: 'Anna', email: 'fb-anna@example.com', languages: ['de', 'en'], capacity: 50, lead: true } });
  expect(staff.status).toBe(200);
  // Every Lost & Found contract is active from the sign-up: with no minimum age, each is sent a survey.
  expect((await api.call('PUT', '/surveys/settings', { token: lead, body: { minContractDays: 0 } })).status).toBe(200);
  await signUp('fb-berlin', 'lost-and-found', 'de');
  await signUp('fb-leeds', 'lost-and-found', 'en');
  await signUp('fb-trial', 'repricer', 'de'); // a trial: no survey
  await api.stack.pollers!.idle(60_000);
  const now = api.stack.clock.now();
  quarter = quarterOf(now, SURVEY_SCHEDULE.timeZone);
  // As EventBridge Scheduler fires the quarterly campaign.
  const campaign = await invoke<Record<string, unknown>>(api.stack.handlers, 'surveyCampaign', { schedule: SURVEY_SCHEDULE.name, scheduledTime: now.toISOString() });
  expect(campaign).toMatchObject({ quarter, created: 2 });
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

async function surveysOf(tenant: string): Promise<ResponseBody[]> {
  const listed = await api.call('GET', '/customer-surveys', { token: await customerToken(tenant) });
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  return listed.body.surveys as ResponseBody[];
}

describe('a customer answers the survey they were sent (issue 19)', () => {
  it("lists the quarter's survey as open, takes the answer once, and the CSM's results and trend count it", async () => {
    const [survey, ...others] = await surveysOf('fb-berlin');
    expect(others).toEqual([]);
    expect(survey).toMatchObject({ quarter, status: 'open', answer: null });
    expect(survey.surveyId).toMatch(/^task-/);
    const path = `/customer-surveys/${survey.surveyId}/answer`;
    const customer = await customerToken('fb-berlin');

    const invalid = await api.call('POST', path, { token: customer, body: { overall: 11 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain('body.overall');

    const answer = { overall: 9, comment: 'Die Fallübersicht ist sehr hilfreich', followUpConsent: true };
    const first = await api.call('POST', path, { token: customer, body: answer });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ surveyId: survey.surveyId, status: 'answered', answer: { overall: 9, comment: answer.comment, followUpConsent: true, channel: 'app' } });
    // The same answer again (a retry after a lost reply) is the stored one; a different one is refused: the first stands.
    const again = await api.call('POST', path, { token: customer, body: answer });
    expect(again.status).toBe(200);
    expect(again.body.answer.recordedAt).toBe(first.body.answer.recordedAt);
    const changed = await api.call('POST', path, { token: customer, body: { ...answer, overall: 3 } });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('survey_already_answered');
    expect((await surveysOf('fb-berlin'))[0]).toMatchObject({ status: 'answered', answer: { overall: 9, channel: 'app' } });

    // Counted where the CSM reads survey results: one promoter, in German, with the comment as an improvement idea.
    const results = await api.call('GET', `/surveys/results/${quarter}`, { token: lead });
    expect(results.body).toMatchObject({ quarter, responses: 1, promoters: 1, nps: 100, followUpConsents: 1, planned: 2 });
    expect(results.body.byLanguage.de).toMatchObject({ responses: 1, nps: 100 });
    expect(results.body.improvements).toEqual([answer.comment]);
    const trend = await api.call('GET', `/surveys/trends?from=${quarter}&to=${quarter}`, { token: lead });
    expect(trend.body.quarters[0]).toMatchObject({ quarter, responses: 1, nps: 100 });
    // The survey call is done: nobody calls to ask again.
    const queue = await api.call('GET', '/csm/tasks', { token: lead });
    expect((queue.body.items as { taskId: string }[]).map((t) => t.taskId)).not.toContain(survey.surveyId);
    const start = await api.call('POST', `/csm/tasks/${survey.surveyId}/start`, { token: lead });
    expect(start.status).toBe(409);
  });

  it("finds another customer's survey as missing as an unknown one, and refuses staff and customers without one", async () => {
    const [leeds] = await surveysOf('fb-leeds');
    const answer = { overall: 7 };
    const foreign = await api.call('POST', `/customer-surveys/${leeds.surveyId}/answer`, { token: await customerToken('fb-berlin'), body: answer });
    expect(foreign.status).toBe(404);
    expect((await api.call('POST', `/customer-surveys/task-unknown123/answer`, { token: await customerToken('fb-leeds'), body: answer })).status).toBe(404);
    expect((await api.call('POST', `/customer-surveys/not-a-survey/answer`, { token: await customerToken('fb-leeds'), body: answer })).status).toBe(400);
    expect((await api.call('GET', '/customer-surveys', { token: lead })).status).toBe(403);
    expect((await api.call('POST', `/customer-surveys/${leeds.surveyId}/answer`, { token: lead, body: answer })).status).toBe(403);
    expect((await api.call('GET', '/customer-surveys')).status).toBe(401);
    // A trial customer was sent no survey.
    expect(await surveysOf('fb-trial')).toEqual([]);
    expect((await surveysOf('fb-leeds'))[0]).toMatchObject({ status: 'open', answer: null });
  });

  it('shows an answer given on the survey call as answered by phone, and refuses a second one from the app', async () => {
    const answers = { overall: 5, products: [{ product: 'lost-and-found', satisfaction: 6 }], improve: 'Faster claims', followUpConsent: false };
    expect((await api.call('POST', '/surveys/responses', { token: lead, body: { customerId: 'fb-leeds', answers } })).status).toBe(201);
    const [leeds] = await surveysOf('fb-leeds');
    expect(leeds).toMatchObject({ status: 'answered', answer: { overall: 5, comment: 'Faster claims', channel: 'phone' } });
    const late = await api.call('POST', `/customer-surveys/${leeds.surveyId}/answer`, { token: await customerToken('fb-leeds'), body: { overall: 10 } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('survey_already_answered');
    expect((await api.call('GET', `/surveys/results/${quarter}`, { token: lead })).body).toMatchObject({ responses: 2, promoters: 1, detractors: 1, nps: 0 });
  });
});

describe("a customer's own support requests (issue 19)", () => {
  const form = (tenant: string, subject: string, overrides: Record<string, unknown> = {}) => ({
    name: `Shop ${tenant}`,
    email: `${tenant}@example.com`,
    language: 'de',
    customerId: tenant,
    subject,
    message: `${subject}: please have a look at this.`,
    ...overrides,
  });

  it('lists them newest first with their status, by pages, and never another tenant’s', async () => {
    const sent: string[] = [];
    for (const subject of ['Report upload', 'Claim filed twice']) {
      const ack = await api.call('POST', '/support/requests', { body: form('fb-berlin', subject) });
      expect(ack.status).toBe(202);
      sent.push(ack.body.requestId as string);
      await api.stack.advanceClock(60_000);
    }
    const hotline = await api.call('POST', '/support/hotline', { token: lead, body: { customerId: 'fb-berlin', subject: 'Invoice question', message: 'Asked about the May invoice' } });
    expect(hotline.status).toBe(201);
    sent.push(hotline.body.requestId as string);
    // Not theirs: the other customer's, and a form naming their customer id with an e-mail address not on record.
    expect((await api.call('POST', '/support/requests', { body: form('fb-leeds', 'Leeds question') })).status).toBe(202);
    expect((await api.call('POST', '/support/requests', { body: form('fb-berlin', 'Spoofed', { email: 'someone@example.org' }) })).status).toBe(202);
    // The repeat of a form is the same request, listed once.
    expect((await api.call('POST', '/support/requests', { body: form('fb-berlin', 'Report upload') })).body.requestId).toBe(sent[0]);

    const customer = await customerToken('fb-berlin');
    const all = await api.call('GET', '/support-requests', { token: customer });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect((all.body.items as ResponseBody[]).map((r) => r.requestId)).toEqual([...sent].reverse());
    expect(all.body.items[0]).toMatchObject({ channel: 'hotline', status: 'open', subject: 'Invoice question', tenantId: 'fb-berlin' });
    expect(all.body.items[0].history).toBeUndefined(); // what a requester sees: no internal history
    expect(all.body.nextCursor).toBeNull();

    const first = await api.call('GET', '/support-requests?limit=2', { token: customer });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.call('GET', `/support-requests?limit=2&cursor=${first.body.nextCursor as string}`, { token: customer });
    expect((second.body.items as ResponseBody[]).map((r) => r.requestId)).toEqual([sent[0]]);
    // A cursor is only good for the list that made it.
    expect((await api.call('GET', `/support-requests?cursor=${first.body.nextCursor as string}`, { token: await customerToken('fb-leeds') })).status).toBe(400);

    // A status the manager sets is what the customer's list shows.
    expect((await api.call('PATCH', `/support/requests/${sent[1]}`, { token: lead, body: { status: 'resolved' } })).status).toBe(200);
    const after = await api.call('GET', '/support-requests', { token: customer });
    expect((after.body.items as ResponseBody[]).find((r) => r.requestId === sent[1])?.status).toBe('resolved');

    const leeds = await api.call('GET', '/support-requests', { token: await customerToken('fb-leeds') });
    expect((leeds.body.items as ResponseBody[]).map((r) => r.subject)).toEqual(['Leeds question']);
    expect((await api.call('GET', '/support-requests', { token: await customerToken('fb-trial') })).body).toEqual({ items: [], nextCursor: null });
    expect((await api.call('GET', '/support-requests', { token: lead })).status).toBe(403);
    expect((await api.call('GET', '/support-requests?limit=0', { token: customer })).status).toBe(400);
  });
});
