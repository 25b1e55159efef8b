/**
 * A seller revoked our app: the customer's manager gets a re-authorisation call (task) and a push, once per
 * authorisation (ids derived from seller and authorisation time, so a repeated report creates nothing).
 */
import type { RevocationAlerts } from '#shared/amazon-access/ports.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import { notifyCsm, type CsmNotificationStore, type CsmPushPublisher, type TaskRepository } from '#shared/csm/index.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { stableId } from '#shared/kernel/ids.ts';

export class CsmRevocationAlerts implements RevocationAlerts {
  constructor(
    private readonly deps: {
      customers: CustomerRepository;
      tasks: TaskRepository;
      notifications: CsmNotificationStore;
      push: CsmPushPublisher;
      clock: Clock;
    },
  ) {}

  async revoked(alert: { tenantId: string; sellerId: string; reason: string; revokedAt: string; authorisedAt: string | null }): Promise<void> {
    const key = `amazon-revoked#${alert.sellerId}#${alert.authorisedAt ?? alert.revokedAt}`;
    const customer = await this.deps.customers.get(alert.tenantId);
    const companyName = customer?.companyName ?? alert.tenantId;
    const title = `Amazon access revoked: ${companyName}`;
    const detail = `Seller ${alert.sellerId} revoked sellerops on Amazon (${alert.reason}). Repricing, report fetches and analyses for it stopped; ask the customer to authorise again.`;
    await this.deps.tasks.createIfAbsent({
      taskId: stableId('task', key),
      kind: 'amazon-reauthorisation',
      tenantId: alert.tenantId,
      companyName,
      language: customer?.language ?? 'en',
      assigneeId: customer?.assignment?.csmId ?? null,
      status: 'open',
      dueAt: alert.revokedAt,
      createdAt: alert.revokedAt,
      title,
      details: { sellerId: alert.sellerId, reason: alert.reason },
      version: 1,
    });
    await notifyCsm(this.deps, {
      notificationId: stableId('n', key),
      eventId: key,
      eventType: 'amazon.revoked',
      occurredAt: alert.revokedAt,
      customerId: alert.tenantId,
      companyName,
      language: customer?.language ?? 'en',
      product: 'repricer',
      title,
      message: detail,
      csmId: customer?.assignment?.csmId ?? null,
      needsLeadAttention: !customer?.assignment,
      createdAt: this.deps.clock.now().toISOString(),
      pushedAt: null,
    });
  }
}
