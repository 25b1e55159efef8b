import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { exampleSignup, startApi, type Api, type ResponseBody } from '../support/local-stack.ts';
import { httpRoutes } from '#shared/api/routes.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

const feed = async () => (await api.call('GET', '/csm/notifications?limit=100', { token: await api.token('csm', 'csm-anna') })).body;

describe('sign-up → CSM push, through the local stack', () => {
  it('stores the customer, notifies CSM staff in the feed and pushes once over SNS', async () => {
    const token = await api.token('customer', 't1');
    const created = await api.call('POST', '/signups', { token, body: exampleSignup() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ customerId: 't1', contracts: [{ product: 'repricer', status: 'trial' }] });

    const page = await api.eventually(feed, (p) => p.items?.some((n: ResponseBody) => n.customerId === 't1' && n.pushedAt));
    const mine = page.items.filter((n: ResponseBody) => n.customerId === 't1');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ eventType: 'customer.signed-up', title: 'New Repricer sign-up: Example GmbH', language: 'de' });
    const pushes = api.stack.pushes.filter((p) => p.attributes.customerId === 't1');
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.attributes).toMatchObject({ eventType: 'customer.signed-up', language: 'de', product: 'repricer' });

    const own = await api.call('GET', '/customers/t1', { token });
    expect(own.status).toBe(200);
    expect(own.body.companyName).toBe('Example GmbH');
  });

  it('answers 401 without a valid token and keeps tenants apart', async () => {
    expect((await api.call('POST', '/signups', { body: exampleSignup() })).status).toBe(401);
    expect((await api.call('GET', '/customers/t1', { token: 'not.a.jwt' })).status).toBe(401);
    const unauthenticated = await api.call('GET', '/csm/notifications');
    expect(unauthenticated).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'Missing or invalid bearer token' } } });

    const other = await api.token('customer', 't2');
    const foreign = await api.call('GET', '/customers/t1', { token: other });
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain('Example GmbH');
    // Customers cannot read the CSM feed.
    expect((await api.call('GET', '/csm/notifications', { token: other })).status).toBe(403);
    // CSM staff can read any customer.
    expect((await api.call('GET', '/customers/t1', { token: await api.token('csm', 'csm-anna') })).status).toBe(200);
  });

  it('rejects bad input with a clear 4xx naming the field, and a second sign-up with 409', async () => {
    const token = await api.token('customer', 't3');
    const bad = await api.call('POST', '/signups', { token, body: exampleSignup({ language: 'xx', marketplaces: [] }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.message).toMatch(/body\.language/);
    expect(bad.body.error.message).toMatch(/body\.marketplaces/);
    const notJson = await api.call('POST', '/signups', { token, rawBody: '{"product":' });
    expect(notJson).toMatchObject({ status: 400, body: { error: { message: 'body: not valid JSON' } } });
    expect((await api.call('POST', '/signups', { token, body: exampleSignup({ surprise: true }) })).status).toBe(400);
    expect((await api.call('GET', '/csm/notifications?limit=0', { token: await api.token('csm', 'c') })).status).toBe(400);
    expect((await api.call('GET', '/nowhere')).status).toBe(404);

    expect((await api.call('POST', '/signups', { token, body: exampleSignup() })).status).toBe(201);
    const again = await api.call('POST', '/signups', { token, body: exampleSignup() });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'already_signed_up' } } });
    // Nothing half-written: the bad requests left no customer behind for other tenants.
    expect((await api.call('GET', '/customers/t4', { token: await api.token('customer', 't4') })).status).toBe(404);
  });

  it('turns a duplicate delivery of the same event into one notification and one push', async () => {
    const token = await api.token('customer', 't5');
    expect((await api.call('POST', '/signups', { token, body: exampleSignup({ companyName: 'Dup AG' }) })).status).toBe(201);
    await api.eventually(feed, (p) => p.items?.some((n: ResponseBody) => n.customerId === 't5' && n.pushedAt));
    const event = (await feed()).items.find((n: ResponseBody) => n.customerId === 't5');
    // Redeliver the very event SNS delivered (same eventId) straight into the consumer's queue, twice.
    const body = JSON.stringify({
      eventId: 't5#customer.signed-up#repricer#1',
      eventType: 'customer.signed-up',
      version: 1,
      occurredAt: event.occurredAt,
      tenantId: 't5',
      product: 'repricer',
      trialEndsAt: '2030-01-01T00:00:00.000Z',
      customer: { customerId: 't5', companyName: 'Dup AG', language: 'de', marketplaces: ['DE'], amazonSellerId: 'A2EXAMPLE12345', timeZone: 'Europe/Berlin' },
    });
    const sqs = new SQSClient({});
    for (let i = 0; i < 2; i++) await sqs.send(new SendMessageCommand({ QueueUrl: api.stack.messaging.queueUrls.csmNotifier, MessageBody: body }));
    await api.stack.pollers!.idle(120_000);
    sqs.destroy();
    expect((await feed()).items.filter((n: ResponseBody) => n.customerId === 't5')).toHaveLength(1);
    expect(api.stack.pushes.filter((p) => p.attributes.customerId === 't5')).toHaveLength(1);
  });

  it('sends a malformed event to the DLQ with its reason instead of failing the batch', async () => {
    const sqs = new SQSClient({});
    await sqs.send(new SendMessageCommand({ QueueUrl: api.stack.messaging.queueUrls.csmNotifier, MessageBody: '{"eventType":"customer.signed-up","version":1}' }));
    sqs.destroy();
    const dead = await api.eventually(async () => (await api.call('GET', '/_local/dlq')).body.items, (items: ResponseBody[]) => items.length > 0);
    expect(dead).toHaveLength(1);
    expect(dead[0].message.messageAttributes.reason.StringValue).toMatch(/message does not match its contract/);
  });

  it('describes every route in /openapi.json without a token', async () => {
    const doc = await api.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    for (const route of Object.values(httpRoutes)) {
      expect(doc.body.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
    const signup = doc.body.paths['/signups'].post;
    expect(signup.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SignupRequest' });
    expect(doc.body.components.schemas.SignupRequest.required).toContain('amazonSellerId');
    expect(signup.security).toEqual([{ bearer: [] }]);
    expect(doc.body.servers[0].url).toBe(api.stack.url);
  });

  it('moves the clock forward on request and fires the schedules that fell due', async () => {
    const before = new Date((await api.call('GET', '/_local/clock')).body.now).getTime();
    const advanced = await api.call('POST', '/_local/clock/advance', { rawBody: JSON.stringify({ minutes: 5 }) });
    expect(advanced.status).toBe(200);
    expect(new Date(advanced.body.now).getTime() - before).toBeGreaterThanOrEqual(5 * 60_000);
    expect(advanced.body.fired.some((f: string) => f.startsWith('outbox-relay@'))).toBe(true);
    expect((await api.call('POST', '/_local/clock/advance', { body: { days: -1 } })).status).toBe(400);
  });
});
