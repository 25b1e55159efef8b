import type { Clock } from '#shared/kernel/clock.ts';
import type { BusinessMetrics } from '#shared/kernel/metrics.ts';
import { NotFoundError } from '#shared/kernel/errors.ts';
import { checkDamageBurst, checkExpiringUnfiled, type AnomalyFinding, type DamageBurstOptions, type ExpiringCheckOptions } from './anomaly.ts';
import { checkReportFile, runAudit, type AuditOptions, type AuditResult, type ReportFileProblem, type ReportSource } from './audit.ts';
import type { ReportType } from './report-types.ts';
import { caseText } from './case-text.ts';
import { summariseClaims, type DashboardSummary } from './dashboard.ts';
import { applyClaimAction, findingChangesClaim, isPayable, reimbursementMatches, type Claim, type ClaimAction, type ClaimStatus } from './lifecycle.ts';
import type { DailyCount, FoundClaim, ReimbursementRecord } from './model.ts';
import type { CaseFilingPort, CaseFilingResult, ClaimRepository, CsmNotificationPort, CsmTaskPort, ReportStore, UpsertOutcome } from './ports.ts';
import { dayOfDate, isoDay } from './tsv.ts';
import { mapConcurrently } from '#shared/kernel/concurrency.ts';

/**
 * Lost & Found use cases. Each takes its ports, the clock and its input, and returns a result: the Lambda
 * handlers, the local stack and the CLI call these and nothing below them.
 */

export interface ClaimPorts {
  claims: ClaimRepository;
  /** Business metrics (claims found / filed / paid with their value, audits run); absent where nothing is counted. */
  metrics?: BusinessMetrics;
}

export function todayOf(clock: Clock): string {
  return isoDay(dayOfDate(clock.now()));
}

/** One stored report file as the next audit will see it: its size, the report it was recognised as, and why it cannot be read. */
export interface StoredReport {
  readonly fileName: string;
  readonly bytes: number;
  readonly type: ReportType | 'unknown';
  readonly problem: ReportFileProblem | null;
}

/** Header looks in flight when listing: each is one ranged read. */
const REPORT_CHECK_CONCURRENCY = 8;

/** The tenant's report files, each checked by its header row as the audit will (what an upload answers in the web app). */
export async function listStoredReports(reports: Pick<ReportStore, 'sources'>, customerId: string): Promise<StoredReport[]> {
  const sources = await reports.sources(customerId);
  return mapConcurrently(sources, REPORT_CHECK_CONCURRENCY, async (source) => {
    const check = await checkReportFile(source);
    return { fileName: source.name, bytes: source.size ?? 0, type: check.type, problem: check.problem };
  });
}

/** Claims written per `upsertFound` call, and calls in flight: a daily audit of a big seller writes thousands. */
const UPSERT_BATCH_SIZE = 25;
const UPSERT_CONCURRENCY = 4;

/**
 * Stores what an audit found: new claims created, unfiled ones whose figures changed refreshed, everything else
 * (unchanged, filed, settled) untouched without a write. Writes go in batches, a few at a time. `stored` is the
 * customer's claims when the caller has read them already.
 */
export async function recordAuditFindings(
  ports: ClaimPorts,
  clock: Clock,
  input: { customerId: string; claims: readonly FoundClaim[]; stored?: ReadonlyMap<string, Claim> },
): Promise<UpsertOutcome> {
  const stored = input.stored ?? claimsById(await ports.claims.list(input.customerId));
  const toWrite: FoundClaim[] = [];
  const untouched: string[] = [];
  for (const found of input.claims) {
    const known = stored.get(found.id);
    if (known === undefined || (known.status === 'found' && findingChangesClaim(known, found))) toWrite.push(found);
    else untouched.push(found.id);
  }
  const batches: FoundClaim[][] = [];
  for (let i = 0; i < toWrite.length; i += UPSERT_BATCH_SIZE) batches.push(toWrite.slice(i, i + UPSERT_BATCH_SIZE));
  const at = clock.now();
  const outcomes = await mapConcurrently(batches, UPSERT_CONCURRENCY, (batch) => ports.claims.upsertFound(input.customerId, batch, at));
  countFound(ports, toWrite, new Set(outcomes.flatMap((o) => o.created)));
  return {
    created: outcomes.flatMap((o) => o.created),
    refreshed: outcomes.flatMap((o) => o.refreshed),
    untouched: [...untouched, ...outcomes.flatMap((o) => o.untouched)],
  };
}

/** `ClaimsFound` and, per currency, `ClaimsFoundValue` (minor units) of the claims an audit created. */
function countFound(ports: ClaimPorts, written: readonly FoundClaim[], created: ReadonlySet<string>): void {
  if (!ports.metrics || created.size === 0) return;
  ports.metrics.count('ClaimsFound', created.size);
  const valueByCurrency = new Map<string, number>();
  for (const claim of written) {
    if (created.has(claim.id)) valueByCurrency.set(claim.amount.currency, (valueByCurrency.get(claim.amount.currency) ?? 0) + claim.amount.minor);
  }
  for (const [currency, minor] of valueByCurrency) ports.metrics.measure('ClaimsFoundValue', minor, { currency });
}

export interface AuditRun {
  /** The audit's result; its `claims` is empty: they were recorded partition by partition (`claimsFound` counts them). */
  audit: AuditResult;
  claimsFound: number;
  upsert: UpsertOutcome;
  reconciliation: ReconciliationResult;
  expired: string[];
}

/**
 * The audit job (S3 objects, SP-API report documents or local files as byte streams): audit, record the
 * claims, reconcile the reimbursements in the reports against claims already filed, expire overdue ones.
 * Claims are recorded as each SKU partition hands them over, so the job never holds a big seller's claims at once.
 */
export async function auditCustomerReports(
  ports: ClaimPorts,
  clock: Clock,
  input: { customerId: string; sources: readonly ReportSource[]; asOf?: string; options?: Omit<AuditOptions, 'asOf' | 'onClaims'> },
): Promise<AuditRun> {
  // One read of the customer's claims decides what to write and, when nothing was written, serves reconciliation
  // and expiry too (each claim item carries its evidence: reading the partition is the job's biggest read).
  const stored = claimsById(await ports.claims.list(input.customerId));
  const upsert: UpsertOutcome = { created: [], refreshed: [], untouched: [] };
  let claimsFound = 0;
  const onClaims = async (claims: readonly FoundClaim[]): Promise<void> => {
    claimsFound += claims.length;
    const outcome = await recordAuditFindings(ports, clock, { customerId: input.customerId, claims, stored });
    upsert.created.push(...outcome.created);
    upsert.refreshed.push(...outcome.refreshed);
    upsert.untouched.push(...outcome.untouched);
  };
  const audit = await runAudit(input.sources, { ...input.options, asOf: input.asOf ?? todayOf(clock), onClaims });
  const claims = upsert.created.length + upsert.refreshed.length > 0 ? claimsById(await ports.claims.list(input.customerId)) : stored;
  const reconciliation = await reconcileAgainst(ports, clock, claims, audit.reimbursements);
  const expired = await expireAmong(ports, clock, [...claims.values()].filter((c) => EXPIRABLE.includes(c.status)));
  return { audit, claimsFound, upsert, reconciliation, expired };
}

async function load(ports: ClaimPorts, customerId: string, claimId: string): Promise<Claim> {
  const claim = await ports.claims.get(customerId, claimId);
  if (claim === undefined) throw new NotFoundError(`claim ${claimId}`);
  return claim;
}

/** Any lifecycle step (request info, answer, reject…): ConflictError when the state forbids it. */
export async function transitionClaim(ports: ClaimPorts, clock: Clock, input: { customerId: string; claimId: string; action: ClaimAction }): Promise<Claim> {
  const claim = await load(ports, input.customerId, input.claimId);
  const next = applyClaimAction(claim, input.action, clock.now());
  if (next === claim) return claim;
  const saved = await ports.claims.save(next, claim.version);
  if (input.action.kind === 'file') ports.metrics?.count('ClaimsFiled');
  return saved;
}

export interface FileClaimResult {
  claim: Claim;
  filing: CaseFilingResult;
  text: string;
}

/**
 * Files a claim through the case-filing port. A filed case moves the claim to `filed` with its case id; an
 * assisted one returns the text and leaves the claim `found` until `recordCaseFiled`.
 */
export async function fileClaim(ports: ClaimPorts & { caseFiling: CaseFilingPort }, clock: Clock, input: { customerId: string; claimId: string }): Promise<FileClaimResult> {
  const claim = await load(ports, input.customerId, input.claimId);
  // Check the transition before contacting Seller Support, so a paid claim is never filed twice.
  applyClaimAction(claim, { kind: 'file', caseId: 'pending' }, clock.now());
  const text = caseText(claim);
  const filing = await ports.caseFiling.fileCase({ customerId: input.customerId, claimId: claim.id, subject: text.split('\n')[0]!.replace(/^Subject: /, ''), text });
  if (filing.kind === 'assisted') return { claim, filing, text };
  const filed = await ports.claims.save(applyClaimAction(claim, { kind: 'file', caseId: filing.caseId }, clock.now()), claim.version);
  return { claim: filed, filing, text };
}

/** The customer (or CSM) opened the case by hand: record its id. */
export async function recordCaseFiled(ports: ClaimPorts, clock: Clock, input: { customerId: string; claimId: string; caseId: string }): Promise<Claim> {
  return transitionClaim(ports, clock, { customerId: input.customerId, claimId: input.claimId, action: { kind: 'file', caseId: input.caseId } });
}

export interface ReconciliationResult {
  paid: Array<{ claimId: string; reimbursementId: string; matchedBy: 'case' | 'evidence'; status: Claim['status'] }>;
  reversed: Array<{ claimId: string; reimbursementId: string }>;
  unmatched: string[];
}

/**
 * Reimbursement rows → claim payments. A row carrying a claim's case id pays it; otherwise a row matching the
 * evidence (FNSKU or order id, a reason that pays that loss) approved after the claim was found or filed.
 * A reversal of an applied reimbursement reopens the claim. Idempotent by reimbursement id.
 */
export async function reconcileReimbursements(ports: ClaimPorts, clock: Clock, input: { customerId: string; reimbursements: readonly ReimbursementRecord[] }): Promise<ReconciliationResult> {
  return reconcileAgainst(ports, clock, claimsById(await ports.claims.list(input.customerId)), input.reimbursements);
}

function claimsById(claims: readonly Claim[]): Map<string, Claim> {
  return new Map(claims.map((c) => [c.id, c]));
}

/** `reconcileReimbursements` over claims already read; `claims` is kept up to date with what it saves. */
async function reconcileAgainst(ports: ClaimPorts, clock: Clock, claims: Map<string, Claim>, reimbursements: readonly ReimbursementRecord[]): Promise<ReconciliationResult> {
  const result: ReconciliationResult = { paid: [], reversed: [], unmatched: [] };
  const applied = new Set([...claims.values()].flatMap((c) => c.reimbursementIds));
  const rows = [...reimbursements].sort((a, b) => a.approvalDate.localeCompare(b.approvalDate));
  const save = async (claim: Claim, next: Claim): Promise<Claim> => {
    const saved = await ports.claims.save(next, claim.version);
    claims.set(saved.id, saved);
    return saved;
  };
  for (const r of rows) {
    if (r.category === 'reversal') continue;
    if (applied.has(r.reimbursementId)) continue;
    const candidates = [...claims.values()]
      .filter((c) => isPayable(c.status) && c.recovered.currency === r.amountTotal.currency)
      .map((c) => ({ c, by: reimbursementMatches(c, r) }))
      // An evidence match must postdate the claim: earlier reimbursements were already netted by the audit.
      .filter(({ c, by }) => by === 'case' || (by === 'evidence' && r.approvalDate > (c.filedAt ?? c.foundAt).slice(0, 10)))
      .sort((a, b) => (a.by === b.by ? a.c.eventDate.localeCompare(b.c.eventDate) : a.by === 'case' ? -1 : 1));
    const match = candidates[0];
    if (match === undefined || match.by === undefined) {
      result.unmatched.push(r.reimbursementId);
      continue;
    }
    const saved = await save(match.c, applyClaimAction(match.c, { kind: 'payment', reimbursementId: r.reimbursementId, amount: r.amountTotal, units: r.quantityTotal }, clock.now()));
    applied.add(r.reimbursementId);
    ports.metrics?.count('ClaimsPaid');
    ports.metrics?.measure('ClaimsPaidValue', r.amountTotal.minor, { currency: r.amountTotal.currency });
    result.paid.push({ claimId: saved.id, reimbursementId: r.reimbursementId, matchedBy: match.by, status: saved.status });
  }
  for (const r of rows) {
    if (r.category !== 'reversal' || !r.originalReimbursementId) continue;
    const claim = [...claims.values()].find((c) => c.reimbursementIds.includes(r.originalReimbursementId));
    if (claim === undefined || claim.reimbursementIds.includes(`reversal:${r.originalReimbursementId}`)) continue;
    if (claim.status !== 'paid' && claim.status !== 'partially_paid') continue;
    const saved = await save(claim, applyClaimAction(claim, { kind: 'reverse', reimbursementId: r.originalReimbursementId, amount: r.amountTotal }, clock.now()));
    result.reversed.push({ claimId: saved.id, reimbursementId: r.originalReimbursementId });
  }
  return result;
}

/** Unfiled claims past their deadline become `expired` (Amazon no longer accepts them). */
export async function expireOverdueClaims(ports: ClaimPorts, clock: Clock, input: { customerId: string }): Promise<string[]> {
  return expireAmong(ports, clock, await ports.claims.list(input.customerId, { statuses: EXPIRABLE }));
}

/** The statuses an unfiled claim can expire from. */
const EXPIRABLE: readonly ClaimStatus[] = ['found', 'reversed'];

async function expireAmong(ports: ClaimPorts, clock: Clock, claims: readonly Claim[]): Promise<string[]> {
  const today = todayOf(clock);
  const expired: string[] = [];
  for (const claim of claims) {
    if (claim.deadline >= today) continue;
    await ports.claims.save(applyClaimAction(claim, { kind: 'expire' }, clock.now()), claim.version);
    expired.push(claim.id);
  }
  return expired;
}

export async function getDashboard(ports: ClaimPorts, clock: Clock, input: { customerId: string; feeBasisPoints?: number; expiringWithinDays?: number }): Promise<DashboardSummary> {
  const claims = await ports.claims.list(input.customerId);
  return summariseClaims(claims, { asOf: clock.now(), feeBasisPoints: input.feeBasisPoints, expiringWithinDays: input.expiringWithinDays });
}

export interface AnomalyPorts extends ClaimPorts {
  tasks: CsmTaskPort;
  notifications: CsmNotificationPort;
}

export interface DailyCheckResult {
  findings: AnomalyFinding[];
  /** Findings that created a new task (and a push); the others were already raised this week. */
  created: string[];
}

/**
 * R-L4 daily check: expiring unfiled value and damage bursts. A CSM task and a push only when the task is
 * new for its dedup key; otherwise the customer is not called.
 */
export async function runDailyAnomalyCheck(
  ports: AnomalyPorts,
  clock: Clock,
  input: { customerId: string; dailyDamage: readonly DailyCount[]; expiring?: Omit<ExpiringCheckOptions, 'asOf'>; damage?: Omit<DamageBurstOptions, 'asOf'> },
): Promise<DailyCheckResult> {
  const now = clock.now();
  const claims = await ports.claims.list(input.customerId);
  const findings = [
    checkExpiringUnfiled(input.customerId, claims, { ...input.expiring, asOf: now }),
    checkDamageBurst(input.customerId, input.dailyDamage, { ...input.damage, asOf: now }).finding,
  ].filter((f): f is AnomalyFinding => f !== undefined);
  const created: string[] = [];
  for (const finding of findings) {
    const { created: isNew } = await ports.tasks.createOnce({
      customerId: finding.customerId,
      kind: finding.kind,
      dedupKey: finding.dedupKey,
      title: finding.title,
      detail: finding.detail,
      createdAt: now.toISOString(),
    });
    if (!isNew) continue;
    await ports.notifications.push({ customerId: finding.customerId, kind: finding.kind, title: finding.title, detail: finding.detail, dedupKey: finding.dedupKey });
    created.push(finding.dedupKey);
  }
  return { findings, created };
}

/** R-L5: the customer asks for set-up help at any time; one task per customer per day. */
export async function requestSetupHelp(ports: Omit<AnomalyPorts, 'claims'>, clock: Clock, input: { customerId: string; note?: string }): Promise<{ created: boolean; dedupKey: string }> {
  const now = clock.now();
  const dedupKey = `${input.customerId}#setup_help#${todayOf(clock)}`;
  const title = 'Lost & Found set-up help requested';
  const detail = input.note?.trim() || 'The customer asked for help setting up Lost & Found.';
  const { created } = await ports.tasks.createOnce({ customerId: input.customerId, kind: 'setup_help', dedupKey, title, detail, createdAt: now.toISOString() });
  if (created) await ports.notifications.push({ customerId: input.customerId, kind: 'setup_help', title, detail, dedupKey });
  return { created, dedupKey };
}

