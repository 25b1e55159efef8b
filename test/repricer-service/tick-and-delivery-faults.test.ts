import { describe, expect, it } from 'vitest';
import { runLocalTick } from '../../local/repricer-tick-run.ts';
import { detectListingChanges, isoWeek } from '#shared/repricer/market-changes.ts';
import { DUE_SHARDS, newStoredOffer } from '#shared/repricer/model.ts';
import { OFFERS_PER_JOB } from '#shared/repricer/tick.ts';
import { decideOffer } from '#shared/repricer/offer-decision.ts';
import { toOfferRules } from '#shared/repricer/rules.ts';
import type { OfferChangeEvent } from '#shared/repricer/types.ts';

const rules = toOfferRules({ sku: 'S1', asin: 'B000000001', marketplaceId: 'A1PA6795UKMFR9', strategy: 'buybox', currency: 'EUR', min: '8.00', max: '15.00', step: '0.05' }, 't');
const offer = (seller: string, price: number, winner = false) => ({
  sellerId: seller, listingMinor: price, shippingMinor: 0, points: 0, isFulfilledByAmazon: true, isBuyBoxWinner: winner, isFeaturedMerchant: true,
  isPrime: true, sellerPositiveFeedbackRating: 95, feedbackCount: 100, subCondition: 'new', quantityDiscounts: [],
});
const market = (offers: ReturnType<typeof offer>[], at = '2025-03-03T08:00:00Z'): OfferChangeEvent => ({
  notificationType: 'ANY_OFFER_CHANGED', sellerId: 'A2ME0000000001', marketplaceId: 'A1PA6795UKMFR9', asin: 'B000000001', audience: 'B2C', itemCondition: 'new',
  currency: 'EUR', timeOfOfferChange: new Date(at), offers, summaryBuyBoxLandedMinor: 0, totalOfferCount: offers.length,
});

// The same tick at volume, with its costs and peak RSS: `npm run bench -- repricer-tick --offers 20000 --realistic`.
describe('a local end-to-end tick (dynalite, jobs through the SQS adapter, the worker handler)', () => {
  /** Realistic offers (40-character SKUs, every rule, B2B tiers, full state), above BULK_THRESHOLD for one seller. */
  const OFFERS = 400;
  it('decides every due offer through key-sized jobs, pushes each changed price once, stays in range, rewrites nothing on an unchanged tick', async () => {
    // One worker: each function instance is a Node process of its own; fewer of them keep `npm test` light for the
    // timing-sensitive end-to-end suites running beside it.
    const r = await runLocalTick({ offers: OFFERS, concurrency: 1, realistic: true });
    expect(r.first.failedJobs + r.second.failedJobs).toBe(0);
    expect(r.first.decided).toBe(OFFERS);
    // Half the catalogue is steady (held at its max against competitors above it): decided, nothing to write.
    expect(r.first.changed).toBe(OFFERS / 2);
    expect(r.first.unchanged).toBe(OFFERS / 2);
    // The scheduled tick fanned out one shard tick per due shard; together they read every due offer once. A shard
    // holds ≈ 50 of the seller's offers: its share of the 300 immediate pushes in one job, the rest in a bulk one.
    expect(r.first.shardTicks.map((t) => t.shard).sort((a, b) => a - b)).toEqual(Array.from({ length: DUE_SHARDS }, (_, n) => n));
    expect(r.first.shardTicks.reduce((n, t) => n + t.dueOffers, 0)).toBe(OFFERS);
    expect(r.first.jobs).toBeGreaterThanOrEqual(OFFERS / OFFERS_PER_JOB);
    expect(r.first.jobs).toBeLessThanOrEqual(2 * DUE_SHARDS);
    expect(r.first.priceChanges).toBeGreaterThan(0);
    expect(r.first.priceChanges).toBeLessThanOrEqual(OFFERS);
    expect(r.first.stillPending + r.second.stillPending).toBe(0);
    expect(r.feeds.needed).toBeLessThanOrEqual(r.feeds.quotaPer5Min);
    expect(r.first.getItemOffersBatch + r.second.getItemOffersBatch).toBe(0);
    expect(r.priceRangeViolations).toBe(0);
    // A job names its offers: 100 keys of 40-character SKUs, far below SQS's 256 KiB (100 such offers were 240 KiB+).
    expect(r.largestJobMessageBytes).toBeLessThan(16 * 1024);
    // Unchanged offers cost no write at all; a changed one its item, its index entries and its history rows.
    expect(r.second.unchanged).toBeGreaterThan(0);
    expect(r.writeUnitsPerUnchangedOffer).toBe(0);
    expect(r.writeUnitsPerChangedOffer).toBeGreaterThan(0);
    // Each function ran in a process of its own (as each is a Lambda), apart from the harness: the peak RSS the bench
    // prints is theirs, the harness's beside it.
    expect(Object.keys(r.peakRssByFunctionMb).sort()).toEqual(['flush', 'tick', 'workers']);
    expect(r.peakRssMb).toBe(Math.max(...Object.values(r.peakRssByFunctionMb)));
    expect(r.harnessPeakRssMb).toBeGreaterThan(0);
  });
});

describe('decision idempotency', () => {
  it('gives a redelivered decision the same decision id, and holds while the pushed price is awaited', () => {
    const stored = { ...newStoredOffer('t1', 'A2ME0000000001', rules, 0), version: 1 };
    const m = market([offer('A2ME0000000001', 1299), offer('A1OTHER0000001', 1199, true)]);
    const a = decideOffer(stored, m, undefined, false, Date.parse('2025-03-03T08:01:00Z'));
    const b = decideOffer(stored, m, undefined, false, Date.parse('2025-03-03T08:01:00Z'));
    expect(a.push?.price.minor).toBe(1194);
    expect(a.next?.pendingPush?.decisionId).toBe(b.next?.pendingPush?.decisionId);
    // Pushed and marked: the same market again gives no new push.
    const pushed = { ...a.next!, pendingPush: null, lastPushedPriceMinor: 1194, version: a.next!.version + 1 };
    expect(decideOffer(pushed, m, undefined, false, Date.parse('2025-03-03T08:01:30Z')).push).toBeNull();
  });

  it('decides, records, but never pushes in dry-run mode', () => {
    const stored = { ...newStoredOffer('t1', 'A2ME0000000001', rules, 0), version: 1 };
    const r = decideOffer(stored, market([offer('A2ME0000000001', 1299), offer('A1OTHER0000001', 1199, true)]), { tenantId: 't1', sellerId: 'A2ME0000000001', dryRun: true, paused: false, version: 1 }, false, 1);
    expect(r.push).toBeNull();
    expect(r.history[0]?.dryRun).toBe(true);
  });
});

describe('market-change detection (R-P5)', () => {
  it('sees Amazon retail appear and a new competitor, and nothing when only prices move', () => {
    const before = market([offer('A2ME0000000001', 1299), offer('A1OTHER0000001', 1199, true)]);
    const after = market([offer('A2ME0000000001', 1299), offer('A1OTHER0000001', 1150, true), offer('A3JWKAKR8XB7XF', 1249), offer('A9NEW000000001', 1300)]);
    expect(detectListingChanges('t1', before, after).map((c) => c.kind).sort()).toEqual(['amazon-appeared', 'new-competitor']);
    expect(detectListingChanges('t1', before, market([offer('A2ME0000000001', 1250), offer('A1OTHER0000001', 1100, true)]))).toEqual([]);
    expect(detectListingChanges('t1', after, before).map((c) => c.kind)).toEqual(['amazon-left']);
  });

  it('dedups per ISO week', () => {
    expect(isoWeek(new Date('2025-03-03T00:00:00Z'))).toBe('2025-W10');
    expect(isoWeek(new Date('2025-03-09T23:00:00Z'))).toBe('2025-W10');
    expect(isoWeek(new Date('2025-03-10T00:00:00Z'))).toBe('2025-W11');
  });
});
