/**
 * Amazon access on DynamoDB (dynalite and DynamoDB Local): the quota shared by two containers' limiters never
 * exceeds the seller's quota, the circuit breaker is shared too, states are single-use and a seller binds to
 * one tenant only. The limiter never waits: `takeWhenGranted` stands for a unit of work that is re-queued with
 * the `retryAfterMs` it was given and comes back then.
 */
import { describe, expect, it } from 'vitest';
import type { QuotaKey, QuotaLimiter, QuotaRate } from '#shared/amazon-access/ports.ts';
import { DynamoAmazonConnectionStore } from '#shared/adapters/dynamodb/amazon-connection-store.ts';
import { DynamoQuotaLimiter } from '#shared/adapters/dynamodb/quota-limiter.ts';
import { MemoryQuotaLimiter } from '#shared/adapters/memory-quota-limiter.ts';
import { dynamoTargets, useDynamoTarget } from '../support/dynamodb-targets.ts';

const TABLE = 'sellerops-core';
const RATE: QuotaRate = { ratePerSecond: 40, burst: 3 };
const key = { sellerId: 'A2QUOTA0000001', operation: 'patchListingsItem' };

/** The most grants any window [g_i, g_j] may hold: burst + rate × its length (a token bucket's promise). */
function worstExcess(grants: number[], rate: QuotaRate): number {
  const sorted = [...grants].sort((a, b) => a - b);
  let worst = -Infinity;
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i; j < sorted.length; j++) {
      const allowed = rate.burst + (rate.ratePerSecond * (sorted[j]! - sorted[i]!)) / 1000;
      worst = Math.max(worst, j - i + 1 - allowed);
    }
  }
  return worst;
}

/** A unit of work that asks for a token and, refused, comes back after the delay it was told (its re-queue). */
async function takeWhenGranted(limiter: QuotaLimiter, k: QuotaKey, rate: QuotaRate): Promise<void> {
  for (;;) {
    const grant = await limiter.tryAcquire(k, rate);
    if (grant.granted) return;
    if (grant.circuitOpen) throw new Error('circuit open');
    await new Promise((r) => setTimeout(r, grant.retryAfterMs));
  }
}

/** Two "containers", each with 2 concurrent workers taking 8 tokens for the same seller and operation. */
async function spendTogether(limiters: readonly QuotaLimiter[]): Promise<void> {
  await Promise.all(
    limiters.flatMap((limiter) =>
      Array.from({ length: 2 }, async () => {
        for (let n = 0; n < 8; n++) await takeWhenGranted(limiter, key, RATE);
      }),
    ),
  );
}

describe('a per-container limiter is not enough (the control: this test can fail)', () => {
  it('two in-memory limiters spend the quota twice', async () => {
    const grants: number[] = [];
    const counting = (inner: MemoryQuotaLimiter): QuotaLimiter => ({
      tryAcquire: async (k, r) => {
        const grant = await inner.tryAcquire(k, r);
        if (grant.granted) grants.push(Date.now());
        return grant;
      },
      observeRate: (k, r) => inner.observeRate(k, r),
      recordOutcome: (k, ok) => inner.recordOutcome(k, ok),
    });
    await spendTogether([counting(new MemoryQuotaLimiter()), counting(new MemoryQuotaLimiter())]);
    // Two buckets, each with its own burst and rate: together they exceed one seller's quota.
    expect(worstExcess(grants, RATE)).toBeGreaterThan(1);
  });
});

describe.each(dynamoTargets())('Amazon access adapters on $name', (target) => {
  const client = useDynamoTarget(target);

  it('two containers sharing one table never exceed the seller quota', async () => {
    const grants: number[] = [];
    const container = () => new DynamoQuotaLimiter(client(), TABLE, { onGranted: (_k, at) => grants.push(at) });
    await spendTogether([container(), container()]);
    expect(grants).toHaveLength(32);
    expect(worstExcess(grants, RATE)).toBeLessThanOrEqual(1e-6);
  }, 60_000);

  it('takes Amazon’s x-amzn-RateLimit-Limit as the new rate for every container', async () => {
    const k = { sellerId: 'A2QUOTA0000002', operation: 'getItemOffersBatch' };
    const a = new DynamoQuotaLimiter(client(), TABLE);
    const grants: number[] = [];
    const b = new DynamoQuotaLimiter(client(), TABLE, { onGranted: (_k, at) => grants.push(at) });
    await takeWhenGranted(a, k, { ratePerSecond: 1000, burst: 1 });
    await a.observeRate(k, 20); // Amazon says 20 requests per second for this seller
    for (let n = 0; n < 6; n++) await takeWhenGranted(b, k, { ratePerSecond: 1000, burst: 1 });
    expect(worstExcess(grants, { ratePerSecond: 20, burst: 1 })).toBeLessThanOrEqual(1e-6);
    expect(grants[grants.length - 1]! - grants[0]!).toBeGreaterThanOrEqual(5 * 50 - 1);
  });

  it('opens the circuit for every container after repeated failures, and a success closes it', async () => {
    let now = 1_000_000;
    const k = { sellerId: 'A2QUOTA0000003', operation: 'createReport' };
    const a = new DynamoQuotaLimiter(client(), TABLE, { now: () => now });
    const b = new DynamoQuotaLimiter(client(), TABLE, { now: () => now });
    expect(await a.tryAcquire(k, { ratePerSecond: 100, burst: 100 })).toEqual({ granted: true });
    for (let n = 0; n < 5; n++) await a.recordOutcome(k, false);
    expect(await b.tryAcquire(k, { ratePerSecond: 100, burst: 100 })).toEqual({ granted: false, retryAfterMs: 10_000, circuitOpen: true });
    now += 10_001;
    expect(await b.tryAcquire(k, { ratePerSecond: 100, burst: 100 })).toEqual({ granted: true }); // half-open: one call may try
    await b.recordOutcome(k, true);
    expect(await a.tryAcquire(k, { ratePerSecond: 100, burst: 100 })).toEqual({ granted: true });
  });

  it('never waits: an empty bucket answers at once with when its next token comes', async () => {
    const now = 5_000_000;
    const k = { sellerId: 'A2QUOTA0000004', operation: 'createReport' };
    const limiter = new DynamoQuotaLimiter(client(), TABLE, { now: () => now });
    const rate = { ratePerSecond: 1 / 60, burst: 1 };
    expect(await limiter.tryAcquire(k, rate)).toEqual({ granted: true });
    // The clock does not move: a limiter that waited would never return.
    expect(await limiter.tryAcquire(k, rate)).toEqual({ granted: false, retryAfterMs: 60_000, circuitOpen: false });
  });

  it('takes a pending authorisation once, and binds a seller to one tenant only', async () => {
    const store = new DynamoAmazonConnectionStore(client(), TABLE);
    await store.savePendingAuthorisation({ nonce: 'n-1', tenantId: 't-1', region: 'eu', marketplace: 'DE', expiresAtMs: Date.now() + 600_000 });
    const [first, second] = await Promise.all([store.takePendingAuthorisation('n-1'), store.takePendingAuthorisation('n-1')]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(first ?? second).toMatchObject({ tenantId: 't-1', region: 'eu', marketplace: 'DE' });
    expect(await store.takePendingAuthorisation('n-1')).toBeUndefined();

    const results = await Promise.all([store.bindSeller('A2SHARED000001', 't-1', 'eu'), store.bindSeller('A2SHARED000001', 't-2', 'eu')]);
    expect(results.filter((r) => r.bound)).toHaveLength(1);
    const owner = (await store.tenantOfSeller('A2SHARED000001'))!.tenantId;
    expect(await store.bindSeller('A2SHARED000001', owner, 'eu')).toEqual({ bound: true });
    expect(await store.bindSeller('A2SHARED000001', owner === 't-1' ? 't-2' : 't-1', 'eu')).toEqual({ bound: false, owner });
  });
});
