/**
 * R-P5 on the CSM side: a market change → one re-consultation task for the customer's manager and one CSM
 * push, deduplicated per listing and ISO week (the ids derive from that key, so repeats create nothing).
 */
import type { MarketChangedV1 } from '#shared/contracts/repricer-messages.ts';
import type { CustomerRepository } from '#shared/customers/index.ts';
import { notifyCsm, type NotifyOutcome, type CsmNotificationStore, type CsmPushPublisher, type TaskRepository } from '#shared/csm/index.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { stableId } from '#shared/kernel/ids.ts';
import { isoWeek } from './market-changes.ts';

const KIND_TEXT: Record<MarketChangedV1['kind'], string> = {
  'new-competitor': 'New competitor',
  'amazon-appeared': 'Amazon now sells',
  'amazon-left': 'Amazon stopped selling',
  'buybox-lost-at-min': 'Buy Box lost at minimum price',
};

export async function handleMarketChange(
  deps: { customers: CustomerRepository; tasks: TaskRepository; notifications: CsmNotificationStore; push: CsmPushPublisher; clock: Clock },
  change: MarketChangedV1,
): Promise<{ taskCreated: boolean; push: NotifyOutcome }> {
  const week = isoWeek(new Date(change.occurredAt));
  const dedupKey = `repricer#market#${change.tenantId}#${change.marketplaceId}#${change.asin}#${week}`;
  const customer = await deps.customers.get(change.tenantId);
  const now = deps.clock.now().toISOString();
  const company = customer?.companyName ?? change.tenantId;
  const title = `Re-consultation: ${KIND_TEXT[change.kind]} on ${change.asin} (${change.marketplaceId}): ${company}`;
  const taskCreated = await deps.tasks.createIfAbsent({
    taskId: stableId('task', dedupKey),
    kind: 're-consultation',
    tenantId: change.tenantId,
    companyName: company,
    language: customer?.language ?? 'en',
    assigneeId: customer?.assignment?.csmId ?? null,
    status: 'open',
    dueAt: now,
    createdAt: now,
    title,
    details: { product: 'repricer', change: change.kind, marketplaceId: change.marketplaceId, asin: change.asin, audience: change.audience, detail: change.detail, week },
    version: 1,
  });
  const push = await notifyCsm(deps, {
    notificationId: stableId('n', dedupKey),
    eventId: dedupKey,
    eventType: 'market.changed',
    occurredAt: change.occurredAt,
    customerId: change.tenantId,
    companyName: company,
    language: customer?.language ?? 'en',
    product: 'repricer',
    title,
    message: `${change.detail}. Offer ${company} a new strategy consultation.`,
    csmId: customer?.assignment?.csmId ?? null,
    needsLeadAttention: !customer?.assignment,
    createdAt: now,
    pushedAt: null,
  });
  return { taskCreated, push };
}
