import { ManualClock } from '#shared/kernel/clock.ts';
import { compileRules, type CompiledOfferRules, parseOfferChangedNotification, repriceOfferChange, offerKey, parseRulesFile, type OfferChangeEvent, type OfferState, type OwnSalesHistory, type RulesFile } from '#shared/repricer/index.ts';
import { nextCompetitorPrice } from './competitors.ts';
import { SIM_ASIN, SIM_MARKETPLACE_ID, SIM_SELLER_ID, SIM_SKU } from './scenarios.ts';
import type { CompetitorMix } from './scenarios.ts';
import { SimulatedMarketplace } from './simulated-marketplace.ts';

/**
 * Runs one seller's pricing strategy against a competitor mix in the simulated marketplace for N days and
 * measures Buy Box share, average price, units and revenue. The repricer strategies (buybox, push, fixed)
 * run exactly as in production: notifications from the marketplace → `repriceOfferChange` → price changes
 * submitted through the `AmazonMarketplace` port (applied 1–2 min later), plus a scheduled tick every
 * 15 min that fetches a snapshot through the port. Baselines: a naive 1-cent undercutter, a static price,
 * and the oracle, which sets, instantly and at every moment, the highest price that would still win.
 */

export type SimStrategy = 'buybox' | 'push' | 'fixed' | 'naive' | 'static' | 'oracle';

export const SIM_RANGE = { minMinor: 800, maxMinor: 1500, startMinor: 1399, staticMinor: 1299 } as const;
const STEP_MS = 15_000;
const TICK_EVERY_MS = 15 * 60_000;
const SAMPLE_EVERY_MS = 30 * 60_000;
const DAY_MS = 86_400_000;
export const SIM_START = new Date('2025-03-03T00:00:00.000Z');

export interface SimulationOptions {
  readonly mix: CompetitorMix;
  readonly strategy: SimStrategy;
  readonly days: number;
  readonly seed: number;
  readonly onProgress?: (fractionDone: number) => void;
}

export interface SimulationSample {
  readonly tMs: number;
  readonly priceMinor: number;
  /** Highest price that would have won at that moment (the oracle on this run's path). */
  readonly oracleMinor: number;
  readonly lowestCompetitorLandedMinor: number;
  readonly buyBoxShare: number;
}

export interface SimulationResult {
  readonly mix: string;
  readonly strategy: SimStrategy;
  readonly days: number;
  readonly seed: number;
  readonly buyBoxShare: number;
  /** Time-weighted average listing price. */
  readonly averagePriceMinor: number;
  readonly units: number;
  readonly revenueMinor: number;
  /** Time-weighted average of the oracle price on this run's own market path. */
  readonly oracleOnPathAveragePriceMinor: number;
  readonly priceChangesSubmitted: number;
  readonly notificationsReceived: number;
  readonly series: readonly SimulationSample[];
}

export function simulationRules(strategy: 'buybox' | 'push' | 'fixed'): RulesFile {
  const base = {
    sku: SIM_SKU,
    asin: SIM_ASIN,
    marketplaceId: SIM_MARKETPLACE_ID,
    audience: 'B2C',
    currency: 'EUR',
    min: '8.00',
    max: '15.00',
  };
  const offer =
    strategy === 'buybox'
      ? { ...base, strategy, step: '0.05', competitors: 'buybox-eligible' }
      : strategy === 'push'
        ? { ...base, strategy, step: '0.25', push: { targetUnits: 40, periodDays: 1, tolerancePercent: 15 } }
        : { ...base, strategy, fixedPrice: '12.99' };
  return parseRulesFile({ sellerId: SIM_SELLER_ID, offers: [offer] });
}

function clampRange(price: number): number {
  if (price === Infinity) return SIM_RANGE.maxMinor;
  if (!(price >= SIM_RANGE.minMinor)) return SIM_RANGE.minMinor;
  return price > SIM_RANGE.maxMinor ? SIM_RANGE.maxMinor : price;
}

function lowestOtherLanded(event: OfferChangeEvent, sellerId: string): number {
  let lowest = Infinity;
  for (const o of event.offers) if (o.sellerId !== sellerId) lowest = Math.min(lowest, o.listingMinor + o.shippingMinor - o.points);
  return lowest;
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const { mix, strategy, days, seed } = options;
  const clock = new ManualClock(SIM_START);
  const market = new SimulatedMarketplace({ clock, seed });
  const startMinor = strategy === 'static' ? SIM_RANGE.staticMinor : SIM_RANGE.startMinor;
  market.addListing({
    marketplaceId: SIM_MARKETPLACE_ID,
    asin: SIM_ASIN,
    audience: 'B2C',
    currency: 'EUR',
    // Competitors first: ties in the award model go to them, never to the seller under test.
    offers: [...mix.competitors, { sellerId: SIM_SELLER_ID, sku: SIM_SKU, listingMinor: startMinor, shippingMinor: 0, fba: true, rating: 98 }],
  });

  const repricer = strategy === 'buybox' || strategy === 'push' || strategy === 'fixed' ? strategy : null;
  const rules = repricer ? simulationRules(repricer) : null;
  const key = offerKey({ sku: SIM_SKU, marketplaceId: SIM_MARKETPLACE_ID, audience: 'B2C' });
  const compiled = new Map<string, CompiledOfferRules>();
  if (rules) for (const offer of rules.offers) compiled.set(offerKey(offer), compileRules(offer, rules.sellerId));
  let states = new Map<string, OfferState>();
  let submitted = 0;
  let notifications = 0;
  let naiveLastSubmitted = -1;

  const reprice = async (event: OfferChangeEvent): Promise<void> => {
    if (!rules) return;
    const now = clock.now();
    const sales = new Map<string, OwnSalesHistory>();
    if (repricer === 'push') {
      sales.set(key, { unitsInWindow: market.unitsSoldSince(SIM_MARKETPLACE_ID, SIM_ASIN, 'B2C', SIM_SELLER_ID, now.getTime() - DAY_MS), windowMs: DAY_MS });
    }
    const result = repriceOfferChange({ event, rules, now, states, sales, compiled });
    states = new Map([...states, ...result.nextStates]);
    if (result.priceChanges.length > 0) {
      await market.submitPriceChanges(result.priceChanges, { dryRun: false });
      submitted += result.priceChanges.length;
    }
  };

  /** The naive baseline: one cent below the cheapest other offer, inside the same range. Returns changes submitted. */
  const naiveReprice = async (event: OfferChangeEvent): Promise<number> => {
    const own = event.offers.find((o) => o.sellerId === SIM_SELLER_ID);
    const next = nextCompetitorPrice(
      { kind: 'naive-undercutter', floorMinor: SIM_RANGE.minMinor, ceilingMinor: SIM_RANGE.maxMinor, undercutMinor: 1, reactionMinMs: 0, reactionMaxMs: 0 },
      { ownListingMinor: own?.listingMinor ?? startMinor, ownShippingMinor: 0, lowestOtherLanded: lowestOtherLanded(event, SIM_SELLER_ID), otherWinnerLanded: Infinity, isWinner: false },
    );
    if (next === null || next === naiveLastSubmitted) return 0;
    naiveLastSubmitted = next;
    await market.submitPriceChanges(
      [{ sellerId: SIM_SELLER_ID, sku: SIM_SKU, asin: SIM_ASIN, marketplaceId: SIM_MARKETPLACE_ID, audience: 'B2C', price: { minor: next, currency: 'EUR' }, quantityTiers: [] }],
      { dryRun: false },
    );
    return 1;
  };

  const series: SimulationSample[] = [];
  let oracleSum = 0;
  let oracleMinutes = 0;
  const totalSteps = Math.round((days * DAY_MS) / STEP_MS);
  const progressEvery = Math.max(1, Math.floor(totalSteps / 200));
  for (let step = 1; step <= totalSteps; step++) {
    clock.advance(STEP_MS);
    const elapsed = step * STEP_MS;
    market.sync();
    if (strategy === 'oracle') {
      const target = clampRange(market.oracleListingPrice(SIM_MARKETPLACE_ID, SIM_ASIN, 'B2C', SIM_SELLER_ID));
      market.setPriceImmediately(SIM_MARKETPLACE_ID, SIM_ASIN, 'B2C', SIM_SELLER_ID, target);
    }
    for (const raw of market.drainNotifications(SIM_SELLER_ID)) {
      notifications++;
      if (repricer) await reprice(parseOfferChangedNotification(raw));
      else if (strategy === 'naive') submitted += await naiveReprice(parseOfferChangedNotification(raw));
    }
    if (strategy === 'naive' && elapsed % TICK_EVERY_MS === 0) {
      // Naive repricers also run on a schedule, so they act in a market where nothing changes.
      const [snapshot] = await market.getMarketSnapshots({ sellerId: SIM_SELLER_ID, marketplaceId: SIM_MARKETPLACE_ID, audience: 'B2C', asins: [SIM_ASIN] });
      if (snapshot?.ok) submitted += await naiveReprice(snapshot.market);
    }
    if (repricer && elapsed % TICK_EVERY_MS === 0) {
      // The scheduled tick (R-P4): fetch the market through the port, as the per-marketplace Lambda does.
      const [snapshot] = await market.getMarketSnapshots({ sellerId: SIM_SELLER_ID, marketplaceId: SIM_MARKETPLACE_ID, audience: 'B2C', asins: [SIM_ASIN] });
      if (snapshot?.ok) await reprice(snapshot.market);
    }
    if (elapsed % 60_000 === 0) {
      oracleSum += clampRange(market.oracleListingPrice(SIM_MARKETPLACE_ID, SIM_ASIN, 'B2C', SIM_SELLER_ID));
      oracleMinutes++;
    }
    if (elapsed % SAMPLE_EVERY_MS === 0) {
      const prices = market.listingPrices(SIM_MARKETPLACE_ID, SIM_ASIN, 'B2C');
      const ours = prices.find((p) => p.sellerId === SIM_SELLER_ID);
      let lowest = Infinity;
      mix.competitors.forEach((c, i) => {
        lowest = Math.min(lowest, (prices[i]?.listingMinor ?? Infinity) + c.shippingMinor);
      });
      series.push({
        tMs: elapsed,
        priceMinor: ours?.listingMinor ?? 0,
        oracleMinor: clampRange(market.oracleListingPrice(SIM_MARKETPLACE_ID, SIM_ASIN, 'B2C', SIM_SELLER_ID)),
        lowestCompetitorLandedMinor: lowest,
        buyBoxShare: ours?.buyBoxShare ?? 0,
      });
    }
    if (options.onProgress && step % progressEvery === 0) options.onProgress(step / totalSteps);
  }
  options.onProgress?.(1);
  const stats = market.offerStats(SIM_MARKETPLACE_ID, SIM_ASIN, 'B2C', SIM_SELLER_ID);
  return {
    mix: mix.name,
    strategy,
    days,
    seed,
    buyBoxShare: stats.buyBoxShare,
    averagePriceMinor: stats.averagePriceMinor,
    units: stats.units,
    revenueMinor: stats.revenueMinor,
    oracleOnPathAveragePriceMinor: oracleMinutes === 0 ? 0 : oracleSum / oracleMinutes,
    priceChangesSubmitted: submitted,
    notificationsReceived: notifications,
    series,
  };
}

export interface MixComparison {
  readonly mix: string;
  readonly strategy: SimResultRow;
  readonly naive: SimResultRow;
  readonly static: SimResultRow;
  readonly oracle: SimResultRow;
  /** strategy average price / oracle average price. */
  readonly priceVsOracle: number;
  /** strategy average price / naive average price − 1. */
  readonly priceVsNaive: number;
}
export type SimResultRow = SimulationResult;

/** Runs the strategy and the three baselines on one mix with the same seed. */
export async function compareOnMix(
  mix: CompetitorMix,
  strategy: 'buybox' | 'push' | 'fixed',
  days: number,
  seed: number,
  onProgress?: (fractionDone: number) => void,
): Promise<MixComparison> {
  const runs: SimStrategy[] = [strategy, 'naive', 'static', 'oracle'];
  const results: SimulationResult[] = [];
  for (let i = 0; i < runs.length; i++) {
    results.push(await runSimulation({ mix, strategy: runs[i]!, days, seed, onProgress: (f) => onProgress?.((i + f) / runs.length) }));
  }
  const [own, naive, fixed, oracle] = results as [SimulationResult, SimulationResult, SimulationResult, SimulationResult];
  return {
    mix: mix.name,
    strategy: own,
    naive,
    static: fixed,
    oracle,
    priceVsOracle: own.averagePriceMinor / oracle.averagePriceMinor,
    priceVsNaive: own.averagePriceMinor / naive.averagePriceMinor - 1,
  };
}
