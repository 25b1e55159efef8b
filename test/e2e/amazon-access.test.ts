/**
 * Issue 13 as a new user tries it on the local stack: the SP-API website authorisation against the simulated
 * Seller Central, the seller bound to the tenant, replays and second tenants refused, the sign-up push not
 * waiting for Amazon, revocation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleSignup, startApi, type Api } from '../support/local-stack.ts';
import { connectAmazon, consent, follow, startAuthorisation } from '../support/amazon.ts';

let api: Api;

beforeAll(async () => {
  api = await startApi();
}, 60_000);
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed
afterAll(async () => api?.stack.stop());

async function signUp(tenant: string, overrides: Record<string, unknown> = {}) {
  const response = await api.call('POST', '/signups', { token: await api.token('customer', tenant), body: exampleSignup({ companyName: `Company ${tenant}`, ...overrides }) });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
}

const rulesFor = (sellerId: string) => ({
  sellerId,
  offers: [{ sku: 'SKU-1', asin: 'B000000001', marketplaceId: 'A1PA6795UKMFR9', currency: 'EUR', min: '10.00', max: '20.00', strategy: 'buybox' }],
});

describe('SP-API website authorisation (done-when of issue 13)', () => {
  let firstCallback = '';

  it('signs up, authorises through the consent URL, and shows the connection authorised', async () => {
    await signUp('amz-owner');
    const token = await api.token('customer', 'amz-owner');
    expect((await api.call('GET', '/amazon/connection', { token })).status).toBe(404);

    const started = await startAuthorisation(api, 'amz-owner');
    expect(started.status).toBe(201);
    const url = new URL(started.consentUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${api.stack.url}/_local/amazon/consent`);
    expect(url.searchParams.get('application_id')).toBe('amzn1.sp.solution.sellerops-local-simulated');
    expect(url.searchParams.get('state')).toBe(started.state);
    expect(url.searchParams.get('version')).toBe('beta');
    expect((await api.call('GET', '/amazon/connection', { token })).body.status).toBe('pending');

    const done = await consent(started.consentUrl, 'A2BOUND0000001');
    firstCallback = done.callbackUrl;
    expect(new URL(done.callbackUrl).pathname).toBe('/amazon/authorizations/callback');
    expect(new URL(done.callbackUrl).searchParams.get('selling_partner_id')).toBe('A2BOUND0000001');
    expect(done.status, JSON.stringify(done.body)).toBe(200);

    const connection = await api.call('GET', '/amazon/connection', { token });
    expect(connection.status).toBe(200);
    expect(connection.body).toMatchObject({ sellerId: 'A2BOUND0000001', status: 'authorised', region: 'eu', source: 'simulated' });
    expect(Date.parse(connection.body.authorisedAt)).toBeGreaterThan(0);
    // Staff see it too, by customer id.
    const csm = await api.call('GET', '/amazon/connection?customerId=amz-owner', { token: await api.token('csm', 'csm-anna') });
    expect(csm.body.sellerId).toBe('A2BOUND0000001');
  });

  it("subscribes the authorised seller to Amazon's offer notifications once, however often it authorises", async () => {
    const subscriptionsOf = async (sellerId: string) =>
      ((await follow(`${api.stack.url}/_local/amazon/subscriptions`)).body.subscriptions as { sellerId: string; notificationType: string; destination: string }[])
        .filter((s) => s.sellerId === sellerId)
        .map((s) => `${s.notificationType}→${s.destination}`)
        .sort();
    const expected = ['ANY_OFFER_CHANGED→sellerops-repricer-notifications', 'B2B_ANY_OFFER_CHANGED→sellerops-repricer-notifications', 'REPORT_PROCESSING_FINISHED→sellerops-repricer-notifications'];
    expect(await subscriptionsOf('A2BOUND0000001')).toEqual(expected);
    await connectAmazon(api, 'amz-owner', 'A2BOUND0000001');
    expect(await subscriptionsOf('A2BOUND0000001')).toEqual(expected);
  });

  it('refuses a rules upload naming another seller (403) and accepts the authorised one', async () => {
    const token = await api.token('customer', 'amz-owner');
    const other = await api.call('PUT', '/repricer/rules', { token, body: rulesFor('A2OTHER0000001') });
    expect(other.status, JSON.stringify(other.body)).toBe(403);
    const csv = await api.call('POST', '/repricer/rules/csv', { token, body: { sellerId: 'A2OTHER0000001', csv: 'sku,asin,marketplace,min,max\n' } });
    expect(csv.status).toBe(403);
    const own = await api.call('PUT', '/repricer/rules', { token, body: rulesFor('A2BOUND0000001') });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    // Computed from the simulated marketplace, and it says so.
    expect((await api.call('GET', '/repricer/offers', { token })).body).toMatchObject({ source: 'simulated', items: [expect.objectContaining({ sku: 'SKU-1' })] });
  });

  it('answers 400 to the same state replayed, and to a forged or expired one', async () => {
    const replay = await follow(firstCallback);
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('state_invalid');

    // A state whose payload names another tenant no longer matches its signature.
    const started = await startAuthorisation(api, 'amz-owner');
    const [payload, signature] = started.state.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), t: 'amz-victim' })).toString('base64url');
    const forged = await follow(`${api.stack.url}/amazon/authorizations/callback?${new URLSearchParams({ state: `${forgedPayload}.${signature}`, selling_partner_id: 'A2BOUND0000001', spapi_oauth_code: 'x' }).toString()}`);
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('state_invalid');

    await api.stack.advanceClock(11 * 60_000);
    const expired = await consent(started.consentUrl, 'A2BOUND0000001');
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe('state_expired');
  });

  it('refuses a second tenant authorising the same seller (409) and leaves the binding alone', async () => {
    await signUp('amz-intruder');
    const started = await startAuthorisation(api, 'amz-intruder');
    const done = await consent(started.consentUrl, 'A2BOUND0000001');
    expect(done.status, JSON.stringify(done.body)).toBe(409);
    expect(done.body.error.code).toBe('seller_bound_elsewhere');
    const intruder = await api.call('GET', '/amazon/connection', { token: await api.token('customer', 'amz-intruder') });
    expect(intruder.body).toMatchObject({ status: 'pending', sellerId: null });
    // The seller id typed at sign-up gives nothing either.
    const rules = await api.call('PUT', '/repricer/rules', { token: await api.token('customer', 'amz-intruder'), body: rulesFor('A2BOUND0000001') });
    expect(rules.status).toBe(403);
  });
});

describe('the profile analysis never holds up the sign-up push', () => {
  it('pushes the sign-up to the CSM while the simulated Amazon refuses the profile analysis; the onboarding view says why', async () => {
    // Connected first (through a Lost & Found sign-up), so the Repricer sign-up finds a seller to analyse.
    await signUp('amz-refused', { product: 'lost-and-found', companyName: 'Refused GmbH' });
    await connectAmazon(api, 'amz-refused', 'A2REFUSE000001');
    const refuse = await api.call('PUT', '/_local/amazon/faults', { body: { sellerId: 'A2REFUSE000001', refuseProfile: true } });
    expect(refuse.status).toBe(200);
    await signUp('amz-refused', { product: 'repricer', companyName: 'Refused GmbH' });

    const pushes = await api.eventually(
      async () => api.stack.pushes.filter((p) => p.attributes.customerId === 'amz-refused' && p.attributes.eventType === 'customer.signed-up'),
      (list) => list.length === 2,
    );
    expect(pushes.map((p) => p.subject)).toContain('New Repricer sign-up: Refused GmbH');

    const lead = await api.token('csm', 'csm-anna');
    const onboarding = await api.eventually(
      async () => (await api.call('GET', '/customers/amz-refused/onboarding', { token: lead })).body,
      (b) => typeof b.analysis?.reason === 'string' && b.analysis.reason.includes('Amazon refused'),
    );
    expect(onboarding.analysis).toMatchObject({ status: 'pending', source: 'simulated' });
    expect(onboarding.recommendation).toBeNull();
    expect(api.stack.messaging.server.inspectQueue('sellerops-csm-notifier-dlq')?.messages.ready ?? []).toHaveLength(0);
  });

  it('analyses the authorised seller once the customer connects, and says the data is simulated', async () => {
    await signUp('amz-analysed', { companyName: 'Lumora Copy', amazonSellerId: 'A2TYPEDATSIGNUP' });
    const token = await api.token('customer', 'amz-analysed');
    const waiting = await api.eventually(
      async () => (await api.call('GET', '/customers/amz-analysed/onboarding', { token })).body,
      (b) => b.analysis?.status === 'pending',
    );
    expect(waiting.analysis.reason).toMatch(/authorise/);
    await connectAmazon(api, 'amz-analysed', 'A3NEWBRAND0003');
    const done = await api.eventually(
      async () => (await api.call('GET', '/customers/amz-analysed/onboarding', { token })).body,
      (b) => b.analysis?.status === 'done',
    );
    expect(done.analysis.source).toBe('simulated');
    // The profile is the authorised seller's (Lumora: private label → push), not the id typed at sign-up.
    expect(done.recommendation.overall).toBe('push');
  });
});

describe('revocation', () => {
  it('marks the connection revoked when Login with Amazon refuses the token, stops the work and tells the CSM', async () => {
    await signUp('amz-revoked', { product: 'lost-and-found', companyName: 'Revoked SARL', language: 'fr' });
    await connectAmazon(api, 'amz-revoked', 'A2REVOKE000001');
    expect((await api.call('POST', '/_local/amazon/revocations', { body: { sellerId: 'A2REVOKE000001' } })).status).toBe(200);
    // The next daily report fetch uses the token and gets invalid_grant.
    await api.stack.advanceClock(24 * 3600_000);
    const token = await api.token('customer', 'amz-revoked');
    const connection = await api.eventually(async () => (await api.call('GET', '/amazon/connection', { token })).body, (b) => b.status === 'revoked');
    expect(connection).toMatchObject({ status: 'revoked', sellerId: 'A2REVOKE000001' });
    expect(connection.revokedReason).toMatch(/invalid_grant/);
    const push = await api.eventually(
      async () => api.stack.pushes.filter((p) => p.attributes.customerId === 'amz-revoked' && p.attributes.eventType === 'amazon.revoked'),
      (list) => list.length === 1,
    );
    expect(push[0]!.subject).toBe('Amazon access revoked: Revoked SARL');
    const rules = await api.call('PUT', '/repricer/rules', { token, body: rulesFor('A2REVOKE000001') });
    expect(rules.status).toBe(403);
    expect(rules.body.error.message).toMatch(/revoked/);
  });
});
