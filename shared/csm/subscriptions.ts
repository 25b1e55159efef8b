/** What a CSM manager gets pushed (R-N3), expressed as an SNS subscription filter policy. */
import type { CustomerEventType } from '../contracts/customer-events.ts';
import type { Language } from '../kernel/languages.ts';

export interface PushPreferences {
  /** Empty: every event type. */
  readonly eventTypes: readonly CustomerEventType[];
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
  /** Creates or updates the staff member's subscription; returns its id (SNS subscription ARN). */
  upsert(staffId: string, endpoint: PushEndpoint | null, filterPolicy: Record<string, string[]>, existingId: string | null): Promise<string>;
}
