/**
 * Which stored report files an audit still needs. The daily fetch stores one file per report type and day,
 * named `<Amazon report type>-<YYYY-MM-DD>.tsv[.gz]`; a tenant's folder grows by a few files a day for as long
 * as the contract runs. An event report (ledger, reimbursements, returns, replacements, removal shipments,
 * settlements) older than the longest claim window plus the evidence a claim reaches back for can no longer
 * change any claim: it is not read. Snapshot reports (removal orders, inbound shipments, fee preview, cost
 * sheets) and files named any other way (uploads) are always read.
 */
import { DEFAULT_CLAIM_WINDOWS, type ClaimWindows } from './rules.ts';
import { parseDayString } from './tsv.ts';

const EVENT_REPORT_TYPES: ReadonlySet<string> = new Set([
  'GET_LEDGER_DETAIL_VIEW_DATA',
  'GET_FBA_REIMBURSEMENTS_DATA',
  'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA',
  'GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA',
  'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA',
  'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
]);

/** How far before its event a claim's evidence can lie: an order's charge before its refund, a reimbursement before its reversal. */
const EVIDENCE_BEFORE_EVENT_DAYS = 90;

/** Days back from the as-of day an event report can still matter: the longest deadline plus the evidence before an event. */
export const AUDIT_LOOKBACK_DAYS =
  Math.max(...(Object.keys(DEFAULT_CLAIM_WINDOWS) as Array<keyof ClaimWindows>).map((name) => DEFAULT_CLAIM_WINDOWS[name].deadlineDays)) + EVIDENCE_BEFORE_EVENT_DAYS;

const DAILY_NAME = /^([A-Z0-9_]+)-(\d{4}-\d{2}-\d{2})\.(?:tsv|txt|csv)(?:\.gz)?$/;

/** Splits a tenant's files into those the audit for `asOf` reads and those too old to matter. */
export function reportsToAudit<T extends { name: string }>(sources: readonly T[], asOf: string): { read: T[]; tooOld: string[] } {
  const oldest = parseDayString(asOf) - AUDIT_LOOKBACK_DAYS;
  const read: T[] = [];
  const tooOld: string[] = [];
  for (const source of sources) {
    const match = DAILY_NAME.exec(source.name.slice(source.name.lastIndexOf('/') + 1));
    if (match !== null && EVENT_REPORT_TYPES.has(match[1]!) && parseDayString(match[2]!) < oldest) tooOld.push(source.name);
    else read.push(source);
  }
  return { read, tooOld };
}
