/**
 * The tick fans out per `due` shard and each shard tick streams (issue 17): jobs leave while the shard is still
 * being read, what a shard tick holds stays bounded, and the per-seller budgets of a tick are split over the shards.
 */
import { describe, expect, it } from 'vitest';
import {
  BULK_THRESHOLD, DUE_PAGE_SIZE, DUE_SHARDS, OFFERS_PER_JOB, fanOutTick, runShardTick, shareOfShard,
  type OfferKey, type RepricerStore, type ShardTick, type TickJob,
} from '#shared/repricer/index.ts';
import { shardTickV1 } from '#shared/contracts/repricer-messages.ts';
import { realisticSku } from '../../local/repricer-offers.ts';

const MKT = 'A1PA6795UKMFR9';

/** A `due` index of `perShard` keys in every shard, tenants interleaved; counts the pages read. */
function dueIndex(tenants: number, perShard: number) {
  const reads = { pages: 0, shards: new Set<number>() };
  const keyAt = (shard: number, n: number): OfferKey => ({
    tenantId: `tenant-${n % tenants}`,
    marketplaceId: MKT,
    audience: n % 2 === 0 ? 'B2C' : 'B2B',
    asin: `B0${String(shard).padStart(2, '0')}${String(n).padStart(6, '0')}`,
    sku: realisticSku(shard * perShard + n),
  });
  const store = {
    dueOffers: async (_mkt: string, shard: number, _now: number, limit: number, cursor: string | null) => {
      reads.pages++;
      reads.shards.add(shard);
      const from = cursor ? Number(cursor) : 0;
      const to = Math.min(perShard, from + limit);
      return { keys: Array.from({ length: to - from }, (_, k) => keyAt(shard, from + k)), cursor: to < perShard ? String(to) : null };
    },
  } as unknown as RepricerStore;
  return { store, reads };
}

const now = () => new Date('2026-01-01T00:00:00Z');

describe('the scheduled tick', () => {
  it('sends one shard tick per due shard of its marketplace, in the queue contract', async () => {
    const sent: ShardTick[] = [];
    const result = await fanOutTick({ shardTicks: { send: async (ticks) => void sent.push(...ticks) } }, { marketplaceId: MKT, tickMinutes: 5, scheduledTime: '2026-01-01T00:00:00Z' });
    expect(result).toEqual({ marketplaceId: MKT, shardTicks: DUE_SHARDS });
    expect(sent.map((t) => t.shard)).toEqual(Array.from({ length: DUE_SHARDS }, (_, n) => n));
    for (const tick of sent) expect(shardTickV1.parse({ version: 1, ...tick })).toMatchObject({ marketplaceId: MKT, tickMinutes: 5 });
  });
});

describe('a shard tick', () => {
  it('reads only its shard and sends jobs as it reads pages, 100 keys of one tenant each, batches of ≤ 10', async () => {
    const { store, reads } = dueIndex(3, 7_500);
    const sent: { pagesReadBefore: number; jobs: readonly TickJob[] }[] = [];
    const plan = await runShardTick({ store, jobs: { send: async (jobs) => void sent.push({ pagesReadBefore: reads.pages, jobs }) }, now }, { marketplaceId: MKT, shard: 3, tickMinutes: 5 });
    const all = sent.flatMap((s) => s.jobs);
    expect([...reads.shards]).toEqual([3]);
    expect(plan).toMatchObject({ shard: 3, dueOffers: 7_500, jobs: all.length, sellers: 3, bulkSellers: 3 });
    expect(all.reduce((n, j) => n + j.keys.length, 0)).toBe(plan.dueOffers);
    // Streaming: the first batch left after the first page, long before the last.
    expect(sent[0]!.pagesReadBefore).toBe(1);
    expect(reads.pages).toBe(Math.ceil(7_500 / DUE_PAGE_SIZE));
    for (const { jobs } of sent) expect(jobs.length).toBeLessThanOrEqual(10);
    for (const job of all) {
      expect(new Set(job.keys.map((k) => k.tenantId)).size).toBe(1);
      expect(job.keys.length).toBeLessThanOrEqual(OFFERS_PER_JOB);
    }
  });

  it("splits a seller's budgets of a tick over the shards: 300 immediate pushes and 30 getItemOffersBatch calls in all", async () => {
    expect(Array.from({ length: DUE_SHARDS }, (_, s) => shareOfShard(BULK_THRESHOLD, s)).reduce((a, b) => a + b, 0)).toBe(BULK_THRESHOLD);
    const { store } = dueIndex(2, 1_000);
    const all: TickJob[] = [];
    for (let shard = 0; shard < DUE_SHARDS; shard++) {
      await runShardTick({ store, jobs: { send: async (jobs) => void all.push(...jobs) }, now }, { marketplaceId: MKT, shard, tickMinutes: 5 });
    }
    const ofTenant = all.filter((j) => j.keys[0]!.tenantId === 'tenant-0');
    // Every job is all immediate or all bulk; the immediate ones of all shards add up to the seller's 300.
    expect(ofTenant.filter((j) => !j.bulk).reduce((n, j) => n + j.keys.length, 0)).toBe(BULK_THRESHOLD);
    expect(ofTenant.filter((j) => j.bulk).reduce((n, j) => n + j.keys.length, 0)).toBe(DUE_SHARDS * 500 - BULK_THRESHOLD);
    expect(ofTenant.reduce((n, j) => n + j.fetchBudget, 0)).toBe(30);
    // A seller below its share pushes everything at once.
    const small = dueIndex(1, 20);
    const jobs: TickJob[] = [];
    await runShardTick({ store: small.store, jobs: { send: async (j) => void jobs.push(...j) }, now }, { marketplaceId: MKT, shard: 0, tickMinutes: 5 });
    expect(jobs.map((j) => [j.keys.length, j.bulk])).toEqual([[20, false]]);
  });

  it('hands the rest of its shard to a continuation when its time budget runs out: every offer once, the rest in bulk', async () => {
    const { store } = dueIndex(1, 7_000);
    let clockMs = 0;
    // Each page read takes 25 s of the clock: a 60 s budget is used up after the third page.
    const slow = { ...store, dueOffers: async (...args: Parameters<RepricerStore['dueOffers']>) => ((clockMs += 25_000), store.dueOffers(...args)) };
    const jobs: TickJob[] = [];
    const deps = { store: slow, jobs: { send: async (sent: readonly TickJob[]) => void jobs.push(...sent) }, now: () => new Date(clockMs) };
    const first = await runShardTick(deps, { marketplaceId: MKT, shard: 0, tickMinutes: 5, stopAfterMs: 60_000 });
    expect(first.dueOffers).toBe(3 * DUE_PAGE_SIZE);
    expect(first.cursor).not.toBeNull();
    const rest = await runShardTick(deps, { marketplaceId: MKT, shard: 0, tickMinutes: 5, stopAfterMs: 60_000, resumeFrom: first.cursor! });
    expect(rest).toMatchObject({ dueOffers: 7_000 - 3 * DUE_PAGE_SIZE, cursor: null });
    const keys = jobs.flatMap((j) => j.keys.map((k) => k.sku));
    expect(new Set(keys).size).toBe(7_000);
    expect(keys).toHaveLength(7_000);
    // The continuation spends none of the seller's quotas of the tick: its jobs are bulk and fetch nothing.
    const continued = jobs.slice(first.jobs);
    expect(continued.every((j) => j.bulk && j.fetchBudget === 0)).toBe(true);
    expect(jobs.slice(0, first.jobs).filter((j) => !j.bulk).reduce((n, j) => n + j.keys.length, 0)).toBe(shareOfShard(BULK_THRESHOLD, 0));
  });

  it('holds one page and at most one unfinished job per tenant: memory follows tenants, not offers', async () => {
    const maxHeldFor = async (perShard: number): Promise<{ due: number; maxHeld: number }> => {
      const { store } = dueIndex(50, perShard);
      let held = 0;
      let maxHeld = 0;
      const plan = await runShardTick(
        {
          store: {
            ...store,
            dueOffers: async (...args: Parameters<RepricerStore['dueOffers']>) => {
              const page = await store.dueOffers(...args);
              held += page.keys.length;
              maxHeld = Math.max(maxHeld, held);
              return page;
            },
          },
          jobs: { send: async (jobs) => void (held -= jobs.reduce((n, j) => n + j.keys.length, 0)) },
          now: () => new Date(0),
        },
        { marketplaceId: MKT, shard: 0, tickMinutes: 5 },
      );
      expect(held).toBe(0);
      return { due: plan.dueOffers, maxHeld };
    };
    const small = await maxHeldFor(5_000);
    const large = await maxHeldFor(25_000);
    expect(large.due).toBe(5 * small.due);
    // A page (≤ 2,000 keys), < 100 waiting per tenant, < 10 jobs waiting for a batch: 5× the offers, same bound.
    const bound = DUE_PAGE_SIZE + 50 * OFFERS_PER_JOB + 10 * OFFERS_PER_JOB;
    expect(small.maxHeld).toBeLessThanOrEqual(bound);
    expect(large.maxHeld).toBeLessThanOrEqual(bound);
  });
});
