/**
 * `npm run simulate -- --days 30 --strategy buybox [--mix all|<name>] [--seed 42] [--svg price.svg]`
 *
 * Runs the repricer against the simulated Amazon marketplace, one run per competitor mix for the strategy
 * and for each baseline (naive 1-cent undercutter, static price, oracle), and prints Buy Box share, average
 * price, units and revenue, then a chart of price over time.
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { COMPETITOR_MIXES, findMix } from '#shared/marketplace-sim/scenarios.ts';
import { compareOnMix } from '#shared/marketplace-sim/simulation.ts';
import type { MixComparison, SimulationResult } from '#shared/marketplace-sim/simulation.ts';
import { svgChart, terminalChart } from './repricer-chart.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const program = new Command('simulate')
  .description('Simulate 30 days of repricing against competitor mixes and compare with baselines')
  .option('--days <n>', 'simulated days', positiveInt, 30)
  .option('--strategy <name>', 'buybox | push | fixed', 'buybox')
  .option('--mix <name>', `competitor mix: all | ${COMPETITOR_MIXES.map((m) => m.name).join(' | ')}`, 'all')
  .option('--seed <n>', 'random seed (same seed, same run)', positiveInt, 42)
  .option('--svg <file>', 'also write the price-over-time chart as SVG')
  .option('--no-progress', 'no progress bar');
program.parse(process.argv);
const options = program.opts<{ days: number; strategy: string; mix: string; seed: number; svg?: string; progress: boolean }>();

if (!['buybox', 'push', 'fixed'].includes(options.strategy)) {
  process.stderr.write(`simulate: --strategy must be buybox, push or fixed (got "${options.strategy}")\n`);
  process.exit(2);
}
const strategy = options.strategy as 'buybox' | 'push' | 'fixed';
const mixes = options.mix === 'all' ? COMPETITOR_MIXES : [findMix(options.mix)].filter((m) => m !== undefined);
if (mixes.length === 0) {
  process.stderr.write(`simulate: unknown --mix "${options.mix}" (known: all, ${COMPETITOR_MIXES.map((m) => m.name).join(', ')})\n`);
  process.exit(2);
}

const bar = options.progress
  ? new cliProgress.SingleBar({ format: 'simulating {bar} {percentage}% | {mix}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
  : null;
bar?.start(100, 0, { mix: mixes[0]?.name ?? '' });
const started = Date.now();
const comparisons: MixComparison[] = [];
for (let i = 0; i < mixes.length; i++) {
  const mix = mixes[i]!;
  comparisons.push(
    await compareOnMix(mix, strategy, options.days, options.seed, (f) => bar?.update(Math.round(((i + f) / mixes.length) * 100), { mix: mix.name })),
  );
}
bar?.stop();

const eur = (minor: number): string => (minor / 100).toFixed(2);
const row = (label: string, r: SimulationResult, note = ''): string =>
  `  ${label.padEnd(18)} ${(r.buyBoxShare * 100).toFixed(1).padStart(6)} %  ${eur(r.averagePriceMinor).padStart(8)}  ${String(r.units).padStart(6)}  ${eur(r.revenueMinor).padStart(10)}  ${note}`;

process.stdout.write(`\nSimulated ${options.days} days, strategy ${strategy}, seed ${options.seed} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
process.stdout.write('Prices in EUR; range 8.00–15.00; the seller is FBA with 98 % positive feedback.\n');
for (const c of comparisons) {
  const mix = mixes.find((m) => m.name === c.mix);
  process.stdout.write(`\n${c.mix}: ${mix?.description ?? ''}\n`);
  process.stdout.write(`  ${'run'.padEnd(18)} ${'Buy Box'.padStart(8)}  ${'avg price'.padStart(8)}  ${'units'.padStart(6)}  ${'revenue'.padStart(10)}\n`);
  process.stdout.write(
    `${row(strategy, c.strategy, `${(c.priceVsOracle * 100).toFixed(1)} % of oracle price, ${c.priceVsNaive >= 0 ? '+' : ''}${(c.priceVsNaive * 100).toFixed(1)} % vs naive`)}\n`,
  );
  process.stdout.write(`${row('naive undercutter', c.naive)}\n${row('static 12.99', c.static)}\n${row('oracle', c.oracle)}\n`);
}

if (strategy === 'buybox') {
  const share = Math.min(...comparisons.map((c) => c.strategy.buyBoxShare));
  const vsOracle = Math.min(...comparisons.map((c) => c.priceVsOracle));
  const vsNaive = Math.min(...comparisons.map((c) => c.priceVsNaive));
  process.stdout.write(
    `\nGoals (worst mix): Buy Box share ${(share * 100).toFixed(1)} % (goal ≥ 90 %), price ${(vsOracle * 100).toFixed(1)} % of oracle (goal ≥ 98 %), ` +
      `${(vsNaive * 100).toFixed(1)} % above naive (goal ≥ 5 %)\n`,
  );
}

const charts = comparisons.map((c) => ({
  title: `${c.mix}: price over time`,
  series: [
    { label: strategy, glyph: '*', color: '#d62728', values: c.strategy.series.map((s) => s.priceMinor) },
    { label: 'oracle (on this path)', glyph: 'o', color: '#2ca02c', values: c.strategy.series.map((s) => s.oracleMinor) },
    { label: 'naive undercutter', glyph: '.', color: '#1f77b4', values: c.naive.series.map((s) => s.priceMinor) },
  ],
}));
process.stdout.write('\n');
for (const chart of charts) process.stdout.write(`${terminalChart(chart.title, chart.series, { days: options.days })}\n`);
if (options.svg) {
  writeFileSync(options.svg, svgChart(charts, options.days));
  process.stdout.write(`SVG chart written to ${options.svg}\n`);
}
