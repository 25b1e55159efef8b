/** The customer aggregate: one record per tenant (the seller account), holding its profile and its contracts. */
import type { CustomerEvent, CustomerSnapshot, Plan, Product } from '#shared/contracts/customer-events.ts';
import type { Language } from '#shared/kernel/languages.ts';
import type { MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import type { NeedsAssessment } from './needs-assessment.ts';

export type ContractStatus = 'trial' | 'active' | 'cancelled';

export interface Contract {
  readonly product: Product;
  readonly status: ContractStatus;
  readonly startedAt: string;
  readonly trialEndsAt: string | null;
  readonly plan: Plan;
  /** How many offers (Repricer) or SKUs (Lost & Found) the contract covers. */
  readonly offerLimit: number;
  /** End of the paid term; extensions move it. Null while in trial. */
  readonly endsAt: string | null;
  readonly cancelledAt?: string;
  /** Increments with every sign-up for this product, so a re-sign-up after a cancellation is a new event. */
  readonly sequence: number;
}

export interface CustomerRecord {
  readonly tenantId: string;
  readonly companyName: string;
  readonly contactEmail: string;
  readonly language: Language;
  readonly marketplaces: readonly MarketplaceCode[];
  readonly amazonSellerId: string;
  /** Brands the seller declared as its own at sign-up (used with Brand Registry data where available). */
  readonly ownBrands?: readonly string[];
  readonly timeZone: string;
  readonly createdAt: string;
  readonly contracts: Partial<Record<Product, Contract>>;
  /** What the welcome call found out (goals, catalogue, marketplaces, pain points, chosen strategy); absent until then. */
  readonly needsAssessment?: NeedsAssessment;
  /** The CSM manager looking after this customer (R-N2); absent until the sign-up event is processed. */
  readonly assignment?: Assignment;
  /**
   * Transactional outbox: events are stored in the same single-item write as the state change that caused
   * them, then published; the outbox relay publishes whatever a crash left here. Never lost, and consumers
   * dedupe by eventId so a second publication is harmless.
   */
  readonly pendingEvents: readonly CustomerEvent[];
  /** Optimistic concurrency: every write is conditioned on the version it read (0 = not yet stored). */
  readonly version: number;
}

export const TRIAL_DAYS = 14;

export interface Assignment {
  readonly csmId: string;
  readonly assignedAt: string;
  /** Why this manager: speaks the customer's language, English fallback (flagged for a lead), or re-assigned. */
  readonly basis: 'language' | 'english-fallback' | 'any-available' | 'reassigned';
  readonly needsLeadAttention: boolean;
}

export const DEFAULT_PLAN: Plan = 'starter';
export const PLAN_OFFER_LIMITS: Record<Plan, number> = { starter: 1_000, professional: 10_000, enterprise: 100_000 };

export function snapshotOf(record: CustomerRecord): CustomerSnapshot {
  return {
    customerId: record.tenantId,
    companyName: record.companyName,
    language: record.language,
    marketplaces: [...record.marketplaces],
    amazonSellerId: record.amazonSellerId,
    timeZone: record.timeZone,
  };
}
