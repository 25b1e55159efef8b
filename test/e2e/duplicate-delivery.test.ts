/**
 * Concurrent duplicate delivery for the queue consumers (the CSM notifier's own check is in boundary-faults, the rule
 * import's in bulk-rules): the same message ten times in one batch and five more times in each of two batches sent at
 * once, while the consumers are stopped, then several pollers of the consumer run batches at once. The effect must
 * happen exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { directorySources } from '../../cli/lost-and-found-sources.ts';
import { runAudit } from '#shared/lost-and-found/audit.ts';
import { functions, queues, type FunctionId, type QueueId } from '#infra/wiring.ts';
import { startSqsPollers } from '../../local/sqs-pollers.ts';
import { defineDemoCatalogue, demoAsin } from '../../local/repricer-demo.ts';
import { exampleSignup, startApi, type Api, type ResponseBody } from '../support/local-stack.ts';
import { connectAmazon } from '../support/amazon.ts';

/** Seconds a received copy stays invisible: longer than a batch takes on a loaded machine, short enough to retry in a test. */
const DUPLICATE_VISIBILITY_SECONDS = 20;
const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'fba-reports');
let api: Api;
beforeAll(async () => {
  // The example reports end on 2025-06-30. The visibility timeout is short, so a delivery that lost a race comes back
  // within the test, yet long enough (DUPLICATE_VISIBILITY_SECONDS) that a batch slowed down by a loaded machine is
  // not handed out again while it still runs (at 1 s, copies were dead-lettered as timed out, and the test flaked).
  api = await startApi({ startAt: new Date('2025-06-30T12:00:00Z'), visibilityTimeoutSeconds: DUPLICATE_VISIBILITY_SECONDS });
  const lead = await api.token('csm-lead', 'csm-dup');
  const staff = { name: 'Dora', email: 'dora@example.com', languages: ['de', 'en', 'fr'], capacity: 100 };
  expect((await api.call('PUT', '/csm/staff/csm-dup', { token: lead, body: staff })).status).toBe(200);
});
afterAll(async () => api.stack.stop());

/**
 * Lambda runs several batches of one queue at once (up to the trigger's maxConcurrency); the local stack polls one.
 * One more is enough for two batches to overlap.
 */
const CONCURRENT_BATCHES = 1;

/** The function the wiring triggers from `queue`. */
function consumerOf(queue: QueueId): FunctionId {
  const ids = Object.entries(functions).filter(([, spec]) => spec.triggers.some((t) => t.kind === 'sqs' && t.queue === queue)).map(([id]) => id);
  expect(ids, `consumers of ${queue}`).toHaveLength(1);
  return ids[0]!;
}

/**
 * 20 copies of `body` on `queue`: ten in one batch, then two batches of five sent at the same time; then the
 * stack's pollers and CONCURRENT_BATCHES more of the queue's consumer receive them, so batches run concurrently.
 */
async function deliverConcurrently(queue: QueueId, body: string): Promise<void> {
  await api.stack.pollers?.stop();
  api.stack.pollers = undefined;
  const sqs = new SQSClient({});
  const batch = (n: number, prefix: string) =>
    sqs.send(new SendMessageBatchCommand({ QueueUrl: api.stack.messaging.queueUrls[queue], Entries: Array.from({ length: n }, (_, i) => ({ Id: `${prefix}${i}`, MessageBody: body })) }));
  await batch(10, 'a');
  await Promise.all([batch(5, 'b'), batch(5, 'c')]);
  sqs.destroy();
  const consumer = consumerOf(queue);
  const extra = Array.from({ length: CONCURRENT_BATCHES }, () => startSqsPollers({ handlers: api.stack.handlers, queueUrls: api.stack.messaging.queueUrls, only: [consumer] }));
  api.stack.startPollers();
  try {
    await api.drained(queues[queue]!.name);
    await Promise.all(extra.map((p) => p.idle(120_000)));
    await api.stack.pollers!.idle(120_000);
  } finally {
    await Promise.all(extra.map((p) => p.stop()));
  }
}

describe('concurrent duplicate delivery, every consumer: exactly one effect', () => {
  it('repricer market changes: one re-consultation task and one push', async () => {
    const tenant = 'dup-market';
    const token = await api.token('customer', tenant);
    expect((await api.call('POST', '/signups', { token, body: exampleSignup({ amazonSellerId: 'A2DUPMARKET001' }) })).status).toBe(201);
    await api.eventually(async () => api.stack.pushes.filter((p) => p.attributes.customerId === tenant), (p) => p.length === 1);
    await api.stack.pollers!.idle();
    const deliveries = api.stack.pushDeliveries.count;
    const change = {
      eventType: 'market.changed',
      version: 1,
      kind: 'amazon-appeared',
      tenantId: tenant,
      sellerId: 'A2DUPMARKET001',
      marketplaceId: 'A1PA6795UKMFR9',
      asin: 'B0DUP00001',
      audience: 'B2C',
      detail: 'Amazon retail appeared on the listing',
      occurredAt: '2025-06-30T12:00:00.000Z',
    };
    await deliverConcurrently('repricerMarketChanges', JSON.stringify(change));
    expect(api.stack.pushDeliveries.count - deliveries).toBe(1);
    const csm = await api.token('csm', 'csm-dup');
    const feed = (await api.call('GET', '/csm/notifications?limit=100&scope=all', { token: csm })).body.items as { customerId: string; eventType: string }[];
    expect(feed.filter((n) => n.customerId === tenant && n.eventType === 'market.changed')).toHaveLength(1);
    const tasks = [
      ...((await api.call('GET', '/csm/tasks', { token: csm })).body.items as { tenantId: string; kind: string }[]),
      ...((await api.call('GET', '/csm/tasks/unassigned', { token: csm })).body.items as { tenantId: string; kind: string }[]),
    ];
    expect(tasks.filter((t) => t.tenantId === tenant && t.kind === 're-consultation')).toHaveLength(1);
    expect((await api.call('GET', '/_local/dlq')).body.items).toEqual([]);
  });

  it('Lost & Found auditor: one job, each claim once, the same claims a single audit finds', async () => {
    const tenant = 'dup-audit';
    const token = await api.token('customer', tenant);
    for (const name of ['inventory-ledger-part1.tsv', 'inventory-ledger-part2.tsv', 'reimbursements.tsv', 'customer-returns.tsv']) {
      const signed = await api.call('POST', '/lost-and-found/uploads', { token, body: { fileName: name } });
      expect((await fetch(signed.body.uploadUrl, { method: 'PUT', body: readFileSync(join(EXAMPLES, name)) })).status).toBe(200);
    }
    const auditId = 'audit-duplicate-delivery';
    await deliverConcurrently('lostFoundAudits', JSON.stringify({ version: 1, customerId: tenant, auditId, asOf: '2025-06-30' }));
    const job = (await api.call('GET', `/lost-and-found/audits/${auditId}`, { token })).body;
    expect(job.status, JSON.stringify(job).slice(0, 500)).toBe('done');
    const claims = (await api.call('GET', '/lost-and-found/claims', { token })).body.claims as ResponseBody[];
    const single = await runAudit(
      directorySources(EXAMPLES).filter((s) => ['inventory-ledger-part1.tsv', 'inventory-ledger-part2.tsv', 'reimbursements.tsv', 'customer-returns.tsv'].includes(s.name)),
      { asOf: '2025-06-30' },
    );
    expect(claims.length).toBeGreaterThan(0);
    expect(claims.map((c) => c.id).sort()).toEqual(single.claims.map((c) => c.id).sort());
    // No transition is recorded twice, however many deliveries ran the audit.
    for (const claim of claims) {
      const transitions = (claim.history as { from: string; to: string; action: string }[]).map((h) => `${h.action}:${h.from}->${h.to}`);
      expect(transitions).toEqual([...new Set(transitions)]);
    }
    expect((await api.call('GET', '/_local/dlq')).body.items).toEqual([]);
  });
});

describe('concurrent duplicate delivery, repricer consumers: one decision, one push', () => {
  const tenant = 'dup-repricer';
  const seller = 'A2DUPREPRICE01';
  const DE = 'A1PA6795UKMFR9';
  const sku = `SKU-${demoAsin(0)}`;
  let token: string;
  const historyOf = async () => (await api.call('GET', `/repricer/offers/${sku}/history`, { token })).body.items as { kind: string; marketplaceId: string; audience: string }[];
  const count = (items: { kind: string; marketplaceId: string; audience: string }[], kind: string) => items.filter((e) => e.kind === kind && e.marketplaceId === DE && e.audience === 'B2C').length;

  beforeAll(async () => {
    token = await api.token('customer', tenant);
    expect((await api.call('POST', '/signups', { token, body: exampleSignup({ amazonSellerId: seller, marketplaces: ['DE'] }) })).status).toBe(201);
    await connectAmazon(api, tenant, seller);
    const catalogue = defineDemoCatalogue(api.stack.repricerSim.marketplace, { sellerId: seller, marketplaces: ['DE'], asinsPerMarketplace: 1 });
    expect((await api.call('PUT', '/repricer/rules', { token, body: catalogue })).status).toBe(200);
    await api.stack.repricerSim.relay();
    await api.stack.pollers!.idle(120_000);
  });

  it('repricer worker: a due offer is decided once and its new price pushed once', async () => {
    // Due again, without the tick (which would fan the job out itself): only the copies below decide.
    api.stack.clock.advance(10 * 60_000);
    await api.stack.repricerSim.relay();
    await api.stack.pollers!.idle(120_000);
    const before = await historyOf();
    const job = { version: 2, marketplaceId: DE, fetchBudget: 10, bulk: false, offers: [{ tenantId: tenant, audience: 'B2C', asin: demoAsin(0), sku }] };
    await deliverConcurrently('repricerJobs', JSON.stringify(job));
    const after = await historyOf();
    expect(count(after, 'decision') - count(before, 'decision'), JSON.stringify(after.slice(0, 5))).toBe(1);
    expect(count(after, 'push') - count(before, 'push')).toBe(1);
    expect((await api.call('GET', '/_local/dlq')).body.items).toEqual([]);
  });

  it('repricer notifications: one ANY_OFFER_CHANGED delivered 20 times decides and pushes once', async () => {
    // Past the worker's decision (a notification right after it would only be throttled), again without the tick.
    api.stack.clock.advance(10 * 60_000);
    const before = await historyOf();
    // A competitor undercuts; the relay is not run, so the copies below are the only notifications of it.
    api.stack.repricerSim.marketplace.addOffer(DE, demoAsin(0), 'B2C', { sellerId: 'A9DUPCOMPET001', sku: 'x', listingMinor: 901, shippingMinor: 0, fba: true, rating: 99 });
    const notification = api.stack.repricerSim.marketplace.currentNotification(DE, demoAsin(0), 'B2C', seller);
    await deliverConcurrently('repricerNotifications', JSON.stringify(notification));
    const after = await historyOf();
    expect(count(after, 'decision') - count(before, 'decision'), JSON.stringify(after.slice(0, 5))).toBe(1);
    expect(count(after, 'push') - count(before, 'push')).toBe(1);
    expect((await api.call('GET', '/_local/dlq')).body.items).toEqual([]);
  });
});

describe('concurrent duplicate delivery, Lost & Found report fetcher: each step once', () => {
  it('one fee-preview step delivered 20 times requests the report once and stores it once', async () => {
    const tenant = 'dup-fetch';
    const seller = 'A2DUPFETCH0001';
    const FEES = 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA';
    const token = await api.token('customer', tenant);
    expect((await api.call('POST', '/signups', { token, body: exampleSignup({ product: 'lost-and-found', amazonSellerId: seller }) })).status).toBe(201);
    await api.stack.pollers!.idle(120_000);
    // The authorisation queues the back-fill, one first step per report, while nothing consumes them; the fee
    // preview's (a single one-day period) is kept and every other step is removed, so the copies below are the only fetch work.
    await api.stack.pollers!.stop();
    api.stack.pollers = undefined;
    await connectAmazon(api, tenant, seller);
    const sqs = new SQSClient({});
    const queueUrl = api.stack.messaging.queueUrls.lostFoundReportFetches;
    let step: string | undefined;
    for (;;) {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }));
      const messages = received.Messages ?? [];
      // An empty receive can come before the queue is empty: its own count decides.
      const left = api.stack.messaging.server.inspectQueue(queues.lostFoundReportFetches!.name)?.messages;
      if (messages.length === 0 && left?.ready.length === 0 && left.delayed.length === 0) break;
      for (const message of messages) {
        const body = JSON.parse(message.Body!) as { customerId: string; reportType: string };
        if (body.customerId === tenant && body.reportType === FEES) step = message.Body;
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
      }
    }
    sqs.destroy();
    expect(step, 'the planner queued the fee preview step').toBeDefined();
    const calls = { ...api.stack.amazonReports.calls };
    const delta = (operation: string) => (api.stack.amazonReports.calls[operation] ?? 0) - (calls[operation] ?? 0);
    await deliverConcurrently('lostFoundReportFetches', step!);
    const fetches = await api.eventually(
      async () => (await api.call('GET', '/lost-and-found/report-fetches', { token })).body.reports as { reportType: string; state: string; files: string[] }[],
      (reports) => reports.some((r) => r.reportType === FEES && (r.state === 'done' || r.state === 'failed')),
    );
    await api.stack.pollers!.idle(120_000);
    const fees = fetches.find((r) => r.reportType === FEES)!;
    expect(fees.state, JSON.stringify(fees)).toBe('done');
    expect(fees.files).toHaveLength(1);
    // However many copies ran, the fee preview was requested from Amazon once (and stored once, above).
    expect(delta(`createReport:${FEES}`)).toBe(1);
    expect((await api.call('GET', '/_local/dlq')).body.items).toEqual([]);
  });
});

describe('concurrent duplicate delivery, Amazon profile analysis: one analysis', () => {
  it('amazon.connected delivered 20 times stores one analysis and ends done', async () => {
    const tenant = 'dup-profile';
    const seller = 'A3DUPPROFILE01';
    const token = await api.token('customer', tenant);
    expect((await api.call('POST', '/signups', { token, body: exampleSignup({ amazonSellerId: seller }) })).status).toBe(201);
    await api.stack.pollers!.idle(120_000);
    const onboarding = async () => (await api.call('GET', `/customers/${tenant}/onboarding`, { token })).body;
    expect((await onboarding()).analysis.status).toBe('pending');
    // Authorised while nothing consumes: its own amazon.connected waits on the queue with the copies below.
    await api.stack.pollers!.stop();
    api.stack.pollers = undefined;
    await connectAmazon(api, tenant, seller);
    const connected = { eventType: 'amazon.connected', version: 1, eventId: 'evt-dup-profile', occurredAt: '2025-06-30T12:00:00.000Z', tenantId: tenant, sellerId: seller, region: 'eu' };
    await deliverConcurrently('amazonProfileAnalysis', JSON.stringify(connected));
    const done = await onboarding();
    expect(done.analysis.status, JSON.stringify(done).slice(0, 500)).toBe('done');
    expect(done.profile.sellerId).toBe(seller);
    expect(done.recommendation).not.toBeNull();
    expect((await api.call('GET', '/_local/dlq')).body.items).toEqual([]);
  });
});
