/** A seeded sample of the OpenAPI-driven fuzz run (`npm run test:faults` sends 10,000+). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRequests, localStoredDataProbe, sendAll, type OpenApiDocument } from '../support/openapi-fuzz.ts';
import { tables } from '#infra/wiring.ts';
import { startApi, type Api } from '../support/local-stack.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => api.stack.stop());

describe('OpenAPI-driven fuzzing (seeded sample)', () => {
  it('answers every generated request on every route without a 5xx, without hanging, and refuses without writing', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body as OpenApiDocument;
    const requests = generateRequests(doc, 20261130, 400);
    expect(new Set(requests.map((r) => r.route)).size).toBeGreaterThanOrEqual(50);
    const tokens = {
      customer: await api.token('customer', 'fuzz-tenant'),
      csm: await api.token('csm', 'csm-fuzz'),
      lead: await api.token('csm-lead', 'csm-fuzz-lead'),
      forged: `${(await api.token('customer', 'fuzz-tenant')).slice(0, -4)}AAAA`,
    };
    const probe = localStoredDataProbe(api.stack, Object.values(tables).map((t) => t.name));
    const outcome = await sendAll(api.stack.url, tokens, requests, { probe });
    expect(outcome.hangs).toEqual([]);
    expect(outcome.serverErrors).toEqual([]);
    // Every refused request that could write was checked against the stored data before and after it.
    expect(outcome.writeChecks).toBeGreaterThan(100);
    expect(outcome.partialWrites).toEqual([]);
    // The probe sees a write when there is one (control: an accepted change of the staff directory).
    const before = await probe.snapshot();
    const staff = { name: 'Probe', email: 'probe@example.com', languages: ['en'], capacity: 10 };
    expect((await api.call('PUT', '/csm/staff/csm-probe', { token: tokens.lead, body: staff })).status).toBe(200);
    expect([...(await probe.snapshot()).keys()].filter((k) => !before.has(k))).not.toEqual([]);
  });
});
