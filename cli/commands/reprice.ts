import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isDomainError } from '#shared/kernel/errors.ts';
import {
  decisionsToJson,
  exportRulesCsv,
  importRulesCsv,
  offerKey,
  offerRulesToInput,
  parseOfferChangedNotification,
  parseRulesFile,
  repriceOfferChange,
  statesFromJson,
  statesToJson,
} from '#shared/repricer/index.ts';
import type { OfferState, OwnSalesHistory } from '#shared/repricer/index.ts';

/**
 * `sellerops reprice --notification n.json --rules r.json`: the test mode of the repricer. It runs the very
 * use case the Lambda runs (`repriceNotification`) on one ANY_OFFER_CHANGED / B2B_ANY_OFFER_CHANGED message
 * and prints the decisions as JSON. Nothing is pushed to Amazon.
 * `sellerops reprice-rules import|export`: bulk rules as CSV.
 */

export interface CliIo {
  readText(path: string): Promise<string>;
  writeText(path: string, text: string): Promise<void>;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  readText: (path) => readFile(path, 'utf8'),
  writeText: (path, text) => writeFile(path, text, 'utf8'),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export interface RepriceCliOptions {
  readonly notification: string;
  readonly rules: string;
  /** JSON file of per-offer state: read if present, rewritten with the next states. */
  readonly state?: string;
  /** JSON file `{"offers": [{"sku", "marketplaceId", "audience", "unitsSold", "windowDays"}]}` for Push. */
  readonly sales?: string;
  /** Decision time (ISO 8601); defaults to the notification's TimeOfOfferChange. */
  readonly now?: string;
  readonly compact?: boolean;
}

/** Thrown for problems with the command line itself (unreadable file, bad JSON): exit code 2. */
class UsageError extends Error {}

async function readJson(io: CliIo, path: string, option: string): Promise<unknown> {
  let text: string;
  try {
    text = await io.readText(path);
  } catch (error) {
    throw new UsageError(`${option}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${option}: ${path} is not valid JSON (${(error as Error).message})`);
  }
}

function readSales(raw: unknown): Map<string, OwnSalesHistory> {
  const sales = new Map<string, OwnSalesHistory>();
  const offers = (raw as { offers?: unknown }).offers;
  if (!Array.isArray(offers)) throw new UsageError('--sales: expected {"offers": [{"sku", "marketplaceId", "audience", "unitsSold", "windowDays"}]}');
  offers.forEach((entry: unknown, i) => {
    const e = entry as Record<string, unknown>;
    if (typeof e['sku'] !== 'string' || typeof e['marketplaceId'] !== 'string' || typeof e['unitsSold'] !== 'number' || typeof e['windowDays'] !== 'number') {
      throw new UsageError(`--sales: offers[${i}] needs sku, marketplaceId, unitsSold and windowDays`);
    }
    const audience = e['audience'] === 'B2B' ? 'B2B' : 'B2C';
    sales.set(offerKey({ sku: e['sku'], marketplaceId: e['marketplaceId'], audience }), {
      unitsInWindow: e['unitsSold'],
      windowMs: e['windowDays'] * 86_400_000,
    });
  });
  return sales;
}

/** Runs the command; returns the exit code (0 ok, 1 bad input data, 2 bad command line). */
export async function runReprice(options: RepriceCliOptions, io: CliIo = processIo): Promise<number> {
  try {
    const notification = await readJson(io, options.notification, '--notification');
    const rules = parseRulesFile(await readJson(io, options.rules, '--rules'));
    let states: Map<string, OfferState> | undefined;
    if (options.state !== undefined) {
      const existing = await io.readText(options.state).catch(() => undefined);
      if (existing === undefined || existing.trim() === '') states = new Map();
      else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(existing);
        } catch (error) {
          throw new UsageError(`--state: ${options.state} is not valid JSON (${(error as Error).message})`);
        }
        states = statesFromJson(parsed);
      }
    }
    const sales = options.sales === undefined ? undefined : readSales(await readJson(io, options.sales, '--sales'));
    let now: Date | undefined;
    if (options.now !== undefined) {
      now = new Date(options.now);
      if (Number.isNaN(now.getTime())) throw new UsageError(`--now: "${options.now}" is not an ISO 8601 date`);
    }
    // A message with no time at all (Amazon's sample-solution messages) is decided as of --now or this moment.
    const event = parseOfferChangedNotification(notification, { receivedAt: now ?? new Date() });
    const result = repriceOfferChange({
      event,
      rules,
      // Test mode decides "as of" the notification unless told otherwise, so the output is reproducible.
      now: now ?? event.timeOfOfferChange,
      ...(states ? { states } : {}),
      ...(sales ? { sales } : {}),
    });
    if (options.state !== undefined) {
      const merged = new Map([...(states ?? new Map<string, OfferState>()), ...result.nextStates]);
      await io.writeText(options.state, `${JSON.stringify(statesToJson(merged), null, 2)}\n`);
    }
    io.stdout(`${JSON.stringify(decisionsToJson(result.decisions), null, options.compact ? undefined : 2)}\n`);
    if (result.decisions.length === 0) {
      io.stderr('sellerops reprice: no offer rule matches this notification (asin, marketplaceId, audience)\n');
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`sellerops reprice: ${error.message}\n`);
      return 2;
    }
    if (isDomainError(error)) {
      io.stderr(`sellerops reprice: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

export async function runRulesImport(file: string, sellerId: string, io: CliIo = processIo): Promise<number> {
  let text: string;
  try {
    text = await io.readText(file);
  } catch (error) {
    io.stderr(`sellerops reprice-rules: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
    return 2;
  }
  const { rules, errors } = importRulesCsv(text, sellerId);
  io.stdout(`${JSON.stringify({ sellerId: rules.sellerId, offers: rules.offers.map(offerRulesToInput) }, null, 2)}\n`);
  for (const e of errors) io.stderr(`row ${e.row}: ${e.message}\n`);
  if (errors.length > 0) io.stderr(`sellerops reprice-rules: ${rules.offers.length} rows imported, ${errors.length} rejected\n`);
  return errors.length > 0 ? 1 : 0;
}

export async function runRulesExport(file: string, io: CliIo = processIo): Promise<number> {
  try {
    const rules = parseRulesFile(await readJson(io, file, 'rules'));
    io.stdout(exportRulesCsv(rules));
    return 0;
  } catch (error) {
    if (error instanceof UsageError || isDomainError(error)) {
      io.stderr(`sellerops reprice-rules: ${error.message}\n`);
      return error instanceof UsageError ? 2 : 1;
    }
    throw error;
  }
}

export function registerRepriceCommand(program: Command): void {
  program
    .command('reprice')
    .description('Test mode: decide prices for one ANY_OFFER_CHANGED / B2B_ANY_OFFER_CHANGED notification (nothing is pushed)')
    .requiredOption('--notification <file>', 'the SQS message body of an SP-API offer notification (JSON)')
    .requiredOption('--rules <file>', 'rules file: {"sellerId", "offers": [{"sku", "asin", "marketplaceId", "audience", "strategy", "min", "max", "currency", …}]}')
    .option('--state <file>', 'per-offer state (JSON): read if it exists, then rewritten with the next state')
    .option('--sales <file>', 'own sales for the Push strategy: {"offers": [{"sku", "marketplaceId", "audience", "unitsSold", "windowDays"}]}')
    .option('--now <iso>', 'decision time (default: the notification\'s TimeOfOfferChange)')
    .option('--compact', 'one-line JSON')
    .action(async (options: RepriceCliOptions) => {
      process.exitCode = await runReprice(options);
    });

  const rules = program.command('reprice-rules').description('Bulk repricer rules as CSV (sku, asin, marketplace_id, currency, min, max, strategy, …)');
  rules
    .command('import <csv>')
    .description('CSV → rules JSON on stdout; one line per rejected row on stderr (exit 1 if any)')
    .requiredOption('--seller <sellerId>', 'the seller the rules belong to')
    .action(async (csv: string, options: { seller: string }) => {
      process.exitCode = await runRulesImport(csv, options.seller);
    });
  rules
    .command('export <rules>')
    .description('rules JSON → CSV on stdout')
    .action(async (file: string) => {
      process.exitCode = await runRulesExport(file);
    });
}
