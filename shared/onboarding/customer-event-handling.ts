/**
 * What the CSM side does with each customer event. Every step is idempotent, so the consumer may see an
 * event any number of times: assignment (set on the customer once), tasks (ids derived from the event), the
 * trial schedule (name derived from the contract), the notification (id derived from the event, pushed once).
 * Nothing here waits on Amazon: the profile analysis is its own consumer (profile-analysis.ts).
 */
import type { CustomerEvent } from '#shared/contracts/customer-events.ts';
import type { CustomerRepository } from '#shared/customers/index.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import type { OneTimeScheduler } from '#shared/kernel/scheduler.ts';
import {
  ensureAssigned,
  notificationFor,
  notifyCsm,
  type CsmNotificationStore,
  type CsmPushPublisher,
  type NotifyOutcome,
  type StaffDirectory,
  type TaskRepository,
} from '#shared/csm/index.ts';
import { scheduleEndOfTrialCall, task } from './onboarding.ts';

export interface CustomerEventDeps {
  readonly customers: CustomerRepository;
  readonly staff: StaffDirectory;
  readonly tasks: TaskRepository;
  readonly notifications: CsmNotificationStore;
  readonly push: CsmPushPublisher;
  readonly scheduler: OneTimeScheduler;
  readonly clock: Clock;
}

/** The customer is called shortly after signing up (R-O3): the welcome call is due within this time. */
export const WELCOME_CALL_WITHIN_MS = 4 * 3600_000;

export async function handleCustomerEvent(deps: CustomerEventDeps, event: CustomerEvent): Promise<NotifyOutcome> {
  const assignment = event.eventType === 'customer.signed-up' ? await ensureAssigned(deps, event.tenantId) : (await deps.customers.get(event.tenantId))?.assignment ?? null;

  if (event.eventType === 'customer.signed-up') {
    const customer = (await deps.customers.get(event.tenantId))!;
    const now = deps.clock.now();
    if (event.product === 'repricer') {
      await deps.tasks.createIfAbsent(
        task('welcome-call', event.eventId, customer, {
          assigneeId: assignment?.csmId ?? null,
          dueAt: new Date(Date.parse(event.occurredAt) + WELCOME_CALL_WITHIN_MS),
          now,
          title: `Welcome call: ${customer.companyName}`,
          details: {
            product: event.product,
            ask: 'Does the customer want help? Start onboarding now or book a 45-minute appointment.',
            // The recommendation follows once the seller has authorised us on Amazon: see the onboarding view.
            analysis: `/customers/${customer.tenantId}/onboarding`,
          },
        }),
      );
      await scheduleEndOfTrialCall(deps.scheduler, customer, event.product);
    } else {
      // Lost & Found needs no onboarding in most cases (R-L4), but the sign-up push says "call to offer onboarding
      // help": the call is a task like any other, so it is neither forgotten nor made twice.
      await deps.tasks.createIfAbsent(
        task('welcome-call', event.eventId, customer, {
          assigneeId: assignment?.csmId ?? null,
          dueAt: new Date(Date.parse(event.occurredAt) + WELCOME_CALL_WITHIN_MS),
          now,
          title: `Welcome call (Lost & Found): ${customer.companyName}`,
          details: {
            product: event.product,
            ask: 'Does the customer want help setting Lost & Found up (Amazon authorisation, reports)? Most need none (R-L4).',
            setup: `/customers/${customer.tenantId}`,
          },
        }),
      );
    }
  }

  const notification = notificationFor(
    event,
    { csmId: assignment?.csmId ?? null, needsLeadAttention: assignment ? assignment.needsLeadAttention : true },
    deps.clock.now(),
  );
  return notifyCsm(deps, notification);
}
