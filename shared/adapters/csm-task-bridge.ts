/**
 * Lost & Found's CSM ports on top of the CSM side: anomaly and set-up-help tasks go into the CSM task queue
 * for the customer's manager (one per dedup key: the task id is derived from it), and the push goes through
 * the CSM notification centre (stored in the feeds, pushed once over SNS).
 */
import type { Clock } from '#shared/kernel/clock.ts';
import { stableId } from '#shared/kernel/ids.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import { notifyCsm } from '#shared/csm/notifications.ts';
import type { CsmNotificationPort, CsmTaskPort, CsmTaskRequest } from '#shared/lost-and-found/ports.ts';
import type { CsmNotificationStore, CsmPushPublisher, TaskRepository } from '#shared/csm/ports.ts';

export class CsmTaskBridge implements CsmTaskPort, CsmNotificationPort {
  constructor(
    private readonly deps: {
      customers: CustomerRepository;
      tasks: TaskRepository;
      notifications: CsmNotificationStore;
      push: CsmPushPublisher;
      clock: Clock;
    },
  ) {}

  async createOnce(request: CsmTaskRequest): Promise<{ created: boolean }> {
    const customer = await this.deps.customers.get(request.customerId);
    const created = await this.deps.tasks.createIfAbsent({
      taskId: stableId('task', `lost-and-found#${request.dedupKey}`),
      kind: request.kind === 'setup_help' ? 'setup-help' : 'anomaly-call',
      tenantId: request.customerId,
      companyName: customer?.companyName ?? request.customerId,
      language: customer?.language ?? 'en',
      assigneeId: customer?.assignment?.csmId ?? null,
      status: 'open',
      dueAt: request.createdAt,
      createdAt: request.createdAt,
      title: `${request.title}: ${customer?.companyName ?? request.customerId}`,
      details: { product: 'lost-and-found', anomaly: request.kind, detail: request.detail, dedupKey: request.dedupKey },
      version: 1,
    });
    return { created };
  }

  async push(message: { customerId: string; kind: string; title: string; detail: string; dedupKey: string }): Promise<void> {
    const customer = await this.deps.customers.get(message.customerId);
    const now = this.deps.clock.now().toISOString();
    await notifyCsm(this.deps, {
      notificationId: stableId('n', `lost-and-found#${message.dedupKey}`),
      eventId: `lost-and-found#${message.dedupKey}`,
      eventType: `lost-and-found.${message.kind.replace('_', '-')}`,
      occurredAt: now,
      customerId: message.customerId,
      companyName: customer?.companyName ?? message.customerId,
      language: customer?.language ?? 'en',
      product: 'lost-and-found',
      title: `${message.title}: ${customer?.companyName ?? message.customerId}`,
      message: message.detail,
      csmId: customer?.assignment?.csmId ?? null,
      needsLeadAttention: !customer?.assignment,
      createdAt: now,
      pushedAt: null,
    });
  }
}
