import { readFile, readdir, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isDomainError } from '#shared/kernel/errors.ts';
import { formatMinor } from '#shared/kernel/money.ts';
import { formatReplayScore, scoreReplayStep, summariseReplay } from '#shared/marketplace-sim/replay-score.ts';
import type { ReplayStepScore } from '#shared/marketplace-sim/replay-score.ts';
import {
  PHASE_NAMES,
  decisionToJson,
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
import type { OfferChangeEvent, OfferState, OwnSalesHistory, RepriceDecision, RulesFile } from '#shared/repricer/index.ts';

/**
 * `sellerops reprice --notification n.json --rules r.json`: the test mode of the repricer. It runs the very
 * use case the Lambda runs (`repriceNotification`) on one ANY_OFFER_CHANGED / B2B_ANY_OFFER_CHANGED message
 * and prints the decisions as JSON. Nothing is pushed to Amazon. With `--notifications <dir>` it replays a directory
 * of them in time order through the same use case, carrying the state, one decision line per notification.
 * `sellerops reprice-rules import|export`: bulk rules as CSV.
 */

export interface CliIo {
  readText(path: string): Promise<string>;
  writeText(path: string, text: string): Promise<void>;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** What the replay reads besides files: the names in a directory. */
export interface ReplayIo extends CliIo {
  listDir(path: string): Promise<string[]>;
}

export const processIo: ReplayIo = {
  readText: (path) => readFile(path, 'utf8'),
  writeText: (path, text) => writeFile(path, text, 'utf8'),
  listDir: (path) => readdir(path),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export interface RepriceCliOptions {
  readonly notification: string;
  /** Own units in stock per offer for the low-stock rule: {"offers": [{"sku", "marketplaceId", "audience", "units"}]}. */
  readonly stock?: string;
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

function readStock(raw: unknown): Map<string, number> {
  const stock = new Map<string, number>();
  const offers = (raw as { offers?: unknown }).offers;
  if (!Array.isArray(offers)) throw new UsageError('--stock: expected {"offers": [{"sku", "marketplaceId", "audience", "units"}]}');
  offers.forEach((entry: unknown, i) => {
    const e = entry as Record<string, unknown>;
    const units = e['units'];
    if (typeof e['sku'] !== 'string' || typeof e['marketplaceId'] !== 'string' || typeof units !== 'number' || !Number.isSafeInteger(units) || units < 0) {
      throw new UsageError(`--stock: offers[${i}] needs sku, marketplaceId and units (a whole number ≥ 0)`);
    }
    stock.set(offerKey({ sku: e['sku'], marketplaceId: e['marketplaceId'], audience: e['audience'] === 'B2B' ? 'B2B' : 'B2C' }), units);
  });
  return stock;
}

/** The --state file: absent or empty = no state yet. */
async function readStates(io: CliIo, path: string | undefined): Promise<Map<string, OfferState> | undefined> {
  if (path === undefined) return undefined;
  const existing = await io.readText(path).catch(() => undefined);
  if (existing === undefined || existing.trim() === '') return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(existing);
  } catch (error) {
    throw new UsageError(`--state: ${path} is not valid JSON (${(error as Error).message})`);
  }
  return statesFromJson(parsed);
}

/** Runs the command; returns the exit code (0 ok, 1 bad input data, 2 bad command line). */
export async function runReprice(options: RepriceCliOptions, io: CliIo = processIo): Promise<number> {
  try {
    const notification = await readJson(io, options.notification, '--notification');
    const rules = parseRulesFile(await readJson(io, options.rules, '--rules'));
    const states = await readStates(io, options.state);
    const sales = options.sales === undefined ? undefined : readSales(await readJson(io, options.sales, '--sales'));
    const stock = options.stock === undefined ? undefined : readStock(await readJson(io, options.stock, '--stock'));
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
      ...(stock ? { stock } : {}),
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
    return exitCodeOf('reprice', error, io);
  }
}

export interface ReplayCliOptions {
  /** Directory of notification files (*.json), each an SQS message body as `--notification` reads it. */
  readonly notifications: string;
  readonly rules: string;
  readonly state?: string;
  readonly sales?: string;
  readonly stock?: string;
  /** JSON lines instead of text lines. */
  readonly json?: boolean;
  /** Last line: the Buy Box judge's score of the replay (marketplace-sim/replay-score.ts). */
  readonly score?: boolean;
}

/** One decision as a text line: time, sku, marketplace, audience, old → new price, phase, reason. */
function decisionLine(at: Date, decision: RepriceDecision): string {
  const json = decisionToJson(decision);
  const old = decision.currentPriceMinor === null ? '—' : formatMinor(decision.currentPriceMinor, decision.currency);
  const price = `${old} → ${formatMinor(decision.newPriceMinor, decision.currency)} ${decision.currency}`;
  return `${at.toISOString()}  ${decision.sku}  ${decision.marketplaceId} ${decision.audience}  ${price}  ${PHASE_NAMES[decision.nextState.phase]}  ${json.reason}`;
}

function problemOf(error: unknown): string | undefined {
  if (error instanceof UsageError || isDomainError(error)) return error.message;
  return undefined;
}

/**
 * `sellerops reprice --notifications <dir>`: decides every notification of the directory in time order
 * (TimeOfOfferChange, ties by file name) through the use case the Lambda runs, carrying the state from one to
 * the next. A bad file is named on stderr and skipped; the others are still decided (exit 1 at the end).
 */
export async function runRepriceReplay(options: ReplayCliOptions, io: ReplayIo = processIo): Promise<number> {
  try {
    const rules = parseRulesFile(await readJson(io, options.rules, '--rules'));
    const states = (await readStates(io, options.state)) ?? new Map<string, OfferState>();
    const sales = options.sales === undefined ? undefined : readSales(await readJson(io, options.sales, '--sales'));
    const stock = options.stock === undefined ? undefined : readStock(await readJson(io, options.stock, '--stock'));
    let names: string[];
    try {
      names = (await io.listDir(options.notifications)).filter((name) => name.endsWith('.json')).sort();
    } catch (error) {
      throw new UsageError(`--notifications: cannot read the directory ${options.notifications} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    if (names.length === 0) throw new UsageError(`--notifications: no .json files in ${options.notifications}`);
    let bad = 0;
    const reportBad = (file: string, message: string): void => {
      bad++;
      io.stderr(`sellerops reprice: ${file}: ${message}
`);
    };
    const events: { file: string; event: OfferChangeEvent }[] = [];
    for (const name of names) {
      const file = `${options.notifications.replace(/\/$/, '')}/${name}`;
      try {
        events.push({ file, event: parseOfferChangedNotification(await readJson(io, file, '--notifications')) });
      } catch (error) {
        const problem = problemOf(error);
        if (problem === undefined) throw error;
        reportBad(file, problem.replace(/^--notifications: /, ''));
      }
    }
    events.sort((a, b) => a.event.timeOfOfferChange.getTime() - b.event.timeOfOfferChange.getTime() || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const scores: ReplayStepScore[] = [];
    for (const { file, event } of events) {
      let decisions: readonly RepriceDecision[];
      try {
        const result = repriceOfferChange({ event, rules, now: event.timeOfOfferChange, states, ...(sales ? { sales } : {}), ...(stock ? { stock } : {}) });
        for (const [key, state] of result.nextStates) states.set(key, state);
        decisions = result.decisions;
      } catch (error) {
        const problem = problemOf(error);
        if (problem === undefined) throw error;
        reportBad(file, problem);
        continue;
      }
      if (decisions.length === 0) {
        const line = `${event.timeOfOfferChange.toISOString()}  ${file}: no offer rule matches (asin ${event.asin}, ${event.marketplaceId} ${event.audience})`;
        io.stdout(options.json ? `${JSON.stringify({ file, time: event.timeOfOfferChange.toISOString(), decision: null })}\n` : `${line}\n`);
      }
      for (const decision of decisions) {
        io.stdout(options.json ? `${JSON.stringify({ file, time: event.timeOfOfferChange.toISOString(), ...decisionToJson(decision) })}\n` : `${decisionLine(event.timeOfOfferChange, decision)}\n`);
        if (options.score) {
          const step = scoreReplayStep(event, decision.newPriceMinor, maxOf(rules, decision));
          if (step !== null) scores.push(step);
        }
      }
    }
    if (options.state !== undefined) await io.writeText(options.state, `${JSON.stringify(statesToJson(states), null, 2)}\n`);
    if (options.score) {
      const score = summariseReplay(scores);
      io.stdout(options.json ? `${JSON.stringify({ score })}\n` : `${formatReplayScore(score)}\n`);
    }
    return bad > 0 ? 1 : 0;
  } catch (error) {
    return exitCodeOf('reprice', error, io);
  }
}

/** A usage error (exit 2) or a domain error (exit 1) said on stderr; anything else is a bug and is thrown. */
function exitCodeOf(command: string, error: unknown, io: CliIo): number {
  if (!(error instanceof UsageError) && !isDomainError(error)) throw error;
  io.stderr(`sellerops ${command}: ${error.message}\n`);
  return error instanceof UsageError ? 2 : 1;
}

function maxOf(rules: RulesFile, decision: RepriceDecision): number {
  const key = offerKey(decision);
  return rules.offers.find((offer) => offerKey(offer) === key)?.maxMinor ?? decision.newPriceMinor;
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
    return exitCodeOf('reprice-rules', error, io);
  }
}

export function registerRepriceCommand(program: Command): void {
  program
    .command('reprice')
    .description('Test mode: decide prices for one ANY_OFFER_CHANGED / B2B_ANY_OFFER_CHANGED notification (nothing is pushed)')
    .option('--notification <file>', 'the SQS message body of an SP-API offer notification (JSON)')
    .option('--notifications <dir>', 'replay: every *.json notification of the directory, in time order, with the same state; one line per decision')
    .requiredOption('--rules <file>', 'rules file: {"sellerId", "offers": [{"sku", "asin", "marketplaceId", "audience", "strategy", "min", "max", "currency", …}]}')
    .option('--state <file>', 'per-offer state (JSON): read if it exists, then rewritten with the next state')
    .option('--sales <file>', 'own sales for the Push strategy: {"offers": [{"sku", "marketplaceId", "audience", "unitsSold", "windowDays"}]}')
    .option('--stock <file>', 'own units in stock for the low-stock rule: {"offers": [{"sku", "marketplaceId", "audience", "units"}]}')
    .option('--now <iso>', 'decision time (default: the notification\'s TimeOfOfferChange; --notification only)')
    .option('--compact', 'one-line JSON (--notification only)')
    .option('--json', 'replay: JSON lines instead of text lines')
    .option('--score', 'replay: last line, the Buy Box judge\'s score (share of steps held, price against the best that would have won)')
    .action(async (options: Partial<RepriceCliOptions> & Omit<ReplayCliOptions, 'notifications'> & { notifications?: string }) => {
      const { notification, notifications } = options;
      if ((notification === undefined) === (notifications === undefined)) {
        process.stderr.write('sellerops reprice: give exactly one of --notification <file> or --notifications <dir>\n');
        process.exitCode = 2;
        return;
      }
      process.exitCode = notifications !== undefined ? await runRepriceReplay({ ...options, notifications }) : await runReprice({ ...options, notification: notification ?? '' });
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
