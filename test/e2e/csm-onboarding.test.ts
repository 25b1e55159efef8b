import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleSignup, startApi, type Api, type ResponseBody } from '../support/local-stack.ts';
import { connectAmazon } from '../support/amazon.ts';

let api: Api;
let lead: string;
/** Enough sign-ups for every manager to get several and the least-load spread to show. */
const SPREAD_SIGNUPS = 120;

const TEAM = [
  { staffId: 's-anna', languages: ['de', 'en', 'fr'] },
  { staffId: 's-marc', languages: ['fr', 'de', 'en'] },
  { staffId: 's-lucia', languages: ['es', 'en', 'de'] },
  { staffId: 's-elif', languages: ['tr', 'de', 'en'] },
  { staffId: 's-kemal', languages: ['tr', 'en', 'fr'] },
  { staffId: 's-pablo', languages: ['es', 'fr', 'en', 'it'] },
  { staffId: 's-greta', languages: ['de', 'nl', 'en'] },
  { staffId: 's-sofia', languages: ['es', 'it', 'en'] },
];

beforeAll(async () => {
  api = await startApi();
  lead = await api.token('csm-lead', 's-anna');
  for (const member of TEAM) {
    const put = await api.call('PUT', `/csm/staff/${member.staffId}`, {
      token: lead,
      body: { name: member.staffId, email: `${member.staffId}@example.com`, languages: member.languages, capacity: 1000, timeZone: 'Europe/Berlin' },
    });
    expect(put.status).toBe(200);
  }
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

async function signUp(tenant: string, overrides: Record<string, unknown>) {
  const response = await api.call('POST', '/signups', { token: await api.token('customer', tenant), body: exampleSignup(overrides) });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
}

async function customer(tenant: string) {
  return (await api.call('GET', `/customers/${tenant}`, { token: lead })).body;
}

async function assigned(tenant: string) {
  return api.eventually(() => customer(tenant), (c) => Boolean(c.csmId));
}

describe('assignment by language (R-N2)', () => {
  // The same at volume (1,000 sign-ups) and how long it takes: `npm run bench -- csm-assignment`.
  it(`gives ${SPREAD_SIGNUPS} sign-ups in German, French, Spanish and Turkish to managers who speak the language, load spread evenly`, async () => {
    const languages = ['de', 'fr', 'es', 'tr'] as const;
    const tenants = Array.from({ length: SPREAD_SIGNUPS }, (_, i) => ({ tenant: `spread-${i}`, language: languages[i % 4]! }));
    for (let i = 0; i < tenants.length; i += 25) {
      await Promise.all(
        tenants.slice(i, i + 25).map((t) => signUp(t.tenant, { language: t.language, product: 'lost-and-found', companyName: `Spread ${t.tenant}` })),
      );
    }
    await api.stack.pollers!.idle(120_000);
    const staff = (await api.call('GET', '/csm/staff', { token: lead })).body;
    const counts = Object.fromEntries(staff.staff.map((s: ResponseBody) => [s.staffId, s.customerCount]));
    const speaks = Object.fromEntries(TEAM.map((m) => [m.staffId, m.languages]));
    let checked = 0;
    for (const t of tenants.filter((_, i) => i % 10 === 0)) {
      const c = await customer(t.tenant);
      expect(speaks[c.csmId], `${t.tenant} (${t.language}) → ${c.csmId}`).toContain(t.language);
      checked++;
    }
    const values = Object.values(counts) as number[];
    const spread = Math.max(...values) - Math.min(...values);
    process.stdout.write(`assignment spread over ${values.length} managers: ${JSON.stringify(counts)} (max-min ${spread})\n`);
    expect(values.reduce((a, b) => a + b, 0)).toBe(SPREAD_SIGNUPS);
    expect(checked).toBe(SPREAD_SIGNUPS / 10);
    // Turkish has two speakers who also take German: greedy least-load keeps every manager within a few customers.
    expect(spread).toBeLessThanOrEqual(5);
  });

  it('falls back to English and flags the customer for a lead when nobody speaks its language', async () => {
    await signUp('pl-1', { language: 'pl', product: 'lost-and-found' });
    const c = await assigned('pl-1');
    expect(TEAM.find((m) => m.staffId === c.csmId)!.languages).toContain('en');
    const onboarding = (await api.call('GET', '/customers/pl-1/onboarding', { token: lead })).body;
    expect(onboarding.csm).toMatchObject({ basis: 'english-fallback', needsLeadAttention: true });
  });

  it('gives absent staff no new customers, and re-assigns every customer of a manager who leaves', async () => {
    const put = (id: string, body: object) => api.call('PUT', `/csm/staff/${id}`, { token: lead, body });
    await put('s-iris', { name: 'Iris', email: 'iris@example.com', languages: ['sv', 'en', 'de'], capacity: 10 });
    await put('s-olof', { name: 'Olof', email: 'olof@example.com', languages: ['sv', 'en', 'de'], capacity: 10, available: false });
    for (let i = 0; i < 4; i++) await signUp(`sv-${i}`, { language: 'sv', product: 'lost-and-found' });
    for (let i = 0; i < 4; i++) expect((await assigned(`sv-${i}`)).csmId).toBe('s-iris');

    await put('s-olof', { name: 'Olof', email: 'olof@example.com', languages: ['sv', 'en', 'de'], capacity: 10, available: true });
    const left = await api.call('POST', '/csm/staff/s-iris/leave', { token: lead });
    expect(left.status).toBe(200);
    expect(left.body.reassigned).toHaveLength(4);
    for (let i = 0; i < 4; i++) expect((await customer(`sv-${i}`)).csmId).toBe('s-olof');
    const staff = (await api.call('GET', '/csm/staff', { token: lead })).body.staff;
    expect(staff.find((s: ResponseBody) => s.staffId === 's-iris')).toMatchObject({ active: false, customerCount: 0 });
  });

  it('rejects unknown language codes', async () => {
    const bad = await api.call('POST', '/signups', { token: await api.token('customer', 'xx-1'), body: exampleSignup({ language: 'xx' }) });
    expect(bad.status).toBe(400);
    const staff = await api.call('PUT', '/csm/staff/s-bad', { token: lead, body: { name: 'x', email: 'x@example.com', languages: ['klingon'], capacity: 1 } });
    expect(staff.status).toBe(400);
  });
});

describe('contract lifecycle and subscriptions (R-N1, R-N3)', () => {
  it('pushes a manager subscribed to "cancellations, my customers" exactly those', async () => {
    const token = await api.token('csm', 's-greta');
    const prefs = await api.call('PUT', '/csm/staff/s-greta/push', { token, body: { eventTypes: ['contract.cancelled'], scope: 'mine' } });
    expect(prefs.status).toBe(200);
    // Someone else may not change Greta's preferences.
    expect((await api.call('PUT', '/csm/staff/s-greta/push', { token: lead, body: { scope: 'all' } })).status).toBe(403);

    await api.call('PUT', '/csm/staff/s-greta', { token: lead, body: { name: 'Greta', email: 'g@example.com', languages: ['nl', 'de', 'en'], capacity: 1000 } });
    await signUp('nl-mine', { language: 'nl', product: 'repricer' }); // only Greta speaks Dutch
    await signUp('nl-mine-2', { language: 'nl', product: 'repricer' });
    expect((await assigned('nl-mine')).csmId).toBe('s-greta');
    expect((await assigned('nl-mine-2')).csmId).toBe('s-greta');
    await signUp('fr-other', { language: 'fr', product: 'repricer' });
    const other = await assigned('fr-other');
    expect(other.csmId).not.toBe('s-greta');

    const customerToken = async (tenant: string) => api.token('customer', tenant);
    expect((await api.call('POST', '/contracts/repricer/cancellation', { token: await customerToken('nl-mine'), body: { reason: 'too expensive' } })).status).toBe(200);
    expect((await api.call('POST', '/contracts/repricer/extension', { token: await customerToken('nl-mine-2'), body: { months: 12 } })).status).toBe(200);
    expect((await api.call('POST', '/contracts/repricer/cancellation', { token: await customerToken('fr-other'), body: {} })).status).toBe(200);

    // Every push has been published once the consumers are idle; Greta's console has read all it was sent once
    // her queue is empty. Only then is "exactly those" a fact rather than a race.
    await api.stack.pollers!.idle(120_000);
    await api.drained('sellerops-local-console-s-greta');
    const received = (await api.call('GET', '/_local/console?staff=s-greta')).body.items;
    expect(received.map((p: ResponseBody) => [p.attributes.eventType, p.attributes.customerId])).toEqual([['contract.cancelled', 'nl-mine']]);
  });

  it('refuses to cancel twice or change a cancelled contract with 409, and publishes each change', async () => {
    const token = await api.token('customer', 'life-1');
    await signUp('life-1', { language: 'de', product: 'repricer' });
    const changed = await api.call('PATCH', '/contracts/repricer', { token, body: { plan: 'professional', marketplaces: ['DE', 'FR', 'IT'] } });
    expect(changed.status).toBe(200);
    expect(changed.body.contracts[0]).toMatchObject({ plan: 'professional', offerLimit: 10000 });
    expect((await api.call('PATCH', '/contracts/repricer', { token, body: {} })).status).toBe(400);
    expect((await api.call('POST', '/contracts/repricer/cancellation', { token, body: {} })).status).toBe(200);
    const again = await api.call('POST', '/contracts/repricer/cancellation', { token, body: {} });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'contract_cancelled' } } });
    expect((await api.call('PATCH', '/contracts/repricer', { token, body: { plan: 'enterprise' } })).status).toBe(409);
    expect((await api.call('POST', '/contracts/lost-and-found/extension', { token, body: { months: 1 } })).status).toBe(404);
    await api.stack.pollers!.idle(120_000);
    const feed = (await api.call('GET', '/csm/notifications?limit=100', { token: lead })).body.items.filter((n: ResponseBody) => n.customerId === 'life-1');
    expect(feed.map((n: ResponseBody) => n.eventType).sort()).toEqual(['contract.cancelled', 'contract.changed', 'customer.signed-up']);
  });

  it('keeps read/unread per manager', async () => {
    const token = await api.token('csm', 's-marc');
    const unread = (await api.call('GET', '/csm/notifications?limit=5&unread=true', { token })).body.items;
    expect(unread.length).toBeGreaterThan(0);
    const first = unread[0];
    expect((await api.call('POST', `/csm/notifications/${first.notificationId}/read`, { token })).status).toBe(204);
    const after = (await api.call('GET', '/csm/notifications?limit=5', { token })).body.items;
    expect(after.find((n: ResponseBody) => n.notificationId === first.notificationId).read).toBe(true);
    const forAnna = (await api.call('GET', '/csm/notifications?limit=5', { token: lead })).body.items;
    expect(forAnna.find((n: ResponseBody) => n.notificationId === first.notificationId).read).toBe(false);
    expect((await api.call('POST', '/csm/notifications/n-doesnotexist/read', { token })).status).toBe(404);
  });
});

describe('Repricer onboarding (R-O1–R-O4)', () => {
  it('recommends Push to a private-label newcomer, Buy Box to an experienced merchant and a split to a mixed catalogue, with reasons', async () => {
    await signUp('ob-new', { amazonSellerId: 'A3NEWBRAND0003' });
    await signUp('ob-merchant', { amazonSellerId: 'A1MUELLER00001' });
    await signUp('ob-mixed', { amazonSellerId: 'A2DUPONT000002' });
    // The analysis waits for each seller's authorisation on Amazon (the sign-up's seller id is not trusted).
    await connectAmazon(api, 'ob-new', 'A3NEWBRAND0003');
    await connectAmazon(api, 'ob-merchant', 'A1MUELLER00001');
    await connectAmazon(api, 'ob-mixed', 'A2DUPONT000002');
    const onboarding = (tenant: string) =>
      api.eventually(async () => (await api.call('GET', `/customers/${tenant}/onboarding`, { token: lead })).body, (b) => b.recommendation !== null);
    const fresh = await onboarding('ob-new');
    expect(fresh.recommendation.overall).toBe('push');
    expect(fresh.profile).toMatchObject({ experience: 'new', privateLabelPercent: 100 });
    expect(fresh.recommendation.reasons.join(' ')).toMatch(/100 % private label/);
    const merchant = await onboarding('ob-merchant');
    expect(merchant.recommendation.overall).toBe('buybox');
    expect(merchant.profile).toMatchObject({ experience: 'experienced', privateLabelPercent: 0 });
    const mixed = await onboarding('ob-mixed');
    expect(mixed.recommendation.overall).toBe('split');
    expect(mixed.recommendation.segments.map((s: ResponseBody) => [s.segment, s.strategy])).toEqual([
      ['private-label', 'push'],
      ['merchandise', 'buybox'],
    ]);
    expect(mixed.recommendation.figures.privateLabelPercent).toBe(45);
    // A customer sees its own analysis, not another's.
    expect((await api.call('GET', '/customers/ob-new/onboarding', { token: await api.token('customer', 'ob-new') })).status).toBe(200);
    expect((await api.call('GET', '/customers/ob-new/onboarding', { token: await api.token('customer', 'ob-mixed') })).status).toBe(404);
  });

  it('creates a welcome call for the assigned manager and a callback on request', async () => {
    const c = await assigned('ob-new');
    const token = await api.token('csm', c.csmId);
    const tasks = await api.eventually(async () => (await api.call('GET', '/csm/tasks', { token })).body.items, (items: ResponseBody[]) => items.some((t) => t.tenantId === 'ob-new'));
    expect(tasks.filter((t: ResponseBody) => t.tenantId === 'ob-new').map((t: ResponseBody) => t.kind)).toEqual(['welcome-call']);
    const dues = tasks.map((t: ResponseBody) => t.dueAt);
    expect([...dues].sort()).toEqual(dues);

    const customerToken = await api.token('customer', 'ob-new');
    const callback = await api.call('POST', '/callbacks', { token: customerToken, body: { topic: 'Help with min prices', requestId: 'cb-1' } });
    expect(callback.status).toBe(201);
    expect(callback.body.assigneeId).toBe(c.csmId);
    const again = await api.call('POST', '/callbacks', { token: customerToken, body: { topic: 'Help with min prices', requestId: 'cb-1' } });
    expect(again.body.taskId).toBe(callback.body.taskId);
    const callbacks = (await api.call('GET', '/csm/tasks', { token })).body.items.filter((t: ResponseBody) => t.kind === 'callback' && t.tenantId === 'ob-new');
    expect(callbacks).toHaveLength(1);
  });

  it('books exactly one of 50 concurrent requests for the same slot, and rejects impossible slots', async () => {
    const c = await assigned('ob-merchant');
    const token = await api.token('customer', 'ob-merchant');
    const day = nextWeekday(new Date(api.stack.clock.now().getTime() + 2 * 86_400_000));
    const slots = (await api.call('GET', `/appointments/slots?date=${day}`, { token })).body;
    expect(slots.staffId).toBe(c.csmId);
    expect(slots.slots).toHaveLength(10); // 09:00 … 16:15, 45 minutes each
    const start = slots.slots[2].start;
    // The same customer sending 50 requests at once: one booking, 49 idempotent answers.
    const results = await Promise.all(Array.from({ length: 50 }, () => api.call('POST', '/appointments', { token, body: { start } })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(49);
    const booked = results.find((r) => r.status === 201)!;
    expect(booked.body.agenda[0]).toMatch(/Product tour/);
    expect(booked.body.recommendation.overall).toBe('buybox');
    const after = (await api.call('GET', `/appointments/slots?date=${day}`, { token })).body.slots;
    expect(after).toHaveLength(9);
    const managerTasks = (await api.call('GET', '/csm/tasks', { token: await api.token('csm', c.csmId) })).body.items;
    expect(managerTasks.filter((t: ResponseBody) => t.kind === 'onboarding-appointment' && t.details.start === start)).toHaveLength(1);

    const past = await api.call('POST', '/appointments', { token, body: { start: '2020-01-06T08:00:00Z' } });
    expect(past).toMatchObject({ status: 400, body: { error: { code: 'slot_in_past' } } });
    const offGrid = await api.call('POST', '/appointments', { token, body: { start: `${day}T09:10:00+01:00` } });
    expect(offGrid.status).toBe(400);
    const night = await api.call('POST', '/appointments', { token, body: { start: `${day}T22:00:00Z` } });
    expect(night).toMatchObject({ status: 400, body: { error: { code: 'outside_working_hours' } } });
  });

  it("lets one customer hold at most two of a manager's slots a day, and keeps every booking it made in parallel", async () => {
    await assigned('ob-merchant');
    const token = await api.token('customer', 'ob-merchant');
    const day = nextWeekday(new Date(api.stack.clock.now().getTime() + 5 * 86_400_000));
    const slots = (await api.call('GET', `/appointments/slots?date=${day}`, { token })).body.slots as { start: string }[];
    const results = await Promise.all(slots.slice(0, 8).map((slot) => api.call('POST', '/appointments', { token, body: { start: slot.start } })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === 'booking_limit')).toHaveLength(6);
    expect((await api.call('GET', `/appointments/slots?date=${day}`, { token })).body.slots).toHaveLength(slots.length - 2);
    // Both bookings are in the customer's onboarding record: parallel writes lost none of them.
    const onboarding = (await api.call('GET', '/customers/ob-merchant/onboarding', { token })).body;
    const booked = results.filter((r) => r.status === 201).map((r) => r.body.start as string).sort();
    expect((onboarding.appointments as { start: string }[]).map((a) => a.start).filter((s) => s.startsWith(day)).sort()).toEqual(booked);
  });

  it('lets exactly one of 50 customers racing for the same slot of their manager book it', async () => {
    await api.call('PUT', '/csm/staff/s-hanna', { token: lead, body: { name: 'Hanna', email: 'h@example.com', languages: ['ja', 'en', 'de'], capacity: 100 } });
    const tenants = Array.from({ length: 50 }, (_, i) => `ja-${i}`);
    await Promise.all(tenants.map((t) => signUp(t, { language: 'ja', product: 'lost-and-found' })));
    for (const t of tenants) expect((await assigned(t)).csmId).toBe('s-hanna'); // the only Japanese speaker
    const day = nextWeekday(new Date(api.stack.clock.now().getTime() + 3 * 86_400_000));
    const start = (await api.call('GET', `/appointments/slots?date=${day}`, { token: await api.token('customer', 'ja-0') })).body.slots[0].start;
    const results = await Promise.all(
      tenants.map(async (t) => api.call('POST', '/appointments', { token: await api.token('customer', t), body: { start } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === 'slot_taken')).toHaveLength(49);
  });

  it('creates the end-of-trial call exactly once when the clock passes day 14, and records its outcome', async () => {
    await signUp('trial-1', { language: 'de', product: 'repricer' });
    const c = await assigned('trial-1');
    const token = await api.token('csm', c.csmId);
    const endOfTrial = async () => (await api.call('GET', '/csm/tasks?limit=200', { token })).body.items.filter((t: ResponseBody) => t.kind === 'end-of-trial-call' && t.tenantId === 'trial-1');
    expect(await endOfTrial()).toHaveLength(0);
    await api.call('POST', '/_local/clock/advance', { body: { days: 13 } });
    expect(await endOfTrial()).toHaveLength(0);
    await api.call('POST', '/_local/clock/advance', { body: { days: 1, hours: 12 } });
    const tasks = await endOfTrial();
    expect(tasks).toHaveLength(1);
    await api.call('POST', '/_local/clock/advance', { body: { days: 30 } });
    expect(await endOfTrial()).toHaveLength(1);

    const task = tasks[0];
    expect((await api.call('POST', `/csm/tasks/${task.taskId}/start`, { token })).status).toBe(200);
    const badOutcome = await api.call('POST', `/csm/tasks/${task.taskId}/complete`, { token, body: { outcome: { feedback: 'ok' } } });
    expect(badOutcome.status).toBe(400);
    const done = await api.call('POST', `/csm/tasks/${task.taskId}/complete`, {
      token,
      body: { outcome: { feedback: 'Happy with the Buy Box share', strategyAdjusted: true, newStrategy: 'push', converted: true } },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', outcome: { converted: true, strategyAdjusted: true } });
    expect((await api.call('POST', `/csm/tasks/${task.taskId}/complete`, { token, body: { outcome: { notes: 'x' } } })).status).toBe(409);
    expect(await endOfTrial()).toHaveLength(0);
  });
});

function nextWeekday(from: Date): string {
  const d = new Date(from);
  while ([0, 6].includes(d.getUTCDay())) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
