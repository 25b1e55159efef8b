/**
 * The reports adapter and the local simulated Amazon against Amazon's own published models
 * (test/fixtures/amazon/models/, see test/fixtures/amazon/SOURCES.md): every request the adapter makes (path,
 * query parameters, body) and every answer the simulated Amazon gives (status, body) over a whole back-fill is
 * validated with a JSON Schema validator against the operation it belongs to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '#shared/adapters/sp-api/client.ts';
import { SpApiClient } from '#shared/adapters/sp-api/client.ts';
import { SpApiReports } from '#shared/adapters/sp-api/reports.ts';
import { ManualClock } from '#shared/kernel/clock.ts';
import { UpstreamError } from '#shared/kernel/upstream.ts';
import { planReportFetches, runReportFetchStep } from '#shared/lost-and-found/report-fetch.ts';
import { SimulatedAmazonReports } from '../../local/simulated-amazon-reports.ts';
import { InMemoryLostFoundStore, InMemoryQueues, InMemoryReportStore, RecordingListingsImporter } from '../support/lost-and-found-memory.ts';
import { RecordingSalesImporter } from '../support/sales-memory.ts';

interface Parameter { name: string; in: string; required?: boolean; schema?: object; type?: string; enum?: string[]; items?: { enum?: string[] } }
interface Operation { operationId: string; parameters?: Parameter[]; responses: Record<string, { schema?: object }> }
interface Model { basePath?: string; paths: Record<string, Record<string, Operation>>; definitions: Record<string, object> }

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'amazon', 'models');
const MODELS: Record<string, Model> = {
  reports: JSON.parse(readFileSync(join(FIXTURES, 'reports_2021-06-30.json'), 'utf8')) as Model,
  inbound: JSON.parse(readFileSync(join(FIXTURES, 'fulfillmentInboundV0.json'), 'utf8')) as Model,
};

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/);
ajv.addFormat('date', /^\d{4}-\d\d-\d\d$/);
ajv.addFormat('int32', true);
ajv.addFormat('int64', true);
ajv.addFormat('double', true);
for (const [name, model] of Object.entries(MODELS)) ajv.addSchema({ $id: name, definitions: model.definitions });

/** A schema of the model (its `$ref`s point into `definitions`) compiled in the model's own namespace. */
function compile(modelName: string, schema: object): ValidateFunction {
  return ajv.compile({ $id: `${modelName}-${Math.random()}`, ...JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', `"${modelName}#/definitions/`)) as object });
}

function operationOf(method: string, path: string): { modelName: string; operation: Operation; pathParams: Record<string, string> } | undefined {
  for (const [modelName, model] of Object.entries(MODELS)) {
    for (const [template, operations] of Object.entries(model.paths)) {
      const names: string[] = [];
      const pattern = new RegExp(`^${template.replace(/\{([^}]+)\}/g, (_m, name: string) => (names.push(name), '([^/]+)'))}$`);
      const match = pattern.exec(path);
      const operation = operations[method.toLowerCase()];
      if (match && operation) return { modelName, operation, pathParams: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)])) };
    }
  }
  return undefined;
}

/** The simulated transport with every SP-API request and answer checked against the models. */
function validating(violations: string[], seen: Set<string>): (simulated: FetchLike) => FetchLike {
  return (simulated) => async (url, init) => {
    const parsed = new URL(url);
    const response = await simulated(url, init);
    const found = operationOf(init.method, parsed.pathname);
    if (!parsed.hostname.startsWith('sellingpartnerapi')) return response; // Login with Amazon, the pre-signed document
    if (!found) {
      violations.push(`${init.method} ${parsed.pathname}: no such operation in the models`);
      return response;
    }
    const { modelName, operation } = found;
    seen.add(operation.operationId);
    const where = operation.operationId;
    const parameters = operation.parameters ?? [];
    for (const name of parsed.searchParams.keys()) {
      if (!parameters.some((p) => p.in === 'query' && p.name === name)) violations.push(`${where}: query parameter ${name} is not in the model`);
    }
    const nextToken = parameters.find((p) => p.in === 'query' && /^nextToken$/i.test(p.name) && parsed.searchParams.has(p.name));
    for (const p of parameters) {
      const value = parsed.searchParams.get(p.name);
      if (p.in === 'query' && p.required && value === null && !nextToken) violations.push(`${where}: required query parameter ${p.name} missing`);
      const allowed = p.enum ?? p.items?.enum;
      if (p.in === 'query' && value !== null && allowed) for (const v of value.split(',')) if (!allowed.includes(v)) violations.push(`${where}: ${p.name}=${v} not one of ${allowed.join(',')}`);
      if (p.in === 'body' && p.schema) {
        const validate = compile(modelName, p.schema);
        if (!validate(JSON.parse(init.body ?? 'null'))) violations.push(`${where} request body: ${ajv.errorsText(validate.errors)}`);
      }
    }
    const text = await response.text();
    const schema = operation.responses[String(response.status)]?.schema;
    if (!schema) violations.push(`${where}: HTTP ${response.status} is not an answer the model defines`);
    else {
      const validate = compile(modelName, schema);
      if (!validate(JSON.parse(text))) violations.push(`${where} answer ${response.status}: ${ajv.errorsText(validate.errors)} in ${text.slice(0, 300)}`);
    }
    return { ...response, text: async () => text };
  };
}

describe("the reports adapter and the simulated Amazon against Amazon's models", () => {
  it('a whole back-fill makes only requests the models define and gets only answers the models define', async () => {
    const clock = new ManualClock(new Date('2026-03-10T04:00:00Z'));
    const sim = new SimulatedAmazonReports(() => clock.now(), () => undefined, 300);
    sim.authorise('A1MODELCHECK01');
    const violations: string[] = [];
    const seen = new Set<string>();
    const store = new InMemoryLostFoundStore();
    const queues = new InMemoryQueues();
    const deps = { amazon: sim.api(async () => undefined, validating(violations, seen)), reports: new InMemoryReportStore(), statuses: store, queue: queues, store, auditQueue: queues, clock, pollDelaySeconds: 60, listings: new RecordingListingsImporter(), sales: new RecordingSalesImporter() };
    await planReportFetches({
      customers: { listActive: async () => [{ tenantId: 't1', amazonSellerId: 'A1MODELCHECK01', marketplaces: ['DE', 'FR'], contracts: { 'lost-and-found': { status: 'active' }, repricer: { status: 'trial' } } }] },
      sellerOf: async () => 'A1MODELCHECK01',
      statuses: store,
      queue: queues,
      clock,
    });
    for (let n = 0; queues.steps.length > 0; n++) await runReportFetchStep(deps, queues.steps.shift()!.step, `delivery-${n}`);
    expect(violations).toEqual([]);
    expect([...seen].sort()).toEqual(['createReport', 'getReport', 'getReportDocument', 'getReports', 'getShipmentItemsByShipmentId', 'getShipments']);
    expect(queues.audits).toHaveLength(1);
  });

  it('the validator catches a request or an answer that breaks the model (the check above can fail)', async () => {
    const violations: string[] = [];
    const broken: FetchLike = async (url) => {
      const path = new URL(url).pathname;
      const body = path.endsWith('/token') ? { access_token: 'Atza|x', expires_in: 3600 } : { reportId: 42 };
      const text = JSON.stringify(body);
      return { status: path.endsWith('/token') ? 200 : 202, headers: { get: () => null }, text: async () => text };
    };
    const client = new SpApiClient({ credentials: async () => ({ clientId: 'c', clientSecret: 's', refreshToken: 'r', region: 'eu' }), fetch: validating(violations, new Set())(broken), sleep: async () => undefined });
    // A numeric reportId is not Amazon's `CreateReportResponse`: the model check names it and the adapter refuses it.
    await expect(new SpApiReports(client).createReport('A1MODELCHECK01', 'GET_LEDGER_DETAIL_VIEW_DATA', ['DE'], new Date(0), new Date(86_400_000))).rejects.toBeInstanceOf(UpstreamError);
    expect(violations.join('\n')).toMatch(/createReport answer 202: .*reportId must be string/);
  });
});
