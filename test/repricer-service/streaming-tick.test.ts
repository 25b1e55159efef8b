/** The tick streams (issue 17): jobs leave while the `due` index is still being read, and what it holds stays bounded. */
import { describe, expect, it } from 'vitest';
import { BULK_THRESHOLD, DUE_PAGE_SIZE, DUE_SHARDS, OFFERS_PER_JOB, runTick, type OfferKey, type RepricerStore, type TickJob } from '#shared/repricer/index.ts';
import { realisticSku } from '../../local/repricer-offers.ts';

const MKT = 'A1PA6795UKMFR9';

/** A `due` index of `perShard` keys in every shard, tenants interleaved; counts the pages read. */
function dueIndex(tenants: number, perShard: number) {
  const reads = { pages: 0 };
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
      const from = cursor ? Number(cursor) : 0;
      const to = Math.min(perShard, from + limit);
      return { keys: Array.from({ length: to - from }, (_, k) => keyAt(shard, from + k)), cursor: to < perShard ? String(to) : null };
    },
  } as unknown as RepricerStore;
  return { store, reads };
}

describe('the streaming tick', () => {
  it('sends jobs as it reads pages, 100 keys of one tenant each, batches of ≤ 10, bulk past the threshold', async () => {
    const { store, reads } = dueIndex(3, 2_500);
    const sent: { pagesReadBefore: number; jobs: readonly TickJob[] }[] = [];
    const plan = await runTick(
      { store, jobs: { send: async (jobs) => void sent.push({ pagesReadBefore: reads.pages, jobs }) }, now: () => new Date('2026-01-01T00:00:00Z') },
      { marketplaceId: MKT, tickMinutes: 5 },
    );
    const all = sent.flatMap((s) => s.jobs);
    expect(plan.dueOffers).toBe(DUE_SHARDS * 2_500);
    expect(all.reduce((n, j) => n + j.keys.length, 0)).toBe(plan.dueOffers);
    expect(plan.jobs).toBe(all.length);
    // Streaming: the first batch left after the first page of each shard (read side by side), long before the last.
    expect(sent[0]!.pagesReadBefore).toBeLessThanOrEqual(DUE_SHARDS);
    expect(reads.pages).toBe(DUE_SHARDS * 2);
    for (const { jobs } of sent) expect(jobs.length).toBeLessThanOrEqual(10);
    for (const job of all) {
      expect(new Set(job.keys.map((k) => k.tenantId)).size).toBe(1);
      expect(job.keys.length).toBeLessThanOrEqual(OFFERS_PER_JOB);
    }
    // Per tenant: the first BULK_THRESHOLD offers are pushed at once, the rest in bulk; fetch budget ≤ 30 calls a tick.
    const ofTenant = all.filter((j) => j.keys[0]!.tenantId === 'tenant-0');
    const immediate = ofTenant.filter((j) => !j.bulk).reduce((n, j) => n + j.keys.length, 0);
    expect(immediate).toBe(BULK_THRESHOLD);
    expect(ofTenant.reduce((n, j) => n + j.fetchBudget, 0)).toBe(30);
    expect(plan).toMatchObject({ sellers: 3, bulkSellers: 3 });
  });

  it('holds one page per shard and at most one unfinished job per tenant: memory follows tenants, not offers', async () => {
    const maxHeldFor = async (perShard: number): Promise<{ due: number; maxHeld: number }> => {
      const { store } = dueIndex(50, perShard);
      let held = 0;
      let maxHeld = 0;
      const plan = await runTick(
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
        { marketplaceId: MKT, tickMinutes: 5 },
      );
      expect(held).toBe(0);
      return { due: plan.dueOffers, maxHeld };
    };
    const small = await maxHeldFor(5_000);
    const large = await maxHeldFor(25_000);
    expect(large.due).toBe(5 * small.due);
    // A page per shard (≤ 2,000 keys each), < 100 waiting per tenant, < 10 jobs waiting for a batch: 5× the offers, same bound.
    const bound = DUE_SHARDS * DUE_PAGE_SIZE + 50 * OFFERS_PER_JOB + 10 * OFFERS_PER_JOB;
    expect(small.maxHeld).toBeLessThanOrEqual(bound);
    expect(large.maxHeld).toBeLessThanOrEqual(bound);
  });
});
