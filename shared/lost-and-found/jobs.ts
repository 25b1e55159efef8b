/**
 * Lost & Found as a running service: audit jobs over a tenant's stored reports, their status, the damage
 * history the daily anomaly check needs, and the registry of customers the daily check visits.
 */
import type { Clock } from '#shared/kernel/clock.ts';
import { ConflictError, IdempotencyKeyMismatchError, NotFoundError, RateLimitedError } from '#shared/kernel/errors.ts';
import { inputId } from '#shared/kernel/ids.ts';
import type { FileReport, SkippedLine, WithheldClaims } from './model.ts';
import type { SpillStorage } from './audit.ts';
import type { AnomalyPorts, AuditRun, ClaimPorts } from './use-cases.ts';
import { reportsToAudit } from './report-period.ts';
import { auditCustomerReports, runDailyAnomalyCheck } from './use-cases.ts';
import type { LostFoundStore, ReportStore, AuditQueue } from './ports.ts';

export interface AuditJob {
  readonly auditId: string;
  readonly customerId: string;
  readonly asOf: string;
  readonly status: 'queued' | 'running' | 'done' | 'failed';
  readonly requestedAt: string;
  /** What was asked for under this id (the as-of day): a retry with the same id must ask for the same. */
  readonly request?: string;
  /** When the latest attempt started running. */
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly summary?: {
    readonly files: readonly FileReport[];
    readonly skippedLines: readonly SkippedLine[];
    readonly claimsFound: number;
    /** Stored daily files left unread: too old to change any claim. */
    readonly filesTooOld?: number;
    /** Possible claims not made because a report they rest on is missing, with the report to upload. */
    readonly withheld?: readonly WithheldClaims[];
    readonly created: number;
    readonly refreshed: number;
    readonly untouched: number;
    readonly paid: number;
    readonly reversed: number;
    readonly expired: number;
  };
  readonly error?: string;
}

/**
 * No audit attempt runs longer than this (the auditor function's timeout): a job still `running` after it was
 * interrupted (its process killed) and is shown as failed, until a redelivery of its message runs it again.
 */
export const AUDIT_ATTEMPT_LIMIT_MS = 15 * 60_000;

/**
 * Audits one customer may have queued or running at once. The auditors are shared by every customer (and every audit
 * reads the customer's whole folder, so a third concurrent one adds nothing): more is `429 too_many_audits`.
 */
export const AUDITS_AT_ONCE_PER_CUSTOMER = 2;
/**
 * How long a slot is held at most: an audit's message is delivered up to 3 times (the queue's maxReceiveCount), each
 * attempt at most AUDIT_ATTEMPT_LIMIT_MS. A job that ends normally frees its slot at once; this only bounds a job whose
 * last attempt died.
 */
export const AUDIT_SLOT_HOLD_MS = 4 * AUDIT_ATTEMPT_LIMIT_MS;

/**
 * Starts an audit: a job record, then a message for the auditor (which also tolerates a lost record). A customer's
 * request takes one of its AUDITS_AT_ONCE_PER_CUSTOMER slots first (`limitPerCustomer`); the daily fetch's own audit
 * does not, so a customer's requests can never keep the daily audit from starting.
 */
export async function startAudit(
  deps: { store: LostFoundStore; queue: AuditQueue; clock: Clock },
  customerId: string,
  requestedAsOf: string | undefined,
  requestId: string,
  options: { readonly limitPerCustomer: boolean } = { limitPerCustomer: false },
): Promise<AuditJob> {
  const now = deps.clock.now();
  const asOf = requestedAsOf ?? now.toISOString().slice(0, 10);
  if (asOf > now.toISOString().slice(0, 10)) throw new ConflictError(`asOf ${asOf} is in the future`, 'as_of_in_future');
  // The id is bound to the request: the same Idempotency-Key with another body is refused, not silently
  // answered with the first request's audit. (The body's only field is asOf; unset means today.)
  const request = JSON.stringify({ asOf: requestedAsOf ?? null });
  const job: AuditJob = { auditId: inputId('audit', `${customerId}#${requestId}`), customerId, asOf, status: 'queued', requestedAt: now.toISOString(), request };
  let existing = await deps.store.getJob(customerId, job.auditId);
  if (existing === undefined && options.limitPerCustomer) {
    const slot = await deps.store.claimAuditSlot(customerId, job.auditId, AUDITS_AT_ONCE_PER_CUSTOMER, now, new Date(now.getTime() + AUDIT_SLOT_HOLD_MS));
    if (!slot.claimed) {
      throw new RateLimitedError(
        `${AUDITS_AT_ONCE_PER_CUSTOMER} audits of this customer are already queued or running (${slot.heldBy.join(', ')}); each reads every stored report, so start another when one has finished (GET /lost-and-found/audits/{auditId})`,
        'too_many_audits',
      );
    }
  }
  if (existing === undefined && !(await deps.store.createJob(job))) existing = await deps.store.getJob(customerId, job.auditId);
  if (existing !== undefined && existing.request !== undefined && existing.request !== request) throw new IdempotencyKeyMismatchError();
  // Enqueued on every attempt: a retry completes a start whose first enqueue failed (the auditor skips a done job).
  await deps.queue.enqueue({ customerId, auditId: job.auditId, asOf: existing?.asOf ?? asOf });
  return existing ?? job;
}

/** The auditor: idempotent per audit id (a finished job is not run again; claims are upserted by id anyway). */
export async function runAuditJob(
  deps: ClaimPorts & { store: LostFoundStore; reports: ReportStore; clock: Clock; spill?: SpillStorage },
  message: { customerId: string; auditId: string; asOf: string },
): Promise<AuditJob> {
  const existing = await deps.store.getJob(message.customerId, message.auditId);
  if (existing?.status === 'done') return existing;
  const base: AuditJob = existing ?? { ...message, status: 'queued', requestedAt: deps.clock.now().toISOString() };
  await deps.store.putJob({ ...base, status: 'running', startedAt: deps.clock.now().toISOString() });
  // Only the files that can still produce or settle a claim: the folder holds every day ever fetched.
  const { read: sources, tooOld } = reportsToAudit(await deps.reports.sources(message.customerId), message.asOf);
  if (sources.length === 0) {
    // Nothing to read is not a clean audit: say so rather than report success over zero files.
    const error =
      tooOld.length > 0
        ? `no report can still change a claim as of ${message.asOf}: all ${tooOld.length} stored files are older than every claim window; upload current reports (POST /lost-and-found/uploads)`
        : 'no report files: upload reports (POST /lost-and-found/uploads) before auditing';
    const failed: AuditJob = { ...base, status: 'failed', finishedAt: deps.clock.now().toISOString(), error };
    await deps.store.putJob(failed);
    await deps.store.releaseAuditSlot(message.customerId, message.auditId);
    return failed;
  }
  let run: AuditRun;
  try {
    run = await auditCustomerReports(deps, deps.clock, { customerId: message.customerId, sources, asOf: message.asOf, ...(deps.spill !== undefined ? { options: { spill: deps.spill } } : {}) });
  } catch (error) {
    await deps.store.putJob({ ...base, status: 'failed', finishedAt: deps.clock.now().toISOString(), error: (error as Error).message });
    throw error;
  }
  await deps.store.mergeDamageHistory(message.customerId, run.audit.damageAdjustmentsByDay);
  await deps.store.register(message.customerId);
  const done: AuditJob = {
    ...base,
    status: 'done',
    finishedAt: deps.clock.now().toISOString(),
    summary: {
      files: run.audit.report.files,
      skippedLines: run.audit.report.lines.slice(0, 200),
      claimsFound: run.claimsFound,
      filesTooOld: tooOld.length,
      withheld: run.audit.withheld,
      created: run.upsert.created.length,
      refreshed: run.upsert.refreshed.length,
      untouched: run.upsert.untouched.length,
      paid: run.reconciliation.paid.length,
      reversed: run.reconciliation.reversed.length,
      expired: run.expired.length,
    },
  };
  await deps.store.putJob(done);
  await deps.store.releaseAuditSlot(message.customerId, message.auditId);
  deps.metrics?.count('AuditsRun');
  const { ledgerRows, ledgerMillis } = run.audit.stats;
  if (ledgerRows > 0 && ledgerMillis > 0) deps.metrics?.measure('AuditRowsPerSecond', Math.round((ledgerRows * 1000) / ledgerMillis));
  return done;
}

export async function getAuditJob(store: LostFoundStore, customerId: string, auditId: string, now?: Date): Promise<AuditJob> {
  const job = await store.getJob(customerId, auditId);
  if (!job) throw new NotFoundError(`audit ${auditId}`);
  const started = job.startedAt ? Date.parse(job.startedAt) : Number.NaN;
  if (job.status === 'running' && now !== undefined && now.getTime() - started > AUDIT_ATTEMPT_LIMIT_MS) {
    return { ...job, status: 'failed', error: `interrupted: running since ${job.startedAt}, longer than an audit attempt can take; it is run again while attempts remain` };
  }
  return job;
}

/** The daily check over every registered customer (R-L4). */
export async function runDailyChecks(deps: AnomalyPorts & { store: LostFoundStore; clock: Clock }): Promise<{ customers: number; created: string[] }> {
  const created: string[] = [];
  const customers = await deps.store.registeredCustomers();
  for (const customerId of customers) {
    const result = await runDailyAnomalyCheck(deps, deps.clock, { customerId, dailyDamage: await deps.store.damageHistory(customerId) });
    created.push(...result.created);
  }
  return { customers: customers.length, created };
}
