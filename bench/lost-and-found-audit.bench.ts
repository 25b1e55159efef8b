/**
 * Lost & Found audit throughput (issue R-L1 performance goal): 1,000,000 generated ledger rows plus the other
 * reports, streamed from disk through the same code the CLI and the audit Lambda use. Prints ledger rows/s,
 * peak RSS and recall / precision against the generator's answer key. Goal: ≥ 1,000,000 ledger rows/s on
 * one core, peak RSS < 200 MB. The reports are generated once into bench/out/ (git-ignored) by a child
 * process, so the generator's memory is not counted in this process's peak RSS.
 */
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAudit } from '../shared/lost-and-found/audit.ts';
import { directorySources } from '../cli/lost-and-found-sources.ts';
import { scoreClaims } from '../cli/lost-and-found-answer-key.ts';
import type { AnswerKey } from '../cli/lost-and-found-generator.ts';

const rows = Number(process.env.LF_BENCH_ROWS ?? 1_000_000);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'bench', 'out', `fba-${rows}`);
const keyPath = join(dir, 'answer-key', 'answer-key.json');

if (!existsSync(keyPath)) {
  process.stdout.write(`generating ${rows} ledger rows into ${dir} …\n`);
  const gen = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli', 'gen-fba.ts'), '--rows', String(rows), '--out', dir, '--seed', '42'], {
    stdio: 'inherit',
    cwd: root,
  });
  if (gen.status !== 0) throw new Error('report generation failed');
}
const answerKey = JSON.parse(readFileSync(keyPath, 'utf8')) as AnswerKey;
const sources = directorySources(dir);
const bytes = sources.reduce((s, x) => s + (x.size ?? 0), 0);

const rssBefore = process.resourceUsage().maxRSS / 1024;
const started = performance.now();
const result = await runAudit(sources, { asOf: answerKey.asOf });
const seconds = (performance.now() - started) / 1000;
const peakRss = process.resourceUsage().maxRSS / 1024;
const score = scoreClaims(result.claims, answerKey);

const ledgerRows = result.stats.ledgerRows;
const overall = ledgerRows / seconds;
const ledgerOnly = ledgerRows / (result.stats.ledgerMillis / 1000);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
process.stdout.write(
  [
    `reports: ${sources.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${fmt(result.stats.rowsRead)} rows (${fmt(ledgerRows)} ledger rows incl. the overlap of two ledger downloads)`,
    `audit wall time: ${seconds.toFixed(2)} s (all reports), ledger files ${(result.stats.ledgerMillis / 1000).toFixed(2)} s`,
    `ledger rows/s, whole audit (all reports, sniffing, rules): ${fmt(overall)}`,
    `ledger rows/s, ledger files only: ${fmt(ledgerOnly)}`,
    `peak RSS: ${peakRss.toFixed(0)} MB (process baseline before the audit ${rssBefore.toFixed(0)} MB)`,
    `claims: ${score.claims}, expected: ${score.expected}, matched: ${score.matched}`,
    `recall: ${(score.recall * 100).toFixed(2)} %, precision: ${(score.precision * 100).toFixed(2)} %`,
    `goal ≥ 1,000,000 ledger rows/s (whole audit): ${overall >= 1_000_000 ? 'met' : 'NOT met'}; peak RSS < 200 MB: ${peakRss < 200 ? 'met' : 'NOT met'}`,
    '',
  ].join('\n'),
);
if (score.recall < 0.99 || score.precision < 1) process.exitCode = 1;
