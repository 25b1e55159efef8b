import type { Claim, ClaimStatus } from './lifecycle.ts';
import type { FoundClaim } from './model.ts';

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
