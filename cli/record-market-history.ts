/**
 * `npm run record:market-history -- [--days 30] [--seed 21] [--out examples/repricer/market-history]`
 *
 * Records a market history in the format `sellerops simulate --history` reads, from the simulated marketplace the
 * local stack runs (shared/marketplace-sim/), for the listings of examples/repricer/rules.json: every offer
 * notification the seller receives is recorded through `marketRecordOf` when the market changed (as the
 * notifications Lambda records them), and the seller's units and revenue per day from the simulator's sales.
 * The seller's *current* pricing while recording: a naive 1-cent undercutter on the B2C kitchen scale (floor
 * 8.00), fixed prices on the B2B kitchen scale (12.49) and on the garlic press (12.99). The run is seeded: the same
 * arguments write the same files. The committed example in examples/repricer/market-history/ was written by it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ManualClock } from '#shared/kernel/clock.ts';
import type { Currency } from '#shared/kernel/money.ts';
import { COMPETITOR_MIXES } from '#shared/marketplace-sim/scenarios.ts';
import { SimulatedMarketplace, type SimOfferSpec } from '#shared/marketplace-sim/simulated-marketplace.ts';
import {
  marketHistoryToFile,
  marketRecordOf,
  parseOfferChangedNotification,
  sameMarket,
  type Audience,
  type MarketRecord,
  type OfferChangeEvent,
  type RecordedSales,
} from '#shared/repricer/index.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const program = new Command('record-market-history')
  .description('Record a market history of the example listings from the simulated marketplace')
  .option('--days <n>', 'days to record', positiveInt, 30)
  .option('--seed <n>', 'random seed', positiveInt, 21)
  .option('--out <dir>', 'directory to write one file per listing into', 'examples/repricer/market-history')
  .option('--start <iso>', 'when recording starts', '2026-10-01T00:00:00.000Z');
program.parse(process.argv);
const options = program.opts<{ days: number; seed: number; out: string; start: string }>();

const SELLER = 'A2SELLEROPS0DE';
const MARKETPLACE = 'A1PA6795UKMFR9';
const STEP_MS = 15_000;
const DAY_MS = 86_400_000;

interface RecordedListing {
  readonly asin: string;
  readonly audience: Audience;
  readonly sku: string;
  readonly mix: string;
  /** The seller's current pricing: a fixed price, or a naive undercutter with this floor. */
  readonly current: { kind: 'fixed'; priceMinor: number } | { kind: 'naive'; floorMinor: number; ceilingMinor: number; startMinor: number };
}

const LISTINGS: readonly RecordedListing[] = [
  { asin: 'B07XJ8C8F5', audience: 'B2C', sku: 'KITCHEN-SCALE-01', mix: 'undercutters', current: { kind: 'naive', floorMinor: 800, ceilingMinor: 1500, startMinor: 1299 } },
  { asin: 'B07XJ8C8F5', audience: 'B2B', sku: 'KITCHEN-SCALE-01', mix: 'static-field', current: { kind: 'fixed', priceMinor: 1249 } },
  { asin: 'B09PLGARLC', audience: 'B2C', sku: 'GARLIC-PRESS-PL', mix: 'bot-and-amazon', current: { kind: 'fixed', priceMinor: 1299 } },
];

const startMs = Date.parse(options.start);
const clock = new ManualClock(new Date(startMs));
const market = new SimulatedMarketplace({ clock, seed: options.seed });
const currency: Currency = 'EUR';
for (const l of LISTINGS) {
  const mix = COMPETITOR_MIXES.find((m) => m.name === l.mix)!;
  const own: SimOfferSpec = { sellerId: SELLER, sku: l.sku, listingMinor: l.current.kind === 'fixed' ? l.current.priceMinor : l.current.startMinor, shippingMinor: 0, fba: true, rating: 98 };
  // Competitors first: ties in the award model go to them.
  market.addListing({ marketplaceId: MARKETPLACE, asin: l.asin, audience: l.audience, currency, offers: [...mix.competitors, own] });
}

const keyOf = (e: { asin: string; audience: Audience }): string => `${e.asin}|${e.audience}`;
const records = new Map<string, MarketRecord[]>(LISTINGS.map((l) => [keyOf(l), []]));
const record = (event: OfferChangeEvent): void => {
  const list = records.get(keyOf(event))!;
  const next = marketRecordOf(event);
  const last = list[list.length - 1];
  if (!last || !sameMarket(last, next)) list.push(next);
};
const lastSubmitted = new Map<string, number>();
let notifications = 0;

/** The current pricing of a naive repricer: one cent below the cheapest other landed price, inside its range. */
async function currentPricing(event: OfferChangeEvent): Promise<void> {
  const listing = LISTINGS.find((l) => keyOf(l) === keyOf(event))!;
  if (listing.current.kind !== 'naive') return;
  let lowest = Infinity;
  for (const o of event.offers) if (o.sellerId !== SELLER) lowest = Math.min(lowest, o.listingMinor + o.shippingMinor - o.points);
  const target = Math.min(listing.current.ceilingMinor, Math.max(listing.current.floorMinor, lowest === Infinity ? listing.current.ceilingMinor : lowest - 1));
  if (lastSubmitted.get(listing.sku) === target) return;
  lastSubmitted.set(listing.sku, target);
  await market.submitPriceChanges(
    [{ sellerId: SELLER, sku: listing.sku, asin: listing.asin, marketplaceId: MARKETPLACE, audience: listing.audience, price: { minor: target, currency }, quantityTiers: [] }],
    { dryRun: false },
  );
}

for (const l of LISTINGS) {
  const event = parseOfferChangedNotification(market.currentNotification(MARKETPLACE, l.asin, l.audience, SELLER));
  record(event);
  await currentPricing(event);
}
const sales: RecordedSales[] = [];
const revenueBefore = new Map<string, number>(LISTINGS.map((l) => [keyOf(l), 0]));
const endMs = startMs + options.days * DAY_MS;
for (let t = startMs + STEP_MS; t <= endMs; t += STEP_MS) {
  clock.advance(STEP_MS);
  for (const raw of market.drainNotifications(SELLER)) {
    notifications++;
    const event = parseOfferChangedNotification(raw);
    record(event);
    await currentPricing(event);
  }
  if ((t - startMs) % DAY_MS === 0) {
    const day = new Date(t - DAY_MS).toISOString().slice(0, 10);
    for (const l of LISTINGS) {
      const stats = market.offerStats(MARKETPLACE, l.asin, l.audience, SELLER);
      const revenue = stats.revenueMinor - revenueBefore.get(keyOf(l))!;
      revenueBefore.set(keyOf(l), stats.revenueMinor);
      const units = market.unitsSoldSince(MARKETPLACE, l.asin, l.audience, SELLER, t - DAY_MS);
      sales.push({ sku: l.sku, marketplaceId: MARKETPLACE, audience: l.audience, day, units, revenueMinor: revenue });
    }
  }
}

mkdirSync(options.out, { recursive: true });
for (const l of LISTINGS) {
  const file = join(options.out, `${l.asin}-${l.audience}.json`);
  const history = {
    sellerId: SELLER,
    source: `recorded from the simulated marketplace (npm run record:market-history -- --days ${options.days} --seed ${options.seed})`,
    recordedFrom: new Date(startMs).toISOString(),
    recordedTo: new Date(endMs).toISOString(),
    records: records.get(keyOf(l))!,
    sales: sales.filter((s) => s.sku === l.sku && s.audience === l.audience),
  };
  writeFileSync(file, `${JSON.stringify(marketHistoryToFile(history))}\n`);
  process.stdout.write(`${file}: ${history.records.length} market records, ${history.sales.length} days of sales\n`);
}
const recorded = [...records.values()].reduce((n, list) => n + list.length, 0);
process.stdout.write(`${notifications} notifications and ${LISTINGS.length} starting snapshots, ${recorded} recorded (the others showed no change of the market)\n`);
