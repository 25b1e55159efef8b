/** Test fakes of Lost & Found's ports (unit tests only; the local stack uses the DynamoDB adapters). */
import { ConflictError } from '#shared/kernel/errors.ts';
import { newClaim, refreshedClaim, type Claim, type ClaimStatus } from '#shared/lost-and-found/lifecycle.ts';
import type { FoundClaim } from '#shared/lost-and-found/model.ts';
import type {
  AuditQueue,
  ClaimRepository,
  CsmNotificationPort,
  CsmTaskPort,
  CsmTaskRequest,
  LostFoundStore,
  ReportFetchQueue,
  ReportFetchStatusStore,
  ReportStore,
  UpsertOutcome,
} from '#shared/lost-and-found/ports.ts';
import type { AuditJob } from '#shared/lost-and-found/jobs.ts';
import type { DailyCount } from '#shared/lost-and-found/model.ts';
import type { ReportSource } from '#shared/lost-and-found/audit.ts';
import type { ReportFetchStatus, ReportFetchStep } from '#shared/lost-and-found/report-fetch.ts';
import type { AmazonReportDocument, ListingsReportImporter } from '#shared/lost-and-found/ports.ts';
import { gunzipSync } from 'node:zlib';

/** In-memory ClaimRepository with the same semantics as the DynamoDB one (idempotent upsert, version check). */
export class InMemoryClaimRepository implements ClaimRepository {
  private readonly claims = new Map<string, Claim>();

  private key(customerId: string, claimId: string): string {
    return `${customerId}#${claimId}`;
  }

  async upsertFound(customerId: string, found: readonly FoundClaim[], at: Date): Promise<UpsertOutcome> {
    const outcome: UpsertOutcome = { created: [], refreshed: [], untouched: [] };
    for (const claim of found) {
      const key = this.key(customerId, claim.id);
      const existing = this.claims.get(key);
      if (existing === undefined) {
        this.claims.set(key, newClaim(claim, customerId, at));
        outcome.created.push(claim.id);
      } else if (existing.status === 'found') {
        this.claims.set(key, { ...refreshedClaim(existing, claim, at), version: existing.version + 1 });
        outcome.refreshed.push(claim.id);
      } else outcome.untouched.push(claim.id);
    }
    return outcome;
  }

  async get(customerId: string, claimId: string): Promise<Claim | undefined> {
    return this.claims.get(this.key(customerId, claimId));
  }

  async list(customerId: string, filter?: { statuses?: readonly ClaimStatus[] }): Promise<Claim[]> {
    return [...this.claims.values()].filter(
      (c) => c.customerId === customerId && (filter?.statuses === undefined || filter.statuses.includes(c.status)),
    );
  }

  async save(claim: Claim, expectedVersion: number): Promise<Claim> {
    const key = this.key(claim.customerId, claim.id);
    const stored = this.claims.get(key);
    if (stored === undefined || stored.version !== expectedVersion) {
      throw new ConflictError(`claim ${claim.id} changed since version ${expectedVersion}`, 'version_conflict');
    }
    const saved = { ...claim, version: expectedVersion + 1 };
    this.claims.set(key, saved);
    return saved;
  }
}

export class InMemoryCsmTasks implements CsmTaskPort, CsmNotificationPort {
  readonly tasks: CsmTaskRequest[] = [];
  readonly pushes: Array<{ customerId: string; kind: string; title: string; dedupKey: string }> = [];
  async createOnce(task: CsmTaskRequest): Promise<{ created: boolean }> {
    if (this.tasks.some((t) => t.dedupKey === task.dedupKey)) return { created: false };
    this.tasks.push(task);
    return { created: true };
  }
  async push(message: { customerId: string; kind: string; title: string; detail: string; dedupKey: string }): Promise<void> {
    this.pushes.push({ customerId: message.customerId, kind: message.kind, title: message.title, dedupKey: message.dedupKey });
  }
}

/** Audit jobs and report fetch statuses in memory (the DynamoDB store's semantics: createJob once per id). */
export class InMemoryLostFoundStore implements LostFoundStore, ReportFetchStatusStore {
  readonly jobs = new Map<string, AuditJob>();
  readonly fetches = new Map<string, ReportFetchStatus>();
  private readonly damage = new Map<string, DailyCount[]>();
  private readonly registered = new Set<string>();

  async putJob(job: AuditJob): Promise<void> {
    this.jobs.set(`${job.customerId}/${job.auditId}`, job);
  }
  async createJob(job: AuditJob): Promise<boolean> {
    if (this.jobs.has(`${job.customerId}/${job.auditId}`)) return false;
    this.jobs.set(`${job.customerId}/${job.auditId}`, job);
    return true;
  }
  async getJob(customerId: string, auditId: string): Promise<AuditJob | undefined> {
    return this.jobs.get(`${customerId}/${auditId}`);
  }
  /** Audit slots: the fetch tests never run audits, so every claim succeeds (the DynamoDB store enforces them). */
  async claimAuditSlot(): Promise<{ claimed: boolean; heldBy: readonly string[] }> {
    return { claimed: true, heldBy: [] };
  }
  async releaseAuditSlot(): Promise<void> {
    // nothing held: see claimAuditSlot
  }
  async mergeDamageHistory(customerId: string, days: readonly DailyCount[]): Promise<void> {
    this.damage.set(customerId, [...days]);
  }
  async damageHistory(customerId: string): Promise<DailyCount[]> {
    return this.damage.get(customerId) ?? [];
  }
  async register(customerId: string): Promise<void> {
    this.registered.add(customerId);
  }
  async registeredCustomers(): Promise<string[]> {
    return [...this.registered];
  }
  async getFetch(customerId: string, reportType: string): Promise<ReportFetchStatus | undefined> {
    return this.fetches.get(`${customerId}/${reportType}`);
  }
  async putFetch(status: ReportFetchStatus): Promise<void> {
    // Like DynamoDB with removeUndefinedValues: an unset field is absent, not `undefined`.
    this.fetches.set(`${status.customerId}/${status.reportType}`, JSON.parse(JSON.stringify(status)) as ReportFetchStatus);
  }
  /** As DynamoDB's conditional put: only at the same live step, unclaimed or claimed by the same delivery. */
  async claimFetch(status: ReportFetchStatus): Promise<boolean> {
    const stored = this.fetches.get(`${status.customerId}/${status.reportType}`);
    const sameStep =
      stored !== undefined &&
      ['queued', 'requested', 'processing'].includes(stored.state) &&
      stored.runDay === status.runDay &&
      stored.chunkStart === status.chunkStart &&
      stored.polls === status.polls &&
      stored.reportId === status.reportId;
    if (!sameStep || (stored.claimedStep === status.claimedStep && stored.claimedBy !== status.claimedBy)) return false;
    await this.putFetch(status);
    return true;
  }
  async listFetches(customerId: string): Promise<ReportFetchStatus[]> {
    return [...this.fetches.values()].filter((s) => s.customerId === customerId);
  }
}

/** Report files in memory; `chunks` counts the pieces a streamed document arrived in. */
export class InMemoryReportStore implements ReportStore {
  readonly files = new Map<string, { bytes: Uint8Array; chunks: number }>();

  async sources(customerId: string): Promise<ReportSource[]> {
    return [...this.files]
      .filter(([key]) => key.startsWith(`${customerId}/`))
      .map(([key, file]) => ({ name: key.slice(customerId.length + 1), size: file.bytes.length, open: async function* () { yield file.bytes; } }));
  }
  async put(customerId: string, fileName: string, bytes: Uint8Array): Promise<void> {
    this.files.set(`${customerId}/${fileName}`, { bytes, chunks: 1 });
  }
  async putStream(customerId: string, fileName: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const parts: Uint8Array[] = [];
    for await (const chunk of body) parts.push(chunk);
    this.files.set(`${customerId}/${fileName}`, { bytes: Buffer.concat(parts), chunks: parts.length });
  }
  async delete(customerId: string, fileName: string): Promise<boolean> {
    return this.files.delete(`${customerId}/${fileName}`);
  }
  async uploadUrl(customerId: string, fileName: string): Promise<{ url: string; key: string }> {
    return { url: `memory://${customerId}/${fileName}`, key: `${customerId}/${fileName}` };
  }
}

/** The fetch queue and the audit queue in memory: messages in order, with the delay each was sent with. */
export class InMemoryQueues implements ReportFetchQueue, AuditQueue {
  readonly steps: { step: ReportFetchStep; delaySeconds: number }[] = [];
  readonly audits: { customerId: string; auditId: string; asOf: string }[] = [];

  async send(step: ReportFetchStep, delaySeconds: number): Promise<void> {
    this.steps.push({ step, delaySeconds });
  }
  async enqueue(message: { customerId: string; auditId: string; asOf: string }): Promise<void> {
    this.audits.push(message);
  }
}

/** The listings reports the fetch handed over, unpacked (the repricer's import has its own tests). */
export class RecordingListingsImporter implements ListingsReportImporter {
  readonly imports: { tenantId: string; marketplace: string; day: string; report: string }[] = [];

  async importListings(input: { readonly tenantId: string; readonly marketplace: string; readonly day: string; readonly document: AmazonReportDocument }): Promise<void> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of input.document.body) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    this.imports.push({ tenantId: input.tenantId, marketplace: input.marketplace, day: input.day, report: (input.document.gzip ? gunzipSync(bytes) : bytes).toString('utf8') });
  }
}
