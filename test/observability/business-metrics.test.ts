/**
 * The business metrics reach CloudWatch as EMF lines with the names, dimensions and namespace the README lists, and
 * the SP-API client counts calls, 429s and 5xx per operation.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { powertoolsBusinessMetrics, RecordingBusinessMetrics } from '#shared/adapters/business-metrics.ts';
import { metrics } from '#shared/adapters/observability.ts';
import { SpApiClient, type FetchLike } from '#shared/adapters/sp-api/client.ts';

interface EmfLine {
  readonly _aws: { readonly CloudWatchMetrics: readonly { readonly Namespace: string; readonly Dimensions: readonly (readonly string[])[]; readonly Metrics: readonly { Name: string; Unit: string }[] }[] };
  readonly [field: string]: unknown;
}

function captureEmf(): EmfLine[] {
  const lines: EmfLine[] = [];
  // Powertools Metrics writes through its own Console on stdout.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    for (const line of text.split('\n')) if (line.includes('"_aws"')) lines.push(JSON.parse(line) as EmfLine);
    return true;
  });
  return lines;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('business metrics through Powertools Metrics (EMF)', () => {
  it('writes a dimensioned metric at once, with its own dimensions, in the sellerops namespace', () => {
    const lines = captureEmf();
    powertoolsBusinessMetrics.count('SpApiThrottled', 1, { operation: 'getItemOffersBatch' });
    expect(lines).toHaveLength(1);
    const [line] = lines;
    const [definition] = line!._aws.CloudWatchMetrics;
    expect(definition!.Namespace).toBe('sellerops');
    expect(definition!.Metrics).toEqual([expect.objectContaining({ Name: 'SpApiThrottled', Unit: 'Count' })]);
    expect(definition!.Dimensions.flat()).toContain('operation');
    expect(line).toMatchObject({ SpApiThrottled: 1, operation: 'getItemOffersBatch', service: 'sellerops' });
  });

  it('keeps undimensioned counts for the invocation’s flush, values with their unit', () => {
    const lines = captureEmf();
    powertoolsBusinessMetrics.count('SignUps');
    powertoolsBusinessMetrics.count('SignUps');
    powertoolsBusinessMetrics.measure('AuditRowsPerSecond', 1_250_000);
    expect(lines).toHaveLength(0);
    metrics.publishStoredMetrics();
    expect(lines).toHaveLength(1);
    const [definition] = lines[0]!._aws.CloudWatchMetrics;
    expect(definition!.Metrics).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: 'SignUps', Unit: 'Count' }), expect.objectContaining({ Name: 'AuditRowsPerSecond', Unit: 'Count/Second' })]),
    );
    // EMF lists each value of a metric; CloudWatch sums them.
    expect(lines[0]).toMatchObject({ SignUps: [1, 1], AuditRowsPerSecond: 1_250_000 });
  });

  it('writes money values with their currency as a dimension', () => {
    const lines = captureEmf();
    powertoolsBusinessMetrics.measure('ClaimsPaidValue', 4599, { currency: 'EUR' });
    expect(lines[0]).toMatchObject({ ClaimsPaidValue: 4599, currency: 'EUR' });
    expect(lines[0]!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([expect.objectContaining({ Name: 'ClaimsPaidValue', Unit: 'None' })]);
  });
});

describe('SP-API calls, 429s and 5xx per operation', () => {
  it('counts every HTTP attempt under its operation', async () => {
    const answers = [429, 503, 200];
    const fetch: FetchLike = async (raw) => {
      const token = new URL(raw).pathname === '/auth/o2/token';
      const status = token ? 200 : answers.shift()!;
      const text = JSON.stringify(token ? { access_token: 'Atza|t', expires_in: 3600 } : { payload: [] });
      return { status, headers: { get: () => null }, text: async () => text, arrayBuffer: async () => new TextEncoder().encode(text).buffer };
    };
    const recorded = new RecordingBusinessMetrics();
    const client = new SpApiClient({
      credentials: async () => ({ clientId: 'app', clientSecret: 'secret', refreshToken: 'Atzr|seller', region: 'eu' }),
      fetch,
      sleep: async () => undefined,
      random: () => 0.5,
      metrics: recorded,
    });
    await client.call('S1', 'getMarketplaceParticipations', 'GET', '/sellers/v1/marketplaceParticipations');
    expect(recorded.total('SpApiCalls', { operation: 'getMarketplaceParticipations' })).toBe(3);
    expect(recorded.total('SpApiThrottled', { operation: 'getMarketplaceParticipations' })).toBe(1);
    expect(recorded.total('SpApiServerErrors', { operation: 'getMarketplaceParticipations' })).toBe(1);
    expect(recorded.total('SpApiCalls', { operation: 'lwaToken' })).toBe(1);
  });
});
