import { VersionConflictError } from '#shared/kernel/errors.ts';
import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoActiveCustomers, backfillActiveIndex } from '#shared/adapters/dynamodb/active-customers.ts';
import { DynamoCustomerRepository } from '#shared/adapters/dynamodb/customer-repository.ts';
import { DynamoFeedbackStore } from '#shared/adapters/dynamodb/feedback-store.ts';
import { DynamoRateLimiter, DynamoSupportStore } from '#shared/adapters/dynamodb/support-store.ts';
import { DynamoSurveyStore } from '#shared/adapters/dynamodb/survey-store.ts';
import type { CustomerRecord } from '#shared/customers/customer.ts';
import { newRootCause } from '#shared/service/feedback.ts';
import type { SurveyResponse } from '#shared/service/surveys.ts';
import { tables } from '#infra/wiring.ts';
import { dynamoTargets, useDynamoTarget } from '../support/dynamodb-targets.ts';

const TABLE = tables.core!.name;

const customer = (tenantId: string, status: 'active' | 'cancelled', version = 1): CustomerRecord => ({
  tenantId,
  companyName: tenantId,
  contactEmail: `${tenantId}@example.com`,
  language: 'fr',
  marketplaces: ['FR'],
  amazonSellerId: 'A1EXAMPLE00001',
  timeZone: 'Europe/Paris',
  createdAt: '2026-01-01T00:00:00.000Z',
  contracts: { 'lost-and-found': { product: 'lost-and-found', status, startedAt: '2026-01-01T00:00:00.000Z', trialEndsAt: null, plan: 'starter', offerLimit: 1000, endsAt: null, sequence: 1 } },
  pendingEvents: [],
  version,
});

describe.each(dynamoTargets())('customer-service adapters on $name', (target) => {
  const dynamo = useDynamoTarget(target);

  it('lists exactly the customers with a live contract through the sparse active index, and backfills old items', async () => {
    const repo = new DynamoCustomerRepository(dynamo(), TABLE);
    for (let i = 0; i < 30; i++) await repo.save(customer(`live-${i}`, 'active'));
    await repo.save(customer('gone-1', 'active'));
    await repo.save(customer('gone-1', 'cancelled', 2));
    // An item written before the index existed: no index keys.
    await dynamo().send(new PutCommand({ TableName: TABLE, Item: { pk: 'TENANT#old-1', sk: 'CUSTOMER', entity: 'customer', ...customer('old-1', 'active') } }));
    const active = new DynamoActiveCustomers(dynamo(), TABLE);
    let ids = (await active.listActive()).map((c) => c.tenantId);
    expect(ids.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `live-${i}`).sort());
    expect(await repo.get('live-1')).not.toHaveProperty('activeKey');
    expect(await backfillActiveIndex(dynamo(), TABLE)).toEqual({ scanned: 2, indexed: 1 });
    ids = (await active.listActive()).map((c) => c.tenantId);
    expect(ids).toContain('old-1');
    expect(ids).not.toContain('gone-1');
  });

  it('stores one survey answer per customer and quarter, and pages planned calls', async () => {
    const store = new DynamoSurveyStore(dynamo(), TABLE);
    const response: SurveyResponse = { quarter: '2027-Q1', tenantId: 'live-1', language: 'fr', overall: 9, products: [], improve: null, followUpConsent: true, recordedAt: 'x', recordedBy: 's', taskId: null };
    expect(await store.putResponse(response)).toBe(true);
    expect(await store.putResponse({ ...response, overall: 1 })).toBe(false);
    expect((await store.listResponses('2027-Q1')).map((r) => r.overall)).toEqual([9]);
    await store.putPlannedCalls(Array.from({ length: 60 }, (_, i) => ({ quarter: '2027-Q1', tenantId: `t${i}`, taskId: `task-${i}`, language: 'fr' as const, assigneeId: 's', basis: 'language' as const, day: '2027-01-04' })));
    const first = await store.listPlannedCalls('2027-Q1', undefined, 50);
    const second = await store.listPlannedCalls('2027-Q1', first.nextCursor!, 50);
    expect(first.items.length + second.items.length).toBe(60);
    await expect(store.listPlannedCalls('2027-Q2', first.nextCursor!, 50)).rejects.toThrow(/cursor/);
  });

  it('counts rate-limit hits with a conditional counter and refuses at the limit, counting nothing for a refused request', async () => {
    const limiter = new DynamoRateLimiter(dynamo(), TABLE);
    const now = new Date('2027-01-04T10:00:00Z');
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await limiter.hitAll([{ key: 'email#x@example.com', limit: 3 }], 3600, now));
    expect(hits).toEqual([undefined, undefined, undefined, 'email#x@example.com']);
    expect(await limiter.hitAll([{ key: 'email#x@example.com', limit: 3 }], 3600, new Date('2027-01-04T11:00:01Z'))).toBeUndefined();
    // The address has room, the e-mail does not: refused, and the address is not counted.
    const both = [{ key: 'ip#198.51.100.1', limit: 5 }, { key: 'email#x@example.com', limit: 3 }];
    expect(await limiter.hitAll(both, 3600, now)).toBe('email#x@example.com');
    const { Item } = await dynamo().send(new GetCommand({ TableName: TABLE, Key: { pk: 'RATE#ip#198.51.100.1', sk: `WINDOW#${Date.parse('2027-01-04T10:00:00Z') / 1000}` } }));
    expect(Item).toBeUndefined();
  });

  it('version-conditions root causes and support requests', async () => {
    const feedback = new DynamoFeedbackStore(dynamo(), TABLE);
    const rc = { ...newRootCause('dashboard', ['slow'], { verbatim: 'slow', recordedAt: 'x' }), version: 1 };
    await feedback.saveRootCause(rc);
    await expect(feedback.saveRootCause(rc)).rejects.toBeInstanceOf(VersionConflictError);
    await feedback.saveRootCause({ ...rc, mentions: 1, version: 2 });
    expect((await feedback.listRootCauses('dashboard')).map((r) => r.mentions)).toEqual([1]);
    const support = new DynamoSupportStore(dynamo(), TABLE);
    const request = { requestId: 'sr-1', channel: 'web' as const, status: 'open' as const, tenantId: null, name: 'n', email: 'e@x.de', language: 'fr' as const, subject: 's', message: 'm', csmId: null, routing: 'unrouted' as const, taskId: 'task-1', loggedBy: null, createdAt: 'x', updatedAt: 'x', history: [], version: 1 };
    expect(await support.createIfAbsent(request)).toBe(true);
    expect(await support.createIfAbsent(request)).toBe(false);
    await expect(support.save(request)).rejects.toBeInstanceOf(VersionConflictError);
    await support.save({ ...request, status: 'resolved', version: 2 });
    expect((await support.get('sr-1'))?.status).toBe('resolved');
  });
});
