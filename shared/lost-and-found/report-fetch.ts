/**
 * The daily fetch of every report the audit reads, one chain of queued steps per customer × report: request the
 * report (or list Amazon's own settlements, or read the Fulfillment Inbound API), look at it again after a delay
 * until Amazon has made it, stream its document to the tenant's folder, go on with the next period of a back-fill.
 * Nothing waits inside a function: each step is one message, and the wait between two looks is the message's
 * delay. A status per customer × report says where each chain is (and why it failed); the step that ends the
 * last chain of a customer's run queues the audit.
 *
 * Steps are idempotent: a step whose message is not the one the status expects (redelivered, or from a run a
 * newer run replaced) does nothing, and files are named by report and period, so storing one again replaces it.
 */
import type { Clock } from '#shared/kernel/clock.ts';
import { forEachConnectedCustomer } from '#shared/kernel/connected-customers.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/kernel/errors.ts';
import { QuotaExhaustedError, queueDelaySeconds } from '#shared/kernel/upstream.ts';
import { startAudit, type AuditJob } from './jobs.ts';
import type {
  ActiveCustomerSource,
  AmazonReportsApi,
  ListingsReportImporter,
  SalesReportImporter,
  AuditQueue,
  InboundShipmentItemRow,
  LostFoundStore,
  ReportFetchQueue,
  ReportFetchStatusStore,
  ReportStore,
} from './ports.ts';
import type { ReportType } from './report-types.ts';
import { ALL_ORDERS_REPORT, SALES_REREAD_DAYS, SALES_WINDOW_MAX_DAYS } from '#shared/repricer/index.ts';

const DAY_MS = 86_400_000;

/** How a report is obtained from Amazon. */
export type FetchMethod =
  /** createReport → getReport until DONE → getReportDocument. */
  | 'createReport'
  /** Amazon makes these by itself (settlements): getReports lists the DONE ones, never createReport. */
  | 'getReports'
  /** No report holds inbound shipment items with their received quantities: the Fulfillment Inbound API (v0) does. */
  | 'inboundApi';

/** The contracts a report is fetched for: the audit's reports for Lost & Found, the All Listings report for the repricer. */
export type FetchProduct = 'lost-and-found' | 'repricer';

export interface FetchedReport {
  /** Fetched only for customers with a live contract of this product. */
  readonly product: FetchProduct;
  /** Amazon's report type (for `inboundApi`, our name for the file the API's answers are written to). */
  readonly reportType: string;
  /**
   * The report the audit reads it as (`detectReport` recognises the file by its header, not by this);
   * `repricer_listings`: not the audit's, imported into the repricer's listings instead of stored in the tenant's folder;
   * `repricer_sales`: the all-orders report, taken into the repricer's units sold per day (Push).
   */
  readonly reads: ReportType | 'repricer_listings' | 'repricer_sales';
  readonly method: FetchMethod;
  /** How far back a new authorisation is fetched: as far as Amazon keeps the data (1 for a snapshot of today). */
  readonly backfillDays: number;
  /** The longest period one request covers; a back-fill is fetched in periods of this length, oldest first. */
  readonly maxPeriodDays: number;
  /** Requested for one marketplace at a time (Amazon's listings reports take one): the chain goes through the seller's marketplaces in turn. */
  readonly perMarketplace?: true;
  /** Each run also reads again this many days already stored (orders cancelled since change them). */
  readonly rereadDays?: number;
}

/** Amazon keeps FBA event reports (ledger, reimbursements, returns, removals, replacements) for 18 months. */
export const EVENT_REPORT_BACKFILL_DAYS = 548;
/** getReports lists reports created in the last 90 days only: as far back as settlements can be found. */
export const SETTLEMENT_BACKFILL_DAYS = 90;
/** The file the Fulfillment Inbound API's shipment items are written to (a TSV the audit recognises). */
export const INBOUND_SHIPMENT_ITEMS = 'FBA_INBOUND_SHIPMENT_ITEMS';
/** Amazon's All Listings report: the repricer's imported listings (`GET /repricer/listings`) are refreshed from it daily. */
export const MERCHANT_LISTINGS_REPORT = 'GET_MERCHANT_LISTINGS_ALL_DATA';

/**
 * Every report the audit reads and how it is fetched (the cost sheet is the customer's own and is uploaded).
 * The request periods are kept at a month (a week for the inbound API, whose answers carry no date of their own)
 * so no single document is huge and a failed period is retried alone.
 */
export const FETCHED_REPORTS: readonly FetchedReport[] = [
  { product: 'lost-and-found', reportType: 'GET_LEDGER_DETAIL_VIEW_DATA', reads: 'inventory_ledger', method: 'createReport', backfillDays: EVENT_REPORT_BACKFILL_DAYS, maxPeriodDays: 31 },
  { product: 'lost-and-found', reportType: 'GET_FBA_REIMBURSEMENTS_DATA', reads: 'reimbursements', method: 'createReport', backfillDays: EVENT_REPORT_BACKFILL_DAYS, maxPeriodDays: 31 },
  { product: 'lost-and-found', reportType: 'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA', reads: 'customer_returns', method: 'createReport', backfillDays: EVENT_REPORT_BACKFILL_DAYS, maxPeriodDays: 31 },
  { product: 'lost-and-found', reportType: 'GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA', reads: 'removal_order_detail', method: 'createReport', backfillDays: EVENT_REPORT_BACKFILL_DAYS, maxPeriodDays: 31 },
  { product: 'lost-and-found', reportType: 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA', reads: 'removal_shipment_detail', method: 'createReport', backfillDays: EVENT_REPORT_BACKFILL_DAYS, maxPeriodDays: 31 },
  { product: 'lost-and-found', reportType: 'GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA', reads: 'replacements', method: 'createReport', backfillDays: EVENT_REPORT_BACKFILL_DAYS, maxPeriodDays: 31 },
  // A snapshot of today's fees: nothing to back-fill.
  { product: 'lost-and-found', reportType: 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA', reads: 'fee_preview', method: 'createReport', backfillDays: 1, maxPeriodDays: 1 },
  { product: 'lost-and-found', reportType: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2', reads: 'settlement', method: 'getReports', backfillDays: SETTLEMENT_BACKFILL_DAYS, maxPeriodDays: SETTLEMENT_BACKFILL_DAYS },
  { product: 'lost-and-found', reportType: INBOUND_SHIPMENT_ITEMS, reads: 'inbound_shipment_items', method: 'inboundApi', backfillDays: EVENT_REPORT_BACKFILL_DAYS, maxPeriodDays: 7 },
  // A snapshot of today's listings, one marketplace per request.
  { product: 'repricer', reportType: MERCHANT_LISTINGS_REPORT, reads: 'repricer_listings', method: 'createReport', backfillDays: 1, maxPeriodDays: 1, perMarketplace: true },
  // issue 21 sales: the all-orders report (the repricer's units sold per day), one marketplace per request; a new
  // authorisation back-fills Push's longest window, each run reads the last days again (orders cancelled since);
  // the whole window is one period.
  {
    product: 'repricer',
    reportType: ALL_ORDERS_REPORT,
    reads: 'repricer_sales',
    method: 'createReport',
    backfillDays: SALES_WINDOW_MAX_DAYS,
    maxPeriodDays: SALES_WINDOW_MAX_DAYS + SALES_REREAD_DAYS,
    perMarketplace: true,
    rereadDays: SALES_REREAD_DAYS,
  },
];

/** The wait between two looks at a report Amazon is still making (a message's delay; SQS allows up to 900 s). */
export const REPORT_POLL_DELAY_SECONDS = 60;
/** Looks at one report before its period is given up as failed (2 hours at the default delay). */
export const MAX_REPORT_POLLS = 120;

export type ReportFetchState = 'queued' | 'requested' | 'processing' | 'done' | 'failed';

/** Where one customer × report chain is; `GET /lost-and-found/report-fetches` shows these. */
export interface ReportFetchStatus {
  readonly customerId: string;
  readonly reportType: string;
  /** The day of the run this chain belongs to (YYYY-MM-DD). */
  readonly runDay: string;
  readonly state: ReportFetchState;
  /** The period this run fetches: from the end of the last period stored (or the back-fill limit) to today 00:00 UTC. */
  readonly windowStart: string;
  readonly windowEnd: string;
  /** Start of the period being fetched now. */
  readonly chunkStart: string;
  /** For a report requested per marketplace: the marketplace being fetched now (the step's first). */
  readonly marketplace?: string;
  readonly reportId?: string;
  readonly polls: number;
  /** Files this run stored. */
  readonly files: readonly string[];
  /** Everything before this instant is stored: the next run starts here. */
  readonly fetchedUntil?: string;
  /** The last failure, kept while the step is retried; with `state: failed` the reason this run ended. */
  readonly error?: string;
  /** Failed attempts of the current step. */
  readonly attempts: number;
  /** When the step runs again: after a failed attempt (its backoff) or while waiting for Amazon's quota. */
  readonly nextAttemptAt?: string;
  /** When a run of this report last ended `done` (kept across runs). */
  readonly lastSuccessAt?: string;
  /** The seller and marketplaces the current step asks Amazon for (a notification or a retry rebuilds the step from them). */
  readonly sellerId?: string;
  readonly marketplaces?: readonly string[];
  readonly updatedAt: string;
  /** The step (`stepKey`) a delivery claimed before calling Amazon, and that delivery (its message id). */
  readonly claimedStep?: string;
  readonly claimedBy?: string;
}

/** One step of a chain, the message on the fetch queue (`reportFetchStepV1`). */
export interface ReportFetchStep {
  readonly customerId: string;
  readonly sellerId: string;
  readonly marketplaces: readonly string[];
  readonly reportType: string;
  readonly runDay: string;
  readonly chunkStart: string;
  readonly windowEnd: string;
  readonly reportId?: string;
  readonly polls: number;
}

export function fetchedReport(reportType: string): FetchedReport | undefined {
  return FETCHED_REPORTS.find((r) => r.reportType === reportType);
}

const TERMINAL: ReadonlySet<ReportFetchState> = new Set(['done', 'failed']);

function day(iso: string | Date): string {
  return (typeof iso === 'string' ? iso : iso.toISOString()).slice(0, 10);
}

export interface PlanDeps {
  readonly customers: ActiveCustomerSource;
  /** The seller each tenant authorised on Amazon; undefined when not connected (never the id typed at sign-up). */
  readonly sellerOf: (tenantId: string) => Promise<string | undefined>;
  readonly statuses: ReportFetchStatusStore;
  readonly queue: ReportFetchQueue;
  readonly clock: Clock;
}

export interface PlanResult {
  readonly customers: number;
  readonly notConnected: number;
  /** Chains started (customer × report). */
  readonly queued: number;
  readonly failed: readonly { customerId: string; error: string }[];
}

/**
 * The daily run: for every customer with a live Lost & Found or repricer contract and an authorised seller, one
 * chain per report of its products covering everything since the last period stored (a new authorisation: as far back as the report
 * allows). One customer's failure does not stop the others.
 */
export async function planReportFetches(deps: PlanDeps): Promise<PlanResult> {
  const live = (await deps.customers.listActive())
    .map((c) => ({ ...c, products: liveFetchProducts(c.contracts) }))
    .filter((c) => c.products.length > 0);
  const { notConnected, planned, failed } = await forEachConnectedCustomer(live, deps.sellerOf, (c, sellerId) =>
    planCustomer(deps, { customerId: c.tenantId, sellerId, marketplaces: c.marketplaces }, c.products),
  );
  return { customers: live.length, notConnected, queued: planned, failed: failed.map((f) => ({ customerId: f.tenantId, error: f.error })) };
}

const FETCH_PRODUCTS: readonly FetchProduct[] = ['lost-and-found', 'repricer'];

function isLive(contract: { status: string } | undefined): boolean {
  return contract !== undefined && contract.status !== 'cancelled';
}

/** The products whose reports are fetched for a customer with these contracts (live ones: not cancelled). */
export function liveFetchProducts(contracts: Partial<Record<string, { status: string }>>): FetchProduct[] {
  return FETCH_PRODUCTS.filter((product) => isLive(contracts[product]));
}

/** Starts today's chains of one customer for the reports of its live products; returns how many. */
export async function planCustomer(
  deps: Pick<PlanDeps, 'statuses' | 'queue' | 'clock'>,
  customer: { customerId: string; sellerId: string; marketplaces: readonly string[] },
  products: readonly FetchProduct[],
  /** Only this report (a customer's retry of a failed fetch). */
  onlyReportType?: string,
): Promise<number> {
  const now = deps.clock.now();
  const windowEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const runDay = day(new Date(windowEnd));
  let started = 0;
  for (const report of FETCHED_REPORTS.filter((r) => products.includes(r.product) && (onlyReportType === undefined || r.reportType === onlyReportType))) {
    const previous = await deps.statuses.getFetch(customer.customerId, report.reportType);
    // The schedule fired twice today: today's chain is under way.
    if (previous?.runDay === runDay && !TERMINAL.has(previous.state)) continue;
    const limit = windowEnd - report.backfillDays * DAY_MS;
    const storedUntil = Math.max(limit, previous?.fetchedUntil ? Date.parse(previous.fetchedUntil) : limit);
    if (storedUntil >= windowEnd) continue; // everything up to today is stored
    const windowStart = Math.max(limit, storedUntil - (report.rereadDays ?? 0) * DAY_MS);
    if (customer.marketplaces.length === 0) continue;
    const chunkStart = new Date(windowStart).toISOString();
    const status: ReportFetchStatus = {
      customerId: customer.customerId,
      reportType: report.reportType,
      runDay,
      state: 'queued',
      windowStart: chunkStart,
      windowEnd: new Date(windowEnd).toISOString(),
      chunkStart,
      ...(report.perMarketplace ? { marketplace: customer.marketplaces[0] } : {}),
      polls: 0,
      files: [],
      ...(previous?.fetchedUntil ? { fetchedUntil: previous.fetchedUntil } : {}),
      ...(previous?.lastSuccessAt ? { lastSuccessAt: previous.lastSuccessAt } : {}),
      sellerId: customer.sellerId,
      marketplaces: customer.marketplaces,
      attempts: 0,
      updatedAt: now.toISOString(),
    };
    await deps.statuses.putFetch(status);
    await deps.queue.send({ ...customer, reportType: report.reportType, runDay, chunkStart, windowEnd: status.windowEnd, polls: 0 }, 0);
    started++;
  }
  return started;
}

export interface StepDeps {
  readonly amazon: AmazonReportsApi;
  readonly reports: ReportStore;
  readonly statuses: ReportFetchStatusStore;
  readonly queue: ReportFetchQueue;
  readonly store: LostFoundStore;
  readonly auditQueue: AuditQueue;
  readonly clock: Clock;
  /** The wait between two looks at a report being made (REPORT_POLL_DELAY_SECONDS unless configured). */
  readonly pollDelaySeconds: number;
  /** Where the All Listings report goes (the repricer's imported listings). */
  readonly listings: ListingsReportImporter;
  /** Where the all-orders report goes (the repricer's units sold per day). */
  readonly sales: SalesReportImporter;
}

export type StepOutcome =
  | { readonly outcome: 'stale' }
  | { readonly outcome: 'quota-wait'; readonly delaySeconds: number }
  | { readonly outcome: 'waiting'; readonly polls: number }
  | { readonly outcome: 'requested'; readonly reportId: string }
  | { readonly outcome: 'next-period'; readonly files: readonly string[] }
  | { readonly outcome: 'next-marketplace'; readonly marketplace: string }
  | { readonly outcome: 'done'; readonly files: readonly string[]; readonly audit: AuditJob | undefined }
  | { readonly outcome: 'failed'; readonly error: string; readonly audit: AuditJob | undefined };

function isCurrent(status: ReportFetchStatus | undefined, step: ReportFetchStep): status is ReportFetchStatus {
  return (
    status !== undefined &&
    !TERMINAL.has(status.state) &&
    status.runDay === step.runDay &&
    status.chunkStart === step.chunkStart &&
    status.reportId === step.reportId &&
    status.polls === step.polls &&
    (status.marketplace === undefined || status.marketplace === step.marketplaces[0])
  );
}

/** What names one step of a chain: copies of one message (SQS delivers at least once) have the same key. */
export function stepKey(step: ReportFetchStep): string {
  return `${step.runDay}|${step.chunkStart}|${step.reportId ?? ''}|${step.polls}`;
}

/**
 * One step of a chain. Errors from Amazon or AWS propagate (the queue retries the step; see `recordFetchFailure`).
 * `delivery` is the message's id: copies of a step delivered at once would all find the step current, so the step is
 * claimed for one delivery first (the same delivery may claim it again when it is retried); the others are stale.
 */
export async function runReportFetchStep(deps: StepDeps, step: ReportFetchStep, delivery: string): Promise<StepOutcome> {
  const report = fetchedReport(step.reportType);
  if (!report) throw new ValidationError(`reportType: ${step.reportType} is not a report the fetch knows`);
  const current = await deps.statuses.getFetch(step.customerId, step.reportType);
  if (!isCurrent(current, step)) return { outcome: 'stale' };
  const status: ReportFetchStatus = { ...current, claimedStep: stepKey(step), claimedBy: delivery };
  if (!(await deps.statuses.claimFetch(status))) return { outcome: 'stale' };
  try {
    return await runClaimedStep(deps, report, status, step);
  } catch (error) {
    if (!(error instanceof QuotaExhaustedError)) throw error;
    return waitForQuota(deps, status, step, error);
  }
}

/**
 * The seller's quota for a call of this step had no token (nothing was sent): the step goes back on the queue with
 * the delay the quota gave (a longer wait is several delays) and lets go of its claim, so the copy it queues (another
 * message) may take it. No sleeping, no attempt spent; what the step did before the refused call is idempotent
 * (files are named by report and period, the listings import writes what changed).
 */
async function waitForQuota(deps: StepDeps, status: ReportFetchStatus, step: ReportFetchStep, error: QuotaExhaustedError): Promise<StepOutcome> {
  const delaySeconds = queueDelaySeconds(error.retryAfterMs);
  const now = deps.clock.now();
  await deps.statuses.putFetch({
    ...status,
    claimedStep: undefined,
    claimedBy: undefined,
    nextAttemptAt: new Date(now.getTime() + delaySeconds * 1000).toISOString(),
    updatedAt: now.toISOString(),
  });
  await deps.queue.send(step, delaySeconds);
  return { outcome: 'quota-wait', delaySeconds };
}

async function runClaimedStep(deps: StepDeps, report: FetchedReport, status: ReportFetchStatus, step: ReportFetchStep): Promise<StepOutcome> {
  const from = new Date(step.chunkStart);
  const to = new Date(Math.min(from.getTime() + report.maxPeriodDays * DAY_MS, Date.parse(step.windowEnd)));
  const save = (change: Partial<ReportFetchStatus>) =>
    deps.statuses.putFetch({ ...status, error: undefined, attempts: 0, nextAttemptAt: undefined, ...change, updatedAt: deps.clock.now().toISOString() });

  if (report.method === 'getReports') {
    const files: string[] = [];
    for (const listed of await deps.amazon.listDoneReports(step.sellerId, step.reportType, from, to)) {
      if (!listed.reportDocumentId) continue;
      files.push(await storeDocument(deps, step, listed.reportDocumentId, `${step.reportType}-${day(listed.dataEndTime ?? to)}-${listed.reportId}`));
    }
    return periodDone(deps, status, step, to, files);
  }
  if (report.method === 'inboundApi') {
    const rows: InboundShipmentItemRow[] = [];
    for (const marketplace of step.marketplaces) rows.push(...(await deps.amazon.inboundShipmentItems(step.sellerId, marketplace, from, to)));
    const files: string[] = [];
    if (rows.length > 0) {
      const name = `${step.reportType}-${day(to)}.tsv`;
      await deps.reports.put(step.customerId, name, new TextEncoder().encode(inboundShipmentItemsTsv(rows, new Date(to.getTime() - DAY_MS))));
      files.push(name);
    }
    return periodDone(deps, status, step, to, files);
  }

  if (step.reportId === undefined) {
    const marketplaces = report.perMarketplace ? step.marketplaces.slice(0, 1) : step.marketplaces;
    const reportId = await deps.amazon.createReport(step.sellerId, step.reportType, marketplaces, from, to);
    await save({ state: 'requested', reportId, polls: 0 });
    await deps.queue.send({ ...step, reportId, polls: 0 }, deps.pollDelaySeconds);
    return { outcome: 'requested', reportId };
  }
  const made = await deps.amazon.getReport(step.sellerId, step.reportId);
  switch (made.processingStatus) {
    case 'IN_QUEUE':
    case 'IN_PROGRESS': {
      const polls = step.polls + 1;
      if (polls >= MAX_REPORT_POLLS) return fail(deps, status, `report ${step.reportId} still ${made.processingStatus} after ${polls} looks`);
      await save({ state: 'processing', polls });
      await deps.queue.send({ ...step, polls }, deps.pollDelaySeconds);
      return { outcome: 'waiting', polls };
    }
    case 'FATAL':
      return fail(deps, status, `Amazon could not make report ${step.reportId} (FATAL) for ${day(from)}..${day(to)}`);
    case 'CANCELLED':
      // Amazon cancels a report that has no data for the period: nothing to store, the period is fetched
      // (for the orders: nothing sold in it).
      if (report.reads === 'repricer_sales') await deps.sales.importSales({ tenantId: step.customerId, marketplace: step.marketplaces[0] ?? '', from, to, document: null });
      if (report.perMarketplace) return marketplaceDone(deps, status, step, to);
      return periodDone(deps, status, step, to, []);
    case 'DONE': {
      if (!made.reportDocumentId) return fail(deps, status, `report ${step.reportId} is DONE without a reportDocumentId`);
      if (report.reads === 'repricer_listings') {
        const marketplace = step.marketplaces[0] ?? '';
        const document = await deps.amazon.openDocument(step.sellerId, made.reportDocumentId);
        // The report is a snapshot of the listings as Amazon made it: its quantities are the merchant stock as of now.
        await deps.listings.importListings({ tenantId: step.customerId, marketplace, day: day(new Date(to.getTime() - DAY_MS)), readAt: deps.clock.now(), document });
        return marketplaceDone(deps, status, step, to);
      }
      if (report.reads === 'repricer_sales') {
        const document = await deps.amazon.openDocument(step.sellerId, made.reportDocumentId);
        await deps.sales.importSales({ tenantId: step.customerId, marketplace: step.marketplaces[0] ?? '', from, to, document });
        return marketplaceDone(deps, status, step, to);
      }
      const name = await storeDocument(deps, step, made.reportDocumentId, `${step.reportType}-${day(to)}`);
      return periodDone(deps, status, step, to, [name]);
    }
  }
}

async function storeDocument(deps: StepDeps, step: ReportFetchStep, documentId: string, baseName: string): Promise<string> {
  const document = await deps.amazon.openDocument(step.sellerId, documentId);
  // A gzip document stays gzip in S3 (the audit unpacks it while reading): its name says so.
  const name = `${baseName}.tsv${document.gzip ? '.gz' : ''}`;
  await deps.reports.putStream(step.customerId, name, document.body);
  return name;
}

/** Files kept in a status (the latest): a back-fill stores one per period. */
const FILES_SHOWN = 30;

async function periodDone(deps: StepDeps, status: ReportFetchStatus, step: ReportFetchStep, to: Date, stored: readonly string[]): Promise<StepOutcome> {
  const files = [...status.files, ...stored].slice(-FILES_SHOWN);
  const fetchedUntil = to.toISOString();
  const now = deps.clock.now().toISOString();
  const base = { ...status, files, fetchedUntil, reportId: undefined, polls: 0, error: undefined, attempts: 0, nextAttemptAt: undefined, updatedAt: now };
  if (to.getTime() < Date.parse(step.windowEnd)) {
    await deps.statuses.putFetch({ ...base, state: 'queued', chunkStart: fetchedUntil });
    await deps.queue.send({ ...step, chunkStart: fetchedUntil, reportId: undefined, polls: 0 }, 0);
    return { outcome: 'next-period', files: stored };
  }
  await deps.statuses.putFetch({ ...base, state: 'done', lastSuccessAt: now });
  return { outcome: 'done', files: stored, audit: await auditWhenRunComplete(deps, step.customerId, step.runDay) };
}

/**
 * A report fetched per marketplace is done for the step's first marketplace: the chain requests it for the next
 * one (the status names it, so the step just handled is stale if redelivered), or ends once all are fetched.
 * Nothing goes to the tenant's folder: the audit does not read these reports.
 */
async function marketplaceDone(deps: StepDeps, status: ReportFetchStatus, step: ReportFetchStep, to: Date): Promise<StepOutcome> {
  const rest = step.marketplaces.slice(1);
  const next = rest[0];
  if (next === undefined) return periodDone(deps, { ...status, marketplace: undefined }, step, to, []);
  await deps.statuses.putFetch({
    ...status,
    state: 'queued',
    marketplace: next,
    marketplaces: rest,
    reportId: undefined,
    polls: 0,
    error: undefined,
    attempts: 0,
    nextAttemptAt: undefined,
    updatedAt: deps.clock.now().toISOString(),
  });
  await deps.queue.send({ ...step, marketplaces: rest, reportId: undefined, polls: 0 }, 0);
  return { outcome: 'next-marketplace', marketplace: next };
}

async function fail(deps: StepDeps, status: ReportFetchStatus, error: string): Promise<StepOutcome> {
  await deps.statuses.putFetch({ ...status, state: 'failed', error, nextAttemptAt: undefined, updatedAt: deps.clock.now().toISOString() });
  return { outcome: 'failed', error, audit: await auditWhenRunComplete(deps, status.customerId, status.runDay) };
}

/** What Amazon's REPORT_PROCESSING_FINISHED notification says about one report. */
export interface ReportProcessingFinished {
  readonly reportId: string;
  readonly reportType: string;
}

/**
 * Amazon says a report is made: the chain waiting for it looks at it now instead of after its delay. The step sent
 * is the very step the delayed look carries (same period, report and looks), so whichever delivery claims it first
 * runs it and the other finds it stale: a notification racing a poll fetches once. A notification about a report no
 * chain waits for (another app's, an old one, a repeat after the chain moved on) changes nothing.
 */
export async function reportProcessingFinished(
  deps: Pick<StepDeps, 'statuses' | 'queue'>,
  customerId: string,
  finished: ReportProcessingFinished,
): Promise<'advanced' | 'not-waiting'> {
  const status = await deps.statuses.getFetch(customerId, finished.reportType);
  if (!status || TERMINAL.has(status.state) || status.reportId !== finished.reportId || !status.sellerId || !status.marketplaces) return 'not-waiting';
  const { sellerId, marketplaces, reportType, runDay, chunkStart, windowEnd, reportId, polls } = status;
  await deps.queue.send({ customerId, sellerId, marketplaces, reportType, runDay, chunkStart, windowEnd, reportId, polls }, 0);
  return 'advanced';
}

/**
 * A step failed (Amazon or AWS refused or failed). The status shows the error while the queue retries; on the
 * last attempt (`final`) the chain ends `failed` and the run's audit goes ahead over what the other reports brought.
 */
export async function recordFetchFailure(deps: StepDeps, step: ReportFetchStep, error: Error, final: boolean, retryInSeconds: number): Promise<void> {
  const status = await deps.statuses.getFetch(step.customerId, step.reportType);
  if (!isCurrent(status, step)) return;
  const message = final ? `gave up after ${status.attempts + 1} attempts: ${error.message}` : error.message;
  const now = deps.clock.now();
  await deps.statuses.putFetch({
    ...status,
    ...(final ? { state: 'failed' as const, nextAttemptAt: undefined } : { nextAttemptAt: new Date(now.getTime() + retryInSeconds * 1000).toISOString() }),
    error: message,
    attempts: status.attempts + 1,
    updatedAt: now.toISOString(),
  });
  if (final) await auditWhenRunComplete(deps, step.customerId, step.runDay);
}

/**
 * Once every chain of a customer's run has ended, the audit of the day is queued (its id comes from the day, so
 * two chains ending at once queue it once). Statuses are written before this reads them, so the last chain to
 * end always sees all of them ended. A run that stored nothing new queues no audit.
 */
export async function auditWhenRunComplete(deps: Pick<StepDeps, 'statuses' | 'store' | 'auditQueue' | 'clock'>, customerId: string, runDay: string): Promise<AuditJob | undefined> {
  const run = (await deps.statuses.listFetches(customerId)).filter((s) => s.runDay === runDay);
  if (run.some((s) => !TERMINAL.has(s.state))) return undefined;
  if (!run.some((s) => s.files.length > 0)) return undefined;
  return startAudit({ store: deps.store, queue: deps.auditQueue, clock: deps.clock }, customerId, undefined, `daily#${runDay}`);
}

/**
 * The Fulfillment Inbound API's shipment items as the TSV the audit reads (its field names; `detectReport`
 * recognises them). The API gives no date per shipment: the last day of the period it was last updated in
 * stands for it (`LastUpdatedDate`), which is why that period is kept to a week.
 */
export function inboundShipmentItemsTsv(rows: readonly InboundShipmentItemRow[], lastUpdatedDay: Date): string {
  const header = ['ShipmentId', 'ShipmentName', 'ShipmentStatus', 'LastUpdatedDate', 'SellerSKU', 'FulfillmentNetworkSKU', 'QuantityShipped', 'QuantityReceived'];
  const clean = (text: string) => text.replace(/[\t\r\n]/g, ' ');
  const lines = rows.map((r) =>
    [r.shipmentId, r.shipmentName, r.shipmentStatus, day(lastUpdatedDay), r.sellerSku, r.fulfillmentNetworkSku, String(r.quantityShipped), String(r.quantityReceived)].map(clean).join('\t'),
  );
  return [header.join('\t'), ...lines].join('\n') + '\n';
}

/**
 * `POST /lost-and-found/report-fetches/{reportType}/retry`: the customer starts a failed fetch again now, from where
 * its last stored period ends (as the next daily run would). Only a failed one: a chain under way or done is `409`.
 */
export async function retryReportFetch(
  deps: Pick<PlanDeps, 'statuses' | 'queue' | 'clock'>,
  customer: { customerId: string; sellerId: string; marketplaces: readonly string[] },
  reportType: string,
): Promise<ReportFetchView> {
  const report = fetchedReport(reportType);
  if (!report) throw new NotFoundError(`report fetch ${reportType}`);
  const status = await deps.statuses.getFetch(customer.customerId, reportType);
  if (status?.state !== 'failed') {
    throw new ConflictError(`only a failed fetch can be retried: ${reportType} is ${status?.state ?? 'never fetched'}`, 'report_fetch_not_failed');
  }
  if ((await planCustomer(deps, customer, [report.product], reportType)) === 0) {
    throw new ConflictError(`${reportType}: everything up to today is stored, nothing to fetch`, 'report_fetch_nothing_to_fetch');
  }
  const line = (await listReportFetches(deps.statuses, customer.customerId)).find((l) => l.reportType === reportType);
  if (!line) throw new NotFoundError(`report fetch ${reportType}`);
  return line;
}

/** One line of the fetch view: a report the audit reads and where its fetch stands (`never` before the first run). */
export type ReportFetchView = Pick<FetchedReport, 'reportType' | 'reads' | 'method'> &
  (Omit<ReportFetchStatus, 'customerId' | 'reportType' | 'sellerId' | 'marketplaces'> | { readonly state: 'never' });

/** `GET /lost-and-found/report-fetches`: every report the daily fetch brings, with its status. */
export async function listReportFetches(statuses: Pick<ReportFetchStatusStore, 'listFetches'>, customerId: string): Promise<ReportFetchView[]> {
  const byType = new Map((await statuses.listFetches(customerId)).map((s) => [s.reportType, s]));
  return FETCHED_REPORTS.map(({ reportType, reads, method }) => {
    const status = byType.get(reportType);
    if (!status) return { reportType, reads, method, state: 'never' as const };
    const { customerId: _customerId, reportType: _type, sellerId: _sellerId, marketplaces: _marketplaces, ...rest } = status;
    return { reportType, reads, method, ...rest };
  });
}
