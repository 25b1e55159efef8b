import { CURRENCY_DECIMALS, isCurrency, money } from '#shared/kernel/money.ts';
import type { Currency } from '#shared/kernel/money.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import type {
  AuditFacts,
  CatalogEntry,
  FeeOvercharge,
  FeePreviewLine,
  FeeTierCharges,
  FnskuState,
  InboundItem,
  LedgerEvent,
  RefundLine,
  ReplacementLine,
  ReimbursementRow,
  RemovalLine,
  ReturnLine,
  ReturnRow,
  RowAt,
  UncoveredFeeCharges,
} from './audit-facts.ts';
import { dayInFileName, feeRegion, feeScheduleStart, previewTiers } from './claim-types/size-tiers.ts';
import type { ClaimDraft, ClaimTypeRule, ClaimValue, RuleContext } from './claim-types/catalogue.ts';
import { CLAIM_CATALOGUE } from './claim-types/index.ts';
import { ReimbursementBook } from './claim-types/reimbursement-book.ts';
import { OrderCharges, orderLineKey } from './order-charges.ts';
import { AUDIT_LOOKBACK_DAYS } from './report-period.ts';
import { unrecoveredReversals } from './claim-types/reversal-without-recovery.ts';
import {
  claimId,
  reimbursementCategory,
  type DailyCount,
  type Evidence,
  type FileReport,
  type FoundClaim,
  type ClaimType,
  type ReimbursementRecord,
  type SkippedLine,
  type SkipReport,
  type WithheldClaims,
} from './model.ts';
import { evidenceDetailText, type EvidenceDetail } from './evidence-detail.ts';
import { REPORT_LABELS, detectReport, type DetectedReport, type ReportType } from './report-types.ts';
import {
  COUNTRY_CURRENCY,
  DEFAULT_CLAIM_WINDOWS,
  isClaimable,
  marketplaceCountry,
  refundAdministrationFeeMinor,
  type ClaimWindow,
  type ClaimWindows,
} from './rules.ts';
import { utf8Source } from './report-encoding.ts';
import { RowKeyIndex } from './row-key-index.ts';
import { type Dismissal, LineOrigins, MAX_LINE_BYTES, TsvRow, asciiBytes, copyOf, forEachTsvRow, hashBytes, hashString, isoDay, parseDayString, sniffEncoding } from './tsv.ts';
import { mapConcurrently } from '#shared/kernel/concurrency.ts';

/**
 * A report file as a stream of bytes: a local file, an S3 object body, a gunzipped SP-API report document.
 * The audit looks at every file's header row before it reads any file whole (to read them in dependency order),
 * so a source is opened twice unless it can hand out its first bytes with `head`.
 */
export interface ReportSource {
  name: string;
  /** Size in bytes when known (progress only). */
  size?: number;
  open(): AsyncIterable<Uint8Array>;
  /** Up to `maxBytes` from the start of the file, when the source can read them cheaply (a local file, a ranged S3 GET). */
  head?(maxBytes: number): Promise<Uint8Array>;
}

export interface AuditOptions {
  /** The day the audit is run for, YYYY-MM-DD: windows and deadlines are measured from it. */
  asOf: string;
  /** Currency of claims whose value could not be estimated from any report (default EUR). */
  defaultCurrency?: Currency;
  windows?: Partial<ClaimWindows>;
  /** Called after every chunk with the bytes read so far over all files and the known total. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  maxSkippedLinesPerFile?: number;
  /**
   * Scratch files for reports too big for one pass (`PARTITION_REPORT_BYTES`): without it the audit reads
   * everything in one pass, whatever the size.
   */
  spill?: SpillStorage;
  /** Report bytes one pass holds the facts of (default `PARTITION_REPORT_BYTES`). */
  partitionBytes?: number;
  /**
   * Receives the claims of each SKU partition (of the whole audit in one pass) as soon as it is evaluated, sorted
   * as the result sorts them, and the audit keeps none: the result's `claims` is then empty. Without it the claims
   * of every partition are collected and returned. Memory then no longer grows with the claims a big seller has.
   */
  onClaims?: (claims: readonly FoundClaim[]) => void | Promise<void>;
}

/**
 * Scratch storage for an audit bigger than one pass holds: a local disk (the CLI), the function's ephemeral
 * `/tmp` (the auditor Lambda). The audit appends the lines of the SKUs it defers to one file per partition and
 * reads each back once.
 */
export interface SpillStorage {
  create(): SpillFile;
}

export interface SpillFile {
  /** Appends `bytes[0, length)` before returning (the caller reuses the buffer). */
  append(bytes: Uint8Array, length: number): void;
  /** Everything appended, in order. */
  read(): AsyncIterable<Uint8Array>;
  /** Deletes the file. */
  dispose(): void;
}

/**
 * Report bytes whose facts one pass keeps in memory (the audit's state grows with the SKUs, orders and returns
 * in the reports, about 40 MB for the 262 MB benchmark set). Bigger report sets are split by SKU into
 * ceil(bytes / (this / 2)) partitions: the first is audited while every file is read once, the lines of the others are
 * spilled to scratch files and audited one partition after another, so peak memory stays that of one partition
 * whatever the seller's size. A gzip report counts at `GZIP_EXPANSION` times its stored size.
 */
export const PARTITION_REPORT_BYTES = 320 * 1024 * 1024;
const GZIP_EXPANSION = 8;

/** The bytes of `sources` once unpacked (a gzip report at `GZIP_EXPANSION` times its stored size). */
function unpackedBytes(sources: readonly ReportSource[]): number {
  return sources.reduce((sum, s) => sum + (s.size ?? 0) * (s.name.endsWith('.gz') ? GZIP_EXPANSION : 1), 0);
}
/** Scratch bytes buffered per partition before a write. */
const SPILL_BUFFER_BYTES = 256 << 10;

export interface AuditStats {
  files: number;
  bytesRead: number;
  rowsRead: number;
  ledgerRows: number;
  /** Wall time spent in the ledger files only (ms), for the throughput figure. */
  ledgerMillis: number;
  /** SKU partitions audited one after another (1: everything in one pass). */
  partitions: number;
  /** Bytes written to (and read back from) scratch files for the partitions after the first. */
  spilledBytes: number;
}

export interface AuditResult {
  asOf: string;
  claims: FoundClaim[];
  report: SkipReport;
  reimbursements: ReimbursementRecord[];
  /** Possible claims not made because a report they rest on is absent or does not cover their days. */
  withheld: WithheldClaims[];
  damageAdjustmentsByDay: DailyCount[];
  stats: AuditStats;
}

/** Files are read in this order so that the big ones (settlement, ledger) only keep what the small ones ask for. */
const READ_ORDER: readonly ReportType[] = [
  'seller_costs',
  'fee_preview',
  'inbound_shipment_items',
  'removal_order_detail',
  'removal_shipment_detail',
  'reimbursements',
  'customer_returns',
  'replacements',
  'settlement',
  'inventory_ledger',
];

/** `text`, or the equal string already kept (so the row's copy can be collected young). */
function same(text: string, kept: string): string {
  return text === kept ? kept : text;
}

/** `same(row.text(i), kept)`, comparing the field's bytes: no string is made when it equals the kept one. */
function sameField(row: TsvRow, i: number, kept: string): string {
  return row.equalsText(i, kept) ? kept : row.text(i);
}

interface SniffedSource {
  source: ReportSource;
  index: number;
  detected: DetectedReport | undefined;
  headerLine: number;
  report: FileReport;
  /** Why the whole file is skipped, reported in file order once every header has been read. */
  skipReason?: string;
  /** The same as a code with its parameters (the web app words it in the reader's language). */
  problem?: ReportFileProblem;
}

/** Why a report file cannot be read: a code, its parameters and the English sentence (`message`, the file's note). */
export type ReportFileProblem = { readonly message: string } & (
  | { readonly code: 'unreadable'; readonly params: { readonly error: string } }
  | { readonly code: 'empty'; readonly params: Readonly<Record<string, never>> }
  | { readonly code: 'unknown_report'; readonly params: Readonly<Record<string, never>> }
  | { readonly code: 'missing_columns'; readonly params: { readonly columns: readonly string[] } }
);

function unreadable(error: unknown): ReportFileProblem {
  const text = error instanceof Error ? error.message : String(error);
  return { code: 'unreadable', params: { error: text }, message: `unreadable: ${text}` };
}
const EMPTY_FILE: ReportFileProblem = { code: 'empty', params: {}, message: 'empty file' };
const UNKNOWN_REPORT: ReportFileProblem = { code: 'unknown_report', params: {}, message: 'unknown report: header matches none of the FBA reports' };
function missingColumns(columns: readonly string[]): ReportFileProblem {
  return { code: 'missing_columns', params: { columns }, message: `missing columns: ${columns.join(', ')}` };
}

/** What a report file is, from its header row alone: the report type it was recognised as and, if any, why the audit cannot read it. */
export interface ReportFileCheck {
  readonly type: ReportType | 'unknown';
  readonly problem: ReportFileProblem | null;
}

/** Looks at one file's header row as the audit does (the same detection): for the upload's answer in the web app. */
export async function checkReportFile(source: ReportSource): Promise<ReportFileCheck> {
  const sniffed = await sniffSource(source, 0);
  return { type: sniffed.report.type, problem: sniffed.problem ?? null };
}

const MAX_EVIDENCE_PER_CLAIM = 25;
const SNIFF_CONCURRENCY = 8;
const ORDER = asciiBytes('Order');
const REFUND = asciiBytes('Refund');
const FBA_PER_UNIT_FEE = asciiBytes('FBAPerUnitFulfillmentFee');
const PRINCIPAL = asciiBytes('Principal');
/** Orders older than this before the as-of day are not kept: a refund above the charge is claimed within 90 days of the refund, which follows its order within weeks. */
const ORDER_CHARGE_LOOKBACK_DAYS = 150;

/** First bytes of the ledger's event types that carry no claim: Shipments, WhseTransfers (1 at the byte). */
const LEDGER_EVENTS_WITHOUT_CLAIMS = (() => {
  const table = new Uint8Array(256);
  for (const first of 'SW') table[first.charCodeAt(0)] = 1;
  return table;
})();

/**
 * The ledger rows the reader need not hand to `onLedgerRow`: those of an event type without claims on a date the
 * handler has already read, on which it would only find the date it has and return (see `Dismissal`).
 */
function ledgerDismissal(columns: ReadonlyMap<string, number>): Dismissal | undefined {
  const field = columns.get('eventtype');
  const dateField = columns.get('date');
  return field === undefined || dateField === undefined ? undefined : { field, firstBytes: LEDGER_EVENTS_WITHOUT_CLAIMS, dateField };
}

/** The parts of a refund the audit adds up (its amount description, in any case); `other` for the rest. */
type RefundPart = 'principal' | 'commission' | 'refundcommission' | 'other';

/** A refund row's part, read on the description's bytes (a string and its lower-case copy per refund row before). */
function refundPartOf(row: TsvRow, iDescription: number): RefundPart {
  if (row.equalsCaseless(iDescription, 'principal')) return 'principal';
  if (row.equalsCaseless(iDescription, 'commission')) return 'commission';
  return row.equalsCaseless(iDescription, 'refundcommission') ? 'refundcommission' : 'other';
}

/**
 * Settlement bytes per order line, at least: a V2 settlement writes three rows or more per order line (principal,
 * commission, the FBA fee; often tax, shipping, promotions) of ~150 bytes each. Sizes the order-charge table
 * before the settlements are read.
 */
const SETTLEMENT_BYTES_PER_ORDER_LINE = 400;
/** How much of a file `ReportSource.head` is asked for: the header row and the first rows, for the encoding. */
const HEADER_LOOK_BYTES = 64 << 10;

/** Reads one file's header row: its report type, or why the whole file is skipped. */
async function sniffSource(source: ReportSource, index: number): Promise<SniffedSource> {
  const report = newFileReport(source.name, source.size ?? 0);
  const row = new TsvRow(128);
  let cells: string[] | undefined;
  let headerLine = 0;
  let firstChunk: Uint8Array | undefined;
  async function* recordingFirst(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      firstChunk ??= copyOf(chunk, 0, chunk.length);
      yield chunk;
    }
  }
  try {
    let chunks: AsyncIterable<Uint8Array> | undefined;
    if (source.head !== undefined) {
      const head = await source.head(HEADER_LOOK_BYTES);
      // A header row longer than the look (never seen in Amazon's reports): read the stream instead.
      if (head.length < HEADER_LOOK_BYTES || head.includes(10)) chunks = once(head);
    }
    await forEachTsvRow(recordingFirst(chunks ?? source.open()), row, (r) => {
      cells = [];
      const count = Math.min(r.fieldCount, r.capacity);
      for (let i = 0; i < count; i++) cells.push(r.text(i));
      headerLine = r.lineNumber;
      return false;
    });
  } catch (error) {
    const problem = unreadable(error);
    report.ignored = true;
    report.note = problem.message;
    return { source, index, detected: undefined, headerLine, report, skipReason: report.note, problem };
  }
  report.encoding = firstChunk !== undefined && sniffEncoding(firstChunk) === 'windows-1252' ? 'windows-1252' : row.encoding;
  if (cells === undefined) {
    report.ignored = true;
    report.note = EMPTY_FILE.message;
    return { source, index, detected: undefined, headerLine, report, skipReason: EMPTY_FILE.message, problem: EMPTY_FILE };
  }
  const detected = detectReport(cells);
  if (detected === undefined) {
    report.ignored = true;
    report.note = UNKNOWN_REPORT.message;
    return { source, index, detected, headerLine, report, skipReason: report.note, problem: UNKNOWN_REPORT };
  }
  report.type = detected.type;
  if (detected.missing.length > 0) {
    const problem = missingColumns(detected.missing);
    report.ignored = true;
    report.note = problem.message;
    return { source, index, detected, headerLine, report, skipReason: `${detected.type}: ${report.note}`, problem };
  }
  return { source, index, detected, headerLine, report };
}

function newFileReport(file: string, bytes: number): FileReport {
  return {
    file,
    type: 'unknown',
    encoding: 'utf-8',
    bytes,
    rows: 0,
    used: 0,
    duplicates: 0,
    skipped: 0,
    ignored: false,
    // -0, not 0: the field holds a fraction of a millisecond once the file is read. Started as a small integer, the
    // reports' shape would change to one with a double field in mid-audit, and a warm auditor's optimised code,
    // made for the new shape, would deoptimise on every report of the next audit, made in the old shape again.
    millis: -0,
    // Present from the start: a property added to some reports later would give them a second shape (and the
    // optimised code that handles reports a deoptimisation).
    note: undefined,
  };
}

async function* once(chunk: Uint8Array): AsyncGenerator<Uint8Array> {
  yield chunk;
}

/**
 * Opens a source and asks for its first chunk now, so the I/O runs while the previous file is parsed. The
 * returned iterable hands that chunk out first, then the rest of the stream; an error opening the source
 * surfaces when the iterable is read, like any read error.
 */
function startReading(source: ReportSource): AsyncIterable<Uint8Array> {
  let iterator: AsyncIterator<Uint8Array>;
  try {
    iterator = source.open()[Symbol.asyncIterator]();
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- hands on whatever open() threw, unchanged
    iterator = { next: () => Promise.reject(error) };
  }
  const first = iterator.next();
  first.catch(() => undefined); // read (and reported) by the consumer; not an unhandled rejection meanwhile
  return {
    [Symbol.asyncIterator]: () => {
      let started = false;
      return {
        next: () => {
          if (started) return iterator.next();
          started = true;
          return first;
        },
        return: async (value?: unknown) => iterator.return?.(value) ?? { done: true as const, value: undefined },
      };
    },
  };
}

/**
 * R-L1: reads every report once, streaming, and returns the claims Amazon still owes, with the report of
 * what could not be read. Memory is bounded by the number of FNSKUs, orders and shipments that matter to a
 * claim (adjustments, refunds, returns, removals), never by the number of ledger rows.
 */
export async function runAudit(sources: readonly ReportSource[], options: AuditOptions): Promise<AuditResult> {
  const auditor = new Auditor(sources.map(utf8Source), options);
  return auditor.run();
}

/**
 * The columns (and other per-file numbers) of a report file that its row method reads: the handlers are methods
 * bound to this per file (`handlerFor`), not closures made per file and per audit, which V8 optimised each on its
 * own: every audit of a warm process compiled every handler again (50–90 optimising compiles per audit, measured with
 * --trace-opt).
 */
type FileColumns<K extends string> = { readonly report: FileReport; readonly fileIndex: number } & { readonly [N in K]: number };

/** A fee preview file being read: its columns, its package measure columns and the day it was made. */
type FeePreviewFile = FileColumns<'iSku' | 'iFnsku' | 'iAsin' | 'iCurrency' | 'iPrice' | 'iFeeTotal' | 'iFulfilment' | 'iTier' | 'previewDay'> & {
  readonly measureColumns: readonly number[];
};

/** An inventory ledger file being read: its columns and which reports its events are matched against. */
type LedgerFile = FileColumns<'iDate' | 'iFnsku' | 'iMsku' | 'iAsin' | 'iEvent' | 'iRef' | 'iQty' | 'iReason' | 'iCountry'> & {
  readonly partitioned: boolean;
  readonly hasInbound: boolean;
  readonly hasRemovals: boolean;
  readonly hasReturns: boolean;
};

/** A settlement file being read: its columns and what its first rows told (see `settlementHandler`). */
type SettlementFile = FileColumns<
  | 'iSettlement'
  | 'iType'
  | 'iOrder'
  | 'iSku'
  | 'iQty'
  | 'iPosted'
  | 'iCurrency'
  | 'iMarketplace'
  | 'iDescription'
  | 'iAmount'
  // The flat file's item-related fee pair (-1 in V2), and how many description/amount pairs a row has.
  | 'iFeeType'
  | 'iFeeAmount'
  | 'pairCount'
> & {
  readonly wantsFee: boolean;
  fileCurrency: Currency | undefined;
  fileCurrencyBytes: Uint8Array | undefined;
  duplicateSettlement: boolean;
  settlementChecked: boolean;
  /** "01/09/2026": outside North America a settlement's slash dates are day first; decided from the first row naming its marketplace. */
  slashDayFirst: boolean | undefined;
  /** Minor-unit decimals of the last currency seen (one object lookup per currency change, not per row). */
  decimalsCurrency: Currency | undefined;
  decimals: number;
};

class Auditor implements AuditFacts, RuleContext {
  readonly asOfDay: number;
  private readonly windows: ClaimWindows;
  private readonly defaultCurrency: Currency;
  private readonly maxSkipped: number;

  private readonly files: FileReport[] = [];
  private readonly skippedLines: SkippedLine[] = [];
  private bytesRead = 0;
  private totalBytes = 0;
  private rowsRead = 0;
  private ledgerRows = 0;
  /** -0 (a double from the start, as it becomes): see `newFileReport`'s `millis`. */
  private ledgerMillis = -0;

  catalogBySku = new Map<string, CatalogEntry>();
  /** `catalogBySku`'s entries, looked up by a row's SKU bytes (`rememberRow`). */
  private catalogBySkuBytes = new RowKeyIndex<CatalogEntry>();
  /** One instance per distinct low-cardinality text (dispositions, order types, statuses) kept in memory. */
  private readonly internedTexts = new Map<string, string>();
  costs = new Map<string, { currency: Currency; minor: number }>();
  feePreview = new Map<string, FeePreviewLine>();
  inbound = new Map<string, InboundItem>();
  private inboundComplete = new Map<string, number>();
  removals = new Map<string, RemovalLine>();
  returns = new Map<string, ReturnLine>();
  refunds = new Map<string, RefundLine>();
  /** Charged principal per order line (settlement Order rows) of the recent orders. */
  orderCharges = new OrderCharges();
  /** About how many order lines a partition's settlements hold (`SETTLEMENT_BYTES_PER_ORDER_LINE`): sizes `orderCharges`. */
  private orderLinesExpected = 0;
  replacements = new Map<string, ReplacementLine>();
  feeOvercharges = new Map<string, FeeOvercharge>();
  feeTierCharges = new Map<string, FeeTierCharges>();
  uncoveredFeeCharges = new Map<string, UncoveredFeeCharges>();
  reimbursements: ReimbursementRecord[] = [];
  /** Where each of `reimbursements` was read, index for index. */
  reimbursementRows: ReimbursementRow[] = [];
  private readonly fileNames: readonly string[];
  private readonly settlementFiles = new Map<string, number>();
  fnskus = new Map<string, FnskuState>();
  private readonly damageByDay = new Map<number, number>();
  /** Report types with at least one file read (empty files count: an empty report proves there was nothing). */
  private readonly reportsRead = new Set<ReportType>();
  /** First and last row date per event report (the ledger's are tracked on its hot path below). */
  private readonly coveredDays = new Map<ReportType, { from: number; to: number }>();
  private readonly claims: FoundClaim[] = [];
  private readonly withheld = new Map<string, { rule: ClaimTypeRule; report: ReportType; candidates: number; fromDay: number; toDay: number }>();
  reimbursed = new ReimbursementBook([], () => 0);
  private ledgerMinDay = Number.POSITIVE_INFINITY;
  private ledgerMaxDay = Number.NEGATIVE_INFINITY;
  /** Line hash → index of the file it was first seen in, per report type: dedupes overlapping downloads. */
  private seenRows = new Map<ReportType, LineOrigins>();
  /** SKU partitions (1 unless the reports exceed `partitionBytes` and there is spill storage) and the one audited now. */
  private partitions = 1;
  private partition = 0;
  /** Index of the file whose rows are handled now (the spilled lines name theirs). */
  private currentFile = 0;
  /** One writer per partition after the first, while the files are read. */
  private spillWriters: SpillWriter[] = [];
  private spilledBytes = 0;
  /** The row handler of each file read, by file index: a spilled line is handled by its own file's handler. */
  private readonly handlers: Array<((row: TsvRow) => void) | undefined> = [];
  private readonly sniffedByIndex: Array<SniffedSource | undefined> = [];
  /** Every partition's reimbursements with where they were read, for the result (file order). */
  private readonly allReimbursements: Array<{ record: ReimbursementRecord; at: ReimbursementRow }> = [];
  /**
   * The partition's fee preview, open shipment lines, removal lines and returns, looked up by a settlement's or the
   * ledger's field bytes (no string per row). Made on the first lookup: every report they index is read before the
   * settlements and the ledger (`READ_ORDER`, and a partition's spilled lines replay in that order).
   */
  private feePreviewBySku: RowKeyIndex<FeePreviewLine> | undefined;
  private inboundByKey: RowKeyIndex<InboundItem> | undefined;
  private removalsByKey: RowKeyIndex<RemovalLine> | undefined;
  private returnsByKey: RowKeyIndex<ReturnLine> | undefined;

  constructor(
    private readonly sources: readonly ReportSource[],
    private readonly options: AuditOptions,
  ) {
    this.fileNames = sources.map((s) => s.name);
    const asOfDay = parseDayString(options.asOf);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOf) || Number.isNaN(asOfDay)) {
      throw new ValidationError(`asOf: "${options.asOf}" is not a YYYY-MM-DD date`, { field: 'asOf' });
    }
    this.asOfDay = asOfDay;
    this.windows = { ...DEFAULT_CLAIM_WINDOWS, ...options.windows };
    this.defaultCurrency = options.defaultCurrency ?? 'EUR';
    this.maxSkipped = options.maxSkippedLinesPerFile ?? 200;
  }

  async run(): Promise<AuditResult> {
    const sources = this.sources;
    this.totalBytes = sources.reduce((sum, s) => sum + (s.size ?? 0), 0);
    // Header rows are read a few files at a time: each look is mostly waiting on I/O (a disk, an S3 GET).
    const sniffed = await mapConcurrently(sources, SNIFF_CONCURRENCY, (source, index) => sniffSource(source, index));
    for (const s of sniffed) if (s.skipReason !== undefined) this.skip(s.report, 0, s.skipReason);
    const ordered = sniffed
      .filter((s) => s.detected !== undefined && !s.report.ignored)
      .sort((a, b) => READ_ORDER.indexOf(a.detected!.type) - READ_ORDER.indexOf(b.detected!.type) || a.index - b.index);
    for (const s of sniffed) if (s.report.ignored) this.bytesRead += s.source.size ?? 0;
    // The next file is opened (and its first chunk asked for) before this one is parsed: a source that reads
    // asynchronously (an S3 object) fetches while the CPU parses.
    for (const s of sniffed) this.sniffedByIndex[s.index] = s;
    this.partitions = this.partitionCount(ordered.map((s) => s.source));
    this.orderLinesExpected = Math.ceil(unpackedBytes(ordered.filter((s) => s.detected!.type === 'settlement').map((s) => s.source)) / SETTLEMENT_BYTES_PER_ORDER_LINE / this.partitions);
    this.orderCharges = new OrderCharges(this.orderLinesExpected);
    const spill = this.options.spill;
    if (this.partitions > 1 && spill !== undefined) {
      this.spillWriters = Array.from({ length: this.partitions }, () => new SpillWriter(spill));
    }
    let next = ordered.length > 0 ? startReading(ordered[0]!.source) : undefined;
    try {
      try {
        for (const [i, s] of ordered.entries()) {
          const chunks = next!;
          next = i + 1 < ordered.length ? startReading(ordered[i + 1]!.source) : undefined;
          await this.readFile(s, chunks);
        }
      } finally {
        await next?.[Symbol.asyncIterator]().return?.(); // a failed audit leaves no file open
      }
      this.files.push(...sniffed.map((s) => s.report));
      this.evaluatePartition();
      await this.handOverClaims();
      // The other partitions, from their scratch files: every row they need was spilled while the files were read.
      for (let p = 1; p < this.partitions; p++) {
        this.startPartition(p);
        await this.replay(this.spillWriters[p]!);
        this.evaluatePartition();
        await this.handOverClaims();
      }
    } finally {
      for (const writer of this.spillWriters) writer.dispose();
    }
    const claims = this.claims.sort(byDeadline);
    if (this.partitions > 1) {
      // Partitions report in their own order: back to file and line order, as one pass reports them.
      this.allReimbursements.sort((a, b) => a.at.file - b.at.file || a.at.line - b.at.line);
      // Whole-file skips first (as reported before any file is read), then lines in the order the files were read.
      const readPosition = new Map(ordered.map((s, i) => [s.source.name, i]));
      const position = (line: SkippedLine): number => (line.line === 0 ? -1 : (readPosition.get(line.file) ?? -1));
      this.skippedLines.sort((a, b) => position(a) - position(b) || a.line - b.line);
    }
    return {
      asOf: this.options.asOf,
      claims,
      report: { files: this.files, lines: this.skippedLines },
      reimbursements: this.allReimbursements.map((r) => r.record),
      withheld: this.withheldSummary(),
      damageAdjustmentsByDay: [...this.damageByDay.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([day, count]) => ({ day: isoDay(day), count })),
      stats: {
        files: sources.length,
        bytesRead: this.bytesRead,
        rowsRead: this.rowsRead,
        ledgerRows: this.ledgerRows,
        ledgerMillis: this.ledgerMillis,
        partitions: this.partitions,
        spilledBytes: this.spilledBytes,
      },
    };
  }

  // ---------------------------------------------------------------- partitions

  /** How many SKU partitions the reports need (1 without spill storage). */
  private partitionCount(sources: readonly ReportSource[]): number {
    if (this.options.spill === undefined) return 1;
    const bytes = unpackedBytes(sources);
    const onePass = this.options.partitionBytes ?? PARTITION_REPORT_BYTES;
    // Split, a partition holds half of what one pass may: the facts of the partition just audited are garbage
    // only once the collector runs, while the next partition's are already being built.
    return bytes <= onePass ? 1 : Math.ceil(bytes / (onePass / 2));
  }

  /**
   * True when the row's SKU belongs to the partition audited now. While the files are read, a row of a later
   * partition is appended to that partition's scratch file instead. Called by each handler once the row's global
   * effects (coverage, skipped-line reports) are done and before it touches the partition's facts.
   */
  private mine(row: TsvRow, iSku: number): boolean {
    if (this.partitions === 1) return true;
    const p = partitionOf(row, iSku, this.partitions);
    if (p === this.partition) return true;
    if (this.partition === 0) this.spilledBytes += this.spillWriters[p]!.add(this.currentFile, row);
    return false;
  }

  /** Forgets the facts of the partition just evaluated and starts the next one. */
  private startPartition(partition: number): void {
    this.partition = partition;
    this.catalogBySku = new Map();
    this.catalogBySkuBytes = new RowKeyIndex();
    this.costs = new Map();
    this.feePreview = new Map();
    this.inbound = new Map();
    this.inboundComplete = new Map();
    this.removals = new Map();
    this.returns = new Map();
    this.refunds = new Map();
    this.orderCharges = new OrderCharges(this.orderLinesExpected);
    this.replacements = new Map();
    this.feeOvercharges = new Map();
    this.feeTierCharges = new Map();
    this.uncoveredFeeCharges = new Map();
    this.reimbursements = [];
    this.reimbursementRows = [];
    this.fnskus = new Map();
    this.seenRows = new Map();
    this.reimbursedValues = undefined;
    this.feePreviewBySku = undefined;
    this.inboundByKey = undefined;
    this.removalsByKey = undefined;
    this.returnsByKey = undefined;
  }

  /** Hands a partition's spilled lines to the handlers of the files they came from, in the order they were read. */
  private async replay(writer: SpillWriter): Promise<void> {
    const capacity = Math.max(1, ...this.sniffedByIndex.map((s) => (s?.detected?.fieldCount ?? 0) + 1));
    const row = new TsvRow(capacity);
    let fileIndex = -1;
    let handler: ((row: TsvRow) => void) | undefined;
    await forEachTsvRow(
      writer.read(),
      row,
      (r) => {
        // "<file index>,<line number>\t<the report's line>"
        const bytes = r.bytes;
        let p = r.lineStart;
        let file = 0;
        while (bytes[p] !== 44) file = file * 10 + bytes[p++]! - 48;
        p++;
        let line = 0;
        while (bytes[p] !== 9) line = line * 10 + bytes[p++]! - 48;
        if (file !== fileIndex) {
          fileIndex = file;
          handler = this.useFile(this.sniffedByIndex[file]!);
          row.encoding = this.sniffedByIndex[file]!.report.encoding;
        }
        r.dropFirstField();
        r.lineNumber = line;
        handler!(r);
      },
      { maxLineBytes: MAX_LINE_BYTES + SPILL_PREFIX_BYTES },
    );
    writer.dispose();
  }

  // ---------------------------------------------------------------- intake

  private skip(report: FileReport, line: number, reason: string): void {
    if (line > 0) report.skipped++;
    // Keep the first lines per file: a file of a million bad lines must not become a million-entry report.
    if (line === 0 || report.skipped <= this.maxSkipped) this.skippedLines.push({ file: report.file, line, reason });
  }

  private async readFile(s: SniffedSource, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const detected = s.detected!;
    const report = s.report;
    const row = new TsvRow(detected.fieldCount + 1);
    row.encoding = report.encoding;
    const handler = this.useFile(s);
    const isLedger = detected.type === 'inventory_ledger';
    this.reportsRead.add(detected.type);
    const started = performance.now();
    const checked = (r: TsvRow): void => {
      if (this.wellFormed(r)) handler(r);
    };
    try {
      const outcome = await forEachTsvRow(chunks, row, handler, {
        skipThroughLine: s.headerLine,
        dismiss: isLedger ? ledgerDismissal(detected.columns) : undefined,
        // A last line without its terminator may be cut short: check its shape whatever the type.
        onUnterminated: checked,
        onBytes: (n) => {
          this.bytesRead += n;
          this.options.onProgress?.(this.bytesRead, this.totalBytes);
        },
      });
      report.rows = outcome.rows;
    } catch (error) {
      // A stream that breaks mid-file (truncated gzip, network): the complete lines before it were used.
      const reason = `read failed after line ${row.lineNumber}: ${error instanceof Error ? error.message : String(error)}`;
      report.note = reason;
      report.rows = Math.max(0, row.lineNumber - s.headerLine);
      this.skip(report, row.lineNumber + 1, reason);
    }
    report.encoding = row.encoding;
    report.millis = performance.now() - started;
    this.rowsRead += report.rows;
    if (isLedger) {
      this.ledgerRows += report.rows;
      this.ledgerMillis += report.millis;
    }
  }

  /** Makes `s` the file whose rows are handled now (shape checks, spilled lines' origin) and returns its handler. */
  private useFile(s: SniffedSource): (row: TsvRow) => void {
    const detected = s.detected!;
    this.indexFactsFor(detected.type);
    this.currentFile = s.index;
    this.shapeReport = s.report;
    // Trailing columns the audit never reads (title, comments…) may be missing without losing the row.
    this.shapeMinFields = Math.max(...detected.readIndexes) + 1;
    this.shapeHeaderFields = detected.fieldCount;
    let handler = this.handlers[s.index];
    if (handler === undefined) {
      const col = (name: string): number => detected.columns.get(name) ?? -1;
      handler = this.handlerFor(detected.type, col, s.report, s.index);
      this.handlers[s.index] = handler;
    }
    return handler;
  }

  /**
   * Makes the byte-keyed indexes of the facts that rows of `type` are looked up in (`RowKeyIndex`), once per
   * partition: the reports they index are read (and a partition's spilled lines replayed) before, in `READ_ORDER`.
   * Here rather than on a handler's first row: a store made once per audit in a hot method has no type feedback
   * there, and its optimised code deoptimised on it in every later audit of a warm process.
   */
  private indexFactsFor(type: ReportType): void {
    if (type === 'settlement') this.feePreviewBySku ??= new RowKeyIndex(this.feePreview);
    else if (type === 'removal_shipment_detail') this.removalsByKey ??= new RowKeyIndex(this.removals);
    else if (type === 'inventory_ledger') {
      this.inboundByKey ??= new RowKeyIndex(this.inbound);
      this.removalsByKey ??= new RowKeyIndex(this.removals);
      this.returnsByKey ??= new RowKeyIndex(this.returns);
    }
  }

  private covered(report: ReportType, day: number): void {
    const known = this.coveredDays.get(report);
    if (known === undefined) this.coveredDays.set(report, { from: day, to: day });
    else if (day < known.from) known.from = day;
    else if (day > known.to) known.to = day;
  }

  /** The file being read, for `wellFormed` (a placeholder until the first file). */
  private shapeReport: FileReport = newFileReport('', 0);
  private shapeMinFields = 0;
  private shapeHeaderFields = 0;

  /** False (and the line reported) when the row lacks columns the audit reads. */
  private wellFormed(row: TsvRow): boolean {
    const report = this.shapeReport;
    const minFields = this.shapeMinFields;
    const headerFields = this.shapeHeaderFields;
    if (row.has(minFields - 1)) return true;
    const why = row.unterminated ? 'truncated file: last line cut short' : 'truncated line';
    this.skip(report, row.lineNumber, `${why} (${row.fieldCount} of ${headerFields} columns)`);
    return false;
  }

  /** Returns true when this exact line was already read from another file of the same type. */
  private isDuplicate(type: ReportType, row: TsvRow, fileIndex: number, report: FileReport): boolean {
    let seen = this.seenRows.get(type);
    if (seen === undefined) {
      seen = new LineOrigins();
      this.seenRows.set(type, seen);
    }
    if (seen.firstFile(row.lineHash(), fileIndex) === fileIndex) return false;
    report.duplicates++;
    return true;
  }

  private currencyOf(text: string): Currency | undefined {
    const upper = text.trim().toUpperCase();
    return isCurrency(upper) ? upper : undefined;
  }

  /**
   * Records a SKU's FNSKU and ASIN, and returns the catalogue's entry: records kept for the rest of the audit
   * take their identifier strings from it, so 25,000 returns of 12,000 SKUs hold one copy of each, not one per row
   * (fewer survivors for the garbage collector to copy, less heap).
   */
  private remember(msku: string, fnsku: string, asin: string): CatalogEntry {
    const known = msku ? this.catalogBySku.get(msku) : undefined;
    if (known === undefined) {
      const entry = { msku, fnsku, asin };
      if (msku) {
        this.catalogBySku.set(msku, entry);
        this.catalogBySkuBytes.set(msku, entry);
      }
      return entry;
    }
    if (!known.fnsku && fnsku) known.fnsku = fnsku;
    if (!known.asin && asin) known.asin = asin;
    return known;
  }
  /**
   * `remember(row.text(iSku), row.text(iFnsku), row.text(iAsin))` without the strings when they are not needed: a SKU
   * already catalogued with its FNSKU and ASIN is found by its bytes (most rows of a shipment or returns report are
   * of SKUs already seen), and its entry, which `remember` would return unchanged, is returned.
   */
  private rememberRow(row: TsvRow, iSku: number, iFnsku: number, iAsin: number): CatalogEntry {
    const known = this.catalogBySkuBytes.getByFields(row, iSku);
    if (known !== undefined && known.fnsku && known.asin) return known;
    return this.remember(row.text(iSku), row.text(iFnsku), iAsin >= 0 ? row.text(iAsin) : '');
  }

  /** `text`, as one shared instance when the same text was seen before (bounded). */
  private intern(text: string): string {
    const known = this.internedTexts.get(text);
    if (known !== undefined) return known;
    if (this.internedTexts.size < 10_000) this.internedTexts.set(text, text);
    return text;
  }

  /**
   * The row handler of a report type. Each handler checks the shape of the rows it uses (`wellFormed`): the
   * small reports check every row first; the ledger and settlement handlers only the rows they keep, since
   * most of their rows are dismissed after one or two fields and splitting them whole would cost throughput.
   */
  private handlerFor(type: ReportType, col: (name: string) => number, report: FileReport, fileIndex: number): (row: TsvRow) => void {
    switch (type) {
      case 'seller_costs':
        return this.costsHandler(col, report, fileIndex);
      case 'fee_preview':
        return this.feePreviewHandler(col, report, fileIndex);
      case 'inbound_shipment_items':
        return this.inboundHandler(col, report, fileIndex);
      case 'removal_order_detail':
        return this.removalOrderHandler(col, report, fileIndex);
      case 'removal_shipment_detail':
        return this.removalShipmentHandler(col, report, fileIndex);
      case 'reimbursements':
        return this.reimbursementHandler(col, report, fileIndex);
      case 'customer_returns':
        return this.returnsHandler(col, report, fileIndex);
      case 'replacements':
        return this.replacementsHandler(col, report, fileIndex);
      case 'settlement':
        return this.settlementHandler(col, report, fileIndex);
      case 'inventory_ledger':
        return this.ledgerHandler(col, report, fileIndex);
    }
  }

  private costsHandler(col: (name: string) => number, report: FileReport, fileIndex: number): (row: TsvRow) => void {
    const iSku = col('sku');
    const iCost = col('unitcost');
    const iCurrency = col('currency');
    return this.onSellerCostRow.bind(this, { report, fileIndex, iSku, iCost, iCurrency });
  }

  private onSellerCostRow(f: FileColumns<'iSku' | 'iCost' | 'iCurrency'>, row: TsvRow): void {
    const { report, iSku, iCost, iCurrency } = f;
    if (!this.wellFormed(row) || !this.mine(row, iSku)) return;
    const currency = this.currencyOf(row.text(iCurrency));
    if (!currency) return this.skip(report, row.lineNumber, `unknown currency "${row.text(iCurrency)}"`);
    const cost = row.minor(iCost, CURRENCY_DECIMALS[currency]);
    if (Number.isNaN(cost) || cost < 0) return this.skip(report, row.lineNumber, `unit-cost "${row.text(iCost)}" is not an amount`);
    this.costs.set(row.text(iSku), { currency, minor: cost });
    report.used++;
  }

  private feePreviewHandler(col: (name: string) => number, report: FileReport, fileIndex: number): (row: TsvRow) => void {
    const iSku = col('sku');
    const iFnsku = col('fnsku');
    const iAsin = col('asin');
    const iCurrency = col('currency');
    const iPrice = col('yourprice') >= 0 ? col('yourprice') : col('salesprice');
    const iFeeTotal = col('estimatedfeetotal');
    const iFulfilment = col('expectedfulfillmentfeeperunit|expecteddomesticfulfilmentfeeperunit');
    const iTier = col('productsizetier|productsizeweightband');
    const measureColumns = ['longestside', 'medianside', 'shortestside', 'unitofdimension', 'itempackageweight', 'unitofweight'].map(col);
    // A preview is Amazon's figure for the day it was made: the fetched files carry that day in their name.
    const named = dayInFileName(report.file);
    const previewDay = Number.isNaN(named) ? this.asOfDay : named;
    return this.onFeePreviewRow.bind(this, { report, fileIndex, iSku, iFnsku, iAsin, iCurrency, iPrice, iFeeTotal, iFulfilment, iTier, measureColumns, previewDay });
  }

  private onFeePreviewRow(f: FeePreviewFile, row: TsvRow): void {
    const { report, iSku, iFnsku, iAsin, iCurrency, iPrice, iFeeTotal, iFulfilment, iTier, measureColumns, previewDay } = f;
    if (!this.wellFormed(row) || !this.mine(row, iSku)) return;
    const currency = this.currencyOf(row.text(iCurrency));
    if (!currency) return this.skip(report, row.lineNumber, `unknown currency "${row.text(iCurrency)}"`);
    const decimals = CURRENCY_DECIMALS[currency];
    const fulfilmentFee = row.minor(iFulfilment, decimals);
    if (Number.isNaN(fulfilmentFee)) return this.skip(report, row.lineNumber, `expected fulfilment fee "${row.text(iFulfilment)}" is not an amount`);
    const price = iPrice >= 0 && !row.isEmpty(iPrice) ? row.minor(iPrice, decimals) : 0;
    const feeTotal = iFeeTotal >= 0 && !row.isEmpty(iFeeTotal) ? row.minor(iFeeTotal, decimals) : fulfilmentFee;
    if (Number.isNaN(price) || Number.isNaN(feeTotal)) return this.skip(report, row.lineNumber, 'price or fee total is not an amount');
    const sku = row.text(iSku);
    const known = this.feePreview.get(sku);
    if (known !== undefined && known.day > previewDay) return; // an older preview than the one kept
    const fnsku = row.text(iFnsku);
    const asin = row.text(iAsin);
    const region = feeRegion(currency);
    const tierLabel = iTier >= 0 ? row.text(iTier) : '';
    // Field by field, not `measureColumns.map` destructured: an array and an iterator per row were a fifth of
    // what the fee preview allocated.
    const measured = (k: number): string => (measureColumns[k]! >= 0 ? row.text(measureColumns[k]!) : '');
    const tiers =
      region === undefined
        ? undefined
        : previewTiers(region, { longest: measured(0), median: measured(1), shortest: measured(2), unitOfDimension: measured(3), weight: measured(4), unitOfWeight: measured(5) }, tierLabel);
    this.feePreview.set(sku, {
      currency,
      price,
      feeTotal,
      fulfilmentFee,
      fnsku,
      asin,
      day: previewDay,
      coversFrom: region === undefined ? Number.NaN : feeScheduleStart(region, previewDay),
      tierLabel,
      tierAboveMeasured: tiers?.statedAbove ?? false,
      measuredTier: tiers?.measured,
    });
    this.remember(sku, fnsku, asin);
    report.used++;
  }

  private inboundHandler(col: (name: string) => number, report: FileReport, fileIndex: number): (row: TsvRow) => void {
    const iShipment = col('shipmentid');
    const iStatus = col('shipmentstatus');
    const iUpdated = col('delivereddate|lastupdateddate');
    const iSku = col('sku|sellersku');
    const iFnsku = col('fnsku|fulfillmentnetworksku');
    const iAsin = col('asin');
    const iShipped = col('quantityshipped');
    const iReceived = col('quantityreceived');
    return this.onInboundRow.bind(this, { report, fileIndex, iShipment, iStatus, iUpdated, iSku, iFnsku, iAsin, iShipped, iReceived });
  }

  private onInboundRow(f: FileColumns<'iShipment' | 'iStatus' | 'iUpdated' | 'iSku' | 'iFnsku' | 'iAsin' | 'iShipped' | 'iReceived'>, row: TsvRow): void {
    const { report, fileIndex, iShipment, iStatus, iUpdated, iSku, iFnsku, iAsin, iShipped, iReceived } = f;
    if (!this.wellFormed(row) || !this.mine(row, iSku)) return;
    const day = row.day(iUpdated);
    if (Number.isNaN(day)) return this.skip(report, row.lineNumber, `delivered / last-updated date "${row.text(iUpdated)}" is not a date`);
    const shipped = row.int(iShipped);
    const received = row.int(iReceived);
    if (Number.isNaN(shipped) || Number.isNaN(received)) return this.skip(report, row.lineNumber, 'quantity shipped/received is not a number');
    const key = row.joinedText(iShipment, iFnsku);
    const known = this.inbound.get(key);
    const completeDay = this.inboundComplete.get(key);
    // A snapshot report: a newer download of the same shipment line replaces the older one.
    if ((known !== undefined && known.lastUpdatedDay > day) || (completeDay !== undefined && completeDay > day)) {
      report.duplicates++;
      return;
    }
    report.used++;
    if (received >= shipped) {
      // Fully received lines cannot become claims: remember only their date (for newer/older downloads).
      this.rememberRow(row, iSku, iFnsku, iAsin);
      this.inbound.delete(key);
      this.inboundComplete.set(key, day);
      return;
    }
    const catalogued = this.rememberRow(row, iSku, iFnsku, iAsin);
    this.inboundComplete.delete(key);
    this.inbound.set(key, {
      shipmentId: row.text(iShipment),
      msku: catalogued.msku,
      fnsku: sameField(row, iFnsku, catalogued.fnsku),
      asin: sameField(row, iAsin, catalogued.asin),
      status: row.text(iStatus).toLowerCase(),
      lastUpdatedDay: day,
      shipped,
      received,
      ledgerReceived: known?.ledgerReceived ?? 0,
      at: { file: fileIndex, line: row.lineNumber },
    });
  }

  private removalOrderHandler(col: (name: string) => number, report: FileReport, fileIndex: number): (row: TsvRow) => void {
    const iRequest = col('requestdate');
    const iOrder = col('orderid');
    const iType = col('ordertype');
    const iStatus = col('orderstatus');
    const iUpdated = col('lastupdateddate');
    const iSku = col('sku');
    const iFnsku = col('fnsku');
    const iRequested = col('requestedquantity');
    const iShipped = col('shippedquantity');
    return this.onRemovalOrderRow.bind(this, { report, fileIndex, iRequest, iOrder, iType, iStatus, iUpdated, iSku, iFnsku, iRequested, iShipped });
  }

  private onRemovalOrderRow(f: FileColumns<'iRequest' | 'iOrder' | 'iType' | 'iStatus' | 'iUpdated' | 'iSku' | 'iFnsku' | 'iRequested' | 'iShipped'>, row: TsvRow): void {
    const { report, fileIndex, iRequest, iOrder, iType, iStatus, iUpdated, iSku, iFnsku, iRequested, iShipped } = f;
    if (!this.wellFormed(row) || !this.mine(row, iSku)) return;
    const requestDay = row.day(iRequest);
    const updatedDay = row.day(iUpdated);
    if (Number.isNaN(requestDay) || Number.isNaN(updatedDay)) return this.skip(report, row.lineNumber, 'request-date or last-updated-date is not a date');
    const requested = row.int(iRequested);
    if (Number.isNaN(requested)) return this.skip(report, row.lineNumber, `requested-quantity "${row.text(iRequested)}" is not a number`);
    const shipped = iShipped >= 0 && !row.isEmpty(iShipped) ? row.int(iShipped) : 0;
    if (Number.isNaN(shipped)) return this.skip(report, row.lineNumber, `shipped-quantity "${row.text(iShipped)}" is not a number`);
    // Return orders finished before the lookback can no longer be claimed; disposal orders are kept (they
    // authorise disposals whenever those happen).
    if (updatedDay < this.asOfDay - AUDIT_LOOKBACK_DAYS && !row.containsCaseless(iType, 'dispos') && !row.containsCaseless(iType, 'liquidat') && !row.containsCaseless(iType, 'donat')) {
      report.used++;
      return;
    }
    const key = row.joinedText(iOrder, iFnsku);
    const known = this.removals.get(key);
    if (known !== undefined && known.lastUpdatedDay > updatedDay) {
      report.duplicates++;
      return;
    }
    const fnsku = row.text(iFnsku);
    const catalogued = this.remember(row.text(iSku), fnsku, '');
    this.removals.set(key, {
      orderId: row.text(iOrder),
      orderType: this.intern(row.text(iType)),
      status: this.intern(row.text(iStatus)),
      requestDay,
      lastUpdatedDay: updatedDay,
      msku: catalogued.msku,
      fnsku: same(fnsku, catalogued.fnsku),
      requested,
      detailShipped: shipped,
      ledgerRemoved: known?.ledgerRemoved ?? 0,
      shipmentDetailShipped: known?.shipmentDetailShipped ?? 0,
      at: { file: fileIndex, line: row.lineNumber },
      shipments: known?.shipments ?? [],
    });
    report.used++;
  }

  private removalShipmentHandler(col: (name: string) => number, report: FileReport, fileIndex: number): (row: TsvRow) => void {
    const iOrder = col('orderid');
    const iDate = col('shipmentdate');
    const iFnsku = col('fnsku');
    const iShipped = col('shippedquantity');
    const iTracking = col('trackingnumber');
    const iSku = col('sku');
    return this.onRemovalShipmentRow.bind(this, { report, fileIndex, iOrder, iDate, iFnsku, iShipped, iTracking, iSku });
  }

  private onRemovalShipmentRow(f: FileColumns<'iOrder' | 'iDate' | 'iFnsku' | 'iShipped' | 'iTracking' | 'iSku'>, row: TsvRow): void {
    const { report, fileIndex, iOrder, iDate, iFnsku, iShipped, iTracking, iSku } = f;
    if (!this.wellFormed(row) || !this.mine(row, iSku)) return;
    const day = row.day(iDate);
    if (Number.isNaN(day)) return this.skip(report, row.lineNumber, `shipment-date "${row.text(iDate)}" is not a date`);
    const shipped = row.int(iShipped);
    if (Number.isNaN(shipped)) return this.skip(report, row.lineNumber, `shipped-quantity "${row.text(iShipped)}" is not a number`);
    this.covered('removal_shipment_detail', day);
    if (this.isDuplicate('removal_shipment_detail', row, fileIndex, report)) return;
    const line = this.removalsByKey!.getByFields(row, iOrder, iFnsku);
    report.used++;
    if (line === undefined) return;
    line.shipmentDetailShipped += shipped;
    // The order detail row is the claim's first evidence: room for one fewer shipment row.
    if (line.shipments.length < MAX_EVIDENCE_PER_CLAIM - 1) {
      line.shipments.push({ file: fileIndex, line: row.lineNumber, day, shipped, tracking: iTracking >= 0 ? row.text(iTracking) : '' });
    }
  }

  private reimbursementHandler(col: (name: string) => number, report: FileReport, fileIndex: number): (row: TsvRow) => void {
    const iDate = col('approvaldate');
    const iId = col('reimbursementid');
    const iCase = col('caseid');
    const iOrder = col('amazonorderid');
    const iReason = col('reason');
    const iSku = col('sku');
    const iFnsku = col('fnsku');
    const iAsin = col('asin');
    const iCurrency = col('currencyunit');
    const iPerUnit = col('amountperunit');
    const iTotal = col('amounttotal');
    const iCash = col('quantityreimbursedcash');
    const iInventory = col('quantityreimbursedinventory');
    const iQtyTotal = col('quantityreimbursedtotal');
    const iOriginal = col('originalreimbursementid');
    return this.onReimbursementRow.bind(this, { report, fileIndex, iDate, iId, iCase, iOrder, iReason, iSku, iFnsku, iAsin, iCurrency, iPerUnit, iTotal, iCash, iInventory, iQtyTotal, iOriginal });
  }

  private onReimbursementRow(f: FileColumns<'iDate' | 'iId' | 'iCase' | 'iOrder' | 'iReason' | 'iSku' | 'iFnsku' | 'iAsin' | 'iCurrency' | 'iPerUnit' | 'iTotal' | 'iCash' | 'iInventory' | 'iQtyTotal' | 'iOriginal'>, row: TsvRow): void {
    const { report, fileIndex, iDate, iId, iCase, iOrder, iReason, iSku, iFnsku, iAsin, iCurrency, iPerUnit, iTotal, iCash, iInventory, iQtyTotal, iOriginal } = f;
    if (!this.wellFormed(row)) return;
    const day = row.day(iDate);
    if (Number.isNaN(day)) return this.skip(report, row.lineNumber, `approval-date "${row.text(iDate)}" is not a date`);
    const currency = this.currencyOf(row.text(iCurrency));
    if (!currency) return this.skip(report, row.lineNumber, `unknown currency "${row.text(iCurrency)}"`);
    const decimals = CURRENCY_DECIMALS[currency];
    const perUnit = row.minor(iPerUnit, decimals);
    const total = row.minor(iTotal, decimals);
    if (Number.isNaN(perUnit) || Number.isNaN(total)) return this.skip(report, row.lineNumber, `amount "${row.text(iPerUnit)}" / "${row.text(iTotal)}" is not an amount`);
    const cash = row.isEmpty(iCash) ? 0 : row.int(iCash);
    const inventory = row.isEmpty(iInventory) ? 0 : row.int(iInventory);
    const qtyTotal = row.isEmpty(iQtyTotal) ? cash + inventory : row.int(iQtyTotal);
    if (Number.isNaN(cash) || Number.isNaN(inventory) || Number.isNaN(qtyTotal)) return this.skip(report, row.lineNumber, 'reimbursed quantity is not a number');
    this.covered('reimbursements', day);
    if (!this.mine(row, iSku) || this.isDuplicate('reimbursements', row, fileIndex, report)) return;
    const reason = row.text(iReason);
    const record: ReimbursementRecord = {
      reimbursementId: row.text(iId),
      caseId: iCase >= 0 ? row.text(iCase) : '',
      amazonOrderId: iOrder >= 0 ? row.text(iOrder) : '',
      reason,
      category: reimbursementCategory(reason),
      msku: row.text(iSku),
      fnsku: row.text(iFnsku),
      approvalDate: isoDay(day),
      amountPerUnit: money(perUnit, currency),
      amountTotal: money(total, currency),
      quantityCash: cash,
      quantityInventory: inventory,
      quantityTotal: qtyTotal,
      originalReimbursementId: iOriginal >= 0 ? row.text(iOriginal) : '',
    };
    this.remember(record.msku, record.fnsku, iAsin >= 0 ? row.text(iAsin) : '');
    this.reimbursements.push(record);
    this.reimbursementRows.push({ file: fileIndex, line: row.lineNumber, perUnitText: row.text(iPerUnit) });
    report.used++;
  }

  private returnsHandler(col: (name: string) => number, report: FileReport, fileIndex: number): (row: TsvRow) => void {
    const iDate = col('returndate');
    const iOrder = col('orderid');
    const iSku = col('sku');
    const iFnsku = col('fnsku');
    const iAsin = col('asin');
    const iQty = col('quantity');
    const iDisposition = col('detaileddisposition');
    const iStatus = col('status');
    const iLpn = col('licenseplatenumber');
    return this.onReturnRow.bind(this, { report, fileIndex, iDate, iOrder, iSku, iFnsku, iAsin, iQty, iDisposition, iStatus, iLpn });
  }

  private onReturnRow(f: FileColumns<'iDate' | 'iOrder' | 'iSku' | 'iFnsku' | 'iAsin' | 'iQty' | 'iDisposition' | 'iStatus' | 'iLpn'>, row: TsvRow): void {
    const { report, fileIndex, iDate, iOrder, iSku, iFnsku, iAsin, iQty, iDisposition, iStatus, iLpn } = f;
    if (!this.wellFormed(row)) return;
    const day = row.day(iDate);
    if (Number.isNaN(day)) return this.skip(report, row.lineNumber, `return-date "${row.text(iDate)}" is not a date`);
    const quantity = row.int(iQty);
    if (Number.isNaN(quantity) || quantity <= 0) return this.skip(report, row.lineNumber, `quantity "${row.text(iQty)}" is not a positive number`);
    this.covered('customer_returns', day);
    if (!this.mine(row, iSku)) return;
    if (day < this.asOfDay - AUDIT_LOOKBACK_DAYS) {
      report.used++; // too old to matter: read, not kept
      return;
    }
    if (this.isDuplicate('customer_returns', row, fileIndex, report)) return;
    const key = row.joinedText(iOrder, iSku);
    const evidence: ReturnRow = {
      file: fileIndex,
      line: row.lineNumber,
      day,
      quantity,
      lpn: iLpn >= 0 ? row.text(iLpn) : '',
      disposition: this.intern(row.text(iDisposition)),
    };
    const statusSaysReimbursed = iStatus >= 0 && row.containsCaseless(iStatus, 'reimburs');
    const known = this.returns.get(key);
    if (known === undefined) {
      const catalogued = this.rememberRow(row, iSku, iFnsku, iAsin);
      this.returns.set(key, { orderId: row.text(iOrder), msku: catalogued.msku, fnsku: sameField(row, iFnsku, catalogued.fnsku), asin: sameField(row, iAsin, catalogued.asin), quantity, returnDay: day, statusSaysReimbursed, restocked: false, rows: [evidence] });
    } else {
      known.quantity += quantity;
      known.returnDay = Math.max(known.returnDay, day);
      if (statusSaysReimbursed) known.statusSaysReimbursed = true;
      if (known.rows.length < MAX_EVIDENCE_PER_CLAIM) known.rows.push(evidence);
    }
    report.used++;
  }

  private replacementsHandler(col: (name: string) => number, report: FileReport, fileIndex: number): (row: TsvRow) => void {
    const iDate = col('shipmentdate');
    const iSku = col('sku');
    const iAsin = col('asin');
    const iQty = col('quantity');
    const iReplacement = col('replacementamazonorderid');
    const iOriginal = col('originalamazonorderid');
    return this.onReplacementRow.bind(this, { report, fileIndex, iDate, iSku, iAsin, iQty, iReplacement, iOriginal });
  }

  private onReplacementRow(f: FileColumns<'iDate' | 'iSku' | 'iAsin' | 'iQty' | 'iReplacement' | 'iOriginal'>, row: TsvRow): void {
    const { report, fileIndex, iDate, iSku, iAsin, iQty, iReplacement, iOriginal } = f;
    if (!this.wellFormed(row)) return;
    const day = row.day(iDate);
    if (Number.isNaN(day)) return this.skip(report, row.lineNumber, `shipment-date "${row.text(iDate)}" is not a date`);
    const quantity = row.int(iQty);
    if (Number.isNaN(quantity) || quantity <= 0) return this.skip(report, row.lineNumber, `quantity "${row.text(iQty)}" is not a positive number`);
    this.covered('replacements', day);
    if (!this.mine(row, iSku) || this.isDuplicate('replacements', row, fileIndex, report)) return;
    const key = row.joinedText(iOriginal, iSku);
    const known = this.replacements.get(key);
    if (known !== undefined) {
      known.quantity += quantity;
      known.day = Math.max(known.day, day);
    } else {
      const asin = iAsin >= 0 ? row.text(iAsin) : '';
      const catalogued = this.remember(row.text(iSku), '', asin);
      this.replacements.set(key, { originalOrderId: row.text(iOriginal), replacementOrderId: row.text(iReplacement), msku: catalogued.msku, asin: same(asin, catalogued.asin), quantity, day, at: { file: fileIndex, line: row.lineNumber } });
    }
    report.used++;
  }

  /**
   * The settlement handler: `settlementRow` bound to the file's columns and state. Not closures per file: V8
   * optimised each closure on its own, and 18 settlement files made it compile the two hottest functions of the audit
   * four times over (~190 ms of a cold audit's compile time, measured with --trace-opt), besides deoptimising when
   * a later file's closure met a path (another currency, a slash date) the first had not.
   */
  private settlementHandler(col: (name: string) => number, report: FileReport, fileIndex: number): (row: TsvRow) => void {
    const isV2 = col('amountdescription') >= 0;
    const iFeeType = isV2 ? -1 : col('itemrelatedfeetype');
    const file: SettlementFile = {
      report,
      fileIndex,
      iSettlement: col('settlementid'),
      iType: col('transactiontype'),
      iOrder: col('orderid'),
      iSku: col('sku'),
      iQty: col('quantitypurchased'),
      iPosted: col('posteddate|posteddatetime'),
      iCurrency: col('currency'),
      iMarketplace: col('marketplacename'),
      iDescription: isV2 ? col('amountdescription') : col('pricetype'),
      iAmount: isV2 ? col('amount') : col('priceamount'),
      iFeeType,
      iFeeAmount: isV2 ? -1 : col('itemrelatedfeeamount'),
      // Description/amount column pairs: V2 has one, the flat file also has the item-related fee pair.
      pairCount: iFeeType >= 0 ? 2 : 1,
      // Settlements are read after the fee preview: whether there is one to check fees against is known now.
      wantsFee: this.partitions > 1 ? this.reportsRead.has('fee_preview') : this.feePreview.size > 0,
      fileCurrency: undefined,
      fileCurrencyBytes: undefined,
      duplicateSettlement: false,
      settlementChecked: false,
      slashDayFirst: undefined,
      decimalsCurrency: undefined,
      decimals: 2,
    };
    return this.settlementRow.bind(this, file);
  }

  /** The file's first rows: the marketplace (how to read slash dates) and the settlement id (a re-download?). */
  private settlementFirstRows(f: SettlementFile, row: TsvRow): void {
    if (f.slashDayFirst === undefined && f.iMarketplace >= 0 && !row.isEmpty(f.iMarketplace)) {
      const country = marketplaceCountry(row.text(f.iMarketplace));
      if (country !== undefined) f.slashDayFirst = !['US', 'CA', 'MX', 'BR'].includes(country);
    }
    if (!f.settlementChecked && !row.isEmpty(f.iSettlement)) {
      f.settlementChecked = true;
      // A settlement id is one immutable period: a second file with the same id is a re-download.
      const settlementId = row.text(f.iSettlement);
      const first = this.settlementFiles.get(settlementId);
      if (first !== undefined && first !== f.fileIndex) {
        f.duplicateSettlement = true;
        f.report.note = `settlement ${settlementId} already read from another file: rows skipped as duplicates`;
      } else this.settlementFiles.set(settlementId, f.fileIndex);
    }
  }

  private settlementRow(f: SettlementFile, row: TsvRow): void {
    if (f.slashDayFirst === undefined || !f.settlementChecked) this.settlementFirstRows(f, row);
    if (f.duplicateSettlement) {
      f.report.duplicates++;
      return;
    }
    // Decode the currency only when it differs from the file's (it rarely does): no string per row.
    let currency: Currency | undefined;
    const iCurrency = f.iCurrency;
    if (iCurrency >= 0 && !row.isEmpty(iCurrency)) {
      currency = f.fileCurrencyBytes !== undefined && row.equalsBytes(iCurrency, f.fileCurrencyBytes) ? f.fileCurrency : this.currencyOf(row.text(iCurrency));
      if (currency && currency !== f.fileCurrency) {
        f.fileCurrency = currency;
        f.fileCurrencyBytes = asciiBytes(currency);
      }
    }
    if (row.isEmpty(f.iType)) {
      // the summary row: totals and the file's currency
      f.report.used++;
      return;
    }
    // Only refunds and the per-unit FBA fee matter; classify on bytes before decoding anything.
    const isOrder = row.equalsBytes(f.iType, ORDER);
    const isRefund = !isOrder && row.equalsBytes(f.iType, REFUND);
    if (!isRefund && !isOrder) return;
    // Orders: the charged principal (refund above charge) and the per-unit FBA fee (when there is a fee preview).
    // V2 has one description per row: classified here once, the row is not looked at again.
    const single = f.iFeeType < 0;
    const isPrincipalRow = isOrder && single && row.equalsBytes(f.iDescription, PRINCIPAL);
    if (isOrder && single && !isPrincipalRow && !(f.wantsFee && row.equalsBytes(f.iDescription, FBA_PER_UNIT_FEE))) return;
    if (!this.wellFormed(row) || !this.mine(row, f.iSku)) return;
    this.settlementAmounts(f, row, isOrder, isPrincipalRow, currency);
  }

  /**
   * The amounts of a row kept by `settlementRow` (a function of its own, as in the ledger handler: a cold process
   * optimises the dispatcher, which sees every row, without recompiling it for paths met late).
   */
  private settlementAmounts(f: SettlementFile, row: TsvRow, isOrder: boolean, isPrincipalRow: boolean, rowCurrency: Currency | undefined): void {
    const report = f.report;
    let currency = rowCurrency;
    if (!currency) {
      currency = f.fileCurrency;
      if (!currency && f.iMarketplace >= 0) {
        const country = marketplaceCountry(row.text(f.iMarketplace));
        const c = country ? COUNTRY_CURRENCY[country] : undefined;
        if (c && isCurrency(c)) currency = f.fileCurrency = c;
      }
    }
    if (currency !== f.decimalsCurrency && currency) {
      f.decimalsCurrency = currency;
      f.decimals = CURRENCY_DECIMALS[currency];
    }
    const { iPosted, iQty } = f;
    for (let pair = 0; pair < f.pairCount; pair++) {
      const iDesc = pair === 0 ? f.iDescription : f.iFeeType;
      const iAmt = pair === 0 ? f.iAmount : f.iFeeAmount;
      let isPrincipalCharge = isPrincipalRow;
      if (!isOrder || f.iFeeType >= 0) {
        if (row.isEmpty(iDesc)) continue;
        isPrincipalCharge = isOrder && row.equalsBytes(iDesc, PRINCIPAL);
        if (isOrder && !isPrincipalCharge && !(f.wantsFee && row.equalsBytes(iDesc, FBA_PER_UNIT_FEE))) continue;
      }
      if (!currency) return this.skip(report, row.lineNumber, 'no currency for this settlement (no currency column or marketplace)');
      const amount = row.minor(iAmt, f.decimals);
      if (amount !== amount) return this.skip(report, row.lineNumber, `amount "${row.text(iAmt)}" is not an amount`);
      const day = f.slashDayFirst === true && row.has(iPosted) && row.bytes[row.start(iPosted) + 2] === 47 ? row.dayFirstSlash(iPosted) : row.day(iPosted);
      if (day !== day) return this.skip(report, row.lineNumber, `posted-date "${row.text(iPosted)}" is not a date`);
      const quantity = iQty >= 0 && !row.isEmpty(iQty) ? row.int(iQty) : 1;
      if (!(quantity > 0)) return this.skip(report, row.lineNumber, `quantity-purchased "${row.text(iQty)}" is not a positive number`);
      if (isPrincipalCharge) this.onOrderPrincipal(row, f.iOrder, f.iSku, amount, day);
      else if (isOrder) this.onFbaFee(row, report, f.fileIndex, f.iSettlement, f.iOrder, f.iSku, currency, amount, day, quantity);
      else this.onRefundAmount(row, report, f.fileIndex, f.iSettlement, f.iOrder, f.iSku, currency, refundPartOf(row, iDesc), amount, day, quantity);
    }
    report.used++;
  }

  private onOrderPrincipal(row: TsvRow, iOrder: number, iSku: number, amount: number, day: number): void {
    if (day < this.asOfDay - ORDER_CHARGE_LOOKBACK_DAYS) return;
    this.orderCharges.add(orderLineKey(row, iOrder, iSku), amount);
  }

  private onFbaFee(row: TsvRow, report: FileReport, fileIndex: number, iSettlement: number, iOrder: number, iSku: number, currency: Currency, amount: number, day: number, quantity: number): void {
    if (day + this.windows.fee.deadlineDays < this.asOfDay || day > this.asOfDay) return;
    const previews = this.feePreviewBySku!;
    const preview = previews.getByFields(row, iSku);
    if (preview === undefined) return;
    const msku = previews.lastKey;
    if (preview.currency !== currency) {
      return this.skip(report, row.lineNumber, `mixed currencies: fee preview ${preview.currency} vs settlement ${currency} for ${msku}; fee not checked`);
    }
    // Only the days the preview proves (its fee schedule, up to the day it was made) are compared; others are
    // counted so that the summary can say which preview is missing.
    if (!(day >= preview.coversFrom && day <= preview.day)) return this.onUncoveredFbaFee(msku, row.text(iSettlement), preview, day);
    const charged = Math.abs(amount);
    const expected = preview.fulfilmentFee * quantity;
    if (preview.tierAboveMeasured) this.onFeeAboveMeasuredTier(row, fileIndex, iOrder, msku, currency, charged, day, quantity, expected);
    if (charged <= expected) return;
    const settlementId = row.text(iSettlement);
    const key = `${msku}|${settlementId}`;
    let entry = this.feeOvercharges.get(key);
    if (entry === undefined) {
      entry = { msku, settlementId, currency, units: 0, overchargeMinor: 0, firstDay: day, orders: 0, rows: [] };
      this.feeOvercharges.set(key, entry);
    }
    entry.units += quantity;
    entry.overchargeMinor += charged - expected;
    entry.firstDay = Math.min(entry.firstDay, day);
    entry.orders++;
    if (entry.rows.length < MAX_EVIDENCE_PER_CLAIM) {
      entry.rows.push({ file: fileIndex, line: row.lineNumber, orderId: row.text(iOrder), day, quantity, charged, expected });
    }
  }

  private onUncoveredFbaFee(msku: string, settlementId: string, preview: FeePreviewLine, day: number): void {
    const key = `${msku}|${settlementId}`;
    const entry = this.uncoveredFeeCharges.get(key);
    if (entry === undefined) this.uncoveredFeeCharges.set(key, { msku, settlementId, firstDay: day, lastDay: day, tierAboveMeasured: preview.tierAboveMeasured });
    else {
      entry.firstDay = Math.min(entry.firstDay, day);
      entry.lastDay = Math.max(entry.lastDay, day);
    }
  }

  private onFeeAboveMeasuredTier(row: TsvRow, fileIndex: number, iOrder: number, msku: string, currency: Currency, charged: number, day: number, quantity: number, expected: number): void {
    let entry = this.feeTierCharges.get(msku);
    if (entry === undefined) {
      entry = { msku, currency, units: 0, chargedMinor: 0, firstDay: day, rows: [] };
      this.feeTierCharges.set(msku, entry);
    }
    entry.units += quantity;
    entry.chargedMinor += charged;
    entry.firstDay = Math.min(entry.firstDay, day);
    if (entry.rows.length < MAX_EVIDENCE_PER_CLAIM) entry.rows.push({ file: fileIndex, line: row.lineNumber, orderId: row.text(iOrder), day, quantity, charged, expected });
  }

  private onRefundAmount(row: TsvRow, report: FileReport, fileIndex: number, iSettlement: number, iOrder: number, iSku: number, currency: Currency, part: RefundPart, amount: number, day: number, quantity: number): void {
    // Older refunds can no longer produce or value a claim (the longest window plus the evidence before it).
    if (day < this.asOfDay - AUDIT_LOOKBACK_DAYS) return;
    const key = row.joinedText(iOrder, iSku);
    let refund = this.refunds.get(key);
    if (refund === undefined) {
      refund = {
        chargeKey: orderLineKey(row, iOrder, iSku),
        orderId: row.text(iOrder),
        msku: row.text(iSku),
        settlementId: row.text(iSettlement),
        postedDay: day,
        currency,
        principal: 0,
        referralRefunded: 0,
        administrationFee: 0,
        hasAdministrationFee: false,
        quantity: 0,
        principalRows: [],
        at: { file: fileIndex, line: row.lineNumber },
      };
      this.refunds.set(key, refund);
    } else if (refund.currency !== currency) {
      return this.skip(report, row.lineNumber, `mixed currencies in refund of order ${refund.orderId}: ${refund.currency} and ${currency}`);
    }
    if (part === 'principal') {
      refund.principal += -amount;
      refund.quantity += quantity;
      refund.postedDay = Math.max(refund.postedDay, day);
      if (refund.principalRows.length < MAX_EVIDENCE_PER_CLAIM) refund.principalRows.push({ file: fileIndex, line: row.lineNumber, day, quantity, amount });
    } else if (part === 'commission') refund.referralRefunded += amount;
    else if (part === 'refundcommission') {
      refund.administrationFee += -amount;
      refund.hasAdministrationFee = true;
    }
  }

  private ledgerHandler(col: (name: string) => number, report: FileReport, fileIndex: number): (row: TsvRow) => void {
    // Rows of events no report asked for are dismissed undecoded. Split into partitions, only the first one's
    // facts are in memory while the ledger is read: whether the report was read decides.
    const partitioned = this.partitions > 1;
    const file: LedgerFile = {
      report,
      fileIndex,
      iDate: col('date'),
      iFnsku: col('fnsku'),
      iMsku: col('msku'),
      iAsin: col('asin'),
      iEvent: col('eventtype'),
      iRef: col('referenceid'),
      iQty: col('quantity'),
      iReason: col('reason'),
      iCountry: col('country'),
      partitioned,
      hasInbound: partitioned ? this.reportsRead.has('inbound_shipment_items') : this.inbound.size > 0,
      hasRemovals: partitioned ? this.reportsRead.has('removal_order_detail') : this.removals.size > 0,
      hasReturns: partitioned ? this.reportsRead.has('customer_returns') : this.returns.size > 0,
    };
    return this.onLedgerRow.bind(this, file);
  }

  private ledgerQuantityNotANumber(f: LedgerFile, row: TsvRow): void {
    this.skip(f.report, row.lineNumber, `quantity "${row.text(f.iQty)}" is not a number`);
  }

  // One small method per event kind that can matter, called from a small dispatcher: a cold process optimises
  // each on its own, and a rare path met late (the first found unit, the first receipt of an open shipment)
  // recompiles only its own function, not one handler that inlines them all.
  private onLedgerAdjustment(f: LedgerFile, row: TsvRow, day: number): void {
    const { report, fileIndex, iReason, iQty, iMsku, iFnsku, iAsin, iCountry, iRef } = f;
    if (row.fieldLength(iReason) !== 1) return;
    const code = row.bytes[row.start(iReason)]!;
    // M,5 misplaced; F found; 6,7,E,H,K,U damaged; D,G disposed/donated.
    const isMisplaced = code === 77 || code === 53;
    const isFound = code === 70;
    const isDamaged = code === 54 || code === 55 || code === 69 || code === 72 || code === 75 || code === 85;
    const isDisposed = code === 68 || code === 71;
    if (!isMisplaced && !isFound && !isDamaged && !isDisposed) return;
    if (!this.wellFormed(row)) return;
    const quantity = row.int(iQty);
    if (quantity !== quantity) return this.ledgerQuantityNotANumber(f, row);
    if (!this.mine(row, iMsku) || this.isDuplicate('inventory_ledger', row, fileIndex, report)) return;
    const state = this.fnskuState(row, iFnsku, iMsku, iAsin, iCountry);
    report.used++;
    if (isFound) {
      if (quantity > 0) {
        state.foundUnits += quantity;
        state.found.push({ file: fileIndex, line: row.lineNumber, day, ref: row.text(iRef), units: quantity, code: 'F' });
      }
      return;
    }
    if (quantity >= 0) return;
    const event: LedgerEvent = { file: fileIndex, line: row.lineNumber, day, ref: row.text(iRef), units: -quantity, code: String.fromCharCode(code) };
    if (isMisplaced) state.misplaced.push(event);
    else if (isDamaged) {
      state.damaged.push(event);
      this.damageByDay.set(day, (this.damageByDay.get(day) ?? 0) + 1);
    } else state.disposed.push(event);
  }

  private onLedgerReceipt(f: LedgerFile, row: TsvRow): void {
    if (!this.ledgerRowIsMine(f, row)) return;
    const item = this.inboundByKey!.getByFields(row, f.iRef, f.iFnsku);
    if (item === undefined) return;
    const quantity = this.matchedLedgerQuantity(f, row);
    if (quantity !== quantity) return;
    item.ledgerReceived += quantity;
    f.report.used++;
  }

  private onLedgerRemoval(f: LedgerFile, row: TsvRow): void {
    if (!this.ledgerRowIsMine(f, row)) return;
    const line = this.removalsByKey!.getByFields(row, f.iRef, f.iFnsku);
    if (line === undefined) return;
    const quantity = this.matchedLedgerQuantity(f, row);
    if (quantity !== quantity) return;
    if (quantity < 0) line.ledgerRemoved += -quantity;
    f.report.used++;
  }

  private onLedgerCustomerReturn(f: LedgerFile, row: TsvRow): void {
    if (!this.ledgerRowIsMine(f, row)) return;
    const ret = this.returnsByKey!.getByFields(row, f.iRef, f.iMsku);
    if (ret === undefined || !this.wellFormed(row)) return;
    ret.restocked = true;
    f.report.used++;
  }

  /** Split into partitions, a ledger row matched against facts must be whole and of this partition's SKUs first. */
  private ledgerRowIsMine(f: LedgerFile, row: TsvRow): boolean {
    return !f.partitioned || (this.wellFormed(row) && this.mine(row, f.iMsku));
  }

  /**
   * The quantity of a ledger row that matched a fact, the first time the line is read: NaN for a row cut short, a
   * quantity that is not a number (reported) or a line already read from an overlapping download.
   */
  private matchedLedgerQuantity(f: LedgerFile, row: TsvRow): number {
    if (!this.wellFormed(row)) return Number.NaN;
    const quantity = row.int(f.iQty);
    if (quantity !== quantity) {
      this.ledgerQuantityNotANumber(f, row);
      return Number.NaN;
    }
    return this.isDuplicate('inventory_ledger', row, f.fileIndex, f.report) ? Number.NaN : quantity;
  }

  private onLedgerRow(f: LedgerFile, row: TsvRow): void {
    const { iDate, iEvent } = f;
    const day = row.day(iDate);
    if (day !== day) return this.skip(f.report, row.lineNumber, `date "${row.text(f.iDate)}" is not a date`);
    // Stored on every row, not only when the day is new: a store met only on the first row has no type feedback
    // in the optimised code, which then deoptimised on the first row of every later audit of a warm process.
    this.ledgerMinDay = day < this.ledgerMinDay ? day : this.ledgerMinDay;
    this.ledgerMaxDay = day > this.ledgerMaxDay ? day : this.ledgerMaxDay;
    const event = row.firstByte(iEvent);
    // Shipments and warehouse transfers (most of the ledger) carry no claim: leave them undecoded. (Those on a date
    // already read do not even come here: `ledgerDismissal`.)
    if (event >= 0 && LEDGER_EVENTS_WITHOUT_CLAIMS[event] === 1) return;
    if (event === 65) this.onLedgerAdjustment(f, row, day);
    else if (event === 82) {
      if (f.hasInbound) this.onLedgerReceipt(f, row);
    } else if (event === 86) {
      if (f.hasRemovals) this.onLedgerRemoval(f, row);
    } else if (event === 67 && f.hasReturns) this.onLedgerCustomerReturn(f, row);
  }

  private fnskuState(row: TsvRow, iFnsku: number, iMsku: number, iAsin: number, iCountry: number): FnskuState {
    const fnsku = row.text(iFnsku);
    let state = this.fnskus.get(fnsku);
    if (state === undefined) {
      const msku = row.text(iMsku);
      const asin = iAsin >= 0 ? row.text(iAsin) : '';
      const countryCurrency = iCountry >= 0 ? COUNTRY_CURRENCY[row.text(iCountry).toUpperCase()] : undefined;
      state = {
        fnsku,
        msku,
        asin,
        currency: countryCurrency && isCurrency(countryCurrency) ? countryCurrency : undefined,
        misplaced: [],
        foundUnits: 0,
        found: [],
        damaged: [],
        disposed: [],
      };
      this.fnskus.set(fnsku, state);
      this.remember(msku, fnsku, asin);
    }
    return state;
  }

  // ---------------------------------------------------------------- the claim-type rules

  /** Runs every claim-type rule over the facts of the partition read (claims collect across partitions). */
  private evaluatePartition(): void {
    // A reversal nothing came back for is claimed as such: the units it took back stay paid for the loss.
    this.reimbursed = new ReimbursementBook(this.reimbursements, (r) => parseDayString(r.approvalDate), unrecoveredReversals(this).keptOriginals);
    // Only the refunded order lines' charges are asked for: summed now, in one pass over the charges logged.
    const refundedLines: number[] = [];
    this.refunds.forEach((refund) => refundedLines.push(refund.chargeKey));
    this.orderCharges.collect(refundedLines);
    for (const rule of CLAIM_CATALOGUE) rule.find(this);
    this.reimbursements.forEach((record, i) => this.allReimbursements.push({ record, at: this.reimbursementRows[i]! }));
  }

  /** With an `onClaims` sink, gives it the claims found so far and forgets them; otherwise they stay for the result. */
  private async handOverClaims(): Promise<void> {
    const sink = this.options.onClaims;
    if (sink === undefined || this.claims.length === 0) return;
    const batch = this.claims.splice(0).sort(byDeadline);
    await sink(batch);
  }

  /** RuleContext: the facts are the auditor's own maps. */
  get facts(): AuditFacts {
    return this;
  }

  window(name: keyof ClaimWindows): ClaimWindow {
    return this.windows[name];
  }

  claimable(eventDay: number, window: ClaimWindow): boolean {
    return isClaimable(eventDay, this.asOfDay, window);
  }

  coverage(report: ReportType): { from: number; to: number } | undefined {
    if (report === 'inventory_ledger') {
      return this.ledgerMinDay <= this.ledgerMaxDay ? { from: this.ledgerMinDay, to: this.ledgerMaxDay } : undefined;
    }
    return this.coveredDays.get(report);
  }

  /**
   * Keeps a rule's claim only when every report it rests on was read and covers the days it needs; otherwise
   * counts it under the first missing report, for the summary. A missing report is never proof of loss.
   */
  propose(rule: ClaimTypeRule, draft: ClaimDraft): void {
    let missing: { report: ReportType; fromDay: number; toDay: number } | undefined;
    for (const report of rule.needs) {
      if (!this.reportsRead.has(report)) {
        missing = { report, fromDay: draft.eventDay, toDay: draft.eventDay };
        break;
      }
    }
    if (missing === undefined && draft.covers !== undefined) {
      for (const need of draft.covers) {
        const covered = this.coverage(need.report);
        if (covered === undefined || covered.from > need.fromDay || covered.to < need.toDay) {
          missing = need;
          break;
        }
      }
    }
    if (missing !== undefined) return this.withhold(rule, missing);
    this.claims.push(this.makeClaim(rule.type, draft, draft.window ?? this.windows[rule.window]));
  }

  withhold(rule: ClaimTypeRule, need: { report: ReportType; fromDay: number; toDay: number }): void {
    const key = `${rule.type}|${need.report}`;
    const known = this.withheld.get(key);
    if (known === undefined) this.withheld.set(key, { rule, report: need.report, candidates: 1, fromDay: need.fromDay, toDay: need.toDay });
    else {
      known.candidates++;
      known.fromDay = Math.min(known.fromDay, need.fromDay);
      known.toDay = Math.max(known.toDay, need.toDay);
    }
  }

  private withheldSummary(): WithheldClaims[] {
    return [...this.withheld.values()]
      .sort((a, b) => a.rule.type.localeCompare(b.rule.type) || a.report.localeCompare(b.report))
      .map((w) => {
        const from = isoDay(w.fromDay);
        const to = isoDay(w.toDay);
        const period = from === to ? `for ${from}` : `for ${from} – ${to}`;
        const covering = this.reportsRead.has(w.report);
        const verb = covering ? `upload a ${REPORT_LABELS[w.report]} report that covers ${period.slice(4)}` : `upload the ${REPORT_LABELS[w.report]} report ${period}`;
        return {
          code: covering ? 'report_not_covering' : 'report_missing',
          type: w.rule.type,
          report: w.report,
          candidates: w.candidates,
          from,
          to,
          message: `${verb} to check ${w.candidates} ${w.rule.candidateNoun} (possible ${w.rule.type} claims)`,
        };
      });
  }

  private makeClaim(type: ClaimType, draft: ClaimDraft, window: ClaimWindow): FoundClaim {
    const catalog = this.catalogBySku.get(draft.msku);
    const value = draft.value;
    const known = value.minor > 0;
    return {
      // The key of the row that defines the loss, not the whole evidence list: a later download may add
      // evidence (another removal shipment, another overcharged order) without making it a new claim.
      id: claimId(type, [draft.identityKey]),
      type,
      msku: draft.msku,
      fnsku: draft.fnsku || catalog?.fnsku || '',
      asin: draft.asin || catalog?.asin || '',
      quantity: draft.quantity,
      ref: draft.ref,
      amount: money(known ? value.minor : 0, value.currency),
      valueBasis: known ? value.basis : 'unknown',
      ...(known ? {} : { valueUnknown: true, valueUnknownReason: value.unknownReason ?? `the ${value.basis.replaceAll('_', ' ')} comes to ${value.minor} minor units, nothing to claim on` }),
      confidence: known ? draft.confidence : 'likely',
      eventDate: isoDay(draft.eventDay),
      openFrom: isoDay(draft.eventDay + window.openAfterDays),
      deadline: isoDay(draft.eventDay + window.deadlineDays),
      evidence: draft.evidence,
    };
  }

  unitValueBeforeOrder(msku: string, fallbackCurrency: Currency | undefined): ClaimValue {
    // Since 2025-03-10 Amazon reimburses a unit lost or damaged before a customer order at its manufacturing cost:
    // the seller's cost sheet says it; no Amazon report does. Amazon's own earlier payments for the SKU are the
    // next best estimate; the sale price is not the basis any more.
    const cost = this.costs.get(msku);
    if (cost !== undefined && cost.minor > 0) return { minor: cost.minor, currency: cost.currency, basis: 'seller_cost' };
    const history = this.reimbursedUnitValue(msku);
    if (history !== undefined) return { ...history, basis: 'reimbursement_history' };
    const preview = this.feePreview.get(msku);
    return {
      minor: 0,
      currency: cost?.currency ?? preview?.currency ?? fallbackCurrency ?? this.defaultCurrency,
      basis: 'unknown',
      unknownReason: `no manufacturing cost for ${msku} (Amazon's basis since 2025-03-10): add it to the seller cost sheet`,
    };
  }

  /** What the unit sells for net of Amazon's fees (fee preview), for a unit lost after a customer order. */
  unitSaleValue(msku: string, fallbackCurrency: Currency | undefined): ClaimValue {
    const preview = this.feePreview.get(msku);
    if (preview !== undefined && preview.price > preview.feeTotal) {
      return { minor: preview.price - preview.feeTotal, currency: preview.currency, basis: 'price_minus_fees' };
    }
    return this.unitValueBeforeOrder(msku, fallbackCurrency);
  }

  private reimbursedValues: Map<string, { minor: number; currency: Currency }> | undefined;

  /** The median cash amount per unit Amazon paid for the SKU's own losses (not reversed), when it paid any. */
  private reimbursedUnitValue(msku: string): { minor: number; currency: Currency } | undefined {
    if (this.reimbursedValues === undefined) {
      const perSku = new Map<string, { currency: Currency; amounts: number[] }>();
      for (const r of this.reimbursements) {
        if (r.quantityCash <= 0 || r.amountPerUnit.minor <= 0 || r.category === 'reversal' || r.category === 'fee' || this.reimbursed.isReversed(r.reimbursementId)) continue;
        const entry = perSku.get(r.msku);
        if (entry === undefined) perSku.set(r.msku, { currency: r.amountPerUnit.currency, amounts: [r.amountPerUnit.minor] });
        else if (entry.currency === r.amountPerUnit.currency) entry.amounts.push(r.amountPerUnit.minor);
      }
      this.reimbursedValues = new Map();
      for (const [sku, { currency, amounts }] of perSku) {
        amounts.sort((a, b) => a - b);
        this.reimbursedValues.set(sku, { minor: amounts[Math.floor(amounts.length / 2)]!, currency });
      }
    }
    return this.reimbursedValues.get(msku);
  }

  unitValueAfterOrder(refund: RefundLine): ClaimValue {
    // What the refund took out of the seller's account per unit: the refunded principal, less the referral fee
    // Amazon gave back, plus the refund administration fee it kept.
    const units = Math.max(1, refund.quantity);
    const decimals = CURRENCY_DECIMALS[refund.currency];
    const administrationFee = refund.hasAdministrationFee
      ? refund.administrationFee
      : refundAdministrationFeeMinor(refund.referralRefunded, decimals);
    const perUnit = Math.round((refund.principal - refund.referralRefunded + administrationFee) / units);
    return perUnit > 0
      ? { minor: perUnit, currency: refund.currency, basis: 'refund_debited' }
      : { minor: 0, currency: refund.currency, basis: 'unknown', unknownReason: `the refund of ${refund.orderId} debited nothing (${perUnit} minor units per unit)` };
  }

  evidence(type: ReportType, at: RowAt, key: string, id: string, day: number, quantity: number, detail: EvidenceDetail): Evidence {
    return { report: type, key, id, date: isoDay(day), quantity, detail: evidenceDetailText(detail), detailCode: detail.code, detailParams: detail.params, file: this.fileNames[at.file]!, line: at.line };
  }
}

/** Room for a spilled line's "<file index>,<line number>\t" prefix. */
const SPILL_PREFIX_BYTES = 24;

/** Result order of claims: the nearest deadline first, then type and id (stable whatever the partitioning). */
function byDeadline(a: FoundClaim, b: FoundClaim): number {
  return a.deadline.localeCompare(b.deadline) || a.type.localeCompare(b.type) || a.id.localeCompare(b.id);
}

/** The SKU partition of a row: a hash of its SKU field (trimmed; decoded first when not ASCII, so encodings agree). */
function partitionOf(row: TsvRow, iSku: number, partitions: number): number {
  if (!row.has(iSku)) return 0;
  const bytes = row.bytes;
  let start = row.start(iSku);
  let end = row.end(iSku);
  while (start < end && bytes[start] === 32) start++;
  while (end > start && bytes[end - 1] === 32) end--;
  for (let p = start; p < end; p++) if (bytes[p]! >= 0x80) return hashString(row.text(iSku)) % partitions;
  return hashBytes(bytes, start, end) % partitions;
}

/** A partition's scratch file, written through one buffer: "<file index>,<line number>\t<line>\n" per row. */
class SpillWriter {
  private file: SpillFile | undefined;
  private readonly buffer = new Uint8Array(SPILL_BUFFER_BYTES);
  private used = 0;

  constructor(private readonly storage: SpillStorage) {}

  /** Appends the row's line; returns the bytes it took. */
  add(fileIndex: number, row: TsvRow): number {
    const length = row.lineEnd - row.lineStart + SPILL_PREFIX_BYTES + 1;
    if (this.used + length > this.buffer.length) this.flush();
    const big = length > this.buffer.length;
    const target = big ? new Uint8Array(length) : this.buffer;
    let at = big ? 0 : this.used;
    at = writeDigits(target, at, fileIndex);
    target[at++] = 44; // ','
    at = writeDigits(target, at, row.lineNumber);
    target[at++] = 9;
    target.set(row.bytes.subarray(row.lineStart, row.lineEnd), at);
    at += row.lineEnd - row.lineStart;
    target[at++] = 10;
    if (big) {
      this.open().append(target, at);
      return at;
    }
    const written = at - this.used;
    this.used = at;
    return written;
  }

  read(): AsyncIterable<Uint8Array> {
    this.flush();
    return this.open().read();
  }

  dispose(): void {
    this.file?.dispose();
    this.file = undefined;
    this.used = 0;
  }

  private flush(): void {
    if (this.used > 0) this.open().append(this.buffer, this.used);
    this.used = 0;
  }

  /** The scratch file, made on the first write (a partition may get no line). */
  private open(): SpillFile {
    this.file ??= this.storage.create();
    return this.file;
  }
}

function writeDigits(target: Uint8Array, at: number, value: number): number {
  const text = String(value);
  for (let k = 0; k < text.length; k++) target[at++] = text.charCodeAt(k);
  return at;
}
