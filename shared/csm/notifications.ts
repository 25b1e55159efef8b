/** CSM notifications (R-N1): what staff are told when something happens in a customer account. */
import type { CustomerEvent } from '../contracts/customer-events.ts';
import type { Clock } from '../kernel/clock.ts';
import { LANGUAGES } from '../kernel/languages.ts';

export interface CsmNotification {
  /** Equal to the id of the event that caused it: one event, one notification, however often delivered. */
  readonly notificationId: string;
  readonly eventType: CustomerEvent['eventType'];
  readonly occurredAt: string;
  readonly customerId: string;
  readonly companyName: string;
  readonly language: string;
  readonly product: string;
  readonly title: string;
  readonly message: string;
  /** The CSM manager the customer is assigned to, when known. */
  readonly csmId: string | null;
  readonly createdAt: string;
  readonly pushedAt: string | null;
}

export function notificationFor(event: CustomerEvent, createdAt: Date): CsmNotification {
  switch (event.eventType) {
    case 'customer.signed-up': {
      const c = event.customer;
      const product = event.product === 'repricer' ? 'Repricer' : 'Lost & Found';
      const trial = event.trialEndsAt ? `; trial ends ${event.trialEndsAt.slice(0, 10)}` : '';
      return {
        notificationId: event.eventId,
        eventType: event.eventType,
        occurredAt: event.occurredAt,
        customerId: c.customerId,
        companyName: c.companyName,
        language: c.language,
        product: event.product,
        title: `New ${product} sign-up: ${c.companyName}`,
        message: `${c.companyName} signed up for ${product} (${LANGUAGES[c.language]}, ${c.marketplaces.join(', ')}, seller ${c.amazonSellerId}${trial}). Call to offer onboarding help.`,
        csmId: null,
        createdAt: createdAt.toISOString(),
        pushedAt: null,
      };
    }
  }
}

export interface CsmNotificationStore {
  /** Stores the notification unless one with its id exists; returns the stored one either way. */
  putIfAbsent(notification: CsmNotification): Promise<{ stored: CsmNotification; created: boolean }>;
  markPushed(notification: CsmNotification, pushedAt: Date): Promise<void>;
  listFeed(limit: number, cursor?: string): Promise<{ items: CsmNotification[]; nextCursor: string | null }>;
}

export interface CsmPushPublisher {
  /** Pushes to staff over the CSM topic, with attributes their subscription filter policies match on. */
  push(notification: CsmNotification): Promise<void>;
}

export type NotifyOutcome = 'pushed' | 'already-pushed';

/**
 * Idempotent per event: the conditional put makes a redelivered event find its notification, and the
 * `pushedAt` mark makes it skip the push. Only a crash between push and mark can push twice; the push
 * carries `notificationId` so subscribers can drop that rare repeat.
 */
export async function notifyCsm(
  deps: { readonly notifications: CsmNotificationStore; readonly push: CsmPushPublisher; readonly clock: Clock },
  event: CustomerEvent,
): Promise<NotifyOutcome> {
  const { stored } = await deps.notifications.putIfAbsent(notificationFor(event, deps.clock.now()));
  if (stored.pushedAt) return 'already-pushed';
  await deps.push.push(stored);
  await deps.notifications.markPushed(stored, deps.clock.now());
  return 'pushed';
}
