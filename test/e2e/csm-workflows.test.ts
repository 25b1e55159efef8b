/**
 * Issue 20, the Customer Success workflows end to end on the local stack, tried as a new user would: the
 * end-of-trial call converts the trial and switches the offers' strategy; announcements; staff acting for a
 * customer on the record; a customer's tasks with completed calls; re-consultation on request; root causes with a lifecycle; push subscriptions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleSignup, startApi, type Api, type ResponseBody } from '../support/local-stack.ts';
import { connectAmazon } from '../support/amazon.ts';

let api: Api;
let lead: string;

const TEAM = [
  { staffId: 'w-anna', languages: ['de', 'en', 'fr'], lead: true },
  { staffId: 'w-marc', languages: ['fr', 'en'], lead: false },
  { staffId: 'w-lucia', languages: ['es', 'en'], lead: false },
];

beforeAll(async () => {
  api = await startApi();
  lead = await api.token('csm-lead', 'w-anna');
  for (const member of TEAM) {
    const put = await api.call('PUT', `/csm/staff/${member.staffId}`, {
      token: lead,
      body: { name: member.staffId, email: `${member.staffId}@example.com`, languages: member.languages, capacity: 100, timeZone: 'Europe/Berlin', lead: member.lead },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  }
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

async function signUp(tenant: string, overrides: Record<string, unknown>): Promise<ResponseBody> {
  const response = await api.call('POST', '/signups', { token: await api.token('customer', tenant), body: exampleSignup(overrides) });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return api.eventually(async () => (await api.call('GET', `/customers/${tenant}`, { token: lead })).body, (c) => Boolean(c.csmId));
}

/** The simulated seller A2DUPONT000002 (FR, ES): 120 SKUs, the first 54 under its own brand "Atelier Dupont". */
const MIXED_SELLER = 'A2DUPONT000002';
const FR = 'A13V1IB3VIYZZH';
const offer = (sku: string, asin: string, audience = 'B2C') => ({ sku, asin, marketplaceId: FR, audience, strategy: 'buybox', min: '8.00', max: '15.00', currency: 'EUR', step: '0.05' });

describe('the end-of-trial call takes effect (R-O4)', () => {
  it('converts the trial to a paid term and applies a split strategy to the offers, with the reason in the price history', async () => {
    const c = await signUp('trial-split', { language: 'fr', product: 'repricer', amazonSellerId: MIXED_SELLER, marketplaces: ['FR', 'ES'] });
    await connectAmazon(api, 'trial-split', MIXED_SELLER);
    const customer = await api.token('customer', 'trial-split');
    await api.eventually(async () => (await api.call('GET', '/customers/trial-split/onboarding', { token: customer })).body, (b) => b.recommendation !== null);
    const rules = { sellerId: MIXED_SELLER, offers: [offer(`${MIXED_SELLER}-SKU-00001`, 'B0OWNBRAND'), offer(`${MIXED_SELLER}-SKU-00001`, 'B0OWNBRAND', 'B2B'), offer(`${MIXED_SELLER}-SKU-00100`, 'B0OTHERBRD')] };
    const upload = await api.call('PUT', '/repricer/rules', { token: customer, body: rules });
    expect(upload.status, JSON.stringify(upload.body)).toBe(200);

    await api.call('POST', '/_local/clock/advance', { body: { days: 14, hours: 12 } });
    const manager = await api.token('csm', c.csmId);
    const call = await api.eventually(
      async () => ((await api.call('GET', '/csm/tasks?limit=200', { token: manager })).body.items as ResponseBody[]).find((t) => t.kind === 'end-of-trial-call' && t.tenantId === 'trial-split'),
      (t) => t !== undefined,
    );
    const done = await api.call('POST', `/csm/tasks/${call.taskId}/complete`, {
      token: manager,
      body: { outcome: { feedback: 'Keeps going; wants Push for the own brand', strategyAdjusted: true, newStrategy: 'split', converted: true } },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.outcome.effects).toEqual({ converted: true, strategy: { plan: 'split', changed: 2, unchanged: 1 } });

    const contract = (await api.call('GET', '/customers/trial-split', { token: customer })).body.contracts.find((k: ResponseBody) => k.product === 'repricer');
    expect(contract.status).toBe('active');
    expect(Date.parse(contract.endsAt)).toBeGreaterThan(Date.parse(contract.trialEndsAt));
    const offers = (await api.call('GET', '/repricer/offers', { token: customer })).body.items as ResponseBody[];
    expect(offers.map((o) => [o.sku, o.audience, o.rules.strategy]).sort()).toEqual([
      [`${MIXED_SELLER}-SKU-00001`, 'B2B', 'push'],
      [`${MIXED_SELLER}-SKU-00001`, 'B2C', 'push'],
      [`${MIXED_SELLER}-SKU-00100`, 'B2C', 'buybox'],
    ]);
    const history = (await api.call('GET', `/repricer/offers/${MIXED_SELLER}-SKU-00001/history`, { token: customer })).body.items as ResponseBody[];
    expect(history.filter((h) => h.kind === 'strategy')).toHaveLength(2);
    expect(history.find((h) => h.kind === 'strategy').reason).toMatch(/split chosen with w-\w+ on the end-of-trial call/);

    const converted = await api.eventually(
      async () => ((await api.call('GET', '/csm/notifications?limit=100', { token: lead })).body.items as ResponseBody[]).find((n) => n.eventType === 'contract.converted' && n.customerId === 'trial-split'),
      (n) => n !== undefined,
    );
    expect(converted.title).toMatch(/trial converted/);
  });

  it('accepts split in the outcome form but refuses an unknown strategy, naming the field', async () => {
    const c = await signUp('trial-bad', { language: 'fr', product: 'repricer' });
    await api.call('POST', '/_local/clock/advance', { body: { days: 14, hours: 12 } });
    const manager = await api.token('csm', c.csmId);
    const call = await api.eventually(
      async () => ((await api.call('GET', '/csm/tasks?limit=200', { token: manager })).body.items as ResponseBody[]).find((t) => t.kind === 'end-of-trial-call' && t.tenantId === 'trial-bad'),
      (t) => t !== undefined,
    );
    const bad = await api.call('POST', `/csm/tasks/${call.taskId}/complete`, { token: manager, body: { outcome: { feedback: 'x', strategyAdjusted: true, newStrategy: 'cheapest', converted: false } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/outcome\.newStrategy/);
    // No analysis yet (never authorised on Amazon): a split cannot be applied, and nothing changes.
    const split = await api.call('POST', `/csm/tasks/${call.taskId}/complete`, { token: manager, body: { outcome: { feedback: 'x', strategyAdjusted: true, newStrategy: 'split', converted: true } } });
    expect(split.status).toBe(409);
    expect((await api.call('GET', '/customers/trial-bad', { token: lead })).body.contracts[0].status).toBe('trial');
  });
});

function nextWeekday(from: Date): string {
  const d = new Date(from);
  while ([0, 6].includes(d.getUTCDay())) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

describe('staff act for a customer, on the record', () => {
  it("lets the customer's manager book an appointment for them (the customer sees it and that staff booked it); another manager gets 403", async () => {
    const c = await signUp('acted-for', { language: 'fr', product: 'repricer' });
    const other = TEAM.find((m) => m.staffId !== c.csmId && !m.lead)!.staffId;
    const manager = await api.token('csm', c.csmId);
    const stranger = await api.token('csm', other);
    const customer = await api.token('customer', 'acted-for');
    const day = nextWeekday(new Date(api.stack.clock.now().getTime() + 2 * 86_400_000));

    const refusedSlots = await api.call('GET', `/customers/acted-for/appointments/slots?date=${day}`, { token: stranger });
    expect(refusedSlots.status).toBe(403);
    const slots = (await api.call('GET', `/customers/acted-for/appointments/slots?date=${day}`, { token: manager })).body;
    expect(slots.staffId).toBe(c.csmId);
    const start = slots.slots[1].start;
    expect((await api.call('POST', '/customers/acted-for/appointments', { token: stranger, body: { start } })).status).toBe(403);
    // Naming the tenant in a customer token's request is no way in either: the route is for staff.
    expect((await api.call('POST', '/customers/acted-for/appointments', { token: await api.token('customer', 'someone-else'), body: { start } })).status).toBe(403);
    expect((await api.call('GET', '/customers/acted-for/staff-actions', { token: customer })).body.items).toEqual([]);

    const booked = await api.call('POST', '/customers/acted-for/appointments', { token: manager, body: { start } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.bookedBy).toEqual({ role: 'staff', staffId: c.csmId });
    expect((await api.call('POST', '/customers/acted-for/appointments', { token: manager, body: { start } })).status).toBe(200);

    const onboarding = (await api.call('GET', '/customers/acted-for/onboarding', { token: customer })).body;
    expect(onboarding.appointments).toEqual([
      {
        appointmentId: expect.stringMatching(/^appt-/),
        staffId: c.csmId,
        start,
        end: booked.body.end,
        bookedBy: { role: 'staff', staffId: c.csmId },
        status: 'booked',
        changedBy: null,
        changedAt: null,
        rescheduledTo: null,
        rescheduledFrom: null,
      },
    ]);
    const log = (await api.call('GET', '/customers/acted-for/staff-actions', { token: customer })).body.items as ResponseBody[];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ staffId: c.csmId, as: 'assigned-manager', action: 'appointment.booked', details: { start } });
    expect(Date.parse(log[0].at)).toBeGreaterThan(0);
    // Staff read it as well (the manager, a lead); another manager and another customer do not.
    expect((await api.call('GET', '/customers/acted-for/staff-actions', { token: lead })).body.items).toHaveLength(1);
    expect((await api.call('GET', '/customers/acted-for/staff-actions', { token: stranger })).status).toBe(403);
    expect((await api.call('GET', '/customers/acted-for/staff-actions', { token: await api.token('customer', 'someone-else') })).status).toBe(404);
    // The manager's task list has the appointment, like a booking by the customer.
    const tasks = (await api.call('GET', '/csm/tasks?limit=200', { token: manager })).body.items as ResponseBody[];
    expect(tasks.some((t) => t.kind === 'onboarding-appointment' && t.tenantId === 'acted-for' && t.details.bookedBy.role === 'staff')).toBe(true);
  });

  it("lets the customer's manager read its Repricer offers and Lost & Found claims, logged; another manager gets 403", async () => {
    const c = (await api.call('GET', '/customers/acted-for', { token: lead })).body;
    const manager = await api.token('csm', c.csmId);
    const stranger = await api.token('csm', TEAM.find((m) => m.staffId !== c.csmId && !m.lead)!.staffId);
    expect((await api.call('GET', '/customers/acted-for/repricer/offers', { token: stranger })).status).toBe(403);
    expect((await api.call('GET', '/customers/acted-for/lost-and-found/claims', { token: stranger })).status).toBe(403);
    const offers = await api.call('GET', '/customers/acted-for/repricer/offers', { token: manager });
    expect(offers.status, JSON.stringify(offers.body)).toBe(200);
    expect(offers.body.items).toEqual([]);
    const claims = await api.call('GET', '/customers/acted-for/lost-and-found/claims', { token: lead });
    expect(claims.status, JSON.stringify(claims.body)).toBe(200);
    const log = (await api.call('GET', '/customers/acted-for/staff-actions', { token: await api.token('customer', 'acted-for') })).body.items as ResponseBody[];
    expect(log.map((a) => [a.action, a.staffId, a.as])).toEqual(
      expect.arrayContaining([
        ['repricer.offers.read', c.csmId, 'assigned-manager'],
        ['lost-and-found.claims.read', 'w-anna', c.csmId === 'w-anna' ? 'assigned-manager' : 'lead'],
      ]),
    );
  });
});

describe('appointments moved and cancelled, by the customer and by staff for it', () => {
  it('moves the slot atomically (old one free, new one taken), the task follows, the customer sees who changed it; strangers get 403/404', async () => {
    const c = (await api.call('GET', '/customers/acted-for', { token: lead })).body;
    const manager = await api.token('csm', c.csmId);
    const stranger = await api.token('csm', TEAM.find((m) => m.staffId !== c.csmId && !m.lead)!.staffId);
    const customer = await api.token('customer', 'acted-for');
    const view = async () => (await api.call('GET', '/customers/acted-for/onboarding', { token: customer })).body.appointments as ResponseBody[];
    const [booked] = (await view()).filter((a) => a.status === 'booked');
    const day = booked!.start.slice(0, 10);
    const free = async () => ((await api.call('GET', `/customers/acted-for/appointments/slots?date=${day}`, { token: manager })).body.slots as ResponseBody[]).map((s) => s.start);
    const target = (await free()).find((s) => s > booked!.start)!;
    const path = `/customers/acted-for/appointments/${booked!.appointmentId}`;

    // Only the customer's manager or a lead; another customer's token finds no such appointment of its own.
    expect((await api.call('PATCH', path, { token: stranger, body: { start: target } })).status).toBe(403);
    expect((await api.call('DELETE', path, { token: stranger })).status).toBe(403);
    expect((await api.call('PATCH', path, { token: customer, body: { start: target } })).status).toBe(403);
    await signUp('appt-other', { language: 'fr', product: 'repricer' });
    expect((await api.call('DELETE', `/appointments/${booked!.appointmentId}`, { token: await api.token('customer', 'appt-other') })).status).toBe(404);
    expect((await api.call('PATCH', path, { token: manager, body: { start: 'tomorrow' } })).status).toBe(400);

    const moved = await api.call('PATCH', path, { token: manager, body: { start: target } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ start: target, status: 'booked', previousStart: booked!.start, changedBy: { role: 'staff', staffId: c.csmId } });
    expect(await free()).toContain(booked!.start);
    expect(await free()).not.toContain(target);
    const after = await view();
    expect(after.find((a) => a.start === booked!.start)).toMatchObject({ status: 'rescheduled', rescheduledTo: target, changedBy: { role: 'staff', staffId: c.csmId } });
    expect(after.find((a) => a.start === target)).toMatchObject({ appointmentId: moved.body.appointmentId, status: 'booked', rescheduledFrom: booked!.start });
    const log = (await api.call('GET', '/customers/acted-for/staff-actions', { token: customer })).body.items as ResponseBody[];
    expect(log[0]).toMatchObject({ action: 'appointment.rescheduled', staffId: c.csmId, details: { from: booked!.start, to: target } });
    // The manager's open tasks hold the new slot, no longer the old one.
    const open = ((await api.call('GET', '/csm/tasks?limit=200', { token: manager })).body.items as ResponseBody[]).filter((t) => t.kind === 'onboarding-appointment' && t.tenantId === 'acted-for');
    expect(open.map((t) => t.details.start)).toEqual([target]);
    // A moved appointment cannot be moved again under its old id, only the retry of the same move answers.
    expect((await api.call('PATCH', path, { token: manager, body: { start: target } })).body.alreadyChanged).toBe(true);
    expect((await api.call('DELETE', path, { token: manager })).status).toBe(409);

    // The customer moves it back itself, then its manager cancels it: the slot is free, the task closed, the log says who.
    const back = await api.call('PATCH', `/appointments/${moved.body.appointmentId}`, { token: customer, body: { start: booked!.start } });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.changedBy).toEqual({ role: 'customer', staffId: null });
    const cancelled = await api.call('DELETE', `/customers/acted-for/appointments/${back.body.appointmentId}`, { token: manager });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', start: booked!.start });
    expect(await free()).toContain(booked!.start);
    expect((await api.call('DELETE', `/appointments/${back.body.appointmentId}`, { token: customer })).body.alreadyChanged).toBe(true);
    expect((await api.call('PATCH', `/appointments/${back.body.appointmentId}`, { token: customer, body: { start: target } })).status).toBe(409);
    expect(((await view()).find((a) => a.appointmentId === back.body.appointmentId))).toMatchObject({ status: 'cancelled', changedBy: { role: 'staff', staffId: c.csmId } });
    expect(((await api.call('GET', '/customers/acted-for/staff-actions', { token: customer })).body.items as ResponseBody[])[0]).toMatchObject({ action: 'appointment.cancelled', details: { from: booked!.start } });
    const stillOpen = ((await api.call('GET', '/csm/tasks?limit=200', { token: manager })).body.items as ResponseBody[]).filter((t) => t.kind === 'onboarding-appointment' && t.tenantId === 'acted-for');
    expect(stillOpen).toEqual([]);
  });
});

describe('a slot booked again after a cancellation', () => {
  it("gives the new booking a task of its own in the manager's queue (the closed one stays the earlier booking's record), and closes that one when it changes", async () => {
    // German: only w-anna speaks it, so both customers share her calendar and the slot.
    const a = await signUp('rebook-first', { language: 'de', product: 'repricer' });
    const b = await signUp('rebook-second', { language: 'de', product: 'repricer' });
    expect(b.csmId).toBe(a.csmId);
    const manager = await api.token('csm', a.csmId);
    const day = nextWeekday(new Date(api.stack.clock.now().getTime() + 3 * 86_400_000));
    const slots = (await api.call('GET', `/customers/rebook-first/appointments/slots?date=${day}`, { token: lead })).body.slots as ResponseBody[];
    const start = slots.at(-1).start as string;
    const appointmentsOf = async (tenant: string) =>
      ((await api.call('GET', '/csm/tasks?limit=200', { token: manager })).body.items as ResponseBody[]).filter((t) => t.kind === 'onboarding-appointment' && t.tenantId === tenant && t.details.start === start);

    const first = await api.call('POST', '/customers/rebook-first/appointments', { token: lead, body: { start } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const firstId = ((await api.call('GET', '/customers/rebook-first/onboarding', { token: manager })).body.appointments as ResponseBody[]).find((x) => x.start === start).appointmentId;
    expect((await api.call('DELETE', `/customers/rebook-first/appointments/${firstId}`, { token: lead })).status).toBe(200);
    expect(await appointmentsOf('rebook-first')).toEqual([]);

    // The freed slot is booked by another customer of hers: its task is open, once, even on a retry.
    const second = await api.token('customer', 'rebook-second');
    expect((await api.call('POST', '/appointments', { token: second, body: { start } })).status).toBe(201);
    expect((await api.call('POST', '/appointments', { token: second, body: { start } })).status).toBe(200);
    expect(await appointmentsOf('rebook-second')).toHaveLength(1);
    // Cancelling that booking closes its own task, not the earlier one.
    const secondId = ((await api.call('GET', '/customers/rebook-second/onboarding', { token: second })).body.appointments as ResponseBody[]).find((x) => x.start === start).appointmentId;
    expect((await api.call('DELETE', `/appointments/${secondId}`, { token: second })).status).toBe(200);
    expect(await appointmentsOf('rebook-second')).toEqual([]);
    const history = (await api.call('GET', '/customers/rebook-second/tasks', { token: lead })).body.items as ResponseBody[];
    expect(history.filter((t) => t.kind === 'onboarding-appointment').map((t) => [t.status, t.outcome?.cancelled])).toEqual([['done', true]]);
  });
});

describe("a customer's tasks, completed calls included (the 360's history of contacts)", () => {
  it("lists every task about the customer, newest first, with the welcome call's outcome and needs assessment, for its manager or a lead; others 403", async () => {
    const c = await signUp('history-of-contacts', { language: 'fr', product: 'repricer' });
    const manager = await api.token('csm', c.csmId);
    const path = '/customers/history-of-contacts/tasks';
    const welcome = await api.eventually(
      async () => ((await api.call('GET', path, { token: manager })).body.items as ResponseBody[] | undefined)?.find((t) => t.kind === 'welcome-call'),
      (t) => t !== undefined,
    );
    expect(welcome).toMatchObject({ tenantId: 'history-of-contacts', status: 'open' });
    const needsAssessment = { goals: ['Win the Buy Box on bestsellers'], catalogue: { skus: 120, categories: ['Kitchen'] }, marketplaces: ['FR'], painPoints: ['Manual repricing'], chosenStrategy: 'buybox' };
    const done = await api.call('POST', `/csm/tasks/${welcome.taskId}/complete`, { token: manager, body: { outcome: { notes: 'Walked through the set-up', reached: true, needsAssessment } } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const callback = await api.call('POST', '/callbacks', { token: await api.token('customer', 'history-of-contacts'), body: { topic: 'Rules upload', requestId: 'history-1' } });
    expect(callback.status, JSON.stringify(callback.body)).toBe(201);

    // The done call is still listed (the manager's queue no longer has it), newest created first.
    const listed = await api.call('GET', path, { token: manager });
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    const items = listed.body.items as ResponseBody[];
    expect(items.map((t) => t.kind)).toEqual(['callback', 'welcome-call']);
    expect(items[1]).toMatchObject({ status: 'done', completedAt: expect.any(String), outcome: { notes: 'Walked through the set-up', reached: true, needsAssessment: { chosenStrategy: 'buybox' } } });
    expect(((await api.call('GET', '/csm/tasks?limit=200', { token: manager })).body.items as ResponseBody[]).some((t) => t.taskId === welcome.taskId)).toBe(false);
    expect((await api.call('GET', `${path}?limit=1`, { token: lead })).body.items.map((t: ResponseBody) => t.kind)).toEqual(['callback']);
    // Another customer's tasks are not mixed in; another manager, a customer and an unknown id are refused.
    expect(items.every((t) => t.tenantId === 'history-of-contacts')).toBe(true);
    const stranger = await api.token('csm', TEAM.find((m) => m.staffId !== c.csmId && !m.lead)!.staffId);
    expect((await api.call('GET', path, { token: stranger })).status).toBe(403);
    expect((await api.call('GET', path, { token: await api.token('customer', 'history-of-contacts') })).status).toBe(403);
    expect((await api.call('GET', '/customers/nobody-here/tasks', { token: lead })).status).toBe(404);
  });
});

describe('a strategy adjusted for a customer in a consultation', () => {
  it("lets the customer's manager switch an offer's strategy through the repricer's port, with who and why in the price history, logged; others 403/404", async () => {
    const seller = 'A2CONSULT00001';
    const c = await signUp('consulted', { language: 'fr', product: 'repricer', amazonSellerId: seller, marketplaces: ['FR'] });
    await connectAmazon(api, 'consulted', seller);
    const customer = await api.token('customer', 'consulted');
    const sku = `${seller}-SKU-00001`;
    const upload = await api.call('PUT', '/repricer/rules', { token: customer, body: { sellerId: seller, offers: [offer(sku, 'B0CONSULT1'), offer(sku, 'B0CONSULT1', 'B2B'), offer(`${seller}-SKU-00002`, 'B0CONSULT2')] } });
    expect(upload.status, JSON.stringify(upload.body)).toBe(200);
    const manager = await api.token('csm', c.csmId);
    const stranger = await api.token('csm', TEAM.find((m) => m.staffId !== c.csmId && !m.lead)!.staffId);
    const path = `/customers/consulted/repricer/offers/${sku}/strategy`;
    const body = { strategy: 'push', note: 'clearing old stock' };

    expect((await api.call('PUT', path, { token: stranger, body })).status).toBe(403);
    expect((await api.call('PUT', path, { token: customer, body })).status).toBe(403);
    expect((await api.call('PUT', '/customers/nobody-here/repricer/offers/x/strategy', { token: lead, body })).status).toBe(404);
    expect((await api.call('PUT', `/customers/consulted/repricer/offers/${seller}-SKU-09999/strategy`, { token: manager, body })).status).toBe(404);
    expect((await api.call('PUT', path, { token: manager, body: { strategy: 'cheapest' } })).status).toBe(400);

    const set = await api.call('PUT', path, { token: manager, body });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toEqual({ sku, strategy: 'push', changed: 2 });
    const offers = (await api.call('GET', '/repricer/offers', { token: customer })).body.items as ResponseBody[];
    expect(offers.filter((o) => o.sku === sku).map((o) => o.rules.strategy)).toEqual(['push', 'push']);
    expect(offers.find((o) => o.sku !== sku).rules.strategy).toBe('buybox');
    const history = (await api.call('GET', `/repricer/offers/${sku}/history`, { token: customer })).body.items as ResponseBody[];
    expect(history.find((h) => h.kind === 'strategy').reason).toBe(`changed by CSM ${c.csmId} in a consultation: clearing old stock`);
    const log = (await api.call('GET', '/customers/consulted/staff-actions', { token: customer })).body.items as ResponseBody[];
    expect(log[0]).toMatchObject({ action: 'repricer.strategy.changed', staffId: c.csmId, as: 'assigned-manager', details: { sku, strategy: 'push', changed: 2 } });
  });
});

describe('product announcements', () => {
  it('a lead posts one in German and English; a German customer reads German, a Spanish one the English fallback; the team sees who read it', async () => {
    await signUp('ann-de', { language: 'de', product: 'repricer' });
    await signUp('ann-es', { language: 'es', product: 'repricer' });
    await signUp('ann-lf', { language: 'de', product: 'lost-and-found' });
    const body = {
      product: 'repricer',
      texts: { de: { title: 'Neu: B2B-Staffelpreise', body: 'Der Repricer setzt jetzt Staffelpreise.' }, en: { title: 'New: B2B tiers', body: 'The Repricer now sets quantity tiers.' } },
      requestId: 'release-2027-01',
    };
    // Only a lead writes them; a manager who is no lead gets 403 and nothing is stored.
    expect((await api.call('POST', '/announcements', { token: await api.token('csm', 'w-marc'), body })).status).toBe(403);
    expect((await api.call('POST', '/announcements', { token: lead, body: { ...body, fallbackLanguage: 'fr' } })).status).toBe(400);
    const posted = await api.call('POST', '/announcements', { token: lead, body });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect((await api.call('POST', '/announcements', { token: lead, body })).status).toBe(200);

    const german = await api.token('customer', 'ann-de');
    const de = (await api.call('GET', '/announcements', { token: german })).body.items as ResponseBody[];
    expect(de).toEqual([expect.objectContaining({ announcementId: posted.body.announcementId, language: 'de', title: 'Neu: B2B-Staffelpreise', read: false })]);
    const es = (await api.call('GET', '/announcements', { token: await api.token('customer', 'ann-es') })).body.items as ResponseBody[];
    expect(es[0]).toMatchObject({ language: 'en', title: 'New: B2B tiers' });
    // A Lost & Found customer is not told about Repricer changes, and cannot mark them read.
    const lostFound = await api.token('customer', 'ann-lf');
    expect((await api.call('GET', '/announcements', { token: lostFound })).body.items).toEqual([]);
    expect((await api.call('POST', `/announcements/${posted.body.announcementId}/read`, { token: lostFound })).status).toBe(404);

    expect((await api.call('POST', `/announcements/${posted.body.announcementId}/read`, { token: german })).status).toBe(204);
    expect((await api.call('GET', '/announcements', { token: german })).body.items[0].read).toBe(true);
    const reads = (await api.call('GET', `/announcements/${posted.body.announcementId}/reads`, { token: await api.token('csm', 'w-marc') })).body;
    expect(reads.reads.map((r: ResponseBody) => r.customerId)).toEqual(['ann-de']);
    expect(reads.readCount).toBe(1);
    const team = (await api.call('GET', '/announcements', { token: lead })).body.items as ResponseBody[];
    expect(team.find((a) => a.announcementId === posted.body.announcementId)).toMatchObject({ readCount: 1, texts: body.texts });
  });
});

describe('push subscriptions, the console and the Lost & Found welcome call', () => {
  it("shows a manager's own pushes in the console before preferences are saved, and creates a welcome call for a Lost & Found sign-up", async () => {
    const c = await signUp('lf-welcome', { language: 'es', product: 'lost-and-found' });
    expect(c.csmId).toBe('w-lucia');
    await api.stack.pollers!.idle(120_000);
    const console = (await api.call('GET', '/_local/console?staff=w-lucia')).body;
    expect(console.subscription).toBe('default');
    expect(console.items.map((p: ResponseBody) => [p.attributes.eventType, p.attributes.customerId])).toContainEqual(['customer.signed-up', 'lf-welcome']);
    const tasks = (await api.call('GET', '/csm/tasks?limit=200', { token: await api.token('csm', 'w-lucia') })).body.items as ResponseBody[];
    expect(tasks.filter((t) => t.tenantId === 'lf-welcome').map((t) => [t.kind, t.details.product])).toEqual([['welcome-call', 'lost-and-found']]);
  });

  it('pushes support requests to a manager subscribed to them only, and to an "all events" subscription', async () => {
    const lucia = await api.token('csm', 'w-lucia');
    const only = await api.call('PUT', '/csm/staff/w-lucia/push', { token: lucia, body: { eventTypes: ['support.request-received'], scope: 'mine' } });
    expect(only.status, JSON.stringify(only.body)).toBe(200);
    const all = await api.call('PUT', '/csm/staff/w-anna/push', { token: lead, body: { scope: 'all' } });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const customer = (await api.call('GET', '/customers/lf-welcome', { token: lead })).body;
    const sent = await api.call('POST', '/support/requests', {
      body: { name: 'Ana', email: customer.contactEmail, customerId: 'lf-welcome', language: 'es', subject: 'Reclamaciones', message: '¿Dónde veo mis reclamaciones?' },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    await api.stack.pollers!.idle(120_000);
    await api.drained('sellerops-local-console-w-lucia');
    await api.drained('sellerops-local-console-w-anna');
    const types = async (staff: string) => ((await api.call('GET', `/_local/console?staff=${staff}`)).body.items as ResponseBody[]).map((p) => p.attributes.eventType);
    expect(await types('w-lucia')).toEqual(['support.request-received']);
    expect(await types('w-anna')).toContain('support.request-received');
  });

  it('removes an e-mail endpoint: the subscription ends and pushes go back to the console', async () => {
    const marc = await api.token('csm', 'w-marc');
    const email = await api.call('PUT', '/csm/staff/w-marc/push', { token: marc, body: { scope: 'mine', endpoint: { protocol: 'email', address: 'w-marc@example.com' } } });
    expect(email.status, JSON.stringify(email.body)).toBe(200);
    expect(email.body.push.endpoint).toEqual({ protocol: 'email', address: 'w-marc@example.com' });
    const removed = await api.call('PUT', '/csm/staff/w-marc/push', { token: marc, body: { scope: 'mine', endpoint: null } });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.push.endpoint).toBeNull();
    expect(removed.body.push.subscriptionId).not.toBe(email.body.push.subscriptionId);
    // Keeping preferences without naming an endpoint keeps what is there (no endpoint, the console).
    const kept = await api.call('PUT', '/csm/staff/w-marc/push', { token: marc, body: { scope: 'mine' } });
    expect(kept.body.push).toMatchObject({ endpoint: null, subscriptionId: removed.body.push.subscriptionId });
  });
});

describe('re-consultation on request and the needs assessment', () => {
  it("records the welcome call's structured needs assessment in the customer 360, and turns a customer's request into a re-consultation task with its figures", async () => {
    const c = await signUp('review-me', { language: 'es', product: 'repricer' });
    const manager = await api.token('csm', c.csmId);
    const welcome = ((await api.call('GET', '/csm/tasks?limit=200', { token: manager })).body.items as ResponseBody[]).find((t) => t.kind === 'welcome-call' && t.tenantId === 'review-me');
    const assessment = {
      goals: ['win the Buy Box on the best sellers'],
      catalogue: { skus: 320, privateLabelPercent: 10, categories: ['Garden'] },
      marketplaces: ['ES', 'FR'],
      painPoints: ['prices changed by hand every evening'],
      chosenStrategy: 'buybox',
    };
    const bad = await api.call('POST', `/csm/tasks/${welcome.taskId}/complete`, { token: manager, body: { outcome: { notes: 'Called', needsAssessment: { ...assessment, chosenStrategy: 'cheapest' } } } });
    expect(bad.status).toBe(400);
    expect((await api.call('GET', '/customers/review-me', { token: lead })).body.needsAssessment).toBeNull();
    const done = await api.call('POST', `/csm/tasks/${welcome.taskId}/complete`, { token: manager, body: { outcome: { notes: 'Called; wants help', needsAssessment: assessment } } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const seen = (await api.call('GET', '/customers/review-me', { token: await api.token('customer', 'review-me') })).body;
    expect(seen.needsAssessment).toMatchObject({ ...assessment, recordedBy: c.csmId, taskId: welcome.taskId });

    const customer = await api.token('customer', 'review-me');
    expect((await api.call('POST', '/reconsultations', { token: customer, body: { reason: '' } })).status).toBe(400);
    const asked = await api.call('POST', '/reconsultations', { token: customer, body: { reason: 'Amazon now sells two of my products', requestId: 'r1' } });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body).toMatchObject({ kind: 're-consultation', assigneeId: c.csmId, details: { reason: 'Amazon now sells two of my products', figures: { contract: { status: 'trial' }, needsAssessment: { chosenStrategy: 'buybox' } } } });
    expect((await api.call('POST', '/reconsultations', { token: customer, body: { reason: 'Amazon now sells two of my products', requestId: 'r1' } })).body.taskId).toBe(asked.body.taskId);
    const tasks = ((await api.call('GET', '/csm/tasks?limit=200', { token: manager })).body.items as ResponseBody[]).filter((t) => t.kind === 're-consultation' && t.tenantId === 'review-me');
    expect(tasks).toHaveLength(1);
    const pushed = await api.eventually(
      async () => ((await api.call('GET', '/csm/notifications?limit=100', { token: lead })).body.items as ResponseBody[]).find((n) => n.eventType === 'reconsultation.requested' && n.customerId === 'review-me'),
      (n) => n !== undefined,
    );
    expect(pushed.csmId).toBe(c.csmId);
  });
});

describe('root causes have a lifecycle', () => {
  it('moves open → planned → fixed → informed one step at a time, publishes each step, and gives each reporting customer a follow-up in their language', async () => {
    await signUp('rc-de', { language: 'de', product: 'lost-and-found' });
    await signUp('rc-es', { language: 'es', product: 'lost-and-found' });
    const manager = await api.token('csm', 'w-marc');
    let rootCauseId = '';
    for (const [customerId, verbatim] of [['rc-de', 'Claims take far too long to be filed with Amazon'], ['rc-es', 'Filing a reimbursement claim with Amazon is very slow']] as const) {
      const recorded = await api.call('POST', '/feedback/difficulties', { token: manager, body: { customerId, touchpoint: 'other', productArea: 'lost-and-found', severity: 'medium', verbatim } });
      expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
      rootCauseId = recorded.body.rootCause.rootCauseId;
    }
    const patch = (status: string) => api.call('PATCH', `/feedback/root-causes/${rootCauseId}`, { token: manager, body: { status, note: `now ${status}` } });
    expect((await patch('fixed')).status).toBe(409);
    expect((await api.call('PATCH', '/feedback/root-causes/rc-unknown', { token: manager, body: { status: 'planned' } })).status).toBe(404);
    const planned = await patch('planned');
    expect(planned.status, JSON.stringify(planned.body)).toBe(200);
    expect(planned.body).toMatchObject({ status: 'planned', statusHistory: [{ status: 'planned', by: 'w-marc', note: 'now planned' }] });
    const fixed = await patch('fixed');
    expect(fixed.body).toMatchObject({ status: 'fixed', tasksCreated: 2 });
    expect((await patch('fixed')).body.tasksCreated).toBe(0); // a retried step creates nothing twice
    const followUps = [];
    for (const tenant of ['rc-de', 'rc-es']) {
      const csmId = (await api.call('GET', `/customers/${tenant}`, { token: lead })).body.csmId;
      const tasks = ((await api.call('GET', '/csm/tasks?limit=200', { token: await api.token('csm', csmId) })).body.items as ResponseBody[]).filter((t) => t.kind === 'root-cause-fixed' && t.tenantId === tenant);
      followUps.push(...tasks);
    }
    expect(followUps.map((t) => [t.tenantId, t.language, t.details.rootCauseId])).toEqual([
      ['rc-de', 'de', rootCauseId],
      ['rc-es', 'es', rootCauseId],
    ]);
    expect(followUps[0].title).toMatch(/in German/);
    expect((await patch('informed')).body.status).toBe('informed');
    expect((await patch('planned')).status).toBe(409);
    const listed = ((await api.call('GET', '/feedback/root-causes?area=lost-and-found&minCustomers=1', { token: manager })).body.items as ResponseBody[]).find((r) => r.rootCauseId === rootCauseId);
    expect(listed.status).toBe('informed');
    const published = await api.eventually(
      async () => ((await api.call('GET', '/_local/product-feedback')).body.items as ResponseBody[]).filter((m) => m.attributes.rootCauseId === rootCauseId && m.attributes.kind === 'root-cause.status-changed'),
      (items) => items.length >= 4,
    );
    expect(new Set(published.map((m) => m.attributes.status))).toEqual(new Set(['planned', 'fixed', 'informed']));
  });
});
