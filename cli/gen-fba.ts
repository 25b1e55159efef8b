/**
 * `npm run gen:fba -- --rows 1000000 [--out <dir>] [--seed N] [--as-of YYYY-MM-DD]`: writes a seller's FBA
 * reports with seeded errors and decoys, and `<out>/answer-key/answer-key.json` (what the audit must find).
 */
import { Command, InvalidArgumentError } from 'commander';
import { statSync } from 'node:fs';
import { generateFbaReports } from './lost-and-found-generator.ts';

function positiveInteger(value: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const program = new Command('gen:fba')
  .description('generate realistic FBA reports with seeded claims and an answer key')
  .option('--rows <n>', 'inventory ledger rows', positiveInteger, 100_000)
  .option('--out <dir>', 'output directory (default bench/out/fba-<rows>)')
  .option('--seed <n>', 'random seed', positiveInteger, 42)
  .option('--as-of <date>', 'the audit day the scenarios are built around', '2025-06-30')
  .option('--examples', 'sample-directory flavour: accented titles, Windows-1252 and BOM files, an unknown report', false)
  .action((opts: { rows: number; out?: string; seed: number; asOf: string; examples: boolean }) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new InvalidArgumentError('--as-of must be YYYY-MM-DD');
    const outDir = opts.out ?? `bench/out/fba-${opts.rows}`;
    const started = performance.now();
    const result = generateFbaReports({ rows: opts.rows, outDir, seed: opts.seed, asOf: opts.asOf, examples: opts.examples });
    const seconds = (performance.now() - started) / 1000;
    const bytes = result.files.reduce((sum, f) => sum + statSync(f).size, 0);
    const key = result.answerKey;
    process.stdout.write(
      `wrote ${result.files.length} reports (${(bytes / 1e6).toFixed(1)} MB, ${key.ledgerRows} ledger rows) to ${outDir} in ${seconds.toFixed(1)} s\n` +
        `answer key: ${result.answerKeyPath} (${key.expected.length} expected claims, ${key.decoys.length} decoys)\n` +
        `try: npx sellerops audit --reports ${outDir} --as-of ${key.asOf} --out claims.json\n`,
    );
  });

await program.parseAsync(process.argv);
