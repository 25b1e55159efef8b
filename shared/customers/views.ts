import type { CustomerView } from '../api/schemas.ts';
import { NotFoundError } from '../kernel/errors.ts';
import type { Contract, CustomerRecord } from './customer.ts';
import type { CustomerRepository } from './ports.ts';
import type { OnboardingRepository } from '../onboarding/onboarding.ts';

export interface Caller {
  /** A team lead (`csm-lead` group) is a `csm` with `lead` set. */
  readonly role: 'customer' | 'csm';
  readonly lead: boolean;
  readonly subject: string;
  /** Set for customers: the only tenant whose data they may see. */
  readonly tenantId: string | null;
  /** Set for CSM staff: their staff id (custom:staff_id, else the subject). */
  readonly staffId: string | null;
}

export function toCustomerView(record: CustomerRecord): CustomerView {
  return {
    customerId: record.tenantId,
    companyName: record.companyName,
    contactEmail: record.contactEmail,
    language: record.language,
    marketplaces: [...record.marketplaces],
    amazonSellerId: record.amazonSellerId,
    timeZone: record.timeZone,
    contracts: Object.values(record.contracts)
      .filter((c): c is Contract => c !== undefined)
      .map(({ product, status, startedAt, trialEndsAt, plan, offerLimit, endsAt }) => ({ product, status, startedAt, trialEndsAt, plan, offerLimit, endsAt })),
    csmId: record.assignment?.csmId ?? null,
    createdAt: record.createdAt,
  };
}

/**
 * Reads one customer for a caller. A customer asking for another tenant gets the same 404 as for a tenant
 * that does not exist, so tenant ids cannot be probed.
 */
export async function getCustomerForCaller(
  customers: CustomerRepository,
  caller: Caller,
  customerId: string,
): Promise<CustomerView> {
  return toCustomerView(await readForCaller(customers, caller, customerId));
}

/** The customer record if the caller may see it: a customer only its own tenant (others look absent), staff any. */
async function readForCaller(customers: CustomerRepository, caller: Caller, customerId: string): Promise<CustomerRecord> {
  if (caller.role === 'customer' && caller.tenantId !== customerId) throw new NotFoundError(`customer ${customerId}`);
  const record = await customers.get(customerId);
  if (!record) throw new NotFoundError(`customer ${customerId}`);
  return record;
}

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
