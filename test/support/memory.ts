/** In-memory implementations of the ports, with the same contracts as the DynamoDB/SNS adapters, for unit tests. */
import { VersionConflictError } from '#shared/kernel/errors.ts';
import type { CustomerEvent } from '#shared/contracts/customer-events.ts';
import type { CustomerRecord } from '#shared/customers/customer.ts';
import type { CustomerEventPublisher, CustomerRepository } from '#shared/customers/ports.ts';
import type { CsmNotification } from '#shared/csm/notifications.ts';
import type { CsmNotificationStore, CsmPushPublisher, PushClaim } from '#shared/csm/ports.ts';

export class MemoryCustomerRepository implements CustomerRepository {
  readonly records = new Map<string, CustomerRecord>();
  async get(tenantId: string) {
    const r = this.records.get(tenantId);
    return r ? structuredClone(r) : undefined;
  }
  async save(record: CustomerRecord) {
    const stored = this.records.get(record.tenantId);
    if ((stored?.version ?? 0) !== record.version - 1) throw new VersionConflictError(record.tenantId);
    this.records.set(record.tenantId, structuredClone(record));
  }
  async listWithPendingEvents(dueBefore: Date, limit: number) {
    return [...this.records.values()]
      .filter((r) => r.pendingEvents.length > 0 && r.pendingEvents[0]!.occurredAt <= dueBefore.toISOString())
      .slice(0, limit)
      .map((r) => structuredClone(r));
  }
}

export class RecordingEventPublisher implements CustomerEventPublisher {
  readonly published: CustomerEvent[] = [];
  failNext = 0;
  async publish(events: readonly CustomerEvent[]) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('SNS unavailable');
    }
    this.published.push(...events);
  }
}

export class MemoryNotificationStore implements CsmNotificationStore {
  readonly items = new Map<string, CsmNotification>();
  async putIfAbsent(notification: CsmNotification) {
    const existing = this.items.get(notification.notificationId);
    if (existing) return { stored: existing, created: false };
    this.items.set(notification.notificationId, notification);
    return { stored: notification, created: true };
  }
  async markPushed(notification: CsmNotification, pushedAt: Date) {
    const n = this.items.get(notification.notificationId)!;
    this.items.set(n.notificationId, { ...n, pushedAt: n.pushedAt ?? pushedAt.toISOString() });
  }
  readonly claims = new Map<string, number>();
  async claimPush(id: string, now: Date, until: Date): Promise<PushClaim> {
    const n = this.items.get(id);
    if (n?.pushedAt) return 'pushed';
    if ((this.claims.get(id) ?? 0) > now.getTime()) return 'held';
    this.claims.set(id, until.getTime());
    return 'claimed';
  }
  async releasePush(id: string) {
    this.claims.delete(id);
  }
  async listFeed(limit: number, _cursor?: string, staffId?: string) {
    const all = [...this.items.values()].filter((n) => !staffId || n.csmId === staffId);
    return { items: all.slice(0, limit), nextCursor: null };
  }
  readonly read = new Set<string>();
  async readMarks(staffId: string, ids: readonly string[]) {
    return new Set(ids.filter((id) => this.read.has(`${staffId}|${id}`)));
  }
  async markRead(staffId: string, id: string) {
    this.read.add(`${staffId}|${id}`);
  }
  async get(id: string) {
    return this.items.get(id);
  }
}

export class RecordingPushPublisher implements CsmPushPublisher {
  readonly pushed: CsmNotification[] = [];
  failNext = 0;
  async push(notification: CsmNotification) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('SNS unavailable');
    }
    this.pushed.push(notification);
  }
}
