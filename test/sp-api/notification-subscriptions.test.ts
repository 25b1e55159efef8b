/** The Notifications API adapter (issue 15): destination once per region (grantless), one subscription per type. */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { SUBSCRIBED_NOTIFICATION_TYPES, subscribeSellerNotifications } from '#shared/amazon-access/authorisation.ts';
import { SpApiClient, type FetchLike } from '#shared/adapters/sp-api/client.ts';
import { SpApiNotificationSubscriptions } from '#shared/adapters/sp-api/notification-subscriptions.ts';

const model = JSON.parse(readFileSync('test/fixtures/amazon/models/notifications.json', 'utf8')) as { definitions: object };
const definition = (name: string): ValidateFunction => new Ajv({ strict: false, allErrors: true, logger: false }).compile({ $ref: `#/definitions/${name}`, definitions: model.definitions });
const QUEUE_ARN = 'arn:aws:sqs:eu-central-1:123456789012:sellerops-repricer-notifications';

function fakeAmazon() {
  const calls: { url: string; method: string; body?: string; token: string | undefined }[] = [];
  const subscriptions = new Map<string, { subscriptionId: string; destinationId: string }>();
  const destinations: { destinationId: string; name: string; resource: { sqs: { arn: string } } }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, method: init.method, ...(init.body !== undefined ? { body: init.body } : {}), token: init.headers['x-amz-access-token'] });
    const answer = (status: number, body: unknown) => ({ status, headers: { get: () => null }, text: async () => JSON.stringify(body) });
    if (url.includes('api.amazon.com/auth')) {
      const grant = new URLSearchParams(init.body).get('grant_type');
      return answer(200, { access_token: grant === 'client_credentials' ? 'Atza|grantless' : 'Atza|seller', expires_in: 3600 });
    }
    const path = new URL(url).pathname;
    if (path === '/notifications/v1/destinations' && init.method === 'GET') return answer(200, { payload: destinations });
    if (path === '/notifications/v1/destinations' && init.method === 'POST') {
      const request = JSON.parse(init.body!) as { name: string; resourceSpecification: { sqs: { arn: string } } };
      destinations.push({ destinationId: `dest-${destinations.length + 1}`, name: request.name, resource: { sqs: request.resourceSpecification.sqs } });
      return answer(200, { payload: destinations[destinations.length - 1] });
    }
    const type = path.split('/')[4]!;
    if (init.method === 'GET') {
      const existing = subscriptions.get(type);
      return existing ? answer(200, { payload: { ...existing, payloadVersion: '1.0' } }) : answer(404, { errors: [{ code: 'NotFound', message: 'no subscription' }] });
    }
    const request = JSON.parse(init.body!) as { destinationId: string };
    subscriptions.set(type, { subscriptionId: `sub-${type}`, destinationId: request.destinationId });
    return answer(200, { payload: { subscriptionId: `sub-${type}`, destinationId: request.destinationId, payloadVersion: '1.0' } });
  };
  // The quota's clock (the limiter never waits; a test moves it on as time passing between two authorisations).
  let now = 1_000_000;
  const client = new SpApiClient({
    credentials: async () => ({ clientId: 'amzn1.app', clientSecret: 'secret', refreshToken: 'Atzr|refresh', region: 'eu' }),
    fetch, now: () => now, sleep: async (ms) => void (now += ms), random: () => 0.5,
  });
  return { adapter: new SpApiNotificationSubscriptions(client, () => QUEUE_ARN), calls, subscriptions, later: (ms: number) => void (now += ms) };
}

describe("subscribing a seller through Amazon's Notifications API", () => {
  it('creates our SQS destination once (grantless) and one subscription per type with the seller token, requests as the model defines them', async () => {
    const { adapter, calls } = fakeAmazon();
    expect(await subscribeSellerNotifications(adapter, 'A2SELLER00001')).toEqual({ ANY_OFFER_CHANGED: 'created', B2B_ANY_OFFER_CHANGED: 'created', REPORT_PROCESSING_FINISHED: 'created' });
    const destination = calls.filter((c) => c.url.endsWith('/notifications/v1/destinations') && c.method === 'POST');
    expect(destination).toHaveLength(1);
    expect(destination[0]!.token).toBe('Atza|grantless');
    const createDestination = definition('CreateDestinationRequest');
    expect(createDestination(JSON.parse(destination[0]!.body!)), JSON.stringify(createDestination.errors)).toBe(true);
    expect(JSON.parse(destination[0]!.body!)).toMatchObject({ resourceSpecification: { sqs: { arn: QUEUE_ARN } } });
    const created = calls.filter((c) => c.url.includes('/notifications/v1/subscriptions/') && c.method === 'POST');
    expect(created.map((c) => new URL(c.url).pathname.split('/')[4])).toEqual([...SUBSCRIBED_NOTIFICATION_TYPES]);
    const createSubscription = definition('CreateSubscriptionRequest');
    for (const c of created) {
      expect(c.token).toBe('Atza|seller');
      expect(createSubscription(JSON.parse(c.body!)), JSON.stringify(createSubscription.errors)).toBe(true);
    }
    const grantless = calls.filter((c) => c.url.includes('api.amazon.com/auth') && c.body!.includes('client_credentials'));
    expect(grantless).toHaveLength(1);
    expect(new URLSearchParams(grantless[0]!.body).get('scope')).toBe('sellingpartnerapi::notifications');
  });

  it('is idempotent: an existing subscription to our destination is kept, nothing is created twice', async () => {
    const { adapter, calls, later } = fakeAmazon();
    await subscribeSellerNotifications(adapter, 'A2SELLER00001');
    later(60_000); // the seller authorises again a minute later
    const before = calls.filter((c) => c.method === 'POST' && c.url.includes('/notifications/')).length;
    expect(await subscribeSellerNotifications(adapter, 'A2SELLER00001')).toEqual({ ANY_OFFER_CHANGED: 'existing', B2B_ANY_OFFER_CHANGED: 'existing', REPORT_PROCESSING_FINISHED: 'existing' });
    expect(calls.filter((c) => c.method === 'POST' && c.url.includes('/notifications/')).length).toBe(before);
  });
});
