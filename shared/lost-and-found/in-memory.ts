import { ConflictError } from '../kernel/errors.ts';
import { newClaim, type Claim, type ClaimStatus } from './lifecycle.ts';
import type { FoundClaim } from './model.ts';
import type {
  CaseFilingPort,
  CaseFilingResult,
  CaseRequest,
  ClaimRepository,
  CsmNotificationPort,
  CsmTaskPort,
  CsmTaskRequest,
  UpsertOutcome,
} from './ports.ts';

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
        this.claims.set(key, {
          ...existing,
          quantity: claim.quantity,
          amount: claim.amount,
          evidence: claim.evidence,
          deadline: claim.deadline,
          updatedAt: at.toISOString(),
          version: existing.version + 1,
        });
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

/**
 * Manual / assisted filing, the production adapter while Amazon has no case API: it returns the case text
 * and the steps; the customer or CSM pastes it into Seller Support and records the case id afterwards.
 */
export class AssistedCaseFiling implements CaseFilingPort {
  async fileCase(request: CaseRequest): Promise<CaseFilingResult> {
    return {
      kind: 'assisted',
      text: request.text,
      instructions:
        'Seller Central → Help → Get support → Selling on Amazon → Fulfilment by Amazon → Reimbursements: paste the text, attach nothing else, submit, then record the case id on this claim.',
    };
  }
}

/** The local stack's Seller Support: opens a case at once with a predictable id. */
export class SimulatedCaseFiling implements CaseFilingPort {
  readonly filed: CaseRequest[] = [];
  constructor(private nextCase = 10_000_000_000) {}
  async fileCase(request: CaseRequest): Promise<CaseFilingResult> {
    this.filed.push(request);
    return { kind: 'filed', caseId: String(this.nextCase++) };
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
