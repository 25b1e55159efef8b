/**
 * POST /repricer/simulations (issue 21): the notifications the local stack's simulated Amazon sends are recorded as
 * market history, and the what-if replays the caller's own history only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleSignup, startApi, type Api } from '../support/local-stack.ts';
import { connectAmazon } from '../support/amazon.ts';

const SELLER_A = 'A2WHATIFSELLA1';
const SELLER_B = 'A2WHATIFSELLB1';
const ASIN = 'B0WHATIF01';
let api: Api;
let tokenA: string;
let tokenB: string;

const rules = (sellerId: string) => ({
  sellerId,
  offers: [{ sku: 'WHATIF-1', asin: ASIN, marketplaceId: 'A1PA6795UKMFR9', currency: 'EUR', min: '8.00', max: '15.00', step: '0.05', strategy: 'buybox' }],
});

beforeAll(async () => {
  api = await startApi();
  tokenA = await api.token('customer', 'whatif-a');
  tokenB = await api.token('customer', 'whatif-b');
  for (const [tenant, token, seller] of [['whatif-a', tokenA, SELLER_A], ['whatif-b', tokenB, SELLER_B]] as const) {
    expect((await api.call('POST', '/signups', { token, body: exampleSignup({ amazonSellerId: seller }) })).status).toBe(201);
    await connectAmazon(api, tenant, seller);
  }
  // Only A reprices the listing. B simulates rules it never stored: with stored rules B's own ticks would record B's
  // own view of the same listing (its history, rightly), and whether one ran before B's simulation is timing.
  expect((await api.call('PUT', '/repricer/rules', { token: tokenA, body: rules(SELLER_A) })).status).toBe(200);
  // Tenant A's listing in the simulated marketplace (the static field of competitors), and its first notification.
  expect((await api.call('PUT', '/_local/sim/listings', { body: { marketplace: 'DE', asin: ASIN, sellerId: SELLER_A, sku: 'WHATIF-1', price: '12.99' } })).status).toBe(200);
  expect((await api.call('POST', '/_local/sim/notify', { body: { marketplace: 'DE', asin: ASIN, sellerId: SELLER_A } })).status).toBe(202);
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

const simulate = (token: string, body: unknown) => api.call('POST', '/repricer/simulations', { token, body });

describe('POST /repricer/simulations', () => {
  it("replays the tenant's recorded market history against its rules", async () => {
    // The notification is recorded by the notifications consumer (and the repricer's push brings another).
    await api.eventually(async () => (await simulate(tokenA, { rules: rules(SELLER_A), days: 1 })).body, (b) => b.offers?.[0]?.snapshots >= 1, 120_000);
    await api.call('POST', '/_local/clock/advance', { body: { hours: 6 } });
    const { status, body } = await simulate(tokenA, { rules: rules(SELLER_A), days: 1 });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ sellerId: SELLER_A, days: 1, demandModel: expect.stringContaining('Units:') });
    const [offer] = body.offers;
    expect(offer.coveredDays).toBeGreaterThan(0.2);
    expect(offer.coveredDays).toBeLessThan(1);
    expect(offer.current.buyBoxShare).toBeGreaterThanOrEqual(0);
    expect(offer.proposed.buyBoxShare).toBeGreaterThan(0.9);
  });

  it("reads the units sold per day that the authorisation's back-fill of Amazon's orders report stored", async () => {
    // The simulated Amazon's all-orders report comes with the back-fill the authorisation queued: once its sales are
    // known, a known day without orders is 0 units, not "no sales".
    const body = await api.eventually(async () => (await simulate(tokenA, { rules: rules(SELLER_A), days: 1 })).body, (b) => b.offers?.[0]?.units?.salesRecorded === true, 120_000);
    const [offer] = body.offers;
    expect(typeof offer.current.units).toBe('number');
    expect(offer.notes).not.toContain('no sales recorded for this offer: units and revenue are not estimated');
  });

  it("never shows another tenant's history, even of the same listing", async () => {
    const { status, body } = await simulate(tokenB, { rules: rules(SELLER_B), days: 1 });
    expect(status).toBe(200);
    expect(body.offers[0]).toMatchObject({ snapshots: 0, coveredDays: 0, current: null, proposed: null });
    expect(body.offers[0].notes[0]).toContain('no recorded market');
    // Naming the other tenant's seller is refused outright.
    expect((await simulate(tokenB, { rules: rules(SELLER_A), days: 1 })).status).toBe(403);
  });

  it('validates the request and names the field', async () => {
    const tooLong = await simulate(tokenA, { rules: rules(SELLER_A), days: 91 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('body.days');
    const badRule = await simulate(tokenA, { rules: { ...rules(SELLER_A), offers: [{ ...rules(SELLER_A).offers[0], min: '20.00' }] } });
    expect(badRule.status).toBe(400);
    expect(badRule.body.error.message).toContain('offers[0].min');
    const tooMany = await simulate(tokenA, { rules: { sellerId: SELLER_A, offers: Array.from({ length: 11 }, () => rules(SELLER_A).offers[0]) } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('body.rules.offers');
  });
});
