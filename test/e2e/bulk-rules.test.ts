/**
 * Large bulk rule uploads as jobs: more than RULES_WRITTEN_AT_ONCE offers answer 202 at once and are written by the
 * rule-import consumer in chunks, each counted once however often (and however concurrently) its message arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { RULE_IMPORT_CHUNK, RULES_WRITTEN_AT_ONCE } from '#shared/repricer/rule-imports.ts';
import { exampleSignup, startApi, type Api, type ResponseBody } from '../support/local-stack.ts';
import { connectAmazon } from '../support/amazon.ts';

const SELLER = 'A2BULKRULES001';
const OFFERS = 2 * RULE_IMPORT_CHUNK + 100; // 3 chunks, the last one partial
let api: Api;
let token: string;

beforeAll(async () => {
  api = await startApi();
  token = await api.token('customer', 'bulk-1');
  expect((await api.call('POST', '/signups', { token, body: exampleSignup({ amazonSellerId: SELLER }) })).status).toBe(201);
  await connectAmazon(api, 'bulk-1', SELLER);
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

const rulesFile = (sellerId: string, count: number, max = '20.00') => ({
  sellerId,
  offers: Array.from({ length: count }, (_, i) => ({
    sku: `BULK-${String(i).padStart(5, '0')}`,
    asin: `B${String(i).padStart(9, '0')}`,
    marketplaceId: 'A1PA6795UKMFR9',
    currency: 'EUR',
    min: '10.00',
    max,
    strategy: 'buybox',
  })),
});

const put = (body: unknown, key: string) =>
  fetch(`${api.stack.url}/repricer/rules`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, location: r.headers.get('location'), body: (await r.json()) as ResponseBody }));

const job = async (jobId: string) => (await api.call('GET', `/repricer/rules/jobs/${jobId}`, { token })).body;

describe('bulk rule uploads larger than the API can write while the caller waits', () => {
  it(`answers 202 with a job for more than ${RULES_WRITTEN_AT_ONCE} offers and writes every offer once`, async () => {
    // The consumers are stopped while the upload is accepted: nothing is written during the request beyond the job.
    await api.stack.pollers!.stop();
    api.stack.pollers = undefined;
    const accepted = await put(rulesFile(SELLER, OFFERS), 'bulk-upload-1');
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'queued', offers: OFFERS, chunks: 3, chunksDone: 0, created: 0, updated: 0 });
    expect(accepted.location).toBe(`/repricer/rules/jobs/${accepted.body.jobId}`);
    expect((await api.call('GET', '/repricer/offers', { token })).body.items).toHaveLength(0);

    // Every chunk's message arrives three more times, in one batch and across batches, while the consumers run.
    const queued = api.stack.messaging.server.inspectQueue('sellerops-repricer-rule-imports')!.messages;
    const bodies = [...queued.ready, ...queued.inflight.map((m) => m.message)].map((m) => m.body);
    expect(bodies).toHaveLength(3);
    const sqs = new SQSClient({});
    for (let copy = 0; copy < 3; copy++) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: api.stack.messaging.queueUrls.repricerRuleImports,
          Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })),
        }),
      );
    }
    sqs.destroy();
    // A retry of the request (same Idempotency-Key) is the same job, not a second one.
    const retried = await put(rulesFile(SELLER, OFFERS), 'bulk-upload-1');
    expect(retried).toMatchObject({ status: 202, body: { jobId: accepted.body.jobId } });
    api.stack.startPollers();

    // A loaded machine writes slowly: the limit is generous, the check is on the outcome.
    const done = await api.eventually(async () => job(accepted.body.jobId), (j) => j.status === 'done', 240_000);
    await api.stack.pollers!.idle();
    expect(await job(accepted.body.jobId)).toMatchObject({ status: 'done', offers: OFFERS, chunks: 3, chunksDone: 3, created: OFFERS, updated: 0 });
    expect(done.created).toBe(OFFERS);
    const offers = (await api.call('GET', '/repricer/offers', { token })).body.items as { sku: string; version: number }[];
    expect(offers).toHaveLength(OFFERS);
    expect(new Set(offers.map((o) => o.sku)).size).toBe(OFFERS);
    expect((await api.call('GET', '/_local/dlq')).body.items).toEqual([]);
  });

  it('refuses a large upload for another seller before anything is stored, and hides other tenants\' jobs', async () => {
    const refused = await put(rulesFile('A2NOTMINE00001', OFFERS), 'bulk-upload-2');
    expect(refused.status).toBe(403);
    expect(refused.body.jobId).toBeUndefined();
    const bad = await put({ ...rulesFile(SELLER, OFFERS), offers: [...rulesFile(SELLER, OFFERS).offers, { sku: 'X' }] }, 'bulk-upload-3');
    expect(bad.status).toBe(400);
    const accepted = await put(rulesFile(SELLER, OFFERS, '25.00'), 'bulk-upload-4');
    expect(accepted.status).toBe(202);
    const other = await api.call('GET', `/repricer/rules/jobs/${accepted.body.jobId}`, { token: await api.token('customer', 'bulk-other') });
    expect(other.status).toBe(404);
    expect(await api.eventually(async () => job(accepted.body.jobId), (j) => j.status === 'done', 240_000)).toMatchObject({ created: 0, updated: OFFERS });
  });
});
