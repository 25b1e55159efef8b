/**
 * Buy Box strategy vs baselines in the simulated marketplace: 30 simulated days on every competitor mix, for
 * several seeds. Goals (issue R-P2): Buy Box share ≥ 90 %, average price ≥ 98 % of the oracle's and ≥ 5 %
 * above the naive 1-cent undercutter's. Prints the table and goal vs measured (never fails the run).
 *
 *   npm run bench -- repricer-simulation
 */
import { COMPETITOR_MIXES } from '#shared/marketplace-sim/scenarios.ts';
import { compareOnMix } from '#shared/marketplace-sim/simulation.ts';
import type { MixComparison } from '#shared/marketplace-sim/simulation.ts';

const DAYS = 30;
const SEEDS = [42, 7, 2025];
const eur = (minor: number): string => (minor / 100).toFixed(2);
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

const started = Date.now();
const results: MixComparison[] = [];
process.stdout.write(`Buy Box strategy, ${DAYS} simulated days, ${COMPETITOR_MIXES.length} competitor mixes × seeds ${SEEDS.join(', ')}\n\n`);
process.stdout.write(
  `  ${'mix'.padEnd(15)} ${'seed'.padStart(5)} ${'BB share'.padStart(9)} ${'avg price'.padStart(9)} ${'oracle'.padStart(7)} ${'naive'.padStart(7)} ${'static'.padStart(7)} ${'vs oracle'.padStart(9)} ${'vs naive'.padStart(9)} ${'revenue'.padStart(9)} ${'oracle rev'.padStart(10)}\n`,
);
for (const mix of COMPETITOR_MIXES) {
  for (const seed of SEEDS) {
    const c = await compareOnMix(mix, 'buybox', DAYS, seed);
    results.push(c);
    process.stdout.write(
      `  ${mix.name.padEnd(15)} ${String(seed).padStart(5)} ${pct(c.strategy.buyBoxShare).padStart(9)} ${eur(c.strategy.averagePriceMinor).padStart(9)} ` +
        `${eur(c.oracle.averagePriceMinor).padStart(7)} ${eur(c.naive.averagePriceMinor).padStart(7)} ${eur(c.static.averagePriceMinor).padStart(7)} ` +
        `${pct(c.priceVsOracle).padStart(9)} ${`${c.priceVsNaive >= 0 ? '+' : ''}${pct(c.priceVsNaive)}`.padStart(9)} ` +
        `${eur(c.strategy.revenueMinor).padStart(9)} ${eur(c.oracle.revenueMinor).padStart(10)}\n`,
    );
  }
}
const worstShare = Math.min(...results.map((r) => r.strategy.buyBoxShare));
const worstOracle = Math.min(...results.map((r) => r.priceVsOracle));
const worstNaive = Math.min(...results.map((r) => r.priceVsNaive));
process.stdout.write(`\n  worst Buy Box share      ${pct(worstShare)}  (goal ≥ 90 %: ${worstShare >= 0.9 ? 'met' : 'NOT met'})\n`);
process.stdout.write(`  worst price vs oracle    ${pct(worstOracle)}  (goal ≥ 98 %: ${worstOracle >= 0.98 ? 'met' : 'NOT met'})\n`);
process.stdout.write(`  worst price vs naive    +${pct(worstNaive)}  (goal ≥ +5 %: ${worstNaive >= 0.05 ? 'met' : 'NOT met'})\n`);
process.stdout.write(`  ${results.length * 4} runs in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
