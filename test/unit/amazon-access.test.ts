/** Amazon access, pure and with fakes: the push guard (kill switch, revoked sellers), the kill switch's cache, quotas. */
import { describe, expect, it } from 'vitest';
import type { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GuardedAmazonMarketplace, PushesStoppedError } from '#shared/amazon-access/push-guard.ts';
import type { AmazonConnection, AmazonConnectionStore } from '#shared/amazon-access/ports.ts';
import { afterFailure, afterSuccess, newBucket, takeToken } from '#shared/amazon-access/quota.ts';
import { regionOfMarketplaceId, sellerCentralConsentPage } from '#shared/amazon-access/regions.ts';
import { SsmPushKillSwitch } from '#shared/adapters/ssm/push-kill-switch.ts';
import { parameterPath } from '#shared/adapters/ssm/parameters.ts';
import type { AmazonMarketplace, PriceChange } from '#shared/repricer/index.ts';

const connection = (tenantId: string, sellerId: string, status: AmazonConnection['status']): AmazonConnection => ({
  tenantId, sellerId, status, region: 'eu', marketplace: 'DE', authorisedAt: '2026-01-01T00:00:00Z', revokedAt: null, revokedReason: null, updatedAt: '2026-01-01T00:00:00Z',
});

function connections(list: AmazonConnection[]): AmazonConnectionStore {
  return {
    getConnection: async (t) => list.find((c) => c.tenantId === t),
    tenantOfSeller: async (s) => {
      const c = list.find((x) => x.sellerId === s);
      return c ? { tenantId: c.tenantId, region: c.region } : undefined;
    },
    putConnection: async () => {},
    savePendingAuthorisation: async () => {},
    takePendingAuthorisation: async () => undefined,
    bindSeller: async () => ({ bound: true }),
  };
}

const change = (sellerId: string, sku: string): PriceChange => ({
  sellerId, sku, asin: 'B000000001', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C', price: { minor: 1999, currency: 'EUR' }, quantityTiers: [],
});

describe('the push guard', () => {
  const submitted: string[] = [];
  const amazon: AmazonMarketplace = {
    getMarketSnapshots: async (r) => r.asins.map((asin) => ({ asin, ok: false, error: 'inner called' })),
    feedOutcome: async () => ({ status: 'IN_PROGRESS' }),
    submitPriceChanges: async (changes) => changes.map((c) => (submitted.push(c.sku), { sku: c.sku, marketplaceId: c.marketplaceId, audience: c.audience, status: 'ACCEPTED', submissionId: 's', issues: [] })),
  };
  let stopped = false;
  const guard = new GuardedAmazonMarketplace(amazon, {
    killSwitch: { pushesStopped: async () => stopped },
    connections: connections([connection('t-ok', 'A2OK0000000001', 'authorised'), connection('t-gone', 'A2GONE00000001', 'revoked')]),
    now: () => 0,
  });

  it('submits the authorised seller’s changes and rejects a revoked or unknown seller’s with the reason, in order', async () => {
    const results = await guard.submitPriceChanges([change('A2GONE00000001', 'g'), change('A2OK0000000001', 'ok'), change('A2NOBODY000001', 'x')], { dryRun: false });
    expect(submitted).toEqual(['ok']);
    expect(results.map((r) => [r.sku, r.status])).toEqual([['g', 'REJECTED'], ['ok', 'ACCEPTED'], ['x', 'REJECTED']]);
    expect(results[0]!.issues[0]).toMatch(/revoked/);
    expect(results[2]!.issues[0]).toMatch(/has not authorised/);
    expect((await guard.getMarketSnapshots({ sellerId: 'A2GONE00000001', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C', asins: ['B1'] }))[0]).toMatchObject({ ok: false, error: expect.stringMatching(/revoked/) });
  });

  it('stops every push while the kill switch is on (dry runs still validate)', async () => {
    stopped = true;
    await expect(guard.submitPriceChanges([change('A2OK0000000001', 'ok2')], { dryRun: false })).rejects.toBeInstanceOf(PushesStoppedError);
    expect(await guard.submitPriceChanges([change('A2OK0000000001', 'dry')], { dryRun: true })).toHaveLength(1);
    stopped = false;
  });
});

describe('the kill switch parameter', () => {
  it('is read at most every 30 s, so turning it on stops pushes within a minute', async () => {
    let value: string | undefined = 'false';
    let reads = 0;
    let now = 0;
    const asked: string[] = [];
    const ssm = {
      send: async (command: GetParameterCommand) => (reads++, asked.push(command.input.Name!), value === undefined ? Promise.reject(Object.assign(new Error('x'), { name: 'ParameterNotFound' })) : { Parameter: { Value: value } }),
    } as unknown as SSMClient;
    const killSwitch = new SsmPushKillSwitch(ssm, parameterPath('/sellerops-dev', 'killSwitch'), () => now);
    expect(await killSwitch.pushesStopped()).toBe(false);
    value = 'true';
    now = 29_000;
    expect(await killSwitch.pushesStopped()).toBe(false); // cached
    now = 30_001;
    expect(await killSwitch.pushesStopped()).toBe(true);
    expect(reads).toBe(2);
    value = undefined;
    now = 61_000;
    expect(await killSwitch.pushesStopped()).toBe(false); // no parameter: pushes allowed
    // The stage's own switch: dev's never stops prod's pushes.
    expect(new Set(asked)).toEqual(new Set(['/sellerops-dev/repricer/pushes-stopped']));
  });
});

describe('quota arithmetic and regions', () => {
  it('refills at the rate up to the burst, and the circuit opens after 5 failures for 10 s, doubling', () => {
    let s = newBucket({ ratePerSecond: 2, burst: 2 }, 0);
    for (let i = 0; i < 2; i++) {
      const r = takeToken(s, 0);
      if (!r.granted) throw new Error('burst');
      s = r.next;
    }
    expect(takeToken(s, 0)).toEqual({ granted: false, waitMs: 500, circuitOpen: false });
    expect(takeToken(s, 500).granted).toBe(true);
    for (let i = 0; i < 5; i++) s = afterFailure(s, 1000);
    expect(takeToken(s, 1000)).toMatchObject({ granted: false, circuitOpen: true, waitMs: 10_000 });
    s = afterFailure(s, 11_000);
    expect(s.openUntilMs).toBe(31_000);
    expect(afterSuccess(s)).toMatchObject({ failures: 0, openUntilMs: 0 });
  });

  it('maps marketplaces to regions and Seller Central consent pages', () => {
    expect(regionOfMarketplaceId('ATVPDKIKX0DER')).toBe('na');
    expect(regionOfMarketplaceId('A1VC38T7YXB528')).toBe('fe');
    expect(regionOfMarketplaceId('A1PA6795UKMFR9')).toBe('eu');
    expect(sellerCentralConsentPage('DE')).toBe('https://sellercentral.amazon.de/apps/authorize/consent');
    expect(sellerCentralConsentPage('US')).toBe('https://sellercentral.amazon.com/apps/authorize/consent');
  });
});

describe('SSM parameter paths per stage', () => {
  it("puts each parameter under the stage's root, production's being the documented /sellerops", () => {
    expect(parameterPath('/sellerops', 'spApiApp')).toBe('/sellerops/sp-api/app');
    expect(parameterPath('/sellerops-dev', 'tenantTokens')).toBe('/sellerops-dev/amazon/tenants/');
    expect(() => parameterPath('sellerops', 'killSwitch')).toThrow(/one path segment/);
    expect(() => parameterPath('/sellerops/dev', 'killSwitch')).toThrow(/one path segment/);
  });
});
