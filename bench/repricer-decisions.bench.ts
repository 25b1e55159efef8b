/**
 * Repricer decisions per second on one core, 20 competitor offers per decision, full strategy: competitor
 * filters (Buy Box eligible / FBA / rating / excluded sellers), landed price, Amazon detection, state machine,
 * B2B tiers and the clamp. Measured next to the floor, a bare loop that only finds the lowest landed price of
 * 20 offers and clamps it, over typed arrays and over plain objects, in the same process.
 *
 *   npm run bench -- repricer-decisions
 */
import { cpus } from 'node:os';
import { compileRules, decideInto } from '#shared/repricer/engine.ts';
import type { CompiledOfferRules } from '#shared/repricer/engine.ts';
import { toMarketSnapshot } from '#shared/repricer/notification.ts';
import { parseRulesFile } from '#shared/repricer/rules.ts';
import { DecisionScratch, INITIAL_OFFER_STATE, NO_CEILING, Phase } from '#shared/repricer/types.ts';
import type { MarketOffer, MarketSnapshot, OfferState } from '#shared/repricer/types.ts';
import { Prng } from '#shared/marketplace-sim/prng.ts';

const OFFERS = 20;
const VARIANTS = 1024; // distinct (rules, market, state) triples, cycled: defeats branch-prediction flattery
const SELLER = 'A2SELLEROPS0DE';
const GOAL = 5_000_000;

const random = new Prng(20250304);
const competitorIds = Array.from({ length: 60 }, (_, i) => `A${String(i).padStart(3, '0')}COMPETITOR`);

function market(): { snapshot: MarketSnapshot; objects: { listing: number; shipping: number; points: number }[] } {
  const offers: MarketOffer[] = [];
  const ownAt = random.int(0, OFFERS - 1);
  const winnerAt = random.int(0, OFFERS - 1);
  for (let i = 0; i < OFFERS; i++) {
    const own = i === ownAt;
    offers.push({
      sellerId: own ? SELLER : competitorIds[random.int(0, competitorIds.length - 1)]!,
      listingMinor: random.int(700, 1700),
      shippingMinor: random.next() < 0.6 ? 0 : random.int(49, 499),
      points: random.next() < 0.1 ? random.int(1, 30) : 0,
      isFulfilledByAmazon: random.next() < 0.5,
      isBuyBoxWinner: i === winnerAt,
      isFeaturedMerchant: random.next() < 0.85,
      isPrime: random.next() < 0.5,
      sellerPositiveFeedbackRating: random.int(60, 100),
      feedbackCount: 100,
      subCondition: 'new',
      quantityDiscounts: [],
    });
  }
  return {
    snapshot: toMarketSnapshot({ offers, summaryBuyBoxLandedMinor: 0 }),
    objects: offers.map((o) => ({ listing: o.listingMinor, shipping: o.shippingMinor, points: o.points })),
  };
}

const rulesFile = parseRulesFile({
  sellerId: SELLER,
  offers: [
    { sku: 'B2C-1', asin: 'B000000001', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C', strategy: 'buybox', currency: 'EUR', min: '8.00', max: '15.00', step: '0.05', competitors: 'buybox-eligible', minSellerRating: 85, excludeSellerIds: [competitorIds[3]!, competitorIds[7]!] },
    { sku: 'B2C-2', asin: 'B000000002', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C', strategy: 'buybox', currency: 'EUR', min: '9.00', max: '14.00', step: '0.01', competitors: 'fba' },
    {
      sku: 'B2B-1', asin: 'B000000003', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2B', strategy: 'buybox', currency: 'EUR', min: '7.50', max: '16.00', step: '0.05', minSellerRating: 90,
      tiers: [
        { minQuantity: 2, discountPercent: '1' },
        { minQuantity: 5, discountPercent: '3' },
        { minQuantity: 10, discountPercent: '5' },
        { minQuantity: 25, discountAmount: '1.20' },
        { minQuantity: 50, discountPercent: '12.5' },
      ],
    },
    { sku: 'B2C-3', asin: 'B000000004', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C', strategy: 'push', currency: 'EUR', min: '8.00', max: '15.00', step: '0.25', push: { targetUnits: 10, keepBuyBox: true } },
  ],
});
const compiled: CompiledOfferRules[] = rulesFile.offers.map((o) => compileRules(o, SELLER));

const NOW = Date.parse('2025-03-04T10:00:00Z');
function state(): OfferState {
  const roll = random.next();
  if (roll < 0.4) return INITIAL_OFFER_STATE;
  return {
    phase: roll < 0.6 ? Phase.Probing : roll < 0.8 ? Phase.Holding : Phase.Seeking,
    pendingPriceMinor: random.next() < 0.2 ? random.int(800, 1500) : 0,
    pendingSinceMs: NOW - random.int(0, 600_000),
    lastWinningPriceMinor: random.int(800, 1500),
    lostAtPriceMinor: random.next() < 0.5 ? random.int(800, 1500) : 0,
    ceilingPremiumBasisPoints: random.next() < 0.5 ? random.int(-300, 900) : NO_CEILING,
    ceilingLearnedAtMs: NOW - random.int(0, 86_400_000),
    ceilingReferenceLandedMinor: random.int(700, 1700),
    streak: random.int(0, 5),
    referenceLandedMinor: random.int(700, 1700),
    lastChangeAtMs: NOW - random.int(0, 172_800_000),
  };
}

const snapshots: MarketSnapshot[] = [];
const objectMarkets: { listing: number; shipping: number; points: number }[][] = [];
const rulesFor: CompiledOfferRules[] = [];
const states: OfferState[] = [];
for (let i = 0; i < VARIANTS; i++) {
  const m = market();
  snapshots.push(m.snapshot);
  objectMarkets.push(m.objects);
  rulesFor.push(compiled[i % compiled.length]!);
  states.push(state());
}
const sales = { unitsInWindow: 12, windowMs: 86_400_000 };

function fullStrategy(iterations: number): number {
  const out = new DecisionScratch();
  let checksum = 0;
  for (let i = 0; i < iterations; i++) {
    const v = i & (VARIANTS - 1);
    decideInto(out, rulesFor[v]!, snapshots[v]!, states[v]!, NOW, sales);
    checksum += out.newPrice + out.tierPrices[4]!;
  }
  return checksum;
}

function floorTypedArrays(iterations: number): number {
  let checksum = 0;
  for (let i = 0; i < iterations; i++) {
    const m = snapshots[i & (VARIANTS - 1)]!;
    const listing = m.listing;
    const shipping = m.shipping;
    const points = m.points;
    let lowest = 2_147_483_647;
    for (let k = 0; k < OFFERS; k++) {
      const landed = listing[k]! + shipping[k]! - points[k]!;
      if (landed < lowest) lowest = landed;
    }
    let price = lowest - 1;
    if (price < 800) price = 800;
    else if (price > 1500) price = 1500;
    checksum += price;
  }
  return checksum;
}

function floorPrecomputedLanded(iterations: number): number {
  let checksum = 0;
  for (let i = 0; i < iterations; i++) {
    const landedPrices = snapshots[i & (VARIANTS - 1)]!.landed;
    let lowest = 2_147_483_647;
    for (let k = 0; k < OFFERS; k++) {
      const landed = landedPrices[k]!;
      if (landed < lowest) lowest = landed;
    }
    let price = lowest - 1;
    if (price < 800) price = 800;
    else if (price > 1500) price = 1500;
    checksum += price;
  }
  return checksum;
}

function floorPlainObjects(iterations: number): number {
  let checksum = 0;
  for (let i = 0; i < iterations; i++) {
    const offers = objectMarkets[i & (VARIANTS - 1)]!;
    let lowest = 2_147_483_647;
    for (let k = 0; k < offers.length; k++) {
      const o = offers[k]!;
      const landed = o.listing + o.shipping - o.points;
      if (landed < lowest) lowest = landed;
    }
    let price = lowest - 1;
    if (price < 800) price = 800;
    else if (price > 1500) price = 1500;
    checksum += price;
  }
  return checksum;
}

/** Best of `rounds` timed runs of ~`targetMs` each, after a warm-up; returns operations per second. */
function measure(name: string, run: (n: number) => number, targetMs = 1000, rounds = 5): number {
  let sink = run(200_000); // warm-up: lets the JIT optimise before timing
  let iterations = 200_000;
  for (;;) {
    const t = process.hrtime.bigint();
    sink += run(iterations);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (ms > targetMs / 4) {
      iterations = Math.round((iterations * targetMs) / ms);
      break;
    }
    iterations *= 4;
  }
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    sink += run(iterations);
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    best = Math.max(best, iterations / seconds);
  }
  if (sink === 42) process.stdout.write(''); // keeps the result alive
  process.stdout.write(`  ${name.padEnd(52)} ${(best / 1e6).toFixed(2).padStart(7)} M/s\n`);
  return best;
}

process.stdout.write(`Repricer decisions, ${OFFERS} offers each, one core (${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version})\n`);
const floorTyped = measure('floor: lowest landed + clamp, typed arrays', floorTypedArrays);
const floorObjects = measure('floor: lowest landed + clamp, plain objects', floorPlainObjects);
const floorLanded = measure('floor: lowest of precomputed landed + clamp', floorPrecomputedLanded);
const full = measure('full strategy (decideInto, B2C + B2B 5 tiers + push)', fullStrategy);
process.stdout.write(`\n  goal ≥ ${(GOAL / 1e6).toFixed(1)} M decisions/s: measured ${(full / 1e6).toFixed(2)} M/s (${full >= GOAL ? 'met' : 'NOT met'})\n`);
process.stdout.write(`  ratio full / floor (typed arrays):  ${(full / floorTyped).toFixed(2)}\n`);
process.stdout.write(`  ratio full / floor (plain objects): ${(full / floorObjects).toFixed(2)}\n`);
process.stdout.write(`  ratio full / floor (precomputed landed): ${(full / floorLanded).toFixed(2)}\n`);
