import { ConflictError } from '#shared/kernel/errors.ts';
import { formatMoney, money, type Money } from '#shared/kernel/money.ts';
import type { FoundClaim, ReimbursementRecord } from './model.ts';

/**
 * R-L2 claim states: found → filed → (info_requested) → paid / partially_paid / rejected / reversed / expired.
 * `reversed` (Amazon clawed a payment back) is open again: it is re-filed like a found claim.
 */
export const CLAIM_STATUSES = ['found', 'filed', 'info_requested', 'paid', 'partially_paid', 'rejected', 'reversed', 'expired'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export type ClaimAction =
  | { kind: 'file'; caseId: string }
  | { kind: 'request_info'; note: string }
  | { kind: 'answer_info'; note: string }
  | { kind: 'payment'; reimbursementId: string; amount: Money; units: number }
  | { kind: 'reject'; reason: string }
  | { kind: 'reverse'; reimbursementId: string; amount: Money }
  | { kind: 'expire' };

export interface ClaimHistoryEntry {
  at: string;
  from: ClaimStatus;
  to: ClaimStatus;
  action: ClaimAction['kind'];
  note?: string;
}

/** A claim under management: what the audit found plus its lifecycle. */
export interface Claim extends FoundClaim {
  customerId: string;
  status: ClaimStatus;
  /** Optimistic-locking version: every saved change increments it. */
  version: number;
  foundAt: string;
  updatedAt: string;
  caseId?: string;
  filedAt?: string;
  /** Money Amazon paid for this claim, net of reversals. */
  recovered: Money;
  unitsRecovered: number;
  /** Reimbursement ids already applied: reconciliation is idempotent by them. */
  reimbursementIds: string[];
  paidAt?: string;
  history: ClaimHistoryEntry[];
}

const ALLOWED: Readonly<Record<ClaimStatus, ReadonlyArray<ClaimAction['kind']>>> = {
  found: ['file', 'payment', 'expire'],
  filed: ['request_info', 'payment', 'reject'],
  info_requested: ['answer_info', 'payment', 'reject'],
  partially_paid: ['payment', 'reverse', 'reject'],
  paid: ['reverse'],
  rejected: ['file'],
  reversed: ['file', 'payment', 'expire'],
  expired: [],
};

export function newClaim(found: FoundClaim, customerId: string, at: Date): Claim {
  const now = at.toISOString();
  return {
    ...found,
    customerId,
    status: 'found',
    version: 0,
    foundAt: now,
    updatedAt: now,
    recovered: money(0, found.amount.currency),
    unitsRecovered: 0,
    reimbursementIds: [],
    history: [],
  };
}

/**
 * What a newer audit refreshes on a claim still `found`: its figures, its value and what the value rests on, how
 * sure the audit is, its dates and its evidence. Identity, status, recoveries and history stay. An optional field
 * the new finding lacks is removed (a value found since the last audit is no longer `valueUnknown`).
 */
export const REFRESHED_CLAIM_FIELDS = [
  'quantity',
  'amount',
  'valueBasis',
  'valueUnknown',
  'valueUnknownReason',
  'confidence',
  'eventDate',
  'openFrom',
  'deadline',
  'evidence',
] as const satisfies ReadonlyArray<keyof FoundClaim>;

export type RefreshedClaimField = (typeof REFRESHED_CLAIM_FIELDS)[number];

/** The stored claim after a newer audit's finding for it (the repository bumps the version). */
export function refreshedClaim(claim: Claim, found: FoundClaim, at: Date): Claim {
  const { valueUnknown: _unknown, valueUnknownReason: _reason, confidence: _confidence, ...kept } = claim;
  return {
    ...kept,
    quantity: found.quantity,
    amount: found.amount,
    valueBasis: found.valueBasis,
    ...(found.valueUnknown === true ? { valueUnknown: true } : {}),
    ...(found.valueUnknownReason !== undefined ? { valueUnknownReason: found.valueUnknownReason } : {}),
    ...(found.confidence !== undefined ? { confidence: found.confidence } : {}),
    eventDate: found.eventDate,
    openFrom: found.openFrom,
    deadline: found.deadline,
    evidence: found.evidence,
    updatedAt: at.toISOString(),
  };
}

/** True when a newer audit's finding would change what is stored for the claim (the store may keep fewer evidence rows). */
export function findingChangesClaim(stored: Claim, found: FoundClaim): boolean {
  if (stored.quantity !== found.quantity || stored.deadline !== found.deadline || stored.eventDate !== found.eventDate || stored.openFrom !== found.openFrom) return true;
  if (stored.amount.minor !== found.amount.minor || stored.amount.currency !== found.amount.currency) return true;
  if (stored.valueBasis !== found.valueBasis || (stored.valueUnknown === true) !== (found.valueUnknown === true) || stored.valueUnknownReason !== found.valueUnknownReason) return true;
  if (stored.confidence !== found.confidence) return true;
  if (stored.evidence.length > found.evidence.length) return true;
  return stored.evidence.some((e, i) => e.key !== found.evidence[i]!.key || e.quantity !== found.evidence[i]!.quantity);
}

/** Paid in full when Amazon reimbursed every unit or at least the estimated value. */
function paymentStatus(claim: Claim, recovered: Money, units: number): ClaimStatus {
  return units >= claim.quantity || recovered.minor >= claim.amount.minor ? 'paid' : 'partially_paid';
}

/**
 * The pure state machine: returns the claim after `action`, or throws ConflictError when the current state
 * does not allow it (filing a paid claim, paying an expired one…). The version is bumped by the repository.
 */
export function applyClaimAction(claim: Claim, action: ClaimAction, at: Date): Claim {
  if (!ALLOWED[claim.status].includes(action.kind)) {
    throw new ConflictError(`claim ${claim.id} is ${claim.status}: cannot ${action.kind.replace('_', ' ')}`, 'claim_transition_not_allowed');
  }
  const now = at.toISOString();
  const record = (to: ClaimStatus, note?: string): ClaimHistoryEntry => ({ at: now, from: claim.status, to, action: action.kind, ...(note ? { note } : {}) });
  switch (action.kind) {
    case 'file':
      if (!action.caseId.trim()) throw new ConflictError('a filed claim needs the Seller Support case id', 'case_id_required');
      return { ...claim, status: 'filed', caseId: action.caseId.trim(), filedAt: now, updatedAt: now, history: [...claim.history, record('filed', `case ${action.caseId}`)] };
    case 'request_info':
      return { ...claim, status: 'info_requested', updatedAt: now, history: [...claim.history, record('info_requested', action.note)] };
    case 'answer_info':
      return { ...claim, status: 'filed', updatedAt: now, history: [...claim.history, record('filed', action.note)] };
    case 'reject':
      return { ...claim, status: 'rejected', updatedAt: now, history: [...claim.history, record('rejected', action.reason)] };
    case 'expire':
      return { ...claim, status: 'expired', updatedAt: now, history: [...claim.history, record('expired')] };
    case 'payment': {
      if (claim.reimbursementIds.includes(action.reimbursementId)) return claim;
      const recovered = money(claim.recovered.minor + convertible(claim, action.amount), claim.recovered.currency);
      const units = claim.unitsRecovered + action.units;
      const status = paymentStatus(claim, recovered, units);
      return {
        ...claim,
        status,
        recovered,
        unitsRecovered: units,
        reimbursementIds: [...claim.reimbursementIds, action.reimbursementId],
        paidAt: now,
        updatedAt: now,
        history: [...claim.history, record(status, `reimbursement ${action.reimbursementId}: ${formatMoney(action.amount)}`)],
      };
    }
    case 'reverse': {
      const marker = `reversal:${action.reimbursementId}`;
      if (claim.reimbursementIds.includes(marker)) return claim;
      const recovered = money(Math.max(0, claim.recovered.minor - Math.abs(convertible(claim, action.amount))), claim.recovered.currency);
      return {
        ...claim,
        status: 'reversed',
        recovered,
        unitsRecovered: 0,
        reimbursementIds: [...claim.reimbursementIds, marker],
        updatedAt: now,
        history: [...claim.history, record('reversed', `reimbursement ${action.reimbursementId} reversed`)],
      };
    }
  }
}

/** Amazon pays in the claim's marketplace currency; anything else is a data error, not a payment to add up. */
function convertible(claim: Claim, amount: Money): number {
  if (amount.currency !== claim.recovered.currency) {
    throw new ConflictError(`claim ${claim.id} is in ${claim.recovered.currency}, payment in ${amount.currency}`, 'currency_mismatch');
  }
  return amount.minor;
}

/** Open claims a reimbursement can still pay. */
export function isPayable(status: ClaimStatus): boolean {
  return ALLOWED[status].includes('payment');
}

const REIMBURSEMENT_CATEGORY_FOR_CLAIM: Readonly<Record<FoundClaim['type'], ReadonlyArray<ReimbursementRecord['category']>>> = {
  lost_warehouse: ['warehouse_lost'],
  damaged_warehouse: ['warehouse_damaged'],
  disposed_unauthorised: ['warehouse_disposed', 'other'],
  refund_not_returned: ['customer_return'],
  return_not_restocked: ['customer_return'],
  return_unsellable: ['customer_return'],
  inbound_shortage: ['inbound'],
  removal_lost: ['removal'],
  fee_overcharge: ['fee'],
  size_tier_overcharge: ['fee'],
  underpaid_reimbursement: ['warehouse_lost', 'warehouse_damaged', 'warehouse_disposed', 'inbound', 'removal', 'customer_return', 'other'],
  reversal_without_recovery: ['warehouse_lost', 'warehouse_damaged', 'other'],
  refund_above_charge: ['customer_return', 'other'],
  replacement_not_returned: ['customer_return', 'other'],
};

/**
 * Does this reimbursement pay this claim? By case id first (exact); otherwise by evidence: same FNSKU (or
 * the order id for customer-return claims), a reason that pays this kind of loss, approved after the event.
 */
export function reimbursementMatches(claim: Claim, r: ReimbursementRecord): 'case' | 'evidence' | undefined {
  if (r.caseId && claim.caseId && r.caseId === claim.caseId) return 'case';
  if (!REIMBURSEMENT_CATEGORY_FOR_CLAIM[claim.type].includes(r.category)) return undefined;
  if (r.approvalDate < claim.eventDate) return undefined;
  if (claim.type === 'refund_not_returned' || claim.type === 'return_not_restocked') {
    return r.amazonOrderId !== '' && r.amazonOrderId === claim.ref ? 'evidence' : undefined;
  }
  if (claim.type === 'underpaid_reimbursement') {
    return r.originalReimbursementId === claim.ref ? 'evidence' : undefined;
  }
  return claim.fnsku !== '' && r.fnsku === claim.fnsku ? 'evidence' : undefined;
}
