/** CSM notifications (R-N1): what staff are told when something happens in a customer account. */
import type { CustomerEvent } from '#shared/contracts/customer-events.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { ConflictError } from '#shared/kernel/errors.ts';
import { stableId } from '#shared/kernel/ids.ts';
import { LANGUAGES } from '#shared/kernel/languages.ts';
import type { CsmNotificationStore, CsmPushPublisher } from './ports.ts';

export interface CsmNotification {
  /** Derived from the id of the event that caused it: one event, one notification, however often delivered. */
  readonly notificationId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly occurredAt: string;
  readonly customerId: string;
  readonly companyName: string;
  readonly language: string;
  readonly product: string;
  readonly title: string;
  readonly message: string;
  /** The CSM manager the customer is assigned to, when known. */
  readonly csmId: string | null;
  /** The customer has no manager in its language (or none at all): a lead should look. */
  readonly needsLeadAttention: boolean;
  readonly createdAt: string;
  readonly pushedAt: string | null;
}

const PRODUCT_NAMES = { repricer: 'Repricer', 'lost-and-found': 'Lost & Found' } as const;

export function notificationFor(
  event: CustomerEvent,
  assignment: { csmId: string | null; needsLeadAttention: boolean },
  createdAt: Date,
): CsmNotification {
  const c = event.customer;
  const product = PRODUCT_NAMES[event.product];
  const who = `${c.companyName} (${LANGUAGES[c.language]}, ${c.marketplaces.join(', ')})`;
  const text = ((): { title: string; message: string } => {
    switch (event.eventType) {
      case 'customer.signed-up':
        return {
          title: `New ${product} sign-up: ${c.companyName}`,
          message: `${who} signed up for ${product} (expects seller ${c.amazonSellerId}; Amazon confirms the seller when the customer authorises sellerops)${event.trialEndsAt ? `; trial ends ${event.trialEndsAt.slice(0, 10)}` : ''}. Call to offer onboarding help.`,
        };
      case 'contract.cancelled':
        return {
          title: `${product} cancelled: ${c.companyName}`,
          message: `${who} cancelled ${product}${event.reason ? `: "${event.reason}"` : ' without giving a reason'}. Call to understand why.`,
        };
      case 'contract.extended':
        return {
          title: `${product} extended: ${c.companyName}`,
          message: `${who} extended ${product} by ${event.months} month(s), now until ${event.endsAt.slice(0, 10)}.`,
        };
      case 'contract.converted':
        return {
          title: `${product} trial converted: ${c.companyName}`,
          message: `${who} continues ${product} after the trial (recorded by ${event.convertedBy} on the end-of-trial call): paid term of ${event.termMonths} month(s) until ${event.endsAt.slice(0, 10)}.`,
        };
      case 'contract.changed': {
        const parts = [
          event.changes.plan && `plan ${event.changes.plan.from} → ${event.changes.plan.to}`,
          event.changes.offerLimit && `offers ${event.changes.offerLimit.from} → ${event.changes.offerLimit.to}`,
          event.changes.marketplaces && `marketplaces ${event.changes.marketplaces.from.join('/')} → ${event.changes.marketplaces.to.join('/')}`,
        ].filter(Boolean);
        return { title: `${product} contract changed: ${c.companyName}`, message: `${who} changed ${product}: ${parts.join(', ')}.` };
      }
    }
  })();
  return {
    notificationId: stableId('n', event.eventId),
    eventId: event.eventId,
    eventType: event.eventType,
    occurredAt: event.occurredAt,
    customerId: c.customerId,
    companyName: c.companyName,
    language: c.language,
    product: event.product,
    ...text,
    csmId: assignment.csmId,
    needsLeadAttention: assignment.needsLeadAttention,
    createdAt: createdAt.toISOString(),
    pushedAt: null,
  };
}

export interface FeedItem extends CsmNotification {
  readonly read: boolean;
}

export type NotifyOutcome = 'pushed' | 'already-pushed';

/**
 * How long a push claim lasts: far longer than one SNS publish, far shorter than any queue's visibility
 * timeout, so the redelivery of a message whose consumer died holding the claim finds it lapsed.
 */
export const PUSH_CLAIM_MS = 5_000;

/** Another delivery of the same event is pushing this notification right now: retry later (then it is pushed). */
export class PushInProgressError extends ConflictError {
  constructor(notificationId: string) {
    super(`notification ${notificationId} is being pushed by another delivery`, 'push_in_progress');
  }
}

/**
 * Idempotent per event, also under concurrent duplicate deliveries: the conditional put makes every delivery
 * find the one notification, and the conditional claim lets exactly one of them push it; the others see it
 * pushed, or (while the claim is live) fail and are retried. Only a crash between push and mark, followed by
 * the claim lapsing, can push twice; the push carries `notificationId` so subscribers drop that rare repeat.
 */
export async function notifyCsm(
  deps: { readonly notifications: CsmNotificationStore; readonly push: CsmPushPublisher; readonly clock: Clock },
  notification: CsmNotification,
): Promise<NotifyOutcome> {
  const { stored } = await deps.notifications.putIfAbsent(notification);
  if (stored.pushedAt) return 'already-pushed';
  const now = deps.clock.now();
  const claim = await deps.notifications.claimPush(stored.notificationId, now, new Date(now.getTime() + PUSH_CLAIM_MS));
  if (claim === 'pushed') return 'already-pushed';
  if (claim === 'held') throw new PushInProgressError(stored.notificationId);
  try {
    await deps.push.push(stored);
  } catch (error) {
    await deps.notifications.releasePush(stored.notificationId).catch(() => undefined); // the claim lapses anyway
    throw error;
  }
  await deps.notifications.markPushed(stored, deps.clock.now());
  return 'pushed';
}

/** A page of a feed with each item's read flag for the reading manager. */
export async function readFeed(
  store: CsmNotificationStore,
  staffId: string,
  options: { scope: 'mine' | 'all'; limit: number; cursor?: string; unreadOnly: boolean },
): Promise<{ items: FeedItem[]; nextCursor: string | null }> {
  const page = await store.listFeed(options.limit, options.cursor, options.scope === 'mine' ? staffId : undefined);
  const read = await store.readMarks(staffId, page.items.map((n) => n.notificationId));
  const items = page.items.map((n) => ({ ...n, read: read.has(n.notificationId) }));
  return { items: options.unreadOnly ? items.filter((n) => !n.read) : items, nextCursor: page.nextCursor };
}
