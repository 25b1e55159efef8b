import { describe, expect, it } from 'vitest';
import { notifyCsm } from '../../shared/csm/notifications.ts';
import { ManualClock } from '../../shared/kernel/clock.ts';
import type { CustomerSignedUpV1 } from '../../shared/contracts/customer-events.ts';
import { MemoryNotificationStore, RecordingPushPublisher } from '../support/memory.ts';

const event: CustomerSignedUpV1 = {
  eventId: 't1#customer.signed-up#repricer#1',
  eventType: 'customer.signed-up',
  version: 1,
  occurredAt: '2026-03-02T09:00:00.000Z',
  tenantId: 't1',
  product: 'repricer',
  trialEndsAt: '2026-03-16T09:00:00.000Z',
  customer: {
    customerId: 't1',
    companyName: 'Müller Handels GmbH',
    language: 'de',
    marketplaces: ['DE'],
    amazonSellerId: 'A1MUELLER00001',
    timeZone: 'Europe/Berlin',
  },
};

describe('CSM notification for a sign-up', () => {
  const setup = () => ({
    notifications: new MemoryNotificationStore(),
    push: new RecordingPushPublisher(),
    clock: new ManualClock(new Date('2026-03-02T09:00:05Z')),
  });

  it('stores one notification and pushes it once, however often the event is delivered', async () => {
    const deps = setup();
    expect(await notifyCsm(deps, event)).toBe('pushed');
    expect(await notifyCsm(deps, event)).toBe('already-pushed');
    expect(await notifyCsm(deps, event)).toBe('already-pushed');
    expect(deps.notifications.items.size).toBe(1);
    expect(deps.push.pushed).toHaveLength(1);
    expect(deps.push.pushed[0]).toMatchObject({ title: 'New Repricer sign-up: Müller Handels GmbH', language: 'de' });
  });

  it('pushes on redelivery when the first delivery stored the notification but died before pushing', async () => {
    const deps = setup();
    deps.push.failNext = 1;
    await expect(notifyCsm(deps, event)).rejects.toThrow('SNS unavailable');
    expect(deps.notifications.items.get(event.eventId)?.pushedAt).toBeNull();
    expect(await notifyCsm(deps, event)).toBe('pushed');
    expect(deps.push.pushed).toHaveLength(1);
    expect(deps.notifications.items.get(event.eventId)?.pushedAt).toBe('2026-03-02T09:00:05.000Z');
  });
});
