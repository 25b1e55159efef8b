import { describe, expect, it } from 'vitest';
import { notificationFor, notifyCsm, readFeed } from '#shared/csm/notifications.ts';
import { ManualClock } from '#shared/kernel/clock.ts';
import type { CustomerEvent, CustomerSignedUpV1 } from '#shared/contracts/customer-events.ts';
import { MemoryNotificationStore, RecordingPushPublisher } from '../support/memory.ts';

const customer = {
  customerId: 't1',
  companyName: 'Müller Handels GmbH',
  language: 'de' as const,
  marketplaces: ['DE' as const],
  amazonSellerId: 'A1MUELLER00001',
  timeZone: 'Europe/Berlin',
};
const event: CustomerSignedUpV1 = {
  eventId: 't1#customer.signed-up#repricer#1',
  eventType: 'customer.signed-up',
  version: 1,
  occurredAt: '2026-03-02T09:00:00.000Z',
  tenantId: 't1',
  product: 'repricer',
  trialEndsAt: '2026-03-16T09:00:00.000Z',
  customer,
};
const assigned = { csmId: 'csm-anna', needsLeadAttention: false };
const at = new Date('2026-03-02T09:00:05Z');

describe('CSM notifications', () => {
  const setup = () => ({
    notifications: new MemoryNotificationStore(),
    push: new RecordingPushPublisher(),
    clock: new ManualClock(at),
  });

  it('stores one notification and pushes it once, however often the event is delivered', async () => {
    const deps = setup();
    const n = notificationFor(event, assigned, at);
    expect(await notifyCsm(deps, n)).toBe('pushed');
    expect(await notifyCsm(deps, notificationFor(event, assigned, new Date()))).toBe('already-pushed');
    expect(deps.notifications.items.size).toBe(1);
    expect(deps.push.pushed).toHaveLength(1);
    expect(deps.push.pushed[0]).toMatchObject({ title: 'New Repricer sign-up: Müller Handels GmbH', language: 'de', csmId: 'csm-anna' });
  });

  it('pushes on redelivery when the first delivery stored the notification but died before pushing', async () => {
    const deps = setup();
    deps.push.failNext = 1;
    const n = notificationFor(event, assigned, at);
    await expect(notifyCsm(deps, n)).rejects.toThrow('SNS unavailable');
    expect(deps.notifications.items.get(n.notificationId)?.pushedAt).toBeNull();
    expect(await notifyCsm(deps, n)).toBe('pushed');
    expect(deps.push.pushed).toHaveLength(1);
    expect(deps.notifications.items.get(n.notificationId)?.pushedAt).toBe('2026-03-02T09:00:05.000Z');
  });

  it('words every event type for the CSM, with URL-safe ids derived from the event', () => {
    const base = { eventId: 'e', occurredAt: event.occurredAt, tenantId: 't1', product: 'repricer' as const, customer, version: 1 as const };
    const events: CustomerEvent[] = [
      { ...base, eventId: 'e1', eventType: 'contract.cancelled', reason: 'too expensive', effectiveAt: event.occurredAt },
      { ...base, eventId: 'e2', eventType: 'contract.extended', months: 12, previousEndsAt: null, endsAt: '2027-03-02T09:00:00.000Z' },
      { ...base, eventId: 'e3', eventType: 'contract.changed', changes: { plan: { from: 'starter', to: 'professional' } } },
    ];
    const titles = events.map((e) => notificationFor(e, assigned, at));
    expect(titles.map((n) => n.title)).toEqual([
      'Repricer cancelled: Müller Handels GmbH',
      'Repricer extended: Müller Handels GmbH',
      'Repricer contract changed: Müller Handels GmbH',
    ]);
    expect(titles[0]!.message).toContain('"too expensive"');
    expect(titles[2]!.message).toContain('plan starter → professional');
    for (const n of titles) expect(n.notificationId).toMatch(/^n-[a-z0-9]+$/);
    expect(new Set(titles.map((n) => n.notificationId)).size).toBe(3);
  });

  it("shows a manager's read flags and filters unread", async () => {
    const deps = setup();
    const n = notificationFor(event, assigned, at);
    await notifyCsm(deps, n);
    expect((await readFeed(deps.notifications, 'csm-anna', { scope: 'mine', limit: 10, unreadOnly: true })).items).toHaveLength(1);
    await deps.notifications.markRead('csm-anna', n.notificationId);
    expect((await readFeed(deps.notifications, 'csm-anna', { scope: 'mine', limit: 10, unreadOnly: true })).items).toHaveLength(0);
    expect((await readFeed(deps.notifications, 'csm-marc', { scope: 'all', limit: 10, unreadOnly: true })).items).toHaveLength(1);
    expect((await readFeed(deps.notifications, 'csm-marc', { scope: 'mine', limit: 10, unreadOnly: false })).items).toHaveLength(0);
  });
});
