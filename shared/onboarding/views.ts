import { readForCaller, type Caller, type CustomerRepository } from '#shared/customers/index.ts';
import type { AnalysisStatusStore, OnboardingRepository } from './ports.ts';
import { WAITING_FOR_AUTHORISATION } from './profile-analysis.ts';

/** The onboarding view (R-O1/R-O2): same visibility rule as the customer record. */
export async function getOnboardingForCaller(
  deps: { customers: CustomerRepository; onboarding: OnboardingRepository; statuses: AnalysisStatusStore },
  caller: Caller,
  customerId: string,
) {
  const record = await readForCaller(deps.customers, caller, customerId);
  const onboarding = await deps.onboarding.get(customerId);
  const status = await deps.statuses.get(customerId);
  return {
    customerId,
    csm: record.assignment
      ? { staffId: record.assignment.csmId, basis: record.assignment.basis, needsLeadAttention: record.assignment.needsLeadAttention }
      : null,
    profile: (onboarding?.profile ?? null) as Record<string, unknown> | null,
    recommendation: (onboarding?.recommendation ?? null) as Record<string, unknown> | null,
    appointments: [...(onboarding?.appointments ?? [])],
    // "pending" until the seller has authorised us and Amazon answered; "failed" says why; source says whose data.
    analysis: onboarding
      ? { status: 'done' as const, reason: null, source: status?.source ?? null }
      : status
        ? { status: status.status === 'failed' ? ('failed' as const) : ('pending' as const), reason: status.reason, source: status.source }
        : { status: 'pending' as const, reason: record.contracts.repricer ? WAITING_FOR_AUTHORISATION : 'only Repricer customers get a profile analysis', source: null },
  };
}
