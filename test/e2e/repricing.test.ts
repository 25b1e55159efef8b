import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineDemoCatalogue, demoAsin } from '../../local/repricer-demo.ts';
import { startApi, exampleSignup, type Api, type ResponseBody } from '../support/local-stack.ts';
import { connectAmazon } from '../support/amazon.ts';

let api: Api;
let customer: string;
let csm: string;
const SELLER = 'A1REPRICE00001';
const DE = 'A1PA6795UKMFR9';

async function settle() {
  await api.stack.repricerSim.relay();
  await api.stack.pollers!.idle(120_000);
}

async function tick(minutes = 5) {
  await api.stack.advanceClock(minutes * 60_000);
  await settle();
}

beforeAll(async () => {
  api = await startApi();
  csm = await api.token('csm', 'csm-rp');
  await api.call('PUT', '/csm/staff/csm-rp', { token: await api.token('csm-lead', 'csm-rp'), body: { name: 'Rita', email: 'rita@example.com', languages: ['de', 'en', 'fr'], capacity: 100, timeZone: 'Europe/Berlin' } });
  customer = await api.token('customer', 'rp-1');
  const signup = await api.call('POST', '/signups', { token: customer, body: exampleSignup({ amazonSellerId: SELLER, marketplaces: ['DE', 'FR', 'IT'] }) });
  expect(signup.status).toBe(201);
  await connectAmazon(api, 'rp-1', SELLER);
  const catalogue = defineDemoCatalogue(api.stack.repricerSim.marketplace, { sellerId: SELLER, marketplaces: ['DE', 'FR', 'IT'], asinsPerMarketplace: 2 });
  const upload = await api.call('PUT', '/repricer/rules', { token: customer, body: catalogue });
  expect(upload.status, JSON.stringify(upload.body)).toBe(200);
  expect(upload.body).toEqual({ created: 12, updated: 0 });
  await settle();
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

describe('repricing in production, tried as a new user on the local stack', () => {
  it('moves prices tick by tick in 3 marketplaces, B2C and B2B, wins the Buy Box and then climbs, never leaving the range', async () => {
    for (let i = 0; i < 12; i++) await tick(i === 0 ? 5 : 3);
    const offers = (await api.call('GET', '/repricer/offers', { token: customer })).body.items as ResponseBody[];
    expect(offers).toHaveLength(12);
    expect(new Set(offers.map((o) => o.marketplaceId)).size).toBe(3);
    const sku = `SKU-${demoAsin(0)}`;
    const history = await api.call('GET', `/repricer/offers/${sku}/history`, { token: customer });
    expect(history.status).toBe(200);
    const b2c = (history.body.items as ResponseBody[]).filter((e) => e.marketplaceId === DE && e.audience === 'B2C');
    const pushes = b2c.filter((e) => e.kind === 'push');
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    for (const e of history.body.items as ResponseBody[]) {
      const [min, max] = e.audience === 'B2C' ? [800, 1500] : [750, 1400];
      expect(e.priceMinor).toBeGreaterThanOrEqual(min);
      expect(e.priceMinor).toBeLessThanOrEqual(max);
    }
    // Won the Buy Box at some point, and raised the price after winning it.
    const decisions = b2c.filter((e) => e.kind === 'decision');
    const firstWin = decisions.findIndex((e) => e.buyBox === 'won');
    expect(firstWin).toBeGreaterThanOrEqual(0);
    expect(decisions.slice(firstWin).some((e) => e.action === 'raise')).toBe(true);
    const won = offers.filter((o) => o.buyBox === 'won').length;
    expect(won).toBeGreaterThanOrEqual(6);
    const csv = await fetch(`${api.stack.url}/repricer/offers/${sku}/history?format=csv`, { headers: { authorization: `Bearer ${customer}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).split('\n')[0]).toBe('at,sku,marketplace_id,audience,kind,action,price,previous_price,currency,reason_code,reason,state,buy_box,competitors,dry_run');
  });

  // How fast (the goal is under a second) is measured by `npm run bench -- repricer-notification-latency`.
  it('reprices an offer after an ANY_OFFER_CHANGED notification fed into the local queue', async () => {
    const sku = `SKU-${demoAsin(1)}`;
    await api.call('POST', `/repricer/offers/${sku}/pause`, { token: customer, body: { marketplaceId: DE, audience: 'B2C' } });
    await api.call('POST', `/repricer/offers/${sku}/resume`, { token: customer, body: { marketplaceId: DE, audience: 'B2C' } });
    const before = (await api.call('GET', `/repricer/offers/${sku}/history`, { token: customer })).body.items.length;
    // A competitor undercuts: the simulator emits the notification, the local relay puts it on the queue.
    api.stack.repricerSim.marketplace.addOffer(DE, demoAsin(1), 'B2C', { sellerId: 'A9NEWCOMER0001', sku: 'x', listingMinor: 901, shippingMinor: 0, fba: true, rating: 99 });
    await api.stack.repricerSim.relay();
    const after = await api.eventually(
      () => api.call('GET', `/repricer/offers/${sku}/history`, { token: customer }),
      (r) => r.body.items.length > before,
    );
    expect(after.body.items.length).toBeGreaterThan(before);
  });

  it('turns Amazon retail appearing on a listing into one re-consultation task and one CSM push', async () => {
    const added = await api.call('POST', '/_local/sim/amazon-retail', { body: { marketplace: 'FR', asin: demoAsin(0), audience: 'B2C', price: '12.49' } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    await settle();
    // It leaves and comes back in the same week: still one task, one push (dedup per listing and week).
    await api.call('POST', '/_local/sim/amazon-retail', { body: { marketplace: 'FR', asin: demoAsin(0), audience: 'B2C', action: 'remove' } });
    await settle();
    await api.call('POST', '/_local/sim/amazon-retail', { body: { marketplace: 'FR', asin: demoAsin(0), audience: 'B2C', price: '12.49' } });
    await settle();
    const tasks = (await api.call('GET', '/csm/tasks', { token: csm })).body.items as ResponseBody[];
    const FR = 'A13V1IB3VIYZZH';
    const reconsultations = tasks.filter((t) => t.kind === 're-consultation' && t.tenantId === 'rp-1' && t.details.marketplaceId === FR);
    expect(reconsultations).toHaveLength(1);
    const pushes = await api.eventually(
      () => api.call('GET', '/_local/pushes'),
      (r) => (r.body.items as ResponseBody[]).some((p) => p.attributes.eventType === 'market.changed' && p.subject.includes(FR)),
    );
    const marketPushes = (pushes.body.items as ResponseBody[]).filter((p) => p.attributes.eventType === 'market.changed' && p.subject.includes(FR));
    expect(marketPushes).toHaveLength(1);
    expect(marketPushes[0].subject).toContain('Amazon now sells');
  });

  it('keeps every route tenant-scoped and sends poison notifications to the DLQ with a reason', async () => {
    const other = await api.token('customer', 'rp-other');
    const offers = await api.call('GET', '/repricer/offers', { token: other });
    expect(offers.body.items).toEqual([]);
    const history = await api.call('GET', `/repricer/offers/SKU-${demoAsin(0)}/history`, { token: other });
    expect(history.body.items).toEqual([]);
    expect((await api.call('POST', `/repricer/offers/SKU-${demoAsin(0)}/pause`, { token: other, body: {} })).status).toBe(404);
    expect((await api.call('GET', '/repricer/offers', { token: csm })).status).toBe(403);
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    await api.stack.aws.sqs().send(
      new SendMessageCommand({
        QueueUrl: api.stack.messaging.queueUrls.repricerNotifications!,
        MessageBody: JSON.stringify({ NotificationVersion: '1.0', NotificationType: 'ANY_OFFER_CHANGED', Payload: { AnyOfferChangedNotification: { SellerId: SELLER } } }),
      }),
    );
    const dlq = (
      await api.eventually(
        () => api.call('GET', '/_local/dlq'),
        (r) => (r.body.items as ResponseBody[]).some((d) => d.queue === 'sellerops-repricer-notifications'),
      )
    ).body.items as ResponseBody[];
    const poison = dlq.filter((d) => d.queue === 'sellerops-repricer-notifications');
    expect(poison, JSON.stringify(dlq).slice(0, 500)).toHaveLength(1);
    expect(JSON.stringify(poison[0])).toContain('Offers');
  });
});
