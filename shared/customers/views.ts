import { NotFoundError } from '#shared/kernel/errors.ts';
import type { Contract, ContractStatus, CustomerRecord } from './customer.ts';
import type { CustomerRepository } from './ports.ts';
import type { Plan, Product } from '#shared/contracts/customer-events.ts';
import type { Language } from '#shared/kernel/languages.ts';
import type { MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import type { NeedsAssessment } from './needs-assessment.ts';

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

/** A contract as the customer and the CSM see it (the HTTP `Customer` schema documents the same shape). */
export interface ContractView {
  readonly product: Product;
  readonly status: ContractStatus;
  readonly startedAt: string;
  readonly trialEndsAt: string | null;
  readonly plan: Plan;
  readonly offerLimit: number;
  readonly endsAt: string | null;
}

/** A customer as the customer and the CSM see it: the profile, its contracts and its manager. */
export interface CustomerView {
  readonly customerId: string;
  readonly companyName: string;
  readonly contactEmail: string;
  readonly language: Language;
  readonly marketplaces: MarketplaceCode[];
  readonly amazonSellerId: string;
  readonly timeZone: string;
  readonly contracts: ContractView[];
  readonly csmId: string | null;
  readonly createdAt: string;
  /** The welcome call's needs assessment, null until a manager recorded one. */
  readonly needsAssessment: NeedsAssessment | null;
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
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a stored record may hold an explicit undefined contract (exactOptionalPropertyTypes is off)
      .filter((c): c is Contract => c !== undefined)
      .map(({ product, status, startedAt, trialEndsAt, plan, offerLimit, endsAt }) => ({ product, status, startedAt, trialEndsAt, plan, offerLimit, endsAt })),
    csmId: record.assignment?.csmId ?? null,
    createdAt: record.createdAt,
    needsAssessment: record.needsAssessment ?? null,
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
export async function readForCaller(customers: CustomerRepository, caller: Caller, customerId: string): Promise<CustomerRecord> {
  if (caller.role === 'customer' && caller.tenantId !== customerId) throw new NotFoundError(`customer ${customerId}`);
  const record = await customers.get(customerId);
  if (!record) throw new NotFoundError(`customer ${customerId}`);
  return record;
}
