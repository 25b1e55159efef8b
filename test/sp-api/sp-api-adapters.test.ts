import { describe, expect, it } from 'vitest';
import { SpApiClient, SpApiThrottledError, type FetchLike } from '#shared/adapters/sp-api/client.ts';
import { SpApiSellerProfileSource } from '#shared/adapters/sp-api/seller-profile-source.ts';
import { SpApiReports } from '#shared/adapters/sp-api/reports.ts';
import { analyseProfile, recommendStrategy } from '#shared/onboarding/profile.ts';
import { fetchDailyReports, type AuditJob } from '#shared/lost-and-found/jobs.ts';
import { ManualClock } from '#shared/kernel/clock.ts';
import type { LostFoundStore } from '#shared/lost-and-found/ports.ts';

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

describe('SP-API reports (R-L1 intake)', () => {
  function reportsAmazon(status: string) {
    let polls = 0;
    return fakeAmazon({
      ...lwa,
      'POST /reports/2021-06-30/reports': (_u, init) => {
        expect(JSON.parse(init.body!)).toMatchObject({ reportType: 'GET_LEDGER_DETAIL_VIEW_DATA', marketplaceIds: ['A1PA6795UKMFR9'] });
        return { status: 202, body: { reportId: 'R1' } };
      },
      'GET /reports/2021-06-30/reports/R1': () => ({ status: 200, body: polls++ < 2 ? { processingStatus: 'IN_PROGRESS' } : { processingStatus: status, reportDocumentId: 'D1' } }),
      'GET /reports/2021-06-30/documents/D1': () => ({ status: 200, body: { url: 'https://tortuga-prod-eu.s3.example/D1', compressionAlgorithm: 'GZIP' } }),
      'GET /D1': () => ({ status: 200, body: 'gzipped-bytes' }),
    });
  }

  it('creates, polls and downloads a report, keeping a gzip document compressed', async () => {
    const { client } = reportsAmazon('DONE');
    const report = await new SpApiReports(client, { pollEveryMs: 1 }).download('S1', 'GET_LEDGER_DETAIL_VIEW_DATA', ['DE'], new Date('2025-06-29T00:00:00Z'), new Date('2025-06-30T00:00:00Z'));
    expect(report?.fileName).toBe('GET_LEDGER_DETAIL_VIEW_DATA-2025-06-30.tsv.gz');
    expect(new TextDecoder().decode(report!.bytes)).toBe('gzipped-bytes');
    expect(client.calls.getReport).toBe(3);
  });

  it('returns nothing for a cancelled report (no data for the period)', async () => {
    const { client } = reportsAmazon('CANCELLED');
    expect(await new SpApiReports(client, { pollEveryMs: 1 }).download('S1', 'GET_LEDGER_DETAIL_VIEW_DATA', ['DE'], new Date(0), new Date(86_400_000))).toBeUndefined();
  });

  it('stores each day’s reports in the tenant folder and queues one audit per day, however often it runs', async () => {
    const stored = new Map<string, Uint8Array>();
    const jobs = new Map<string, AuditJob>();
    const queued: string[] = [];
    const store = {
      createJob: async (job: AuditJob) => (jobs.has(job.auditId) ? false : (jobs.set(job.auditId, job), true)),
      getJob: async (_customerId: string, auditId: string) => jobs.get(auditId),
    } as unknown as LostFoundStore;
    const deps = {
      amazon: { download: async (_s: string, type: string) => ({ fileName: `${type}.tsv`, bytes: new Uint8Array([1]) }) },
      reports: { sources: async () => [], uploadUrl: async () => ({ url: '', key: '' }), delete: async () => false, put: async (c: string, f: string, b: Uint8Array) => void stored.set(`${c}/${f}`, b) },
      store,
      queue: { enqueue: async (m: { auditId: string }) => void queued.push(m.auditId) },
      clock: new ManualClock(new Date('2025-07-01T03:00:00Z')),
    };
    const customer = { customerId: 't1', amazonSellerId: 'S1', marketplaces: ['DE'] };
    const first = await fetchDailyReports(deps, customer, ['GET_LEDGER_DETAIL_VIEW_DATA', 'GET_FBA_REIMBURSEMENTS_DATA']);
    const again = await fetchDailyReports(deps, customer, ['GET_LEDGER_DETAIL_VIEW_DATA', 'GET_FBA_REIMBURSEMENTS_DATA']);
    expect([...stored.keys()]).toEqual(['t1/GET_LEDGER_DETAIL_VIEW_DATA.tsv', 't1/GET_FBA_REIMBURSEMENTS_DATA.tsv']);
    expect(first.audit?.auditId).toBe(again.audit?.auditId);
    expect(jobs.size).toBe(1);
    expect(first.audit?.asOf).toBe('2025-07-01');
  });
});
