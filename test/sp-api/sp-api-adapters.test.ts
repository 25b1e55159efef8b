import { describe, expect, it } from 'vitest';
import { SpApiClient, SpApiThrottledError, type FetchLike } from '#shared/adapters/sp-api/client.ts';
import { SpApiSellerProfileSource } from '#shared/adapters/sp-api/seller-profile-source.ts';
import { analyseProfile, recommendStrategy } from '#shared/onboarding/profile.ts';

type Route = (url: URL, init: { method: string; headers: Record<string, string>; body?: string }) => { status: number; body: unknown; headers?: Record<string, string> };

function fakeAmazon(routes: Record<string, Route>) {
  const seen: string[] = [];
  const fetch: FetchLike = async (raw, init) => {
    const url = new URL(raw);
    seen.push(`${init.method} ${url.pathname}`);
    const key = Object.keys(routes).find((k) => `${init.method} ${url.pathname}`.startsWith(k));
    const result = key ? routes[key]!(url, init) : { status: 404, body: { errors: [{ code: 'NotFound' }] } };
    const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
    return {
      status: result.status,
      headers: { get: (name: string) => result.headers?.[name.toLowerCase()] ?? null },
      text: async () => text,
      arrayBuffer: async () => new TextEncoder().encode(text).buffer,
    };
  };
  const client = new SpApiClient({
    credentials: async () => ({ clientId: 'app', clientSecret: 'secret', refreshToken: 'Atzr|seller', region: 'eu' }),
    fetch,
    sleep: async () => undefined,
    random: () => 0.5,
  });
  return { client, seen };
}

const lwa: Record<string, Route> = {
  'POST /auth/o2/token': (_url, init) => {
    expect(init.body).toContain('grant_type=refresh_token');
    return { status: 200, body: { access_token: 'Atza|token', expires_in: 3600 } };
  },
};

describe('SP-API client', () => {
  it('caches the Login-with-Amazon token per seller and retries throttled calls with backoff', async () => {
    let calls = 0;
    const { client, seen } = fakeAmazon({
      ...lwa,
      'GET /sellers/v1/marketplaceParticipations': (_u, init) => {
        expect(init.headers['x-amz-access-token']).toBe('Atza|token');
        calls++;
        return calls < 3 ? { status: 429, body: {}, headers: { 'retry-after': '1' } } : { status: 200, body: { payload: [] } };
      },
    });
    await client.call('S1', 'getMarketplaceParticipations', 'GET', '/sellers/v1/marketplaceParticipations');
    await client.call('S1', 'getMarketplaceParticipations', 'GET', '/sellers/v1/marketplaceParticipations');
    expect(seen.filter((s) => s.includes('/auth/o2/token'))).toHaveLength(1);
    expect(client.throttles.getMarketplaceParticipations).toBe(2);
  });

  it('gives up after the last attempt with a throttling error, never silently', async () => {
    const { client } = fakeAmazon({ ...lwa, 'GET /sellers': () => ({ status: 429, body: {} }) });
    await expect(client.call('S1', 'getMarketplaceParticipations', 'GET', '/sellers/v1/marketplaceParticipations')).rejects.toBeInstanceOf(SpApiThrottledError);
  });
});

describe('SP-API seller profile source (R-O1)', () => {
  it('builds the profile from participations, listings, catalog brands and 12-month sales', async () => {
    const { client, seen } = fakeAmazon({
      ...lwa,
      'GET /sellers/v1/marketplaceParticipations': () => ({
        status: 200,
        body: { payload: [
          { marketplace: { id: 'A1PA6795UKMFR9' }, participation: { isParticipating: true } },
          { marketplace: { id: 'A13V1IB3VIYZZH' }, participation: { isParticipating: false } },
        ] },
      }),
      'GET /listings/2021-08-01/items/S1': (url) => {
        const page2 = url.searchParams.get('pageToken') === 'p2';
        return {
          status: 200,
          body: page2
            ? { items: [{ sku: 'OWN-2', summaries: [{ marketplaceId: 'A1PA6795UKMFR9', asin: 'B000OWN002', createdDate: '2025-01-10T00:00:00Z' }] }] }
            : {
                items: [
                  { sku: 'OWN-1', summaries: [{ marketplaceId: 'A1PA6795UKMFR9', asin: 'B000OWN001', createdDate: '2024-11-01T00:00:00Z' }] },
                  { sku: 'BOSCH-1', summaries: [{ marketplaceId: 'A1PA6795UKMFR9', asin: 'B000BOSCH1', createdDate: '2025-02-01T00:00:00Z' }] },
                ],
                pagination: { nextToken: 'p2' },
              },
        };
      },
      'GET /catalog/2022-04-01/items': (url) => {
        expect(url.searchParams.get('identifiersType')).toBe('ASIN');
        return {
          status: 200,
          body: { items: url.searchParams.get('identifiers')!.split(',').map((asin) => ({
            asin,
            summaries: [{ brand: asin.includes('OWN') ? 'Lumora' : 'Bosch', browseClassification: { displayName: 'Kitchen' } }],
          })) },
        };
      },
      'GET /sales/v1/orderMetrics': (url) => {
        expect(url.searchParams.get('granularity')).toBe('Total');
        return { status: 200, body: { payload: [{ unitCount: 240 }] } };
      },
    });
    const source = new SpApiSellerProfileSource(client, { ownBrands: async () => ['Lumora'], now: () => new Date('2025-03-01T00:00:00Z') });
    const raw = await source.fetch('S1', ['DE', 'FR']);
    expect(raw.participations).toEqual([{ marketplace: 'DE', since: '2024-11-01T00:00:00Z' }]);
    expect(raw.listings.map((l) => l.brand)).toEqual(['Lumora', 'Bosch', 'Lumora']);
    expect(raw.unitsSold12Months).toBe(240);
    expect(seen.filter((s) => s.startsWith('GET /catalog'))).toHaveLength(1); // three ASINs, one batch
    const profile = analyseProfile(raw, new Date('2025-03-01T00:00:00Z'));
    expect(profile).toMatchObject({ totalSkus: 3, privateLabelSkus: 2, experience: 'new' });
    expect(recommendStrategy(profile).overall).toBe('split');
  });
});

