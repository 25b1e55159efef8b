/**
 * `npm run bench -- repricer-notification-latency`: on the local stack, how long from a competitor's price change
 * (the simulator's ANY_OFFER_CHANGED notification, relayed to the notifications queue) until the offer's history
 * shows the new decision, read over HTTP as the customer would. Goal: under one second.
 */
import { defineDemoCatalogue, demoAsin } from '../local/repricer-demo.ts';
import { check, percentile, startLocalApi } from './local-http.ts';

const SAMPLES = Number(process.env.SAMPLES ?? 30);
const SELLER = 'A1REPRICE00001';
const DE = 'A1PA6795UKMFR9';

const api = await startLocalApi();
try {
  const lead = await api.token('csm-lead', 'csm-rp');
  await api.call('PUT', '/csm/staff/csm-rp', { token: lead, body: { name: 'Rita', email: 'rita@example.com', languages: ['de', 'en'], capacity: 100, timeZone: 'Europe/Berlin' } });
  const customer = await api.token('customer', 'rp-1');
  const signup = await api.call('POST', '/signups', {
    token: customer,
    body: { product: 'repricer', companyName: 'Example GmbH', contactEmail: 'ops@example.de', language: 'de', marketplaces: ['DE'], amazonSellerId: SELLER },
  });
  check(signup.status === 201, `sign-up: ${signup.status} ${JSON.stringify(signup.body)}`);
  const catalogue = defineDemoCatalogue(api.stack.repricerSim.marketplace, { sellerId: SELLER, marketplaces: ['DE'], asinsPerMarketplace: SAMPLES });
  check((await api.call('PUT', '/repricer/rules', { token: customer, body: catalogue })).status === 200, 'rules upload');
  await api.stack.repricerSim.relay();
  await api.stack.pollers!.idle(120_000);

  const latencies: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    // A fresh offer each time: an offer that has just been repriced waits for its pushed price first.
    const asin = demoAsin(i);
    const history = `/repricer/offers/SKU-${asin}/history`;
    const before = (await api.call('GET', history, { token: customer })).body.items.length as number;
    api.stack.repricerSim.marketplace.addOffer(DE, asin, 'B2C', {
      sellerId: `A9NEWCOMER${String(i).padStart(4, '0')}`, sku: `x${i}`, listingMinor: 901, shippingMinor: 0, fba: true, rating: 99,
    });
    const started = performance.now();
    await api.stack.repricerSim.relay();
    for (;;) {
      if ((await api.call('GET', history, { token: customer })).body.items.length > before) break;
      if (performance.now() - started > 30_000) throw new Error(`sample ${i}: no decision within 30 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    latencies.push(performance.now() - started);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  process.stdout.write(
    `${SAMPLES} notifications → repriced (history visible over HTTP): median ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, max ${ms(sorted.at(-1)!)}\n`,
  );
  check(percentile(sorted, 95) < 1_000, 'p95 notification → repriced is 1 s or more (goal: under one second)');
} finally {
  await api.stack.stop();
}
