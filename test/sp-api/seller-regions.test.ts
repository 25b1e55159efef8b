/**
 * Region-aware SP-API (issue 13): each seller's calls go to its own region's endpoint with its own token, a
 * marketplace of another region is never called, Amazon's rate header reaches the limiter, and invalid_grant
 * is a revocation, not a retry.
 */
import { describe, expect, it } from 'vitest';
import type { QuotaKey, QuotaLimiter, QuotaRate } from '#shared/amazon-access/ports.ts';
import { SpApiClient, type FetchLike, type SellerCredentials } from '#shared/adapters/sp-api/client.ts';
import { SpApiMarketplace } from '#shared/adapters/sp-api/sp-api-marketplace.ts';
import { AmazonAuthorisationRevokedError, UpstreamError } from '#shared/kernel/upstream.ts';

const SELLERS: Record<string, SellerCredentials> = {
  A2EUSELLER0001: { clientId: 'app', clientSecret: 's', refreshToken: 'Atzr|eu', region: 'eu' },
  A2NASELLER0001: { clientId: 'app', clientSecret: 's', refreshToken: 'Atzr|na', region: 'na' },
  A2GONESELLER01: { clientId: 'app', clientSecret: 's', refreshToken: 'Atzr|revoked', region: 'eu' },
};

function fakeAmazon() {
  const calls: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push(`${init.method} ${url}`);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
      status,
      headers: { get: (n: string) => headers[n.toLowerCase()] ?? null },
      text: async () => JSON.stringify(body),
    });
    if (url.startsWith('https://api.amazon.com/auth/o2/token')) {
      const refresh = new URLSearchParams(init.body).get('refresh_token');
      if (refresh === 'Atzr|revoked') return reply(400, { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter' });
      return reply(200, { access_token: `Atza|${refresh}`, expires_in: 3600 });
    }
    if (url.includes('/listings/2021-08-01/items/')) return reply(200, { status: 'ACCEPTED', submissionId: 'sub-1', issues: [] }, { 'x-amzn-ratelimit-limit': '2.5' });
    return reply(404, { errors: [{ code: 'NotFound' }] });
  };
  return { calls, fetch };
}

class RecordingLimiter implements QuotaLimiter {
  readonly acquired: string[] = [];
  readonly rates: string[] = [];
  readonly outcomes: string[] = [];
  async tryAcquire(key: QuotaKey, _rate: QuotaRate) {
    this.acquired.push(`${key.sellerId} ${key.operation}`);
    return { granted: true } as const;
  }
  async observeRate(key: QuotaKey, rate: number) {
    this.rates.push(`${key.sellerId} ${key.operation} ${rate}`);
  }
  async recordOutcome(key: QuotaKey, ok: boolean) {
    this.outcomes.push(`${key.sellerId} ${key.operation} ${ok}`);
  }
}

const change = (sellerId: string, marketplaceId: string) => ({
  sellerId, sku: 'SKU-1', asin: 'B000000001', marketplaceId, audience: 'B2C' as const, price: { minor: 1999, currency: 'EUR' as const }, quantityTiers: [],
});

describe('SP-API per seller region', () => {
  it("calls each seller's own region with its own token, through the limiter, and passes Amazon's rate header on", async () => {
    const amazon = fakeAmazon();
    const limiter = new RecordingLimiter();
    const marketplace = new SpApiMarketplace({ credentials: async (s) => SELLERS[s]!, fetch: amazon.fetch, limiter, sleep: async () => {} });
    const [eu] = await marketplace.submitPriceChanges([change('A2EUSELLER0001', 'A1PA6795UKMFR9')], { dryRun: false });
    const [na] = await marketplace.submitPriceChanges([change('A2NASELLER0001', 'ATVPDKIKX0DER')], { dryRun: false });
    expect([eu!.status, na!.status]).toEqual(['ACCEPTED', 'ACCEPTED']);
    expect(amazon.calls.filter((c) => c.includes('/listings/'))).toEqual([
      'PATCH https://sellingpartnerapi-eu.amazon.com/listings/2021-08-01/items/A2EUSELLER0001/SKU-1?marketplaceIds=A1PA6795UKMFR9',
      'PATCH https://sellingpartnerapi-na.amazon.com/listings/2021-08-01/items/A2NASELLER0001/SKU-1?marketplaceIds=ATVPDKIKX0DER',
    ]);
    expect(limiter.acquired).toEqual(['A2EUSELLER0001 patchListingsItem', 'A2NASELLER0001 patchListingsItem']);
    expect(limiter.rates).toEqual(['A2EUSELLER0001 patchListingsItem 2.5', 'A2NASELLER0001 patchListingsItem 2.5']);
  });

  it('never calls a marketplace of another region: the change is rejected with the reason, nothing is sent', async () => {
    const amazon = fakeAmazon();
    const marketplace = new SpApiMarketplace({ credentials: async (s) => SELLERS[s]!, fetch: amazon.fetch, limiter: new RecordingLimiter(), sleep: async () => {} });
    const [result] = await marketplace.submitPriceChanges([change('A2EUSELLER0001', 'ATVPDKIKX0DER')], { dryRun: false });
    expect(result).toMatchObject({ status: 'REJECTED', issues: [expect.stringMatching(/in region na; seller A2EUSELLER0001 authorised us in eu/)] });
    expect(amazon.calls.filter((c) => c.includes('sellingpartnerapi'))).toEqual([]);
    const snapshots = await marketplace.getMarketSnapshots({ sellerId: 'A2EUSELLER0001', marketplaceId: 'ATVPDKIKX0DER', audience: 'B2C', asins: ['B1'] });
    expect(snapshots[0]).toMatchObject({ ok: false });
  });

  it('treats invalid_grant as a revocation (reported once, not retried) and other refusals as UpstreamError, not poison', async () => {
    const amazon = fakeAmazon();
    const revoked: string[] = [];
    const client = new SpApiClient({ credentials: async (s) => SELLERS[s]!, fetch: amazon.fetch, limiter: new RecordingLimiter(), sleep: async () => {}, onRevoked: async (s) => void revoked.push(s) });
    await expect(client.call('A2GONESELLER01', 'getMarketplaceParticipations', 'GET', '/sellers/v1/marketplaceParticipations')).rejects.toBeInstanceOf(AmazonAuthorisationRevokedError);
    expect(revoked).toEqual(['A2GONESELLER01']);
    expect(amazon.calls.filter((c) => c.includes('api.amazon.com'))).toHaveLength(1);
    const refused = client.call('A2EUSELLER0001', 'getMarketplaceParticipations', 'GET', '/sellers/v1/marketplaceParticipations');
    await expect(refused).rejects.toBeInstanceOf(UpstreamError);
    await expect(refused).rejects.toMatchObject({ code: 'amazon_refused' });
  });
});
