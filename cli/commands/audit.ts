import type { Command } from 'commander';
import { LocalDiskSpillStorage } from '#shared/adapters/local-disk/spill-storage.ts';
import { SingleBar } from 'cli-progress';
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { directorySources } from '../lost-and-found-sources.ts';
import { runAudit, type AuditResult } from '#shared/lost-and-found/audit.ts';
import { toClaimJson, CLAIM_TYPES } from '#shared/lost-and-found/model.ts';
import { formatMinor, isCurrency, type Currency } from '#shared/kernel/money.ts';
import { isDomainError } from '#shared/kernel/errors.ts';
import { parseDayString } from '#shared/lost-and-found/tsv.ts';

interface AuditCliOptions {
  reports: string;
  asOf: string;
  out: string;
  currency: string;
  progress: boolean;
}

/** `sellerops audit --reports <dir> --as-of <YYYY-MM-DD> --out claims.json`: the R-L1 audit on local files. */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('audit FBA reports (ledger, reimbursements, returns, removals, settlements, fees, inbound) for reimbursement claims')
    .requiredOption('--reports <dir>', 'directory holding the FBA report files (TSV, optionally .gz)')
    .requiredOption('--as-of <date>', 'audit day, YYYY-MM-DD (windows and deadlines are measured from it)')
    .option('--out <file>', 'claims JSON output', 'claims.json')
    .option('--currency <code>', 'currency for claims no report gives a value for', 'EUR')
    .option('--no-progress', 'no progress bar')
    .action(async (opts: AuditCliOptions) => {
      process.exitCode = await runAuditCommand(opts);
    });
}

async function runAuditCommand(opts: AuditCliOptions): Promise<number> {
  const fail = (message: string): number => {
    process.stderr.write(`sellerops audit: ${message}\n`);
    return 2;
  };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf) || Number.isNaN(parseDayString(opts.asOf))) return fail(`--as-of "${opts.asOf}" is not a YYYY-MM-DD date`);
  const currency = opts.currency.toUpperCase();
  if (!isCurrency(currency)) return fail(`--currency "${opts.currency}" is not a supported currency`);
  let sources;
  try {
    sources = directorySources(opts.reports);
  } catch (error) {
    return fail(isDomainError(error) ? error.message : String(error));
  }
  if (sources.length === 0) return fail(`no report files in "${opts.reports}"`);

  const totalBytes = sources.reduce((sum, s) => sum + (s.size ?? 0), 0);
  const bar = opts.progress && process.stderr.isTTY
    ? new SingleBar({ format: 'auditing [{bar}] {percentage}% | {value}/{total} MB | {duration_formatted}', stream: process.stderr, hideCursor: true }, undefined)
    : undefined;
  bar?.start(Math.max(1, Math.round(totalBytes / 1e6)), 0);
  const started = performance.now();
  let result: AuditResult;
  try {
    result = await runAudit(sources, {
      asOf: opts.asOf,
      defaultCurrency: currency,
      // Report sets bigger than one pass holds are audited SKU partition by partition through scratch files.
      spill: new LocalDiskSpillStorage(),
      onProgress: (read) => bar?.update(Math.round(read / 1e6)),
    });
  } catch (error) {
    bar?.stop();
    return fail(isDomainError(error) ? error.message : error instanceof Error ? error.message : String(error));
  } finally {
    bar?.update(Math.max(1, Math.round(totalBytes / 1e6)));
    bar?.stop();
  }
  const seconds = (performance.now() - started) / 1000;

  const used = result.report.files.filter((f) => !f.ignored);
  if (used.length === 0) {
    printSkipReport(result);
    return fail(`no FBA report recognised in "${opts.reports}" (see the skip report above)`);
  }

  // Written to a temporary file and renamed: a crash never leaves a half-written claims.json.
  const json = JSON.stringify({ claims: result.claims.map(toClaimJson) }, null, 2) + '\n';
  const temporary = join(dirname(opts.out), `.${basename(opts.out)}.${process.pid}.tmp`);
  writeFileSync(temporary, json);
  renameSync(temporary, opts.out);

  process.stdout.write(summaryTable(result));
  process.stdout.write(reviewAndMissing(result));
  printSkipReport(result);
  const count = (n: number): string => Math.round(n).toLocaleString('en-US');
  const wholeRate = seconds > 0 ? result.stats.ledgerRows / seconds : 0;
  const ledgerRate = result.stats.ledgerMillis > 0 ? result.stats.ledgerRows / (result.stats.ledgerMillis / 1000) : 0;
  process.stdout.write(
    `\n${result.claims.length} claims written to ${opts.out}. Read ${count(result.stats.rowsRead)} rows (${count(result.stats.ledgerRows)} ledger rows) from ${used.length} of ${result.report.files.length} files in ${seconds.toFixed(2)} s: ${count(wholeRate)} ledger rows/s over the whole audit, ${count(ledgerRate)}/s in the ledger files.\n`,
  );
  return 0;
}

function summaryTable(result: AuditResult): string {
  const asOfDay = parseDayString(result.asOf);
  const rows: string[][] = [['type', 'claims', 'units', 'value', 'expiring ≤7d', 'expiring ≤14d']];
  const totals = { claims: 0, units: 0, value: new Map<Currency, number>(), in7: 0, in14: 0 };
  const valueText = (m: Map<Currency, number>): string => [...m].map(([c, minor]) => `${formatMinor(minor, c)} ${c}`).join(' + ') || '-';
  for (const type of CLAIM_TYPES) {
    const claims = result.claims.filter((c) => c.type === type);
    const value = new Map<Currency, number>();
    let units = 0;
    let in7 = 0;
    let in14 = 0;
    for (const c of claims) {
      units += c.quantity;
      value.set(c.amount.currency, (value.get(c.amount.currency) ?? 0) + c.amount.minor);
      totals.value.set(c.amount.currency, (totals.value.get(c.amount.currency) ?? 0) + c.amount.minor);
      const left = parseDayString(c.deadline) - asOfDay;
      if (left <= 7) in7++;
      if (left <= 14) in14++;
    }
    totals.claims += claims.length;
    totals.units += units;
    totals.in7 += in7;
    totals.in14 += in14;
    rows.push([type, String(claims.length), String(units), valueText(value), String(in7), String(in14)]);
  }
  rows.push(['total', String(totals.claims), String(totals.units), valueText(totals.value), String(totals.in7), String(totals.in14)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((cell, i) => (i === 0 || i === 3 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [`Claims as of ${result.asOf}`, line(rows[0]!), rule, ...rows.slice(1, -1).map(line), rule, line(rows[rows.length - 1]!), ''].join('\n');
}

/** `likely` claims to look at before filing, claims without a value, and what a missing report keeps unchecked. */
function reviewAndMissing(result: AuditResult): string {
  const lines: string[] = [];
  const likely = result.claims.filter((c) => c.confidence !== 'certain');
  const certain = result.claims.length - likely.length;
  lines.push('', `Confidence: ${certain} certain, ${likely.length} likely (review these before filing: the reports point to a loss Amazon may know better)`);
  for (const c of likely.slice(0, 20)) {
    lines.push(`  review  ${c.type}  ${c.ref}  ${c.msku}  ${c.quantity} unit(s)  ${c.valueUnknown ? 'value unknown' : `${formatMinor(c.amount.minor, c.amount.currency)} ${c.amount.currency}`}`);
  }
  if (likely.length > 20) lines.push(`  … and ${likely.length - 20} more (see "confidence" in the claims file)`);
  const unknown = result.claims.filter((c) => c.valueUnknown);
  if (unknown.length > 0) {
    lines.push(`Value unknown: ${unknown.length} claim(s) (add a seller cost sheet with unit-cost per SKU to value them)`);
    for (const c of unknown.slice(0, 10)) lines.push(`  ${c.type}  ${c.ref}: ${c.valueUnknownReason ?? ''}`);
  }
  if (result.withheld.length > 0) {
    lines.push('Missing reports (no claim was made where a report it rests on is missing):');
    for (const w of result.withheld) lines.push(`  ${w.message}`);
  }
  return lines.join('\n') + '\n';
}

function printSkipReport(result: AuditResult): void {
  const lines: string[] = ['', 'Files:'];
  for (const f of result.report.files) {
    const extra = [
      f.encoding !== 'utf-8' ? f.encoding : '',
      f.duplicates > 0 ? `${f.duplicates} duplicate row(s) skipped` : '',
      f.skipped > 0 ? `${f.skipped} line(s) skipped` : '',
      f.note ?? '',
    ].filter(Boolean);
    lines.push(`  ${f.file}: ${f.ignored ? 'SKIPPED' : f.type}${f.ignored ? '' : `, ${f.rows} rows`}${extra.length ? ` (${extra.join('; ')})` : ''}`);
  }
  const lineSkips = result.report.lines.filter((l) => l.line > 0);
  if (lineSkips.length > 0) {
    lines.push('Skipped lines:');
    for (const l of lineSkips) lines.push(`  ${l.file}:${l.line}: ${l.reason}`);
    const total = result.report.files.reduce((s, f) => s + f.skipped, 0);
    if (total > lineSkips.length) lines.push(`  … and ${total - lineSkips.length} more`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}
