/**
 * Amazon's own contracts, not ours: the notification schemas and example notifications Amazon publishes
 * (test/fixtures/amazon/SOURCES.md, examples/repricer/amazon-published/SOURCES.md) must parse and give a
 * decision; our own examples and the simulator's messages must conform to Amazon's schemas.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseOfferChangedNotification } from '#shared/repricer/notification.ts';
import { compileRules, decide } from '#shared/repricer/engine.ts';
import { toOfferRules } from '#shared/repricer/rules.ts';
import { toMarketSnapshot } from '#shared/repricer/notification.ts';
import { INITIAL_OFFER_STATE } from '#shared/repricer/types.ts';
import { NOW, SELLER, market, offer, rules } from './fixtures.ts';
import { reportProcessingFinishedNotification } from '#shared/contracts/amazon-events.ts';
import { reportProcessingFinishedMessage } from '../../local/simulated-amazon-reports.ts';

const SCHEMAS = 'test/fixtures/amazon/schemas/notifications';
const PUBLISHED = 'examples/repricer/amazon-published';
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** Amazon's notification schemas are draft-07; the B2B one points at its root with "#ref" (sic), so we do. */
export function notificationValidator(file: string): ValidateFunction {
  const schema = readJson(`${SCHEMAS}/${file}`);
  const ajv = new Ajv({ strict: false, allErrors: true });
  const root = typeof schema['#ref'] === 'string' ? { $ref: schema['#ref'], definitions: schema['definitions'] } : schema;
  return ajv.compile(root);
}

const publishedExamples = readdirSync(PUBLISHED).filter((f) => f.endsWith('.json') && !f.endsWith('.rules.json'));

describe("Amazon's notification schemas", () => {
  it.each(['AnyOfferChangedNotification.json', 'FeedProcessingFinishedNotification.json', 'ReportProcessingFinishedNotification.json', 'ListingsItemIssuesChangeNotification.json', 'ListingsItemIssuesChangeNotification_2023-12-13.json'])(
    'accept their own examples (%s): the validator works on them',
    (file) => {
      const examples = readJson(`${SCHEMAS}/${file}`)['examples'] as unknown[];
      expect(examples.length).toBeGreaterThan(0);
      const validate = notificationValidator(file);
      for (const example of examples) expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it('REPORT_PROCESSING_FINISHED: our contract reads every example of Amazon’s schema, and the simulated Amazon sends what the schema allows', () => {
    const examples = readJson(`${SCHEMAS}/ReportProcessingFinishedNotification.json`)['examples'] as unknown[];
    for (const example of examples) expect(reportProcessingFinishedNotification.safeParse(example).success).toBe(true);
    const validate = notificationValidator('ReportProcessingFinishedNotification.json');
    const simulated = reportProcessingFinishedMessage(
      { sellerId: 'A1SIMSELLER001', reportId: '50000001', reportType: 'GET_LEDGER_DETAIL_VIEW_DATA' },
      { processingStatus: 'DONE', reportDocumentId: 'amzn1.spdoc.1.4.eu.50000001.sim' },
      new Date(NOW),
    );
    expect(validate(simulated), JSON.stringify(validate.errors)).toBe(true);
    expect(reportProcessingFinishedNotification.parse(simulated).payload.reportProcessingFinishedNotification).toMatchObject({ sellerId: 'A1SIMSELLER001', reportId: '50000001' });
    expect(reportProcessingFinishedNotification.safeParse({ ...simulated, payload: {} }).success).toBe(false);
  });

  it('reject a document that breaks them (the validator can fail)', () => {
    const validate = notificationValidator('B2bAnyOfferChangedNotification.json');
    expect(validate({ NotificationVersion: '1.0', NotificationType: 'B2B_ANY_OFFER_CHANGED', Payload: {} })).toBe(false);
  });

  it('describe our own example notifications: B2C and B2B in the PascalCase of today, B2B in camelCase as before 2026', () => {
    expect(notificationValidator('AnyOfferChangedNotification.json')(readJson('examples/repricer/any-offer-changed.json'))).toBe(true);
    const b2b = notificationValidator('B2bAnyOfferChangedNotification.json');
    expect(b2b(readJson('examples/repricer/b2b-any-offer-changed.json')), JSON.stringify(b2b.errors)).toBe(true);
    const camel = notificationValidator('B2bAnyOfferChangedNotification.camelCase-249f531.json');
    expect(camel(readJson(`${PUBLISHED}/guide-b2b-any-offer-changed.json`)), JSON.stringify(camel.errors)).toBe(true);
  });
});

describe("Amazon's published example notifications", () => {
  it.each(publishedExamples)('%s parses, whatever optional metadata it lacks', (file) => {
    const event = parseOfferChangedNotification(readJson(`${PUBLISHED}/${file}`), { receivedAt: new Date(NOW) });
    expect(event.asin.length).toBeGreaterThan(0);
    expect(Number.isNaN(event.timeOfOfferChange.getTime())).toBe(false);
  });

  it.each(publishedExamples)('npx sellerops reprice gives a decision with a reason for %s, under rules covering its ASIN', (file) => {
    const name = file.replace(/\.json$/, '');
    const run = spawnSync(process.execPath, ['bin/sellerops.js', 'reprice', '--notification', `${PUBLISHED}/${file}`, '--rules', `${PUBLISHED}/${name}.rules.json`, '--compact'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { decisions } = JSON.parse(run.stdout) as { decisions: { newPrice: string; reason: string; action: string }[] };
    expect(decisions.length).toBeGreaterThan(0);
    for (const d of decisions) expect(d.reason).toMatch(/[a-z]{4,}/);
  });

  it('reads the camelCase B2B document exactly like its PascalCase form', () => {
    const event = parseOfferChangedNotification(readJson(`${PUBLISHED}/guide-b2b-any-offer-changed.json`));
    expect(event).toMatchObject({ notificationType: 'B2B_ANY_OFFER_CHANGED', audience: 'B2B', sellerId: 'A3EZFOFNDPFB8R', asin: 'B007IBIWZY', currency: 'USD', summaryBuyBoxLandedMinor: 818_872, buyBoxEligibleOfferCount: 3 });
    expect(event.offers[0]).toMatchObject({ sellerId: 'A2VUIDM8BZ902A', listingMinor: 818_423, shippingMinor: 449, isBuyBoxWinner: true, isPrime: true });
  });

  it("undercuts the Summary's Buy Box when its winner is not among Offers, instead of raising to the maximum", () => {
    const run = spawnSync(process.execPath, ['bin/sellerops.js', 'reprice', '--notification', `${PUBLISHED}/sample-pricing-deployment.json`, '--rules', `${PUBLISHED}/sample-pricing-deployment.rules.json`, '--compact'], { encoding: 'utf8' });
    const [decision] = (JSON.parse(run.stdout) as { decisions: { newPrice: string; action: string; reason: string }[] }).decisions;
    // Our offer: 20.00 + 1.00 shipping, not winning; the Buy Box (landed 10.00) is held by an offer Amazon did not list.
    expect(decision).toMatchObject({ action: 'lower', newPrice: '8.99' });
    expect(decision!.reason).toContain('Buy Box held by another offer at landed 10.00');
  });
});

describe('the decision reads the Summary and Amazon Points', () => {
  const summaryMarket = (extra: Parameters<typeof toMarketSnapshot>[0]) => toMarketSnapshot(extra);

  it('counts an unlisted cheaper offer from LowestPrices as a competitor, not a sole-seller listing', () => {
    const d = decide(rules(), summaryMarket({ offers: [offer(SELLER, 1400)], summaryBuyBoxLandedMinor: 0, summaryLowestLandedMinor: 1100, totalOfferCount: 7 }), INITIAL_OFFER_STATE, NOW, null);
    expect(d).toMatchObject({ reasonCode: 'UndercutLowest', newPriceMinor: 1095 });
    // Without the Summary the same listing looks like ours alone.
    expect(decide(rules(), market(offer(SELLER, 1400)), INITIAL_OFFER_STATE, NOW, null).reasonCode).toBe('SoleSeller');
  });

  it('treats the Summary Buy Box as ours when its named seller is us (B2B BuyBoxPrices[].SellerId)', () => {
    const d = decide(rules(), summaryMarket({ offers: [offer(SELLER, 1200), offer('A1OTHER', 1300)], summaryBuyBoxLandedMinor: 1200, summaryBuyBoxSellerId: SELLER }), INITIAL_OFFER_STATE, NOW, null);
    expect(d.action).toBe('raise');
  });

  it('stops a raise at the CompetitivePriceThreshold, and at the list price when that is lower', () => {
    const sole = [offer(SELLER, 1000, { isBuyBoxWinner: true })];
    const byThreshold = decide(rules(), summaryMarket({ offers: sole, summaryBuyBoxLandedMinor: 0, competitivePriceThresholdMinor: 1250 }), INITIAL_OFFER_STATE, NOW, null);
    expect(byThreshold).toMatchObject({ newPriceMinor: 1250, reasonCode: 'RaiseCapped' });
    const byList = decide(rules(), summaryMarket({ offers: sole, summaryBuyBoxLandedMinor: 0, competitivePriceThresholdMinor: 1250, listPriceMinor: 1190 }), INITIAL_OFFER_STATE, NOW, null);
    expect(byList).toMatchObject({ newPriceMinor: 1190, reasonCode: 'RaiseCapped' });
    // Never a reason to lower: already above the cap, the price holds.
    const above = decide(rules(), summaryMarket({ offers: [offer(SELLER, 1400, { isBuyBoxWinner: true })], summaryBuyBoxLandedMinor: 0, competitivePriceThresholdMinor: 1250 }), INITIAL_OFFER_STATE, NOW, null);
    expect(above.newPriceMinor).toBe(1400);
  });

  it('never counts our own second offer on the listing as a competitor', () => {
    const own = decide(rules(), market(offer(SELLER, 1300, { isBuyBoxWinner: true }), offer(SELLER, 1100, { isFulfilledByAmazon: false })), INITIAL_OFFER_STATE, NOW, null);
    expect(own).toMatchObject({ reasonCode: 'SoleSeller', newPriceMinor: 1500, currentPriceMinor: 1300 });
  });

  it('subtracts Points from the landed price, never below nothing', () => {
    const snapshot = market(offer('A1POINTS', 1000, { shippingMinor: 200, points: 150 }), offer('A1MANY', 500, { points: 9000 }));
    expect(Array.from(snapshot.landed)).toEqual([1050, 0]);
    const rule = compileRules(toOfferRules({ sku: 'JP-1', asin: 'B000000JP1', marketplaceId: 'A1VC38T7YXB528', audience: 'B2C', strategy: 'buybox', currency: 'JPY', min: '800', max: '2000', step: '10' }, 'offers[0]'), SELLER);
    const d = decide(rule, market(offer('A1POINTS', 1000, { points: 100, isBuyBoxWinner: true }), offer(SELLER, 1200)), INITIAL_OFFER_STATE, NOW, null);
    // The competitor's 1,000 yen less 100 points is 900 yen landed: one step below it is 890.
    expect(d).toMatchObject({ reasonCode: 'UndercutBuyBox', newPriceMinor: 890 });
  });
});
