import { readForCaller, type Caller, type CustomerRepository } from '#shared/customers/index.ts';
import { appointmentIdOf, type BookedBy, type Booking } from './appointments.ts';
import type { AnalysisStatusStore, AppointmentCalendar, OnboardingRepository } from './ports.ts';
import { WAITING_FOR_AUTHORISATION } from './profile-analysis.ts';

const CUSTOMER = { role: 'customer' as const, staffId: null };

/** The onboarding view (R-O1/R-O2): same visibility rule as the customer record. */
export async function getOnboardingForCaller(
  deps: { customers: CustomerRepository; onboarding: OnboardingRepository; statuses: AnalysisStatusStore; calendar: AppointmentCalendar },
  caller: Caller,
  customerId: string,
) {
  const record = await readForCaller(deps.customers, caller, customerId);
  const onboarding = await deps.onboarding.get(customerId);
  const status = await deps.statuses.get(customerId);
  // Every booking the customer holds (also those made before the analysis existed), with who booked it.
  // A moved or cancelled one stays listed with who changed it and when (the customer's copy is the record of that).
  const entry = (a: { staffId: string; start: string; end: string; bookedBy?: BookedBy }, change?: Booking) => ({
    appointmentId: appointmentIdOf(customerId, a.start),
    staffId: a.staffId,
    start: a.start,
    end: a.end,
    bookedBy: a.bookedBy ?? CUSTOMER,
    status: change?.status ?? ('booked' as const),
    changedBy: change?.changedBy ?? null,
    changedAt: change?.changedAt ?? null,
    rescheduledTo: change?.rescheduledTo ?? null,
    rescheduledFrom: change?.rescheduledFrom ?? null,
  });
  const byStart = new Map((onboarding?.appointments ?? []).map((a) => [a.start, entry(a)]));
  for (const b of await deps.calendar.ofCustomer(customerId)) byStart.set(b.start, entry(b, b));
  return {
    customerId,
    csm: record.assignment
      ? { staffId: record.assignment.csmId, basis: record.assignment.basis, needsLeadAttention: record.assignment.needsLeadAttention }
      : null,
    profile: (onboarding?.profile ?? null) as Record<string, unknown> | null,
    recommendation: (onboarding?.recommendation ?? null) as Record<string, unknown> | null,
    appointments: [...byStart.values()].sort((a, b) => a.start.localeCompare(b.start)),
    // "pending" until the seller has authorised us and Amazon answered; "failed" says why; source says whose data.
    analysis: onboarding
      ? { status: 'done' as const, reason: null, source: status?.source ?? null }
      : status
        ? { status: status.status === 'failed' ? ('failed' as const) : ('pending' as const), reason: status.reason, source: status.source }
        : { status: 'pending' as const, reason: record.contracts.repricer ? WAITING_FOR_AUTHORISATION : 'only Repricer customers get a profile analysis', source: null },
  };
}
