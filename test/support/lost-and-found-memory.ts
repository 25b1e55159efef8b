/** Test fakes of Lost & Found's ports (unit tests only; the local stack uses the DynamoDB adapters). */
import { ConflictError } from '#shared/kernel/errors.ts';
import { newClaim, refreshedClaim, type Claim, type ClaimStatus } from '#shared/lost-and-found/lifecycle.ts';
import type { FoundClaim } from '#shared/lost-and-found/model.ts';
import type {
  ClaimRepository,
  CsmNotificationPort,
  CsmTaskPort,
  CsmTaskRequest,
  UpsertOutcome,
} from '#shared/lost-and-found/ports.ts';

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
