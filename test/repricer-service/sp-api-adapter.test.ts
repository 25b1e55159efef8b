import { describe, expect, it } from 'vitest';
import { SpApiMarketplace, purchasableOfferPatches, type FetchLike } from '#shared/adapters/sp-api/sp-api-marketplace.ts';
import type { PriceChange } from '#shared/repricer/ports.ts';
import type { ResponseBody } from '../support/local-stack.ts';

const change = (over: Partial<PriceChange> = {}): PriceChange => ({
  sellerId: 'A2SELLER00001', sku: 'SKU-1', asin: 'B000000001', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C',
  price: { minor: 1249, currency: 'EUR' }, quantityTiers: [], ...over,
});

function fakeAmazon(script: (url: string, body: string | undefined) => { status: number; body?: unknown; headers?: Record<string, string> }) {
  const calls: { url: string; method: string; body?: string; headers: Record<string, string> }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, method: init.method, ...(init.body !== undefined ? { body: init.body } : {}), headers: init.headers });
    const r = url.includes('api.amazon.com/auth') ? { status: 200, body: { access_token: 'Atza|token', expires_in: 3600 } } : script(url, init.body);
    return { status: r.status, headers: { get: (n: string) => r.headers?.[n] ?? null }, text: async () => (r.body === undefined ? '' : JSON.stringify(r.body)) };
  };
  let now = 1_000_000;
  const slept: number[] = [];
  const logs: string[] = [];
  const adapter = new SpApiMarketplace({
    credentials: async () => ({ clientId: 'amzn1.app', clientSecret: 'SECRET-VALUE', refreshToken: 'Atzr|REFRESH', region: 'eu' }),
    fetch, now: () => now, sleep: async (ms) => { slept.push(ms); now += ms; }, random: () => 0.5,
    log: (m, f) => logs.push(`${m} ${JSON.stringify(f)}`),
  });
  return { adapter, calls, slept, logs, advance: (ms: number) => (now += ms) };
}

describe('SP-API adapter behind the AmazonMarketplace port', () => {
  it('patches purchasable_offer with audience ALL for B2C and B2B with a quantity discount plan', () => {
    expect(purchasableOfferPatches(change())).toEqual([
      { op: 'replace', path: '/attributes/purchasable_offer', value: [{ marketplace_id: 'A1PA6795UKMFR9', currency: 'EUR', audience: 'ALL', our_price: [{ schedule: [{ value_with_tax: 12.49 }] }] }] },
    ]);
    const b2b = purchasableOfferPatches(change({ audience: 'B2B', quantityTiers: [{ minQuantity: 5, price: { minor: 1199, currency: 'EUR' } }] })) as ResponseBody[];
    expect(b2b[0].value[0].audience).toBe('B2B');
    expect(b2b[0].value[0].quantity_discount_plan[0].schedule[0].levels).toEqual([{ lower_bound: 5, value: 11.99 }]);
  });

  it('refreshes the Login-with-Amazon token once and keeps secrets out of logs', async () => {
    const { adapter, calls, logs } = fakeAmazon(() => ({ status: 500 }));
    await expect(adapter.submitPriceChanges([change()], { dryRun: false })).rejects.toThrow(/throttled|attempts/);
    expect(calls.filter((c) => c.url.includes('auth/o2/token'))).toHaveLength(1);
    expect(logs.join('\n')).not.toMatch(/SECRET-VALUE|Atzr|Atza/);
  });

  it('retries 429 with jittered backoff and still pushes (slower, never dropped)', async () => {
    let n = 0;
    const { adapter, slept } = fakeAmazon(() => (++n <= 2 ? { status: 429 } : { status: 200, body: { sku: 'SKU-1', status: 'ACCEPTED', submissionId: 'sub-1', issues: [] } }));
    const [result] = await adapter.submitPriceChanges([change()], { dryRun: false });
    expect(result).toMatchObject({ status: 'ACCEPTED', submissionId: 'sub-1' });
    expect(adapter.throttles.patchListingsItem).toBe(2);
    expect(slept.filter((ms) => ms >= 100).length).toBeGreaterThanOrEqual(2);
  });

  it('holds patchListingsItem to 5 requests per second per seller without waiting, and uses VALIDATION_PREVIEW for dry runs', async () => {
    const { adapter, calls, slept, advance } = fakeAmazon(() => ({ status: 200, body: { status: 'VALID', submissionId: 's', issues: [] } }));
    const results = await adapter.submitPriceChanges(Array.from({ length: 5 }, (_, i) => change({ sku: `S${i}` })), { dryRun: true });
    expect(results.every((r) => r.status === 'VALIDATED')).toBe(true);
    expect(calls.filter((c) => c.url.includes('/listings/')).every((c) => c.url.includes('mode=VALIDATION_PREVIEW'))).toBe(true);
    // The burst of 5 is spent: the 6th is not sent and says when the next token comes (5/s: 200 ms); nothing slept.
    const patches = () => calls.filter((c) => c.url.includes('/listings/')).length;
    await expect(adapter.submitPriceChanges([change({ sku: 'S5' })], { dryRun: true })).rejects.toMatchObject({ code: 'quota_exhausted', retryAfterMs: 200 });
    expect(patches()).toBe(5);
    expect(slept).toEqual([]);
    advance(200);
    expect((await adapter.submitPriceChanges([change({ sku: 'S5' })], { dryRun: true }))[0]?.status).toBe('VALIDATED');
  });

  it('sends the bulk flush as one JSON_LISTINGS_FEED, each change SUBMITTED until its processing report is read', async () => {
    const { adapter, calls } = fakeAmazon((url) =>
      url.endsWith('/documents') ? { status: 201, body: { feedDocumentId: 'doc-1', url: 'https://s3.example/upload' } } : url.endsWith('/feeds') ? { status: 202, body: { feedId: 'feed-1' } } : { status: 200 },
    );
    const results = await adapter.submitPriceChanges(Array.from({ length: 100 }, (_, i) => change({ sku: `S${i}` })), { dryRun: false, bulk: true });
    expect(results).toHaveLength(100);
    expect(results.every((r) => r.submissionId === 'feed:feed-1' && r.status === 'SUBMITTED')).toBe(true);
    const upload = JSON.parse(calls.find((c) => c.url === 'https://s3.example/upload')!.body!);
    expect(upload.messages).toHaveLength(100);
    expect(JSON.parse(calls.find((c) => c.url.endsWith('/feeds'))!.body!).feedType).toBe('JSON_LISTINGS_FEED');
  });
});
