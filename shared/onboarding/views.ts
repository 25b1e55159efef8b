import { readForCaller, type Caller, type CustomerRepository } from '../customers/index.ts';
import type { OnboardingRepository } from './ports.ts';

/** The onboarding view (R-O1/R-O2): same visibility rule as the customer record. */
export async function getOnboardingForCaller(
  deps: { customers: CustomerRepository; onboarding: OnboardingRepository },
  caller: Caller,
  customerId: string,
) {
  const record = await readForCaller(deps.customers, caller, customerId);
  const onboarding = await deps.onboarding.get(customerId);
  return {
    customerId,
    csm: record.assignment
      ? { staffId: record.assignment.csmId, basis: record.assignment.basis, needsLeadAttention: record.assignment.needsLeadAttention }
      : null,
    profile: (onboarding?.profile ?? null) as Record<string, unknown> | null,
    recommendation: (onboarding?.recommendation ?? null) as Record<string, unknown> | null,
    appointments: [...(onboarding?.appointments ?? [])],
  };
}
