/**
 * The low-stock rule on real stock on the local stack (issue 21 stock): the simulated buyers take from the simulated
 * seller's FBA stock, the hourly stock reading brings it from the simulated FBA Inventory API through the production
 * SP-API adapter (a first one as soon as the seller authorises), the units land in the repricer table, the offer view shows them with when they were read, and the
 * next tick raises the offer toward max with the low-stock reason when stock is low, lets it compete again after a
 * delivery, and raises it again when it is out of stock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';
import { startApi, exampleSignup, type Api, type ResponseBody } from '../support/local-stack.ts';
import { connectAmazon } from '../support/amazon.ts';

let api: Api;
let customer: string;
const SELLER = 'A3STOCKREAL001';
const ASIN = 'B0STOCKLOW';
const SKU = 'STOCK-LOW-1';
const DE = MARKETPLACES.DE.id;
const START = new Date('2026-12-01T00:10:00Z');
const MINUTE = 60_000;
const MAX_MINOR = 1600;

async function settle() {
  await api.stack.repricerSim.relay();
  await api.stack.pollers!.idle(120_000);
}

let nowMs = START.getTime();
async function advance(ms: number) {
  await api.stack.advanceClock(ms);
  nowMs += ms;
  await settle();
}

const offer = async (): Promise<ResponseBody> => ((await api.call('GET', '/repricer/offers', { token: customer })).body.items as ResponseBody[]).find((o: ResponseBody) => o.sku === SKU);
/** The price the offer is pushed at (or waits to be). */
const priceOf = (o: ResponseBody): string => (o.pendingPush?.price ?? o.lastPushedPrice) as string;
const setStock = async (units: number) => {
  const set = await api.call('PUT', '/_local/sim/stock', { body: { marketplace: 'DE', sellerId: SELLER, sku: SKU, units } });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
};
/** The next hourly reading: the clock to the next full hour after the start (the schedule's rate is 60 minutes from 00:10). */
const nextReading = async () => {
  const due = START.getTime() + Math.ceil((nowMs - START.getTime() + 1) / (60 * MINUTE)) * 60 * MINUTE;
  await advance(due - nowMs);
  return due;
};
/** Read at the hour's reading (the local clock runs on between the advances: within a minute of it). */
const readAt = (o: ResponseBody, due: number) => {
  const at = Date.parse(o.stockKnownAt as string);
  expect(at).toBeGreaterThanOrEqual(due);
  expect(at).toBeLessThan(due + MINUTE);
};

beforeAll(async () => {
  api = await startApi({ startAt: START });
  customer = await api.token('customer', 'st-1');
  const signup = await api.call('POST', '/signups', { token: customer, body: exampleSignup({ amazonSellerId: SELLER, marketplaces: ['DE'] }) });
  expect(signup.status).toBe(201);
  await connectAmazon(api, 'st-1', SELLER);
  // Our FBA offer against one FBA competitor at 12.40: the Buy Box strategy undercuts it.
  api.stack.repricerSim.marketplace.addListing({
    marketplaceId: DE, asin: ASIN, audience: 'B2C', currency: 'EUR',
    offers: [
      { sellerId: SELLER, sku: SKU, listingMinor: 1299, shippingMinor: 0, fba: true, rating: 97 },
      { sellerId: 'A1STATICFBA001', sku: 's1', listingMinor: 1240, shippingMinor: 0, fba: true, rating: 95, behaviour: { kind: 'static' } },
    ],
  });
  const rules = {
    sellerId: SELLER,
    offers: [{ sku: SKU, asin: ASIN, marketplaceId: DE, audience: 'B2C', strategy: 'buybox', currency: 'EUR', min: '10.00', max: '16.00', step: '0.05', lowStockUnits: 5, lowStockRaisePercent: 100 }],
  };
  const upload = await api.call('PUT', '/repricer/rules', { token: customer, body: rules });
  expect(upload.status, JSON.stringify(upload.body)).toBe(200);
  await settle();
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

describe('the low-stock rule on stock read from Amazon', () => {
  it('waits while stock is unknown, raises to max at low stock, competes after a delivery, raises again when out of stock', async () => {
    // The authorisation queued a first reading at once (before the listing existed): the SKU is not read yet, so its
    // stock is unknown, and the first ticks undercut the competitor without the rule.
    expect(api.stack.amazonReports.calls.getInventorySummaries).toBe(1);
    expect(await offer()).toMatchObject({ stockStatus: 'unknown', stockUnits: null, stockKnownAt: null, stockSource: null });
    await advance(10 * MINUTE);
    const competing = await offer();
    expect(competing.lastReasonDetail.code).not.toBe('LowStockRaise');
    expect(Number(priceOf(competing))).toBeLessThan(12.4);

    // Plenty in stock (200 units): read at the hour, shown, and the rule does not fire.
    const plentyAt = await nextReading();
    const plenty = await offer();
    expect(plenty).toMatchObject({ stockStatus: 'known', stockSource: 'fba' });
    readAt(plenty, plentyAt);
    expect(plenty.stockUnits).toBeGreaterThan(150);
    expect(plenty.lastReasonDetail.code).not.toBe('LowStockRaise');
    // An hourly reading asks only for what changed since the last (the listing's arrival and its sales are changes).
    expect(api.stack.amazonReports.calls.getInventorySummaries).toBe(2);

    // Three units left: the next reading says so (the simulated buyers may have taken some since), the next tick
    // raises the price to max with the low-stock reason.
    await setStock(3);
    const lowAt = await nextReading();
    const low = await offer();
    expect(low).toMatchObject({ stockStatus: 'known', stockSource: 'fba' });
    readAt(low, lowAt);
    expect(low.stockUnits).toBeLessThanOrEqual(3);
    await advance(5 * MINUTE);
    const raised = await api.eventually(offer, (o) => o.lastReasonDetail?.code === 'LowStockRaise');
    expect(raised.lastReasonDetail).toEqual({ code: 'LowStockRaise', params: [raised.stockUnits, 5, MAX_MINOR], dryRun: false });
    expect(priceOf(raised)).toBe('16.00');

    // A delivery of 100 units: read at the next hour, and the offer competes again (down from max).
    await setStock(100);
    await nextReading();
    await advance(10 * MINUTE);
    const restocked = await api.eventually(offer, (o) => o.stockUnits !== null && o.stockUnits > 90 && o.lastReasonDetail?.code !== 'LowStockRaise');
    expect(restocked.stockStatus).toBe('known');
    expect(Number(priceOf(restocked))).toBeLessThan(16);

    // Out of stock: 0 units read, and the price goes back to max with the low-stock reason (0 units).
    await setStock(0);
    await nextReading();
    await advance(5 * MINUTE);
    const out = await api.eventually(offer, (o) => o.lastReasonDetail?.code === 'LowStockRaise');
    expect(out).toMatchObject({ stockStatus: 'known', stockUnits: 0 });
    expect(out.lastReasonDetail).toEqual({ code: 'LowStockRaise', params: [0, 5, MAX_MINOR], dryRun: false });
    expect(out.lastReason).toContain('Low stock (0 units, threshold 5)');
    expect(priceOf(out)).toBe('16.00');

    const history = (await api.call('GET', `/repricer/offers/${SKU}/history`, { token: customer })).body.items as ResponseBody[];
    const lowStockMoves = history.filter((h: ResponseBody) => h.kind === 'decision' && h.reasonCode === 'LowStockRaise' && h.action !== 'hold');
    expect(lowStockMoves.length).toBeGreaterThanOrEqual(2);
    expect(lowStockMoves.every((h: ResponseBody) => h.priceMinor === MAX_MINOR)).toBe(true);
  });
});
