/**
 * Faults at the edges of the push path: emoji and lone surrogates in text that is pushed, and the same event
 * delivered many times at once. Every check counts deliveries as SNS made them (`pushDeliveries`), not the
 * console's de-duplicated list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from 'node:http';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { exampleSignup, startApi, type Api, type ResponseBody } from '../support/local-stack.ts';

let api: Api;
beforeAll(async () => {
  // A short visibility timeout: a delivery that found the push claimed by another is retried quickly.
  api = await startApi({ visibilityTimeoutSeconds: 1 });
});
afterAll(async () => api.stack.stop());

const pushesFor = (customerId: string) => api.stack.pushes.filter((p) => p.attributes.customerId === customerId);

describe('text that is pushed', () => {
  const form = (subject: string, email: string) => ({ name: 'Zoë 🙂', email, language: 'en', subject, message: 'Please call me back about my claims 🙏' });

  it('accepts a support request with an emoji where the subject is cut, once, and its push arrives', async () => {
    // The push subject is "Support request (web): " + subject cut below 100 characters: the emoji straddles the cut.
    for (const [subject, email] of [['x'.repeat(76) + '😀 tail', 'emoji-76@example.com'], ['y'.repeat(99) + '😀', 'emoji-100@example.com']] as const) {
      const deliveries = api.stack.pushDeliveries.count;
      const sent = await api.call('POST', '/support/requests', { body: form(subject, email) });
      expect(sent.status, JSON.stringify(sent.body)).toBe(202);
      const push = await api.eventually(async () => pushesFor(`web:${email}`), (p) => p.length > 0);
      expect(push).toHaveLength(1);
      expect(push[0]!.subject).toContain('😀');
      expect(api.stack.pushDeliveries.count - deliveries).toBe(1);
      // The same form again is the same request: no second task, no second push.
      expect((await api.call('POST', '/support/requests', { body: form(subject, email) })).body.requestId).toBe(sent.body.requestId);
      await api.stack.pollers!.idle();
      expect(pushesFor(`web:${email}`)).toHaveLength(1);
    }
  });

  it('refuses a lone surrogate with a 400 naming the field, before anything is stored', async () => {
    const raw = JSON.stringify(form('broken', 'lone@example.com')).replace('broken', 'broken \\ud83d');
    const sent = await api.call('POST', '/support/requests', { rawBody: raw });
    expect(sent.status).toBe(400);
    expect(sent.body.error.message).toMatch(/^body\.subject: contains a lone UTF-16 surrogate/);
    const tasks = (await api.call('GET', '/csm/tasks/unassigned', { token: await api.token('csm', 'csm-x') })).body.items as { title: string }[];
    expect(tasks.filter((t) => t.title.includes('broken'))).toEqual([]);
  });
});

describe('concurrent duplicate deliveries', () => {
  it('pushes one notification once when ten copies of its event arrive in one batch', async () => {
    const tenant = 'dup-batch';
    // The sign-up's event waits in the queue while the consumers are stopped; nine copies join it.
    await api.stack.pollers!.stop();
    api.stack.pollers = undefined;
    const token = await api.token('customer', tenant);
    expect((await api.call('POST', '/signups', { token, body: exampleSignup({ product: 'lost-and-found', companyName: 'Batch 🙂 GmbH' }) })).status).toBe(201);
    const queued = await api.eventually(
      // A receive that the stop cut short may hold it in flight until its visibility timeout: either counts.
      async () => {
        const { ready, inflight } = api.stack.messaging.server.inspectQueue('sellerops-csm-notifier')!.messages;
        return [...ready, ...inflight.map((m) => m.message)];
      },
      (messages) => messages.length > 0,
    );
    expect(queued).toHaveLength(1);
    const deliveries = api.stack.pushDeliveries.count;
    const sqs = new SQSClient({});
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: api.stack.messaging.queueUrls.csmNotifier,
        Entries: Array.from({ length: 9 }, (_, i) => ({ Id: String(i), MessageBody: queued[0]!.body })),
      }),
    );
    sqs.destroy();
    api.stack.startPollers();
    await api.eventually(async () => pushesFor(tenant), (p) => p.length > 0);
    await api.stack.pollers!.idle();
    expect(api.stack.pushDeliveries.count - deliveries).toBe(1);
    const feed = (await api.call('GET', '/csm/notifications?limit=100', { token: await api.token('csm', 'csm-x') })).body.items as { customerId: string }[];
    expect(feed.filter((n) => n.customerId === tenant)).toHaveLength(1);
    expect((await api.call('GET', '/_local/dlq')).body.items).toEqual([]);
  });
});

describe('per-customer caps on shared capacity', () => {
  it('lets one customer have two audits queued or running at once: a third is 429 naming them, until one ends', async () => {
    const tenant = 'audit-cap';
    const token = await api.token('customer', tenant);
    const start = (key: string, asOf = '2026-01-15') =>
      fetch(`${api.stack.url}/lost-and-found/audits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ asOf }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as ResponseBody }));
    // The auditors are stopped: the accepted audits stay queued.
    await api.stack.pollers!.stop();
    api.stack.pollers = undefined;
    try {
      const [first, second] = await Promise.all([start('cap-1'), start('cap-2')]);
      expect([first.status, second.status]).toEqual([202, 202]);
      const third = await start('cap-3');
      expect(third).toMatchObject({ status: 429, body: { error: { code: 'too_many_audits' } } });
      expect(third.body.error.message).toContain(first.body.auditId);
      expect(third.body.error.message).toContain(second.body.auditId);
      // A retry of an accepted start is not a new audit: it needs no slot.
      expect(await start('cap-1')).toMatchObject({ status: 202, body: { auditId: first.body.auditId } });
      // Another customer is not limited by this one.
      const other = await api.call('POST', '/lost-and-found/audits', { token: await api.token('customer', 'audit-cap-other'), body: {} });
      expect(other.status).toBe(202);
    } finally {
      api.stack.startPollers();
    }
    // Both end (with nothing uploaded they fail, naming why) and free their slots.
    for (const key of ['cap-1', 'cap-2']) {
      const { body } = await start(key);
      const ended = await api.eventually(
        async () => (await api.call('GET', `/lost-and-found/audits/${body.auditId}`, { token })).body,
        (job) => job.status === 'done' || job.status === 'failed',
      );
      expect(ended.error).toMatch(/^no report files/);
    }
    const fourth = await start('cap-4');
    expect(fourth.status).toBe(202);
  });
});

describe('bad input at the edge is a clear 4xx', () => {
  it('answers a malformed % escape in a path with 400', async () => {
    const lead = await api.token('csm-lead', 'csm-edge');
    for (const bad of ['%', '%zz', '%E0%A4%A', '%ED%A0%BD']) {
      const r = await api.call('GET', `/surveys/results/${bad}`, { token: lead });
      expect(r.status, bad).toBe(400);
      expect(r.body.error.message).toMatch(/^path\.quarter: malformed percent-encoding/);
    }
  });

  it('refuses an impossible date at the API, not in the job', async () => {
    const token = await api.token('customer', 'edge-dates');
    const r = await api.call('POST', '/lost-and-found/audits', { token, body: { asOf: '2026-02-30' } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^body\.asOf/);
    expect((await api.call('GET', '/appointments/slots?date=2026-02-30', { token })).status).toBe(400);
  });

  it('binds an Idempotency-Key to its request body: the same key with another body is a 422', async () => {
    const token = await api.token('customer', 'edge-idem');
    const start = (asOf: string) =>
      fetch(`${api.stack.url}/lost-and-found/audits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'key-1' },
        body: JSON.stringify({ asOf }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as ResponseBody }));
    const first = await start('2025-06-30');
    expect(first.status).toBe(202);
    const retry = await start('2025-06-30');
    expect(retry).toMatchObject({ status: 202, body: { auditId: first.body.auditId } });
    const other = await start('2025-06-01');
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_mismatch' } } });
  });

  it("describes the API at the origin it is asked on, not the first caller's", async () => {
    // fetch cannot set Host: a plain HTTP request can, as any client on the network could.
    const doc = (host: string) =>
      new Promise<{ servers: { url: string }[] }>((resolve, reject) => {
        get(`${api.stack.url}/openapi.json`, { headers: { host } }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(JSON.parse(text) as { servers: { url: string }[] }));
        }).on('error', reject);
      });
    const first = await doc('evil.example');
    const second = await doc('api.example');
    expect(first.servers[0]!.url).toBe('http://evil.example');
    expect(second.servers[0]!.url).toBe('http://api.example');
  });
});

describe('push subscriptions', () => {
  it("keeps every customer's events and foreign addresses out of a manager's reach", async () => {
    const lead = await api.token('csm-lead', 'csm-lead-push');
    const profile = { name: 'Mia', email: 'mia@example.com', languages: ['de', 'en'], capacity: 10, timeZone: 'Europe/Berlin' };
    expect((await api.call('PUT', '/csm/staff/csm-mia', { token: lead, body: profile })).status).toBe(200);
    const mia = await api.token('csm', 'csm-mia');
    const all = await api.call('PUT', '/csm/staff/csm-mia/push', { token: mia, body: { eventTypes: [], languages: [], scope: 'all' } });
    expect(all.status).toBe(403);
    const elsewhere = await api.call('PUT', '/csm/staff/csm-mia/push', { token: mia, body: { eventTypes: [], languages: [], scope: 'mine', endpoint: { protocol: 'email', address: 'collector@evil.example' } } });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.message).toMatch(/^endpoint\.address/);
    const own = await api.call('PUT', '/csm/staff/csm-mia/push', { token: mia, body: { eventTypes: [], languages: [], scope: 'mine', endpoint: { protocol: 'email', address: 'Mia@Example.com' } } });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
  });
});

