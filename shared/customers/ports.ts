import type { CustomerEvent } from '#shared/contracts/customer-events.ts';
import type { CustomerRecord } from './customer.ts';

export interface CustomerRepository {
  get(tenantId: string): Promise<CustomerRecord | undefined>;
  /**
   * Stores `record` (whose `version` is the new version) only if the stored version is `record.version - 1`
   * (absent when 1). Throws `VersionConflictError` otherwise: nothing is written.
   */
  save(record: CustomerRecord): Promise<void>;
  /** Records whose pending events were written before `dueBefore` (oldest first), for the outbox relay. */
  listWithPendingEvents(dueBefore: Date, limit: number): Promise<CustomerRecord[]>;
}

export interface CustomerEventPublisher {
  /** Publishes each event (at least once); throws if any could not be published. */
  publish(events: readonly CustomerEvent[]): Promise<void>;
}
