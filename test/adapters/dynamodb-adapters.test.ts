import { describe, expect, it } from 'vitest';
import { DynamoCustomerRepository } from '#shared/adapters/dynamodb/customer-repository.ts';
import { DynamoClaimRepository } from '#shared/adapters/dynamodb/claim-repository.ts';
import { money } from '#shared/kernel/money.ts';
import type { FoundClaim } from '#shared/lost-and-found/model.ts';
import { DynamoRepricerStore, offerToItem } from '#shared/adapters/dynamodb/repricer-store.ts';
import { DynamoPriceHistory } from '#shared/adapters/dynamodb/price-history.ts';
import { PUSH_SHARDS, dueShardOf, newStoredOffer, offerKeyOf } from '#shared/repricer/model.ts';
import { toOfferRules } from '#shared/repricer/rules.ts';
import { DynamoCsmNotificationStore } from '#shared/adapters/dynamodb/csm-notification-store.ts';
import type { CustomerRecord } from '#shared/customers/customer.ts';
import { notifyCsm, PushInProgressError, type CsmNotification } from '#shared/csm/notifications.ts';
import { ValidationError, VersionConflictError } from '#shared/kernel/errors.ts';
import { tables } from '#infra/wiring.ts';
import { DynamoLostFoundStore } from '#shared/adapters/dynamodb/lost-found-store.ts';
import type { ReportFetchStatus } from '#shared/lost-and-found/report-fetch.ts';
import { DynamoAppointmentCalendar, DynamoOnboardingRepository } from '#shared/adapters/dynamodb/onboarding-store.ts';
import type { Booking } from '#shared/onboarding/appointments.ts';
import type { OnboardingRecord } from '#shared/onboarding/onboarding.ts';
import { dynamoTargets, useDynamoTarget } from '../support/dynamodb-targets.ts';

const customer = (tenantId: string, version: number, pending = 0): CustomerRecord => ({
  tenantId,
  companyName: `Company ${tenantId}`,
  contactEmail: `${tenantId}@example.com`,
  language: 'de',
  marketplaces: ['DE'],
  amazonSellerId: 'A1EXAMPLE00001',
  timeZone: 'Europe/Berlin',
  createdAt: '2026-01-01T00:00:00.000Z',
  contracts: {},
  pendingEvents: Array.from({ length: pending }, (_, i) => ({
    eventId: `${tenantId}#e${i}`,
    eventType: 'customer.signed-up' as const,
    version: 1 as const,
    occurredAt: `2026-01-01T00:00:0${i}.000Z`,
    tenantId,
    product: 'repricer' as const,
    trialEndsAt: null,
    customer: {
      customerId: tenantId,
      companyName: 'x',
      language: 'de' as const,
      marketplaces: ['DE' as const],
      amazonSellerId: 'A1EXAMPLE00001',
      timeZone: 'Europe/Berlin',
    },
  })),
  version,
});

const notification = (id: string, occurredAt: string): CsmNotification => ({
  notificationId: id,
  eventId: `e-${id}`,
  needsLeadAttention: false,
  eventType: 'customer.signed-up',
  occurredAt,
  customerId: 't1',
  companyName: 'Company t1',
  language: 'de',
  product: 'repricer',
  title: 'New sign-up',
  message: 'm',
  csmId: id.startsWith('f') ? 'csm-anna' : null,
  createdAt: occurredAt,
  pushedAt: null,
});

describe.each(dynamoTargets())('DynamoDB adapters on $name', (target) => {
  const dynamo = useDynamoTarget(target);

  describe('Lost & Found claims', () => {
    it('refreshes a found claim\'s value, basis and confidence, and drops valueUnknown once a value is known', async () => {
      const repository = new DynamoClaimRepository(dynamo(), tables.core!.name);
      const found: FoundClaim = {
        id: 'clm_refresh',
        type: 'lost_warehouse',
        msku: 'SKU-1',
        fnsku: 'X00TEST001',
        asin: 'B0TEST0001',
        quantity: 2,
        ref: 'R1',
        amount: money(0, 'EUR'),
        valueBasis: 'unknown',
        valueUnknown: true,
        valueUnknownReason: 'no manufacturing cost for SKU-1',
        confidence: 'likely',
        eventDate: '2025-05-20',
        openFrom: '2025-06-19',
        deadline: '2025-07-19',
        evidence: [],
      };
      const at = new Date('2025-06-30T06:00:00Z');
      expect((await repository.upsertFound('refresh-t', [found], at)).created).toEqual(['clm_refresh']);
      const known: FoundClaim = { ...found, amount: money(2000, 'EUR'), valueBasis: 'seller_cost', confidence: 'certain' };
      delete known.valueUnknown;
      delete known.valueUnknownReason;
      expect((await repository.upsertFound('refresh-t', [known], new Date('2025-07-01T06:00:00Z'))).refreshed).toEqual(['clm_refresh']);
      const stored = (await repository.get('refresh-t', 'clm_refresh'))!;
      expect(stored).toMatchObject({ amount: { minor: 2000, currency: 'EUR' }, valueBasis: 'seller_cost', confidence: 'certain', version: 1, status: 'found' });
      expect(stored).not.toHaveProperty('valueUnknown');
      expect(stored).not.toHaveProperty('valueUnknownReason');
    });
  });

  describe('Lost & Found report fetch status claims', () => {
    it('lets one delivery claim a step: another copy is refused, the same delivery may claim again, a moved-on or done status refuses', async () => {
      const store = new DynamoLostFoundStore(dynamo(), tables.core!.name);
      const status: ReportFetchStatus = {
        customerId: 'claim-t',
        reportType: 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA',
        runDay: '2025-06-30',
        state: 'queued',
        windowStart: '2025-06-29T00:00:00.000Z',
        windowEnd: '2025-06-30T00:00:00.000Z',
        chunkStart: '2025-06-29T00:00:00.000Z',
        polls: 0,
        files: [],
        attempts: 0,
        updatedAt: '2025-06-30T06:00:00.000Z',
      };
      await store.putFetch(status);
      const step = '2025-06-30|2025-06-29T00:00:00.000Z||0';
      expect(await store.claimFetch({ ...status, claimedStep: step, claimedBy: 'm-1' })).toBe(true);
      expect(await store.claimFetch({ ...status, claimedStep: step, claimedBy: 'm-2' })).toBe(false);
      expect(await store.claimFetch({ ...status, claimedStep: step, claimedBy: 'm-1' })).toBe(true);
      // The chain moved on (report requested): a claim for the old step is refused.
      await store.putFetch({ ...status, state: 'requested', reportId: 'R1', claimedStep: step, claimedBy: 'm-1' });
      expect(await store.claimFetch({ ...status, claimedStep: step, claimedBy: 'm-1' })).toBe(false);
      const next = { ...status, state: 'requested' as const, reportId: 'R1' };
      expect(await store.claimFetch({ ...next, claimedStep: '2025-06-30|2025-06-29T00:00:00.000Z|R1|0', claimedBy: 'm-3' })).toBe(true);
      await store.putFetch({ ...next, state: 'done' });
      expect(await store.claimFetch({ ...next, claimedStep: '2025-06-30|2025-06-29T00:00:00.000Z|R1|0', claimedBy: 'm-3' })).toBe(false);
    });
  });

  describe('onboarding repository', () => {
    it('creates the analysis once: a second create keeps the first record', async () => {
      const repository = new DynamoOnboardingRepository(dynamo(), tables.core!.name);
      const first = { tenantId: 'onb-t', profile: { sellerId: 'A1' }, recommendation: { overall: 'push' }, appointments: [] } as unknown as OnboardingRecord;
      expect(await repository.create(first)).toBe(true);
      expect(await repository.create({ ...first, recommendation: { overall: 'buybox' } } as unknown as OnboardingRecord)).toBe(false);
      expect((await repository.get('onb-t'))?.recommendation).toEqual({ overall: 'push' });
    });
  });

  describe('appointment calendar: moves and cancellations', () => {
    const booking = (tenantId: string, start: string): Booking => ({
      staffId: 'cal-anna',
      start,
      end: new Date(Date.parse(start) + 45 * 60_000).toISOString(),
      tenantId,
      bookedAt: '2026-12-01T08:00:00.000Z',
      agenda: [],
    });
    const by = { by: { role: 'customer' as const, staffId: null }, at: '2026-12-01T08:30:00.000Z' };

    it('of two concurrent moves of one appointment exactly one lands; the loser gives its new slot back', async () => {
      const calendar = new DynamoAppointmentCalendar(dynamo(), tables.core!.name);
      const held = booking('cal-t1', '2026-12-07T08:00:00.000Z');
      expect(await calendar.book(held, 2)).toBe('booked');
      const [a, b] = [booking('cal-t1', '2026-12-07T09:30:00.000Z'), booking('cal-t1', '2026-12-07T10:15:00.000Z')];
      const outcomes = await Promise.all([calendar.reschedule(held, a, by, 2), calendar.reschedule(held, b, by, 2)]);
      expect([...outcomes].sort()).toEqual(['changed', 'moved']);
      const taken = (await calendar.bookings('cal-anna', new Date('2026-12-07T00:00:00Z'), new Date('2026-12-08T00:00:00Z'))).map((x) => x.start);
      expect(taken).toEqual([outcomes[0] === 'moved' ? a.start : b.start]);
    });

    it('refuses a move onto a slot somebody holds, and a cancel frees the slot for anybody', async () => {
      const calendar = new DynamoAppointmentCalendar(dynamo(), tables.core!.name);
      const mine = booking('cal-t2', '2026-12-08T08:00:00.000Z');
      const theirs = booking('cal-t3', '2026-12-08T08:45:00.000Z');
      expect(await calendar.book(mine, 2)).toBe('booked');
      expect(await calendar.book(theirs, 2)).toBe('booked');
      expect(await calendar.reschedule(mine, { ...theirs, tenantId: 'cal-t2' }, by, 2)).toBe('taken');
      expect((await calendar.ofCustomer('cal-t2')).map((x) => x.status ?? 'booked')).toEqual(['booked']);
      expect(await calendar.cancel(mine, by)).toBe('cancelled');
      expect(await calendar.cancel(mine, by)).toBe('changed');
      expect((await calendar.ofCustomer('cal-t2'))[0]).toMatchObject({ status: 'cancelled', changedBy: by.by });
      expect(await calendar.book(booking('cal-t3', mine.start), 2)).toBe('booked');
    });
  });

  describe('repricer settings', () => {
    it('lets exactly one of two tenants claim a seller first, and leaves the loser nothing half-written', async () => {
      const store = new DynamoRepricerStore(dynamo(), tables.repricer!.name);
      const settings = (tenantId: string, sellerId: string) => ({ tenantId, sellerId, dryRun: false, paused: false, version: 1 });
      const outcomes = await Promise.allSettled([store.saveSettings(settings('race-a', 'A1RACESELLER01')), store.saveSettings(settings('race-b', 'A1RACESELLER01'))]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const loser = outcomes[0].status === 'rejected' ? 'race-a' : 'race-b';
      const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toMatchObject({ code: 'seller_taken' });
      // Not wedged: the loser has no settings on the seller it lacks, and can take another seller.
      expect(await store.getSettings(loser)).toBeUndefined();
      await store.saveSettings(settings(loser, 'A1RACESELLER02'));
      expect((await store.getSettings(loser))?.sellerId).toBe('A1RACESELLER02');
    });
  });

  describe('repricer offers through the KEYS_ONLY due index and the INCLUDE pushes index, history in its own table', () => {
    it('gives the tick keys only, the worker the offers, the flush the pending push without the offer', async () => {
      const store = new DynamoRepricerStore(dynamo(), tables.repricer!.name);
      const nowMs = Date.parse('2026-02-02T10:00:00Z');
      const rules = toOfferRules(
        { sku: 'SHELF#A-12/B 40 characters long....xx', asin: 'B0KEYSONLY', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2B', strategy: 'buybox', currency: 'EUR', min: '7.50', max: '14.00', tiers: [{ minQuantity: 5, discountPercent: '3' }] },
        't',
      );
      const offer = { ...newStoredOffer('keys-tenant', 'A1KEYSSELLER01', rules, nowMs - 1000), version: 1 };
      expect(await store.putOffer(offer)).toBe(true);
      const page = await store.dueOffers('A1PA6795UKMFR9', dueShardOf('keys-tenant', rules.sku), nowMs, 10, null);
      const key = offerKeyOf(offer);
      expect(page.keys).toEqual([key]);
      expect(await store.getOffers([key, { ...key, sku: 'missing' }])).toEqual([offer]);

      const push = { decisionId: 'd-keys-1', priceMinor: 1195, tiers: [{ minQuantity: 5, priceMinor: 1159 }], decidedAtMs: nowMs, via: 'bulk' as const, attempts: 0 };
      expect(await store.putOffer({ ...offer, version: 2, pendingPush: push, nextRepriceAtMs: nowMs + 120_000 })).toBe(true);
      expect(await store.pendingPushes(nowMs, 100)).toEqual([{ key, sellerId: 'A1KEYSSELLER01', currency: 'EUR', push }]);
      // Waiting for Amazon: not due, and once pushed no longer pending.
      expect((await store.dueOffers('A1PA6795UKMFR9', dueShardOf('keys-tenant', rules.sku), nowMs, 10, null)).keys).toEqual([]);
      expect(await store.putOffer({ ...offer, version: 3, pendingPush: null, nextRepriceAtMs: nowMs + 120_000 })).toBe(true);
      expect(await store.pendingPushes(nowMs, 100)).toEqual([]);

      const history = new DynamoPriceHistory(dynamo(), tables.repricerHistory!.name);
      const entry = {
        tenantId: 'keys-tenant', sku: rules.sku, marketplaceId: 'A1PA6795UKMFR9', audience: 'B2B' as const, at: '2026-02-02T10:00:00.000Z', kind: 'decision' as const,
        decisionId: 'd-keys-1', action: 'undercut', priceMinor: 1195, previousPriceMinor: 1299, currency: 'EUR', reasonCode: 'Undercut', reason: 'r', state: 'seeking', buyBox: 'lost' as const, competitorCount: 3, dryRun: false,
      };
      await history.append([entry]);
      expect(await history.read('keys-tenant', rules.sku, nowMs - 1, nowMs + 1, 10)).toEqual([entry]);
    });

    it('spreads pending pushes over the PUSH_SHARDS partitions of the pushes index', () => {
      const shards = new Set<string>();
      for (let i = 0; i < 500; i++) {
        const rules = toOfferRules({ sku: `SKU-${i}`, asin: 'B0SHARDING', marketplaceId: 'A1PA6795UKMFR9', strategy: 'buybox', currency: 'EUR', min: '1.00', max: '2.00' }, 't');
        const item = offerToItem({ ...newStoredOffer('shard-tenant', 'A1SHARDSELLER1', rules, 0), pendingPush: { decisionId: 'd', priceMinor: 100, tiers: [], decidedAtMs: 0, via: 'bulk' } });
        shards.add(String(item.pushShard));
      }
      expect([...shards].sort()).toEqual(Array.from({ length: PUSH_SHARDS }, (_, n) => `PUSH#${n}`).sort());
    });
  });

  describe('customer repository', () => {
    it('creates a record only once and then only on the version it read', async () => {
      const repo = new DynamoCustomerRepository(dynamo(), tables.core!.name);
      await repo.save(customer('a', 1));
      await expect(repo.save(customer('a', 1))).rejects.toBeInstanceOf(VersionConflictError);
      await repo.save(customer('a', 2));
      await expect(repo.save(customer('a', 2))).rejects.toBeInstanceOf(VersionConflictError);
      await expect(repo.save(customer('a', 4))).rejects.toBeInstanceOf(VersionConflictError);
      expect((await repo.get('a'))?.version).toBe(2);
      expect(await repo.get('missing')).toBeUndefined();
    });

    it('lists only records with pending events that are due, through the sparse outbox index', async () => {
      const repo = new DynamoCustomerRepository(dynamo(), tables.core!.name);
      await repo.save(customer('p1', 1, 2));
      await repo.save(customer('p2', 1, 0));
      const due = await repo.listWithPendingEvents(new Date('2026-01-02T00:00:00Z'), 10);
      expect(due.map((r) => r.tenantId)).toEqual(['p1']);
      expect(await repo.listWithPendingEvents(new Date('2025-12-31T00:00:00Z'), 10)).toEqual([]);
      // Clearing the events drops the record out of the index.
      await repo.save({ ...customer('p1', 2, 0) });
      expect(await repo.listWithPendingEvents(new Date('2026-01-02T00:00:00Z'), 10)).toEqual([]);
    });
  });

  describe('CSM notification store', () => {
    it('stores a notification once and returns the stored one on a repeat', async () => {
      const store = new DynamoCsmNotificationStore(dynamo(), tables.core!.name);
      const first = await store.putIfAbsent(notification('n1', '2026-01-01T10:00:00.000Z'));
      expect(first.created).toBe(true);
      await store.markPushed(first.stored, new Date('2026-01-01T10:00:01Z'));
      const again = await store.putIfAbsent(notification('n1', '2026-01-01T10:00:00.000Z'));
      expect(again.created).toBe(false);
      expect(again.stored.pushedAt).toBe('2026-01-01T10:00:01.000Z');
      // markPushed keeps the first push time.
      await store.markPushed(first.stored, new Date('2026-01-01T11:00:00Z'));
      expect((await store.putIfAbsent(notification('n1', '2026-01-01T10:00:00.000Z'))).stored.pushedAt).toBe('2026-01-01T10:00:01.000Z');
    });

    it('lets exactly one of ten concurrent deliveries push a notification; the rest see it pushed or retry', async () => {
      const store = new DynamoCsmNotificationStore(dynamo(), tables.core!.name);
      const pushed: string[] = [];
      const clock = { now: () => new Date('2026-01-01T10:00:00Z') };
      const deps = { notifications: store, push: { push: async (n: CsmNotification) => void pushed.push(n.notificationId) }, clock };
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => notifyCsm(deps, notification('race', '2026-01-01T09:00:00.000Z'))));
      expect(pushed).toEqual(['race']);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(PushInProgressError);
        else expect(['pushed', 'already-pushed']).toContain(o.value);
      }
      // The retries find it pushed.
      expect(await notifyCsm(deps, notification('race', '2026-01-01T09:00:00.000Z'))).toBe('already-pushed');
      expect(pushed).toHaveLength(1);
    });

    it('lets a push claim lapse (a consumer died holding it) and releases it after a failed push', async () => {
      const store = new DynamoCsmNotificationStore(dynamo(), tables.core!.name);
      await store.putIfAbsent(notification('lapse', '2026-01-01T09:00:00.000Z'));
      const t0 = new Date('2026-01-01T10:00:00Z');
      expect(await store.claimPush('lapse', t0, new Date(t0.getTime() + 5000))).toBe('claimed');
      expect(await store.claimPush('lapse', new Date(t0.getTime() + 1000), new Date(t0.getTime() + 6000))).toBe('held');
      expect(await store.claimPush('lapse', new Date(t0.getTime() + 5000), new Date(t0.getTime() + 10_000))).toBe('claimed');
      await store.releasePush('lapse');
      expect(await store.claimPush('lapse', new Date(t0.getTime() + 5001), new Date(t0.getTime() + 10_000))).toBe('claimed');
      await store.markPushed((await store.get('lapse'))!, t0);
      expect(await store.claimPush('lapse', new Date(t0.getTime() + 60_000), new Date(t0.getTime() + 70_000))).toBe('pushed');
      expect(Object.keys((await store.get('lapse'))!)).not.toContain('pushClaimUntil');
    });

    it('pages the feed newest first with an opaque cursor, and rejects a forged one', async () => {
      const store = new DynamoCsmNotificationStore(dynamo(), tables.core!.name);
      for (let i = 0; i < 5; i++) await store.putIfAbsent(notification(`f${i}`, `2026-02-0${i + 1}T00:00:00.000Z`));
      const first = await store.listFeed(3);
      expect(first.items.map((n) => n.notificationId)).toEqual(['f4', 'f3', 'f2']);
      const second = await store.listFeed(3, first.nextCursor!);
      expect(second.items.map((n) => n.notificationId)).toEqual(['f1', 'f0', 'n1']);
      await expect(store.listFeed(3, Buffer.from('{"pk":"TENANT#x","sk":"CUSTOMER"}').toString('base64url'))).rejects.toBeInstanceOf(ValidationError);
      await expect(store.listFeed(3, 'not-a-cursor')).rejects.toBeInstanceOf(ValidationError);
    });
  });
});
