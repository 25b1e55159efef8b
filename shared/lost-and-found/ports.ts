import type { ReportSource } from './audit.ts';
import type { AuditJob } from './jobs.ts';
import type { Claim, ClaimStatus } from './lifecycle.ts';
import type { DailyCount, FoundClaim } from './model.ts';
import type { ReportFetchStatus, ReportFetchStep } from './report-fetch.ts';

/**
 * Ports of Lost & Found. The pure core calls these; adapters implement them (DynamoDB for claims, the
 * CSM task queue and SNS for anomalies, manual/assisted case filing). Adapters live in shared/adapters/; test fakes in test/support/lost-and-found-memory.ts.
 */

export interface UpsertOutcome {
  created: string[];
  /** Still `found`: quantity, value, evidence refreshed from the newer reports. */
  refreshed: string[];
  /** Already filed or settled: left exactly as they are. */
  untouched: string[];
}

/**
 * Claims per customer. DynamoDB: PK `TENANT#<customerId>`, SK `CLAIM#<claimId>`; writes
 * conditioned on `version` (and `attribute_not_exists(PK)` for creation).
 */
export interface ClaimRepository {
  /**
   * Idempotent by claim id: creates unknown claims as `found`, refreshes ones still `found`, never touches a
   * claim in any other state (so running the audit twice, or on overlapping downloads, never duplicates).
   */
  upsertFound(customerId: string, claims: readonly FoundClaim[], at: Date): Promise<UpsertOutcome>;
  get(customerId: string, claimId: string): Promise<Claim | undefined>;
  list(customerId: string, filter?: { statuses?: readonly ClaimStatus[] }): Promise<Claim[]>;
  /**
   * Saves a transition when the stored version still equals `expectedVersion`; stores version + 1.
   * Throws ConflictError when someone else changed the claim first.
   */
  save(claim: Claim, expectedVersion: number): Promise<Claim>;
}

export interface CaseRequest {
  customerId: string;
  claimId: string;
  subject: string;
  text: string;
}

/** Amazon offers no public API to open Seller Support cases: an adapter either files it or hands back the text. */
export type CaseFilingResult =
  | { kind: 'filed'; caseId: string }
  | { kind: 'assisted'; text: string; instructions: string };

export interface CaseFilingPort {
  fileCase(request: CaseRequest): Promise<CaseFilingResult>;
}

export type CsmTaskKind = 'claims_expiring' | 'damage_burst' | 'setup_help';

export interface CsmTaskRequest {
  customerId: string;
  kind: CsmTaskKind;
  /** Exactly one task per key (customer + kind + ISO week for anomalies). */
  dedupKey: string;
  title: string;
  detail: string;
  createdAt: string;
}

/** The CSM call queue (owned by the CSM side). Must be idempotent by `dedupKey` (conditional put). */
export interface CsmTaskPort {
  createOnce(task: CsmTaskRequest): Promise<{ created: boolean }>;
}

/** Push to CSM staff (SNS in AWS). Called only after a task was newly created. */
export interface CsmNotificationPort {
  push(message: { customerId: string; kind: CsmTaskKind; title: string; detail: string; dedupKey: string }): Promise<void>;
}

export interface LostFoundStore {
  putJob(job: AuditJob): Promise<void>;
  /** Creates the job unless it exists; returns whether it did (a redelivered start message is a no-op). */
  createJob(job: AuditJob): Promise<boolean>;
  getJob(customerId: string, auditId: string): Promise<AuditJob | undefined>;
  /**
   * Takes one of the customer's `slots` audit slots for `auditId` with one conditional write: a slot that is free,
   * held past its `heldUntil`, or already this audit's. When all are held, `heldBy` names the audits holding them.
   */
  claimAuditSlot(customerId: string, auditId: string, slots: number, now: Date, heldUntil: Date): Promise<{ claimed: boolean; heldBy: readonly string[] }>;
  /** Frees the slot `auditId` holds (nothing when it holds none). */
  releaseAuditSlot(customerId: string, auditId: string): Promise<void>;
  /** Merges daily damage-adjustment counts (max per day, so re-auditing the same reports does not inflate them). */
  mergeDamageHistory(customerId: string, days: readonly DailyCount[]): Promise<void>;
  damageHistory(customerId: string): Promise<DailyCount[]>;
  /** Customers with Lost & Found data: the daily check visits these (a key query, never a table scan). */
  register(customerId: string): Promise<void>;
  registeredCustomers(): Promise<string[]>;
}

export interface ReportStore {
  /** The tenant's uploaded report files as byte sources. */
  sources(customerId: string): Promise<ReportSource[]>;
  /** Stores one report file (fetched from Amazon) in the tenant's folder; same name = replaced. */
  put(customerId: string, fileName: string, bytes: Uint8Array): Promise<void>;
  /** The same for a document streamed from Amazon: written as it arrives, never held whole in memory. */
  putStream(customerId: string, fileName: string, body: AsyncIterable<Uint8Array>): Promise<void>;
  /** A pre-signed PUT URL for one file. */
  uploadUrl(customerId: string, fileName: string, expiresInSeconds: number): Promise<{ url: string; key: string }>;
  /** Deletes one file of the tenant's folder; false when there was none of that name. */
  delete(customerId: string, fileName: string): Promise<boolean>;
}

export interface AuditQueue {
  enqueue(message: { customerId: string; auditId: string; asOf: string }): Promise<void>;
}

/** One report Amazon has made (or is making) for a seller: the Reports API's `Report`, as much as the fetch reads. */
export interface AmazonReportStatus {
  readonly reportId: string;
  readonly processingStatus: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';
  readonly reportDocumentId?: string;
  readonly dataStartTime?: string;
  readonly dataEndTime?: string;
}

/** A report document as it comes from Amazon: bytes streamed, still gzip when Amazon compressed them. */
export interface AmazonReportDocument {
  readonly gzip: boolean;
  readonly body: AsyncIterable<Uint8Array>;
  /** The download's Content-Type (e.g. `text/plain;charset=Cp1252`): the charset a text report is in, when Amazon names it. */
  readonly contentType?: string;
}

/** Takes a marketplace's All Listings report (GET_MERCHANT_LISTINGS_ALL_DATA) into the repricer's imported listings. */
export interface ListingsReportImporter {
  /**
   * Idempotent: the same report imported again the same day changes nothing. `day`: the day the report shows (YYYY-MM-DD);
   * `readAt`: when it was read (its merchant-fulfilled quantities are the repricer's stock as of then).
   */
  importListings(input: { readonly tenantId: string; readonly marketplace: string; readonly day: string; readonly readAt: Date; readonly document: AmazonReportDocument }): Promise<void>;
}

/** Takes a marketplace's all-orders report into the repricer's units sold per day (issue 21 sales: Push on real sales). */
export interface SalesReportImporter {
  /**
   * Idempotent: the period [from, to) is replaced by what the report says, so reading it again counts nothing twice.
   * `document` null: Amazon had no order in the period (it cancelled the report).
   */
  importSales(input: { readonly tenantId: string; readonly marketplace: string; readonly from: Date; readonly to: Date; readonly document: AmazonReportDocument | null }): Promise<void>;
}

/** One item of an inbound shipment (Fulfillment Inbound API: getShipments + getShipmentItemsByShipmentId). */
export interface InboundShipmentItemRow {
  readonly shipmentId: string;
  readonly shipmentName: string;
  readonly shipmentStatus: string;
  readonly sellerSku: string;
  readonly fulfillmentNetworkSku: string;
  readonly quantityShipped: number;
  readonly quantityReceived: number;
}

/**
 * Amazon's Reports API (2021-06-30) and Fulfillment Inbound API (v0) for one seller, one call per method: the
 * daily fetch is a chain of queued steps, so nothing here waits for a report to be ready.
 */
export interface AmazonReportsApi {
  /** createReport: the report's id; Amazon then processes it (IN_QUEUE → IN_PROGRESS → DONE / CANCELLED / FATAL). */
  createReport(sellerId: string, reportType: string, marketplaces: readonly string[], from: Date, to: Date): Promise<string>;
  /** getReport. */
  getReport(sellerId: string, reportId: string): Promise<AmazonReportStatus>;
  /** getReports (every page): reports Amazon made by itself (settlements) that are DONE and were created since `createdSince`. */
  listDoneReports(sellerId: string, reportType: string, createdSince: Date, createdUntil: Date): Promise<AmazonReportStatus[]>;
  /** getReportDocument, then the document's bytes as a stream. */
  openDocument(sellerId: string, reportDocumentId: string): Promise<AmazonReportDocument>;
  /** Items of the inbound shipments last updated in [from, to) in one marketplace. */
  inboundShipmentItems(sellerId: string, marketplace: string, from: Date, to: Date): Promise<InboundShipmentItemRow[]>;
}

/** Customers with a live contract (the sparse `active` index). */
export interface ActiveCustomerSource {
  listActive(): Promise<readonly { tenantId: string; amazonSellerId: string; marketplaces: readonly string[]; contracts: Partial<Record<string, { status: string }>> }[]>;
}

/** One unit of the daily fetch on its queue (SQS in AWS); `delaySeconds` (≤ 900) is how the fetch waits for Amazon. */
export interface ReportFetchQueue {
  send(step: ReportFetchStep, delaySeconds: number): Promise<void>;
}

/**
 * The fetch status per customer × report. DynamoDB: PK `TENANT#<customerId>`, SK `REPORTFETCH#<reportType>`,
 * read strongly consistent (the last step of a run must see every other report's end to start the audit).
 */
export interface ReportFetchStatusStore {
  getFetch(customerId: string, reportType: string): Promise<ReportFetchStatus | undefined>;
  putFetch(status: ReportFetchStatus): Promise<void>;
  /**
   * Stores `status` (which names its `claimedStep` and `claimedBy`) only if the stored status is still at that step
   * (same run day, period, report and looks; not done or failed) and no other delivery claimed that step.
   * False when it is not: another copy of the message holds the step, or the chain moved on.
   */
  claimFetch(status: ReportFetchStatus): Promise<boolean>;
  listFetches(customerId: string): Promise<ReportFetchStatus[]>;
}
