/**
 * Push on real sales on the local stack (issue 21 sales): the simulated buyers buy, the daily report fetch brings
 * the all-orders report from the simulated Amazon through the production SP-API adapter, the units land in the
 * repricer table, the offer view shows them per day, and the next tick's Push decision raises the offer selling
 * above its target and lowers the one selling below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePushCatalogue } from '../../local/repricer-demo.ts';
import { startApi, exampleSignup, type Api, type ResponseBody } from '../support/local-stack.ts';
import { connectAmazon } from '../support/amazon.ts';

let api: Api;
let customer: string;
const SELLER = 'A3PUSHSALES001';
const FAST = 'B0PUSHFAST';
const SLOW = 'B0PUSHSLOW';
const START = new Date('2026-12-01T00:10:00Z');
const MINUTE = 60_000;

async function settle() {
  await api.stack.repricerSim.relay();
  await api.stack.pollers!.idle(120_000);
}

async function advance(ms: number) {
  await api.stack.advanceClock(ms);
  await settle();
}

const offers = async (): Promise<ResponseBody[]> => (await api.call('GET', '/repricer/offers', { token: customer })).body.items as ResponseBody[];
const offerOf = (items: ResponseBody[], asin: string): ResponseBody => items.find((o: ResponseBody) => o.asin === asin);

beforeAll(async () => {
  api = await startApi({ startAt: START });
  customer = await api.token('customer', 'ps-1');
  const signup = await api.call('POST', '/signups', { token: customer, body: exampleSignup({ amazonSellerId: SELLER, marketplaces: ['DE'] }) });
  expect(signup.status).toBe(201);
  // The authorisation queues the back-fill: the orders of the last 30 days (none yet: the listings are new).
  await connectAmazon(api, 'ps-1', SELLER);
  const catalogue = definePushCatalogue(api.stack.repricerSim.marketplace, {
    sellerId: SELLER,
    marketplace: 'DE',
    asins: [
      { asin: FAST, targetUnitsPerDay: 10 },
      { asin: SLOW, targetUnitsPerDay: 400 },
    ],
  });
  const upload = await api.call('PUT', '/repricer/rules', { token: customer, body: catalogue });
  expect(upload.status, JSON.stringify(upload.body)).toBe(200);
  await settle();
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

describe('Push on units sold from Amazon’s orders report', () => {
  it('sales arrive with the daily report, the offer view shows them per day, and Push raises the fast seller and lowers the slow one', async () => {
    // The back-fill read the orders up to today: known, and nothing sold yet.
    const before = await api.eventually(offers, (items) => items.length === 2 && items.every((o: ResponseBody) => o.salesKnownUntil === '2026-12-01'));
    expect(offerOf(before, FAST).unitsSoldPerDay).toHaveLength(14);
    expect(offerOf(before, FAST).unitsSoldPerDay.every((d: ResponseBody) => d.units === 0)).toBe(true);
    const fetches = (await api.call('GET', '/lost-and-found/report-fetches', { token: customer })).body.reports as ResponseBody[];
    expect(fetches.find((r: ResponseBody) => r.reportType === 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL')).toMatchObject({ reads: 'repricer_sales', state: 'done' });

    // The first tick: a figure of 0 units yesterday, so Push lowers both by one step (and then waits a period).
    await advance(5 * MINUTE);
    const first = await offers();
    for (const asin of [FAST, SLOW]) expect(offerOf(first, asin).lastReasonDetail).toEqual({ code: 'PushLower', params: [0, asin === FAST ? 10 : 400, 1279], dryRun: false });

    // A day of simulated buyers; the daily fetch (due 24 h after the start) has not run yet: the figures stand still.
    await advance(24 * 60 * MINUTE - 10 * MINUTE);
    expect(offerOf(await offers(), FAST).salesKnownUntil).toBe('2026-12-01');
    // The daily fetch runs: the orders of the last days (read again: cancelled ones taken out) arrive.
    await advance(5 * MINUTE);
    const arrived = await api.eventually(offers, (items) => items.every((o: ResponseBody) => o.salesKnownUntil === '2026-12-02'));
    const soldOn = (o: ResponseBody, day: string) => (o.unitsSoldPerDay as ResponseBody[]).find((d) => d.day === day)?.units as number;
    const fastSold = soldOn(offerOf(arrived, FAST), '2026-12-01');
    const slowSold = soldOn(offerOf(arrived, SLOW), '2026-12-01');
    expect(fastSold).toBeGreaterThan(12); // above FAST's 10 a day + 20 % tolerance
    expect(slowSold).toBeGreaterThan(0);
    expect(slowSold).toBeLessThan(320); // below SLOW's 400 a day − 20 %
    // Cancelled orders are not counted: the simulated buyers cancel one order in ten.
    const simulated = api.stack.repricerSim.marketplace.ordersOf(SELLER, 'A1PA6795UKMFR9', Date.parse('2026-12-01T00:00:00Z'), Date.parse('2026-12-02T00:00:00Z'));
    const counted = simulated.filter((o) => o.asin === FAST && !o.cancelled).reduce((sum, o) => sum + o.quantity, 0);
    expect(simulated.some((o) => o.asin === FAST && o.cancelled)).toBe(true);
    expect(fastSold).toBe(counted);

    // The next tick after the period: Push moves on the real units.
    await advance(10 * MINUTE);
    const after = await offers();
    expect(offerOf(after, FAST).lastReasonDetail).toEqual({ code: 'PushRaise', params: [fastSold, 10, 1299], dryRun: false });
    expect(offerOf(after, SLOW).lastReasonDetail).toEqual({ code: 'PushLower', params: [slowSold, 400, 1259], dryRun: false });
    const history = (await api.call('GET', `/repricer/offers/PL-${FAST}/history`, { token: customer })).body.items as ResponseBody[];
    // The price moves of the offer: lowered on no sales, raised on the real ones (waits in between are PushCooldown).
    const moves = history.filter((h: ResponseBody) => h.kind === 'decision' && h.action !== 'hold').map((h: ResponseBody) => [h.reasonCode, h.priceMinor]);
    expect(moves).toEqual([
      ['PushLower', 1279],
      ['PushRaise', 1299],
    ]);
  });
});
