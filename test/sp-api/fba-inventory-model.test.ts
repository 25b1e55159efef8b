/**
 * The FBA inventory adapter (issue 21 stock) and the local simulated Amazon against Amazon's FBA Inventory API model
 * (`models/fba-inventory-api-model/fbaInventory.json` of amzn/selling-partner-api-models at 34dc93fe): every request
 * of a day of hourly readings (path, query parameters) and every answer of the simulated Amazon is validated against
 * `getInventorySummaries`; the limiter's rate is the model's usage plan; the adapter reads what the model defines.
 *
 * The model is read from `test/fixtures/amazon/models/fbaInventory.json` when it is there (as the other models are),
 * else from the fetched models repository (`/work/.mirror/amzn+selling-partner-api-models`, `git show`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '#shared/adapters/sp-api/client.ts';
import { inventoryPageOf, SpApiFbaInventory } from '#shared/adapters/sp-api/fba-inventory.ts';
import { MemoryQuotaLimiter } from '#shared/adapters/memory-quota-limiter.ts';
import { rateOf } from '#shared/amazon-access/quota.ts';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import { QuotaExhaustedError } from '#shared/kernel/upstream.ts';
import { readFbaStock } from '#shared/repricer/stock.ts';
import type { SimulatedStock } from '#shared/marketplace-sim/simulated-marketplace.ts';
import { SimulatedAmazonReports } from '../../local/simulated-amazon-reports.ts';
import { InMemoryStockStore } from '../support/stock-memory.ts';

interface Parameter { name: string; in: string; required?: boolean; type?: string; enum?: string[]; maxItems?: number; format?: string }
interface Operation { operationId: string; description: string; parameters: Parameter[]; responses: Record<string, { schema?: object }> }
interface Model { paths: Record<string, Record<string, Operation>>; definitions: Record<string, object> }

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'amazon', 'models', 'fbaInventory.json');
const MIRROR = '/work/.mirror/amzn+selling-partner-api-models/repo';
const MODEL_COMMIT = '34dc93fe45f37c9a0b2e56823c808f68b4f81754';

function loadModel(): Model | undefined {
  if (existsSync(FIXTURE)) return JSON.parse(readFileSync(FIXTURE, 'utf8')) as Model;
  if (!existsSync(MIRROR)) return undefined;
  try {
    return JSON.parse(execFileSync('git', ['--git-dir', MIRROR, 'show', `${MODEL_COMMIT}:models/fba-inventory-api-model/fbaInventory.json`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Model;
  } catch {
    return undefined; // a copy without that commit: skipped like no copy at all
  }
}

const model = loadModel();
const PATH = '/fba/inventory/v1/summaries';
const DE = MARKETPLACES.DE.id;
const SELLER = 'A1MODELCHECK01';
const T0 = Date.parse('2026-12-01T06:00:00Z');
const HOUR = 3_600_000;

if (model === undefined) console.warn(`fba-inventory-model: skipped: neither ${FIXTURE} nor ${MIRROR} at ${MODEL_COMMIT} holds fbaInventory.json`);

describe.skipIf(model === undefined)("getInventorySummaries against Amazon's FBA Inventory model", () => {
  const operation = model!.paths[PATH]!['get']!;
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/);
  const responseSchema: ValidateFunction = ajv.compile({ $ref: '#/definitions/GetInventorySummariesResponse', definitions: model!.definitions });

  /** What is wrong with one request and its answer, by the model. */
  function violationsOf(url: URL, method: string, status: number, body: unknown): string[] {
    const found: string[] = [];
    if (method !== 'GET' || url.pathname !== PATH) return [`${method} ${url.pathname}: not getInventorySummaries`];
    for (const name of new Set(url.searchParams.keys())) if (!operation.parameters.some((p) => p.in === 'query' && p.name === name)) found.push(`query parameter ${name} is not in the model`);
    for (const p of operation.parameters) {
      const values = url.searchParams.getAll(p.name);
      if (p.required && values.length === 0) found.push(`required query parameter ${p.name} missing`);
      for (const value of values) {
        const items = p.type === 'array' ? value.split(',') : [value];
        if (p.maxItems !== undefined && items.length > p.maxItems) found.push(`${p.name}: ${items.length} items, the model allows ${p.maxItems}`);
        if (p.enum && !items.every((v) => p.enum!.includes(v))) found.push(`${p.name}=${value} not one of ${p.enum.join(',')}`);
        if (p.type === 'boolean' && !['true', 'false'].includes(value)) found.push(`${p.name}=${value} is not a boolean`);
        if (p.format === 'date-time' && Number.isNaN(Date.parse(value))) found.push(`${p.name}=${value} is not a date-time`);
      }
    }
    if (!operation.responses[String(status)]?.schema) found.push(`HTTP ${status} is not an answer the model defines`);
    else if (!responseSchema(body)) found.push(`answer ${status}: ${ajv.errorsText(responseSchema.errors)}`);
    return found;
  }

  function validating(violations: string[], urls: URL[]): (simulated: FetchLike) => FetchLike {
    return (simulated) => async (url, init) => {
      const parsed = new URL(url);
      const response = await simulated(url, init);
      if (!parsed.hostname.startsWith('sellingpartnerapi')) return response; // Login with Amazon
      urls.push(parsed);
      const text = await response.text();
      violations.push(...violationsOf(parsed, init.method, response.status, JSON.parse(text)));
      return { ...response, text: async () => text };
    };
  }

  it('a day of hourly readings makes only requests the model defines and gets only answers it defines; FBA units are stored, merchant ones are not Amazon’s to report', async () => {
    let now = T0;
    const sim = new SimulatedAmazonReports(() => new Date(now), () => undefined, 10);
    sim.authorise(SELLER);
    sim.inventoryPageSize = 2;
    const stock: SimulatedStock[] = [
      { sku: 'FBA-1', asin: 'B000000001', fba: true, units: 12, updatedAtMs: T0 - 10 * HOUR },
      { sku: 'FBA-2/ä', asin: 'B000000002', fba: true, units: 0, updatedAtMs: T0 - 10 * HOUR },
      { sku: 'FBA-3', asin: 'B000000003', fba: true, units: 4, updatedAtMs: T0 - 10 * HOUR },
      { sku: 'MFN-1', asin: 'B000000004', fba: false, units: 7, updatedAtMs: T0 - 10 * HOUR },
    ];
    sim.useStock((sellerId, marketplaceId) => (sellerId === SELLER && marketplaceId === DE ? stock : []));
    const violations: string[] = [];
    const urls: URL[] = [];
    const store = new InMemoryStockStore();
    const deps = { inventory: sim.inventoryApi(async () => undefined, validating(violations, urls)), store, clock: { now: () => new Date(now) } };
    const request = { tenantId: 't1', sellerId: SELLER, marketplace: 'DE' };
    expect(await readFbaStock(deps, request)).toMatchObject({ full: true, pages: 2, skus: 3 });
    for (let hour = 1; hour < 24; hour++) {
      now = T0 + hour * HOUR;
      if (hour === 5) stock[0] = { ...stock[0]!, units: 11, updatedAtMs: now - 60_000 };
      await readFbaStock(deps, request);
    }
    expect(violations).toEqual([]);
    expect(urls).toHaveLength(2 + 23);
    expect(urls[0]!.searchParams.toString()).toBe(`details=true&granularityType=Marketplace&granularityId=${DE}&marketplaceIds=${DE}`);
    expect(urls[1]!.searchParams.get('nextToken')).not.toBeNull();
    expect(urls[2]!.searchParams.get('startDateTime')).toBe(new Date(T0 - 15 * 60_000).toISOString());
    expect(Object.fromEntries((await store.listStock('t1', DE)).map((s) => [s.sku, s.units]))).toEqual({ 'FBA-1': 11, 'FBA-2/ä': 0, 'FBA-3': 4 });
  });

  it('the validator catches a request or an answer that breaks the model (the check above can fail)', () => {
    const url = new URL(`https://sellingpartnerapi-eu.amazon.com${PATH}?granularityType=Country&granularityId=${DE}&marketplaceIds=${DE},${MARKETPLACES.FR.id}&details=yes&colour=red`);
    const found = violationsOf(url, 'GET', 200, { payload: { inventorySummaries: [{ sellerSku: 'A', inventoryDetails: { fulfillableQuantity: 'many' } }] } });
    expect(found).toEqual([
      'query parameter colour is not in the model',
      'details=yes is not a boolean',
      'granularityType=Country not one of Marketplace',
      'marketplaceIds: 2 items, the model allows 1',
      expect.stringMatching(/^answer 200: .*granularity/),
    ]);
  });

  it('the limiter’s rate is the usage plan the model states (2 requests a second, burst 2)', () => {
    const plan = /\|\s*Rate \(requests per second\)\s*\|\s*Burst\s*\|\s*\n\s*\|[-\s|]+\|\s*\n\s*\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|/.exec(operation.description);
    expect(plan).not.toBeNull();
    expect(rateOf('getInventorySummaries')).toEqual({ ratePerSecond: Number(plan![1]), burst: Number(plan![2]) });
  });

  it('reads an answer of the model’s shape: fulfillable units per seller SKU, a summary without details left out (unknown, not 0), an error answer refused', () => {
    const answer = {
      payload: {
        granularity: { granularityType: 'Marketplace', granularityId: DE },
        inventorySummaries: [
          { asin: 'B000000001', fnSku: 'X000000001', sellerSku: 'A', condition: 'NewItem', inventoryDetails: { fulfillableQuantity: 3, inboundWorkingQuantity: 10, inboundShippedQuantity: 5, inboundReceivingQuantity: 0, reservedQuantity: { totalReservedQuantity: 2 } }, lastUpdatedTime: '2026-12-01T05:00:00Z', productName: 'A', totalQuantity: 20 },
          { asin: 'B000000002', sellerSku: 'NO-DETAILS', totalQuantity: 7 },
        ],
      },
      pagination: { nextToken: 'seed' },
    };
    expect(responseSchema(answer), ajv.errorsText(responseSchema.errors)).toBe(true);
    expect(inventoryPageOf(answer)).toEqual({ summaries: [{ sku: 'A', fulfillableUnits: 3 }], nextToken: 'seed' });
    const error = { errors: [{ code: 'InvalidInput', message: 'Invalid marketplace' }] };
    expect(responseSchema(error)).toBe(true);
    expect(() => inventoryPageOf(error)).toThrow(ValidationError);
  });

  it('a first page without a quota token is not sent (the reading is re-queued); a later page waits for its token (nextToken lives 30 s)', async () => {
    let now = T0;
    const slept: number[] = [];
    const sent: string[] = [];
    const fetch: FetchLike = async (url) => {
      const body = url.includes('api.amazon.com/auth') ? { access_token: 'Atza|token', expires_in: 3600 } : { payload: { granularity: {}, inventorySummaries: [] }, pagination: { nextToken: 'next' } };
      if (!url.includes('api.amazon.com/auth')) sent.push(url);
      return { status: 200, headers: { get: () => null }, text: async () => JSON.stringify(body) };
    };
    const adapter = new SpApiFbaInventory({
      credentials: async () => ({ clientId: 'amzn1.app', clientSecret: 'secret', refreshToken: 'Atzr|refresh', region: 'eu' }),
      fetch, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)), random: () => 0.5,
      limiter: new MemoryQuotaLimiter(() => now),
    });
    const page = { sellerId: SELLER, marketplaceId: DE };
    await adapter.inventorySummaries(page);
    await adapter.inventorySummaries({ ...page, nextToken: 'next' });
    // The burst of 2 is spent: the third page waits half a second (2 a second) instead of failing.
    await adapter.inventorySummaries({ ...page, nextToken: 'next' });
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(0);
    expect(slept[0]).toBeLessThanOrEqual(500);
    expect(sent).toHaveLength(3);
    await expect(adapter.inventorySummaries(page)).rejects.toBeInstanceOf(QuotaExhaustedError);
    expect(sent).toHaveLength(3);
  });
});
