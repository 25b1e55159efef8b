import type { Money } from '#shared/kernel/money.ts';
import type { ReportType } from './report-types.ts';
import type { EvidenceDetail, EvidenceDetailCode } from './evidence-detail.ts';
import { hashStringTwice } from './tsv.ts';

export const CLAIM_TYPES = [
  'lost_warehouse',
  'damaged_warehouse',
  'disposed_unauthorised',
  'refund_not_returned',
  'return_not_restocked',
  'return_unsellable',
  'inbound_shortage',
  'removal_lost',
  'fee_overcharge',
  'size_tier_overcharge',
  'underpaid_reimbursement',
  'reversal_without_recovery',
  'refund_above_charge',
  'replacement_not_returned',
] as const;
export type ClaimType = (typeof CLAIM_TYPES)[number];

/** One source row a claim rests on. `key` is stable across downloads; file and line are for people. */
export interface Evidence {
  report: ReportType;
  /** Stable identity of the fact (reference id, order id, reimbursement id…), independent of file and line. */
  key: string;
  /** The report's own id for the row (Reference ID, order id, shipment id, reimbursement id). */
  id: string;
  date: string;
  quantity: number;
  /** Reason code, event type, amount description… whatever makes the row meaningful to a reader (English). */
  detail: string;
  /** The same as a code and its parameters (`evidence-detail.ts`), for a reader in another language; absent on claims stored before they existed. */
  detailCode?: EvidenceDetailCode;
  detailParams?: EvidenceDetail['params'];
  file: string;
  line: number;
}

/** How the estimated value was derived: what the units cost the seller, or what the sale would have netted. */
export type ValueBasis =
  | 'seller_cost'
  | 'price_minus_fees'
  | 'refund_debited'
  | 'reimbursement_history'
  | 'fee_difference'
  | 'shortfall'
  | 'refund_difference'
  | 'reversed_amount'
  | 'unknown';

/**
 * `certain`: the reports prove the loss and that nothing paid it. `likely`: they point to it, but Amazon may
 * know better (an estimate, an inference from a missing row): shown for review before filing.
 */
export type ClaimConfidence = 'certain' | 'likely';

/** A claim as the audit finds it (no lifecycle yet). */
export interface FoundClaim {
  /** Deterministic: derived from the type and the evidence keys, so re-running an audit never duplicates. */
  id: string;
  type: ClaimType;
  msku: string;
  fnsku: string;
  asin: string;
  quantity: number;
  ref: string;
  /** Positive, unless `valueUnknown` (then 0). */
  amount: Money;
  valueBasis: ValueBasis;
  /** No value could be derived from the reports (no cost sheet, no price): the reason is in `valueUnknownReason`. */
  valueUnknown?: boolean;
  valueUnknownReason?: string;
  confidence?: ClaimConfidence;
  /** Day the loss happened (event, refund, delivery, removal completion, charge, reimbursement). */
  eventDate: string;
  /** First day a claim may be filed (after Amazon's own research / return window). */
  openFrom: string;
  /** Last day Amazon accepts the claim. */
  deadline: string;
  evidence: Evidence[];
}

export function claimId(type: ClaimType, evidenceKeys: readonly string[]): string {
  const keys = evidenceKeys.length === 1 ? evidenceKeys[0]! : [...new Set(evidenceKeys)].sort().join('|');
  // The hashes of `canonical` and of `canonical#`, in one pass.
  const [a, b] = hashStringTwice(`${type}|${keys}`, 35);
  return `clm_${base36(a)}${base36(b)}`;
}

const BASE36_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
/** 36^6: splits a 53-bit integer into two halves whose digits are exact in doubles. */
const BASE36_HALF = 2_176_782_336;

/**
 * `n.toString(36).padStart(11, '0')` for an integer 0 ≤ n < 2^53 (11 base-36 digits hold 2^53), without the
 * engine's general radix conversion, which took a microsecond a call: a claim id made two of them per claim.
 */
function base36(n: number): string {
  const high = Math.floor(n / BASE36_HALF);
  let low = n - high * BASE36_HALF;
  let rest = high;
  let text = '';
  for (let k = 0; k < 11; k++) {
    const part = k < 6 ? low : rest;
    const digit = part % 36;
    text = BASE36_DIGITS[digit]! + text;
    if (k < 6) low = (low - digit) / 36;
    else rest = (rest - digit) / 36;
  }
  return text;
}

/** What the CLI writes to claims.json (the contract of issue R-L1, item 3). */
export interface ClaimJson {
  type: ClaimType;
  msku: string;
  fnsku: string;
  asin: string;
  quantity: number;
  ref: string;
  amount: { minor: number; currency: string };
  valueBasis: ValueBasis;
  valueUnknown: boolean;
  valueUnknownReason?: string;
  confidence: ClaimConfidence;
  deadline: string;
  evidence: Evidence[];
}

export function toClaimJson(claim: FoundClaim): ClaimJson {
  return {
    type: claim.type,
    msku: claim.msku,
    fnsku: claim.fnsku,
    asin: claim.asin,
    quantity: claim.quantity,
    ref: claim.ref,
    amount: { minor: claim.amount.minor, currency: claim.amount.currency },
    valueBasis: claim.valueBasis,
    valueUnknown: claim.valueUnknown === true,
    ...(claim.valueUnknownReason !== undefined ? { valueUnknownReason: claim.valueUnknownReason } : {}),
    confidence: claim.confidence ?? 'likely',
    deadline: claim.deadline,
    evidence: claim.evidence,
  };
}

/** One reimbursement row, kept by the audit for the reconciliation use case. */
export interface ReimbursementRecord {
  reimbursementId: string;
  caseId: string;
  amazonOrderId: string;
  reason: string;
  category: ReimbursementCategory;
  msku: string;
  fnsku: string;
  approvalDate: string;
  amountPerUnit: Money;
  amountTotal: Money;
  quantityCash: number;
  quantityInventory: number;
  quantityTotal: number;
  originalReimbursementId: string;
}

export type ReimbursementCategory =
  | 'warehouse_lost'
  | 'warehouse_damaged'
  | 'warehouse_disposed'
  | 'inbound'
  | 'customer_return'
  | 'removal'
  | 'fee'
  | 'reversal'
  | 'other';

/** Amazon's reimbursement reasons grouped by the loss they pay for. */
export function reimbursementCategory(reason: string): ReimbursementCategory {
  const r = reason.toLowerCase().replace(/[\s_-]/g, '');
  if (r === 'lostwarehouse') return 'warehouse_lost';
  if (r === 'damagedwarehouse' || r === 'warehousedamaged') return 'warehouse_damaged';
  // Kept apart from damage: a damage reimbursement never pays for a disposal (or the reverse).
  if (r === 'disposedwarehouse' || r === 'warehousedisposed' || r === 'destroyedwarehouse' || r === 'disposed') return 'warehouse_disposed';
  if (r.includes('inbound')) return 'inbound';
  if (r.startsWith('customerreturn') || r === 'customerserviceissue' || r === 'generaladjustmentcustomerreturn') return 'customer_return';
  if (r.startsWith('removalorder') || r.startsWith('removal')) return 'removal';
  if (r.includes('fee')) return 'fee';
  if (r.includes('reversal') || r.includes('clawback')) return 'reversal';
  return 'other';
}

/**
 * Possible claims the audit did not make because a report they rest on is absent or does not cover their days:
 * "upload the removal shipment detail report for 2025-05-02 – 2025-06-20 to check 12 removal orders".
 */
export interface WithheldClaims {
  /** `report_missing`: no such report was read; `report_not_covering`: one was, but not for these days. */
  code: 'report_missing' | 'report_not_covering';
  type: ClaimType;
  report: ReportType;
  candidates: number;
  /** Days the report must cover to decide them (inclusive). */
  from: string;
  to: string;
  /** The advice in English (the web app words it from `code` and the fields above). */
  message: string;
}

/** A row (or a whole file) the intake could not use, with the reason. */
export interface SkippedLine {
  file: string;
  /** 0 when the whole file was skipped. */
  line: number;
  reason: string;
}

export interface FileReport {
  file: string;
  type: ReportType | 'unknown';
  encoding: 'utf-8' | 'windows-1252';
  bytes: number;
  rows: number;
  used: number;
  duplicates: number;
  skipped: number;
  /** The whole file was ignored (unknown header, missing columns, empty). */
  ignored: boolean;
  /** Time spent reading the file. */
  millis: number;
  note?: string;
}

export interface SkipReport {
  files: FileReport[];
  /** Up to `maxSkippedLinesPerFile` lines per file; `skipped` in FileReport has the full count. */
  lines: SkippedLine[];
}

/** Damage adjustments (reason codes 6/7/E/H/K/U) per day: the seller's baseline for the burst test. */
export interface DailyCount {
  day: string;
  count: number;
}
