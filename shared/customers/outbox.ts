import type { CustomerEvent } from '#shared/contracts/customer-events.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import type { BusinessMetrics } from '#shared/kernel/metrics.ts';
import { VersionConflictError } from '#shared/kernel/errors.ts';
import type { CustomerRecord } from './customer.ts';
import type { CustomerEventPublisher, CustomerRepository } from './ports.ts';

interface OutboxDeps {
  readonly customers: CustomerRepository;
  readonly events: CustomerEventPublisher;
  readonly onPublishFailure?: (error: unknown) => void;
}

export interface CommitDeps extends OutboxDeps {
  readonly clock: Clock;
  /** Business metrics (`SignUps`); absent where nothing is counted (scripts, unit tests). */
  readonly metrics?: BusinessMetrics;
}

/**
 * The one way to change a customer: `decide` gets the current record (or undefined) and returns the new
 * state plus the events it causes; both are stored in one version-conditioned write (the events in the
 * record's outbox), then published. A concurrent writer makes `decide` run again on the fresh record, so a
 * rule such as "cannot cancel twice" is checked against what is really stored.
 */
export async function commitWithEvents(
  deps: CommitDeps,
  tenantId: string,
  decide: (current: CustomerRecord | undefined) => { record: CustomerRecord; events: readonly CustomerEvent[] },
): Promise<CustomerRecord> {
  for (let attempt = 0; ; attempt++) {
    const current = await deps.customers.get(tenantId);
    const { record, events } = decide(current);
    const next: CustomerRecord = {
      ...record,
      pendingEvents: [...(current?.pendingEvents ?? []), ...events],
      version: (current?.version ?? 0) + 1,
    };
    try {
      await deps.customers.save(next);
    } catch (error) {
      if (error instanceof VersionConflictError && attempt < 5) continue;
      throw error;
    }
    return publishPendingEvents(deps, next);
  }
}

/**
 * Publishes a record's pending events, then clears them with a version-conditioned write. A failure to
 * publish leaves them pending for the relay; a lost race on clearing is harmless (the winner wrote a newer
 * version, and consumers dedupe by eventId).
 */
export async function publishPendingEvents(deps: OutboxDeps, record: CustomerRecord): Promise<CustomerRecord> {
  if (record.pendingEvents.length === 0) return record;
  try {
    await deps.events.publish(record.pendingEvents);
  } catch (error) {
    deps.onPublishFailure?.(error);
    return record;
  }
  const published = new Set(record.pendingEvents.map((e) => e.eventId));
  for (let attempt = 0, current: CustomerRecord | undefined = record; current && attempt < 4; attempt++) {
    const cleared: CustomerRecord = {
      ...current,
      pendingEvents: current.pendingEvents.filter((e) => !published.has(e.eventId)),
      version: current.version + 1,
    };
    try {
      await deps.customers.save(cleared);
      return cleared;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      current = await deps.customers.get(record.tenantId);
    }
  }
  return record;
}

export interface RelayResult {
  readonly records: number;
  readonly published: number;
  readonly stillPending: number;
}

/** How long an event may stay pending before the relay takes over from the request that wrote it. */
export const OUTBOX_GRACE_MS = 30_000;

/** The outbox relay: publishes events that a crash or an SNS outage left pending. */
export async function relayPendingEvents(deps: CommitDeps, limit = 100): Promise<RelayResult> {
  const dueBefore = new Date(deps.clock.now().getTime() - OUTBOX_GRACE_MS);
  const records = await deps.customers.listWithPendingEvents(dueBefore, limit);
  let published = 0;
  let stillPending = 0;
  for (const record of records) {
    const after = await publishPendingEvents(deps, record);
    const left = after.pendingEvents.length;
    published += record.pendingEvents.length - left;
    stillPending += left;
  }
  return { records: records.length, published, stillPending };
}
