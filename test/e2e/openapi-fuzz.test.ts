/** A seeded sample of the OpenAPI-driven fuzz run (`npm run test:faults` sends 10,000+). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRequests, sendAll, type OpenApiDocument } from '../support/openapi-fuzz.ts';
import { startApi, type Api } from '../support/local-stack.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => api.stack.stop());

describe('OpenAPI-driven fuzzing (seeded sample)', () => {
  it('answers every generated request on every route without a 5xx and without hanging', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body as OpenApiDocument;
    const requests = generateRequests(doc, 20261130, 400);
    expect(new Set(requests.map((r) => r.route)).size).toBeGreaterThanOrEqual(50);
    const tokens = {
      customer: await api.token('customer', 'fuzz-tenant'),
      csm: await api.token('csm', 'csm-fuzz'),
      lead: await api.token('csm-lead', 'csm-fuzz-lead'),
      forged: `${(await api.token('customer', 'fuzz-tenant')).slice(0, -4)}AAAA`,
    };
    const outcome = await sendAll(api.stack.url, tokens, requests);
    expect(outcome.hangs).toEqual([]);
    expect(outcome.serverErrors).toEqual([]);
  });
});
