/**
 * Lost & Found audit throughput (issue R-L1 performance goal): 1,000,000 generated ledger rows plus the other
 * reports (and 4× that for the flat-memory check: split into SKU partitions through scratch files in the temp
 * directory, as the CLI and the auditor function do), streamed from disk through the same code the CLI and the audit Lambda use. Prints ledger rows/s,
 * peak RSS and recall / precision against the generator's answer key. Goal: ≥ 1,000,000 ledger rows/s on
 * one core, peak RSS < 200 MB.
 *
 * Every run is a cold process (as a CLI run or a Lambda invocation is: no JIT warm-up carried over), and the
 * figure is the median of LF_BENCH_RUNS runs (default 5) with the range beside it, because one run on a shared
 * machine varies by ±10 %. The reports are generated once into bench/out/ (git-ignored) by a child process, so
 * the generator's memory is not counted in any run's peak RSS.
 */
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAudit } from '#shared/lost-and-found/audit.ts';
import { LocalDiskSpillStorage } from '#shared/adapters/local-disk/spill-storage.ts';
import { directorySources } from '../cli/lost-and-found-sources.ts';
import { scoreClaims, type ScoredClaim } from '../cli/lost-and-found-answer-key.ts';
import type { FoundClaim } from '#shared/lost-and-found/model.ts';
import type { AnswerKey } from '../cli/lost-and-found-generator.ts';

const rows = Number(process.env.LF_BENCH_ROWS ?? 1_000_000);
const runs = Math.max(1, Number(process.env.LF_BENCH_RUNS ?? 5));
/** Runs at 4× the rows for the flat-memory check (0 skips it). */
const flatRuns = Math.max(0, Number(process.env.LF_BENCH_FLAT_RUNS ?? 3));
/**
 * V8 old-space limit of each run, MB (0: V8's default, about 2 GB here). The audit's live heap is 35–60 MB per
 * pass whatever the seller's size; without a limit V8 lets the garbage of finished partitions pile up to hundreds
 * of MB before collecting, so peak RSS measures the collector's laziness rather than what the audit needs.
 */
const heapMb = Math.max(0, Number(process.env.LF_BENCH_HEAP_MB ?? 128));
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);
const dirFor = (n: number): string => join(root, 'bench', 'out', `fba-${n}`);
const keyPathFor = (n: number): string => join(dirFor(n), 'answer-key', 'answer-key.json');
const dir = process.env.LF_BENCH_DIR ?? dirFor(rows);
const keyPath = join(dir, 'answer-key', 'answer-key.json');

/** One run's figures, printed by the child as one JSON line. */
interface RunFigures {
  seconds: number;
  /**
   * User + system CPU time of the process during the audit (every thread: the audit's, V8's compiler and
   * collector threads), seconds. Less sensitive than wall time to other processes on a shared machine.
   */
  cpuSeconds: number;
  ledgerSeconds: number;
  ledgerRows: number;
  rowsRead: number;
  files: number;
  bytes: number;
  partitions: number;
  spilledBytes: number;
  peakRssMb: number;
  baselineRssMb: number;
  claims: number;
  expected: number;
  matched: number;
  recall: number;
  precision: number;
}

async function runOnce(): Promise<RunFigures> {
  const sources = directorySources(dir);
  const baselineRssMb = process.resourceUsage().maxRSS / 1024;
  // Claims are handed over partition by partition (as the auditor function upserts them) and only what scoring
  // reads is kept; the answer key is read after the audit, so neither is counted in the audit's peak RSS.
  const scored: ScoredClaim[] = [];
  const onClaims = (claims: readonly FoundClaim[]): void => {
    for (const c of claims) scored.push({ type: c.type, msku: c.msku, ref: c.ref, quantity: c.quantity });
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await runAudit(sources, { asOf: process.env.LF_BENCH_AS_OF ?? asOfOfKey(), spill: new LocalDiskSpillStorage(), onClaims });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const answerKey = JSON.parse(readFileSync(keyPath, 'utf8')) as AnswerKey;
  const score = scoreClaims(scored, answerKey);
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    ledgerSeconds: result.stats.ledgerMillis / 1000,
    ledgerRows: result.stats.ledgerRows,
    rowsRead: result.stats.rowsRead,
    files: sources.length,
    partitions: result.stats.partitions,
    spilledBytes: result.stats.spilledBytes,
    bytes: sources.reduce((s, x) => s + (x.size ?? 0), 0),
    peakRssMb,
    baselineRssMb,
    claims: score.claims,
    expected: score.expected,
    matched: score.matched,
    recall: score.recall,
    precision: score.precision,
  };
}

/** The audit day of the generated set (the parent reads it from the key and passes it, so a run never parses the key first). */
function asOfOfKey(): string {
  return (JSON.parse(readFileSync(keyPath, 'utf8')) as AnswerKey).asOf;
}

/** Generates the reports for `n` rows once (in a child process, so the generator's memory is nobody's peak). */
function ensureReports(n: number): void {
  if (existsSync(keyPathFor(n))) return;
  process.stdout.write(`generating ${n} ledger rows into ${dirFor(n)} …\n`);
  const gen = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli', 'gen-fba.ts'), '--rows', String(n), '--out', dirFor(n), '--seed', '42'], {
    stdio: 'inherit',
    cwd: root,
  });
  if (gen.status !== 0) throw new Error('report generation failed');
}

/** `count` cold runs of the audit over the reports of `n` rows, one process each. */
function coldRuns(n: number, count: number, label: string): RunFigures[] {
  const results: RunFigures[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawnSync(process.execPath, [...(heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : []), '--import', 'tsx', self, '--once'], { cwd: root, encoding: 'utf8', env: { ...process.env, LF_BENCH_DIR: dirFor(n), LF_BENCH_AS_OF: (JSON.parse(readFileSync(keyPathFor(n), 'utf8')) as AnswerKey).asOf } });
    if (child.status !== 0) throw new Error(`audit run ${i + 1} failed:\n${child.stderr}`);
    const figures = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as RunFigures;
    results.push(figures);
    process.stdout.write(`${label} run ${i + 1}/${count}: ${figures.seconds.toFixed(2)} s (CPU ${figures.cpuSeconds.toFixed(2)} s), ${fmt(figures.ledgerRows / figures.seconds)} ledger rows/s, peak RSS ${figures.peakRssMb.toFixed(0)} MB\n`);
  }
  return results;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

if (process.argv.includes('--once')) {
  process.stdout.write(`${JSON.stringify(await runOnce())}\n`);
} else {
  ensureReports(rows);
  const results = coldRuns(rows, runs, '1×');
  const first = results[0]!;
  const seconds = results.map((r) => r.seconds);
  const cpuSeconds = results.map((r) => r.cpuSeconds);
  const overall = results.map((r) => r.ledgerRows / r.seconds);
  const ledgerOnly = results.map((r) => r.ledgerRows / r.ledgerSeconds);
  const peak = Math.max(...results.map((r) => r.peakRssMb));
  const medianOverall = median(overall);
  const lines = [
    `reports: ${first.files} files, ${(first.bytes / 1e6).toFixed(1)} MB, ${fmt(first.rowsRead)} rows (${fmt(first.ledgerRows)} ledger rows incl. the overlap of two ledger downloads), ${first.partitions} SKU partition(s)`,
    `load average (1, 5, 15 min) at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')} on ${availableParallelism()} cores`,
    `V8 old-space limit per run: ${heapMb > 0 ? `${heapMb} MB (LF_BENCH_HEAP_MB)` : "V8's default (LF_BENCH_HEAP_MB=0)"}`,
    `audit wall time, cold process, median of ${runs}: ${median(seconds).toFixed(2)} s (range ${Math.min(...seconds).toFixed(2)}–${Math.max(...seconds).toFixed(2)} s)`,
    `ledger rows/s, whole audit (all reports, sniffing, rules): ${fmt(medianOverall)} median (range ${fmt(Math.min(...overall))}–${fmt(Math.max(...overall))})`,
    `audit CPU time (user + sys, all threads), median of ${runs}: ${median(cpuSeconds).toFixed(2)} s (range ${Math.min(...cpuSeconds).toFixed(2)}–${Math.max(...cpuSeconds).toFixed(2)} s) = ${fmt(first.ledgerRows / median(cpuSeconds))} ledger rows per CPU second`,
    `ledger rows/s, ledger files only: ${fmt(median(ledgerOnly))} median`,
    `peak RSS: ${peak.toFixed(0)} MB, highest of ${runs} runs (median ${median(results.map((r) => r.peakRssMb)).toFixed(0)} MB; process baseline before the audit ${first.baselineRssMb.toFixed(0)} MB)`,
    `claims: ${first.claims}, expected: ${first.expected}, matched: ${first.matched}`,
    `recall: ${(first.recall * 100).toFixed(2)} %, precision: ${(first.precision * 100).toFixed(2)} %`,
    `goal ≥ 1,000,000 ledger rows/s (whole audit, median): ${medianOverall >= 1_000_000 ? 'met' : 'NOT met'}; peak RSS < 200 MB (every run): ${peak < 200 ? 'met' : 'NOT met'}`,
  ];
  let flat = true;
  if (flatRuns > 0) {
    // Flat memory: the same seller's reports at 4× the rows must not need more than 20 % more memory.
    ensureReports(rows * 4);
    const big = coldRuns(rows * 4, flatRuns, '4×');
    const peak1 = median(results.map((r) => r.peakRssMb));
    const peak4 = median(big.map((r) => r.peakRssMb));
    flat = peak4 <= peak1 * 1.2;
    lines.push(
      `4× rows (${fmt(big[0]!.ledgerRows)} ledger rows, ${(big[0]!.bytes / 1e6).toFixed(0)} MB, ${big[0]!.partitions} SKU partitions, ${(big[0]!.spilledBytes / 1e6).toFixed(0)} MB spilled): ${fmt(median(big.map((r) => r.ledgerRows / r.seconds)))} ledger rows/s median (CPU ${median(big.map((r) => r.cpuSeconds)).toFixed(2)} s median), peak RSS median ${peak4.toFixed(0)} MB (runs: ${big.map((r) => r.peakRssMb.toFixed(0)).join(', ')}) vs ${peak1.toFixed(0)} MB at 1× (${((peak4 / peak1 - 1) * 100).toFixed(1)} %); recall ${(big[0]!.recall * 100).toFixed(2)} %, precision ${(big[0]!.precision * 100).toFixed(2)} %`,
      `goal peak RSS at 4× within 20 % of 1×: ${flat ? 'met' : 'NOT met'}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (results.some((r) => r.recall < 0.99 || r.precision < 1) || !flat) process.exitCode = 1;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
