/**
 * `sellerops simulate --rules <rules.json> --days 30`: what-if before going live. The rules are replayed against
 * recorded market history (shared/repricer/what-if.ts) and compared with the current pricing as recorded.
 *
 * Where the history comes from:
 * - `--history <file|dir>`: an exported history (one JSON file, or a directory of them: one per listing);
 * - `--local <url>`: the running local stack's own recording, through `POST /repricer/simulations` (as `--tenant`);
 * - neither: the committed example, examples/repricer/market-history/ (recorded from the simulated marketplace).
 *
 * Not `npm run simulate` (cli/simulate.ts): that one runs the strategy against *simulated* competitors; this one
 * replays the *recorded* market of the seller's own listings.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { isDomainError } from '#shared/kernel/errors.ts';
import { awardModelJudge } from '#shared/marketplace-sim/what-if-judge.ts';
import { MAX_WHAT_IF_DAYS, mergeMarketHistories, parseMarketHistoryFile, parseRulesFile, runWhatIf } from '#shared/repricer/index.ts';
import type { MarketHistory, PricingFigures, WhatIfOfferReport, WhatIfReport } from '#shared/repricer/index.ts';
import { processIo, type CliIo } from './reprice.ts';

/** The committed example history (what a fresh clone replays by default). */
export const EXAMPLE_MARKET_HISTORY = fileURLToPath(new URL('../../examples/repricer/market-history', import.meta.url));

export interface SimulateCliOptions {
  readonly rules: string;
  readonly days: number;
  readonly history?: string;
  readonly local?: string;
  readonly tenant: string;
  readonly json?: boolean;
}

/** Problems with the command line or its files (exit 2), as against bad data (exit 1). */
class UsageError extends Error {}

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${what}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${what}: ${path} is not valid JSON (${(error as Error).message})`);
  }
}

/** A history file, or every `*.json` of a directory merged. */
export async function readMarketHistory(path: string): Promise<MarketHistory> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new UsageError(`--history: ${path} does not exist`);
  const files = info.isDirectory() ? (await readdir(path)).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f)) : [path];
  if (files.length === 0) throw new UsageError(`--history: no .json file in ${path}`);
  const histories: MarketHistory[] = [];
  for (const file of files) histories.push(parseMarketHistoryFile(await readJsonFile(file, '--history'), file));
  return mergeMarketHistories(histories);
}

/** The local stack's recording, simulated by its API as the tenant (the dev login gives the token). */
async function simulateOnLocalStack(url: string, tenant: string, rules: unknown, days: number): Promise<WhatIfReport> {
  const call = async (path: string, body: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    } catch {
      throw new UsageError(`--local: no local stack answers at ${url} (start it with npm start)`);
    }
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const token = await call('/_local/auth/token', { role: 'customer', tenant });
  if (token.status !== 200 || typeof token.body['token'] !== 'string') throw new UsageError(`--local: the dev login refused tenant ${tenant} (${token.status})`);
  const result = await call('/repricer/simulations', { rules, days }, token.body['token']);
  if (result.status !== 200) {
    const error = result.body['error'] as { message?: string } | undefined;
    throw new UsageError(`--local: POST /repricer/simulations answered ${result.status}: ${error?.message ?? JSON.stringify(result.body)}`);
  }
  return result.body as unknown as WhatIfReport;
}

export async function runSimulate(options: SimulateCliOptions, io: CliIo = processIo): Promise<number> {
  try {
    const rawRules = await readJsonFile(options.rules, '--rules');
    const rules = parseRulesFile(rawRules);
    if (options.history !== undefined && options.local !== undefined) throw new UsageError('give --history or --local, not both');
    const report =
      options.local !== undefined
        ? await simulateOnLocalStack(options.local.replace(/\/$/, ''), options.tenant, rawRules, options.days)
        : runWhatIf({ rules, history: await readMarketHistory(options.history ?? EXAMPLE_MARKET_HISTORY), days: options.days, judge: awardModelJudge() });
    io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderWhatIf(report));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`sellerops simulate: ${error.message}\n`);
      return 2;
    }
    if (isDomainError(error)) {
      io.stderr(`sellerops simulate: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The table

const percent = (share: number | null | undefined): string => (share === null || share === undefined ? '—' : `${(share * 100).toFixed(1)} %`);
const count = (n: number | null): string => (n === null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: 1 }));

function pricingRow(label: string, f: PricingFigures, best: string | null, estimated: boolean, revenueEstimated: boolean): string {
  const mark = estimated ? ' ~' : '  ';
  return (
    `  ${label.padEnd(16)}${percent(f.buyBoxShare).padStart(9)}${f.averagePrice.padStart(11)}${(best ?? '—').padStart(11)}${percent(f.priceVsBest).padStart(10)}` +
    `${(count(f.units) + (f.units === null ? '  ' : mark)).padStart(12)}${((f.revenue ?? '—') + (f.revenue === null ? '  ' : revenueEstimated ? ' ~' : '  ')).padStart(14)}${String(f.priceChanges).padStart(9)}\n`
  );
}

function offerBlock(o: WhatIfOfferReport): string {
  let out = `\n${o.sku} · ${o.asin} · ${o.marketplaceId} · ${o.audience} · ${o.strategy} · ${o.snapshots} recorded market changes, ${o.coveredDays.toFixed(1)} days covered\n`;
  if (o.current && o.proposed) {
    out += `  ${''.padEnd(16)}${'Buy Box'.padStart(9)}${'avg price'.padStart(11)}${'best poss.'.padStart(11)}${'vs best'.padStart(10)}${'units'.padStart(12)}${`revenue ${o.currency}`.padStart(14)}${'changes'.padStart(9)}\n`;
    out += pricingRow('current pricing', o.current, o.bestPossibleAveragePrice, false, !o.units.revenueRecorded);
    out += pricingRow('proposed rules', o.proposed, o.bestPossibleAveragePrice, true, true);
    out += `  Amazon's recorded Buy Box flag for the current pricing: ${percent(o.recordedBuyBoxShare)} of the time\n`;
  }
  for (const note of o.notes) out += `  note: ${note}\n`;
  return out;
}

export function renderWhatIf(r: WhatIfReport): string {
  let out = `What-if: ${r.offers.length} offer rule(s) of seller ${r.sellerId} replayed against the recorded market of ${r.days} days (${r.window.from.slice(0, 10)} → ${r.window.to.slice(0, 10)})\n`;
  out += `History: ${r.source}\n`;
  if (r.coveredDays < r.days) out += `Covered: ${r.coveredDays.toFixed(1)} days of the ${r.days} asked for (no older history is recorded)\n`;
  for (const o of r.offers) out += offerBlock(o);
  const t = r.total;
  if (t.current && t.proposed) {
    out += `\nTotal${t.currency ? ` (${t.currency})` : ''}${''.padStart(10)}${'Buy Box'.padStart(9)}${'vs best'.padStart(10)}${'units'.padStart(12)}${'revenue'.padStart(14)}\n`;
    out += `  current pricing ${percent(t.current.buyBoxShare).padStart(9)}${percent(t.current.priceVsBest).padStart(10)}${count(t.current.units).padStart(12)}${(t.current.revenue ?? '—').padStart(14)}\n`;
    out += `  proposed rules  ${percent(t.proposed.buyBoxShare).padStart(9)}${percent(t.proposed.priceVsBest).padStart(10)}${(t.proposed.units === null ? '—' : `${count(t.proposed.units)} ~`).padStart(12)}${(t.proposed.revenue === null ? '—' : `${t.proposed.revenue} ~`).padStart(14)}\n`;
  }
  out += '\nRecorded: the competitors, the current price, Amazon\'s Buy Box flag, units (and revenue) per day. Modelled: Buy Box share and the best possible price ';
  out += `(${r.judge}).\n~ estimated. ${r.demandModel}\n`;
  return out;
}

function days(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WHAT_IF_DAYS) throw new InvalidArgumentError(`expected whole days from 1 to ${MAX_WHAT_IF_DAYS}`);
  return n;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('What-if before going live: replay rules against recorded market history and compare with the current pricing')
    .requiredOption('--rules <file>', 'rules file (as for reprice)')
    .option('--days <n>', `days of history to replay, back from its end (1–${MAX_WHAT_IF_DAYS})`, days, 30)
    .option('--history <file|dir>', 'an exported market history (one file, or a directory of files); default: examples/repricer/market-history')
    .option('--local <url>', "the running local stack's recorded history (POST /repricer/simulations), e.g. http://localhost:4000")
    .option('--tenant <id>', 'with --local: whose history (the dev login)', 'demo-repricer')
    .option('--json', 'the comparison as JSON')
    .action(async (options: SimulateCliOptions) => {
      process.exitCode = await runSimulate(options);
    });
}
