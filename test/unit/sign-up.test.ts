import { describe, expect, it } from 'vitest';
import { signUp } from '#shared/customers/sign-up.ts';
import { relayPendingEvents, OUTBOX_GRACE_MS } from '#shared/customers/outbox.ts';
import { getCustomerForCaller } from '#shared/customers/views.ts';
import { ConflictError, NotFoundError } from '#shared/kernel/errors.ts';
import { ManualClock } from '#shared/kernel/clock.ts';
import { customerEventSchema } from '#shared/contracts/customer-events.ts';
import type { SignupRequest } from '#shared/api/schemas.ts';
import { MemoryCustomerRepository, RecordingEventPublisher } from '../support/memory.ts';

const request: SignupRequest = {
  product: 'repricer',
  companyName: 'Müller Handels GmbH',
  contactEmail: 'ops@mueller.example',
  language: 'de',
  marketplaces: ['DE', 'FR'],
  amazonSellerId: 'A1MUELLER00001',
};

function setup() {
  const customers = new MemoryCustomerRepository();
  const events = new RecordingEventPublisher();
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  return { customers, events, clock };
}

describe('sign-up', () => {
  it('stores the customer with a 14-day Repricer trial and publishes one versioned customer.signed-up event', async () => {
    const deps = setup();
    const record = await signUp(deps, 't1', request);
    expect(record.contracts.repricer).toMatchObject({ status: 'trial', trialEndsAt: '2026-03-16T09:00:00.000Z' });
    expect(record.timeZone).toBe('Europe/Berlin');
    expect(deps.events.published).toHaveLength(1);
    const event = customerEventSchema.parse(deps.events.published[0]);
    expect(event).toMatchObject({ eventType: 'customer.signed-up', version: 1, tenantId: 't1', product: 'repricer' });
    expect((await deps.customers.get('t1'))?.pendingEvents).toEqual([]);
  });

  it('starts Lost & Found without a trial', async () => {
    const deps = setup();
    const record = await signUp(deps, 't1', { ...request, product: 'lost-and-found' });
    expect(record.contracts['lost-and-found']).toMatchObject({ status: 'active', trialEndsAt: null });
  });

  it('refuses a second sign-up for the same product with a 409', async () => {
    const deps = setup();
    await signUp(deps, 't1', request);
    await expect(signUp(deps, 't1', request)).rejects.toBeInstanceOf(ConflictError);
    expect(deps.events.published).toHaveLength(1);
  });

  it('keeps the event pending when SNS is down, and the outbox relay publishes it after the grace period', async () => {
    const deps = setup();
    deps.events.failNext = 1;
    await signUp(deps, 't1', request);
    expect(deps.events.published).toHaveLength(0);
    expect((await deps.customers.get('t1'))?.pendingEvents).toHaveLength(1);

    expect(await relayPendingEvents(deps)).toEqual({ records: 0, published: 0, stillPending: 0 });
    deps.clock.advance(OUTBOX_GRACE_MS);
    expect(await relayPendingEvents(deps)).toEqual({ records: 1, published: 1, stillPending: 0 });
    expect(deps.events.published).toHaveLength(1);
    expect((await deps.customers.get('t1'))?.pendingEvents).toEqual([]);
    expect(await relayPendingEvents(deps)).toEqual({ records: 0, published: 0, stillPending: 0 });
  });

  it('lets exactly one of two racing sign-ups of one tenant win', async () => {
    const deps = setup();
    const results = await Promise.allSettled([signUp(deps, 't1', request), signUp(deps, 't1', request)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(1);
    expect(deps.events.published).toHaveLength(1);
  });
});

describe('reading a customer', () => {
  it('shows customers only their own tenant, and CSM staff any tenant', async () => {
    const deps = setup();
    await signUp(deps, 't1', request);
    const own = await getCustomerForCaller(deps.customers, { role: 'customer', lead: false, subject: 'u1', tenantId: 't1', staffId: null }, 't1');
    expect(own.customerId).toBe('t1');
    await expect(
      getCustomerForCaller(deps.customers, { role: 'customer', lead: false, subject: 'u2', tenantId: 't2', staffId: null }, 't1'),
    ).rejects.toBeInstanceOf(NotFoundError);
    const csm = await getCustomerForCaller(deps.customers, { role: 'csm', lead: false, subject: 'csm-anna', tenantId: null, staffId: 'csm-anna' }, 't1');
    expect(csm.companyName).toBe('Müller Handels GmbH');
  });
});
