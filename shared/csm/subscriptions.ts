/** What a CSM manager gets pushed (R-N3), expressed as an SNS subscription filter policy. */
import { CUSTOMER_EVENT_TYPES } from '#shared/contracts/customer-events.ts';
import type { Language } from '#shared/kernel/languages.ts';

/**
 * Everything the CSM topic pushes, by `eventType` attribute: customer lifecycle events (R-N1), Lost & Found
 * anomalies (R-L4/5) and market changes of the Repricer (R-P5). Staff choose among these (R-N3).
 */
export const CSM_PUSH_EVENT_TYPES = [
  ...CUSTOMER_EVENT_TYPES,
  'lost-and-found.claims-expiring',
  'lost-and-found.damage-burst',
  'lost-and-found.setup-help',
  'market.changed',
  // Support requests routed to the manager (shared/service/support.ts): without it here no subscription's policy,
  // not even an "all events" one (which names every type), ever matched them.
  'support.request-received',
  // A customer asked for a strategy review (POST /reconsultations).
  'reconsultation.requested',
] as const;
export type CsmPushEventType = (typeof CSM_PUSH_EVENT_TYPES)[number];

export interface PushPreferences {
  /** Empty: every event type. */
  readonly eventTypes: readonly CsmPushEventType[];
  /** Empty: every language. */
  readonly languages: readonly Language[];
  /** `mine`: only customers assigned to me. */
  readonly scope: 'mine' | 'all';
}

export interface PushEndpoint {
  readonly protocol: 'email' | 'sms' | 'https' | 'application';
  readonly address: string;
}

/** SNS filter policy on the push's message attributes (eventType, language, csmId). */
export function filterPolicyFor(staffId: string, preferences: PushPreferences): Record<string, string[]> {
  return {
    ...(preferences.eventTypes.length > 0 ? { eventType: [...preferences.eventTypes] } : {}),
    ...(preferences.languages.length > 0 ? { language: [...preferences.languages] } : {}),
    ...(preferences.scope === 'mine' ? { csmId: [staffId] } : {}),
  };
}

export interface PushSubscriptions {
  /**
   * Creates or updates the staff member's subscription; returns its id (SNS subscription ARN), or null when there
   * is no endpoint and nowhere to push by default (in AWS; locally the manager's console is the default).
   */
  upsert(staffId: string, endpoint: PushEndpoint | null, filterPolicy: Record<string, string[]>, existingId: string | null): Promise<string | null>;
  /** Ends a subscription (an endpoint replaced or removed), so it stops receiving pushes. */
  remove(subscriptionId: string): Promise<void>;
}
