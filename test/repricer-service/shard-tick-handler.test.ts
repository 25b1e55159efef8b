/** The shard-tick Lambda's handler: one shard per message, continuations for the rest, bad shards to the DLQ. */
import { describe, expect, it } from 'vitest';
import type { Context, SQSRecord } from 'aws-lambda';
import { createHandler } from '../../functions/repricer-shard-tick/handler.ts';
import { DUE_PAGE_SIZE, DUE_SHARDS, type OfferKey, type RepricerStore, type ShardTick, type TickJob } from '#shared/repricer/index.ts';

const MKT = 'A1PA6795UKMFR9';

function record(body: unknown): SQSRecord {
  return {
    messageId: 'm1', receiptHandle: 'r1', body: JSON.stringify(body), attributes: { ApproximateReceiveCount: '1' } as SQSRecord['attributes'],
    messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-central-1:000000000000:sellerops-repricer-shard-ticks', awsRegion: 'eu-central-1',
  };
}

function harness(perShard: number, pageMs: number) {
  let clockMs = Date.parse('2026-11-30T12:00:00Z');
  const shardsRead: number[] = [];
  const store = {
    dueOffers: async (_mkt: string, shard: number, _now: number, limit: number, cursor: string | null) => {
      shardsRead.push(shard);
      clockMs += pageMs;
      const from = cursor ? Number(cursor) : 0;
      const to = Math.min(perShard, from + limit);
      const keys: OfferKey[] = Array.from({ length: to - from }, (_, k) => ({ tenantId: 't1', marketplaceId: MKT, audience: 'B2C', asin: `B0${shard}${from + k}`, sku: `S-${shard}-${from + k}` }));
      return { keys, cursor: to < perShard ? String(to) : null };
    },
  } as unknown as RepricerStore;
  const jobs: TickJob[] = [];
  const continuations: ShardTick[] = [];
  const deadLettered: string[] = [];
  const handler = createHandler({
    store,
    jobs: { send: async (sent) => void jobs.push(...sent) },
    shardTicks: { send: async (ticks) => void continuations.push(...ticks) },
    now: () => new Date(clockMs),
    deadLetters: { maxReceiveCount: 3, send: async (_r, reason) => void deadLettered.push(reason) },
  });
  const run = (body: unknown) => handler({ Records: [record(body)] }, {} as Context);
  return { run, jobs, continuations, deadLettered, shardsRead };
}

const tick = { version: 1, marketplaceId: MKT, shard: 2, tickMinutes: 5, scheduledTime: '2026-11-30T12:00:00Z' };

describe('the shard-tick handler', () => {
  it('streams its one shard into jobs and sends no continuation when the shard fits its budget', async () => {
    const h = harness(450, 1_000);
    expect(await h.run(tick)).toEqual({ batchItemFailures: [] });
    expect(new Set(h.shardsRead)).toEqual(new Set([2]));
    expect(h.jobs.reduce((n, j) => n + j.keys.length, 0)).toBe(450);
    expect(h.continuations).toEqual([]);
  });

  it('sends the rest of a shard that outlasts its 60 s budget as a continuation, which goes on from there', async () => {
    const h = harness(5 * DUE_PAGE_SIZE, 40_000);
    await h.run(tick);
    expect(h.jobs.reduce((n, j) => n + j.keys.length, 0)).toBe(2 * DUE_PAGE_SIZE);
    expect(h.continuations).toEqual([{ marketplaceId: MKT, shard: 2, tickMinutes: 5, scheduledTime: tick.scheduledTime, resumeFrom: String(2 * DUE_PAGE_SIZE) }]);
    while (h.continuations.length > 0) await h.run({ version: 1, ...h.continuations.shift()! });
    expect(h.jobs.reduce((n, j) => n + j.keys.length, 0)).toBe(5 * DUE_PAGE_SIZE);
  });

  it('dead-letters a message naming a shard the due index does not have', async () => {
    const h = harness(10, 1);
    await h.run({ ...tick, shard: DUE_SHARDS });
    expect(h.deadLettered).toEqual([`shard: ${DUE_SHARDS} is not a due shard (0–${DUE_SHARDS - 1})`]);
    expect(h.jobs).toEqual([]);
  });
});
