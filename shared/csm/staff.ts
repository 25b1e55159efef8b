/** The CSM staff directory and assignment by language (R-N2). */
import type { Language } from '#shared/kernel/languages.ts';
import type { PushEndpoint, PushPreferences } from './subscriptions.ts';

export interface StaffMember {
  readonly staffId: string;
  readonly name: string;
  readonly email: string;
  /** Languages the manager speaks (typically 3–4). */
  readonly languages: readonly Language[];
  /** How many customers the manager can look after. */
  readonly capacity: number;
  /** Survey calls the manager can make per working day (quarterly surveys); the survey settings' default when absent. */
  readonly dailyCalls?: number;
  /** Absent staff (holiday, sick) keep their customers but get no new ones. */
  readonly available: boolean;
  /** Leads see the customers flagged for attention (no manager in the customer's language). */
  readonly lead: boolean;
  /** False once the manager has left: their customers have been re-assigned. */
  readonly active: boolean;
  readonly timeZone: string;
  /** Tenants assigned to this manager (a set, so adding is idempotent). */
  readonly customers: readonly string[];
  /** What the manager gets pushed and where (R-N3); absent until they choose. */
  /** `subscriptionId` null: preferences kept, but no endpoint to push to (the e-mail endpoint was removed). */
  readonly push?: { readonly preferences: PushPreferences; readonly endpoint: PushEndpoint | null; readonly subscriptionId: string | null };
  readonly version: number;
}

export interface AssignmentChoice {
  readonly staffId: string;
  readonly basis: 'language' | 'english-fallback' | 'any-available';
  readonly needsLeadAttention: boolean;
}

/**
 * Picks the manager for a customer: among active, available staff who speak the customer's language and
 * have room, the one with the fewest customers (ties broken by staff id, so the choice is stable).
 * Everybody in that language full → the least loaded of them, flagged. Nobody in that language → English,
 * flagged for a lead; nobody at all → any available manager, flagged. Undefined only with no staff available.
 */
export function chooseManager(staff: readonly StaffMember[], language: Language, exclude: ReadonlySet<string> = new Set()): AssignmentChoice | undefined {
  const pool = staff.filter((s) => s.active && s.available && !exclude.has(s.staffId));
  const speakers = pool.filter((s) => s.languages.includes(language));
  const withRoom = speakers.filter((s) => s.customers.length < s.capacity);
  if (withRoom.length > 0) return { staffId: leastLoaded(withRoom).staffId, basis: 'language', needsLeadAttention: false };
  if (speakers.length > 0) return { staffId: leastLoaded(speakers).staffId, basis: 'language', needsLeadAttention: true };
  const english = pool.filter((s) => s.languages.includes('en'));
  if (english.length > 0) return { staffId: leastLoaded(english).staffId, basis: 'english-fallback', needsLeadAttention: true };
  if (pool.length > 0) return { staffId: leastLoaded(pool).staffId, basis: 'any-available', needsLeadAttention: true };
  return undefined;
}

function leastLoaded(candidates: readonly StaffMember[]): StaffMember {
  return candidates.reduce((best, s) =>
    s.customers.length < best.customers.length || (s.customers.length === best.customers.length && s.staffId < best.staffId) ? s : best,
  );
}

/** The manager whose customer set already holds this tenant (an assignment a crash interrupted), if any. */
export function managerHolding(staff: readonly StaffMember[], tenantId: string): StaffMember | undefined {
  return staff.find((s) => s.customers.includes(tenantId));
}

/** Load spread per language, for reports: min/max customers among the speakers of each language. */
export function loadSpread(staff: readonly StaffMember[]): Record<string, { staff: number; min: number; max: number }> {
  const spread: Record<string, { staff: number; min: number; max: number }> = {};
  for (const s of staff.filter((m) => m.active)) {
    for (const language of s.languages) {
      const entry = (spread[language] ??= { staff: 0, min: Number.POSITIVE_INFINITY, max: 0 });
      entry.staff++;
      entry.min = Math.min(entry.min, s.customers.length);
      entry.max = Math.max(entry.max, s.customers.length);
    }
  }
  return spread;
}
