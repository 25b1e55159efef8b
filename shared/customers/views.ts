import type { CustomerView } from '../api/schemas.ts';
import { NotFoundError } from '../kernel/errors.ts';
import type { Contract, CustomerRecord } from './customer.ts';
import type { CustomerRepository } from './ports.ts';

export interface Caller {
  readonly role: 'customer' | 'csm';
  readonly subject: string;
  /** Set for customers: the only tenant whose data they may see. */
  readonly tenantId: string | null;
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
      .map(({ product, status, startedAt, trialEndsAt }) => ({ product, status, startedAt, trialEndsAt })),
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
  if (caller.role === 'customer' && caller.tenantId !== customerId) throw new NotFoundError(`customer ${customerId}`);
  const record = await customers.get(customerId);
  if (!record) throw new NotFoundError(`customer ${customerId}`);
  return toCustomerView(record);
}
