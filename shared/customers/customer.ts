/** The customer aggregate: one record per tenant (the seller account), holding its profile and its contracts. */
import type { CustomerEvent, Product } from '../contracts/customer-events.ts';
import type { Language } from '../kernel/languages.ts';
import type { MarketplaceCode } from '../kernel/marketplaces.ts';

export type ContractStatus = 'trial' | 'active' | 'cancelled';

export interface Contract {
  readonly product: Product;
  readonly status: ContractStatus;
  readonly startedAt: string;
  readonly trialEndsAt: string | null;
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
  readonly timeZone: string;
  readonly createdAt: string;
  readonly contracts: Partial<Record<Product, Contract>>;
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
