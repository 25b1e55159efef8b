/**
 * Staff acting for a customer, on the record (the article's CSMs tour the product inside the customer's account):
 * the customer's assigned manager, or a lead, may do what the customer could (book an appointment, read the
 * Repricer and Lost & Found views…); every such action is logged with who, what and when, and the customer reads
 * that log. Authorisation comes from the token (staff id, lead group) and the stored assignment, never from a
 * header or a body naming the tenant.
 */
import type { Clock } from '#shared/kernel/clock.ts';
import { ForbiddenError, NotFoundError } from '#shared/kernel/errors.ts';
import { stableId } from '#shared/kernel/ids.ts';
import type { CustomerRecord } from './customer.ts';
import type { CustomerRepository } from './ports.ts';
import type { Caller } from './views.ts';

export interface StaffAction {
  readonly tenantId: string;
  readonly actionId: string;
  readonly at: string;
  readonly staffId: string;
  /** How the staff member was allowed: the customer's own manager, or a lead over the team. */
  readonly as: 'assigned-manager' | 'lead';
  /** What was done, e.g. `appointment.booked`, `repricer.offers.read`. */
  readonly action: string;
  readonly summary: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface StaffActionLog {
  /** Idempotent per `actionId`. */
  record(action: StaffAction): Promise<void>;
  /** Newest first. */
  list(tenantId: string, limit: number): Promise<StaffAction[]>;
}

export interface ActingForDeps {
  readonly customers: CustomerRepository;
  readonly log: StaffActionLog;
  readonly clock: Clock;
}

/**
 * The customer record if `caller` (staff) may act for it: the manager the customer is assigned to, or a lead;
 * any other manager gets 403 (an unknown customer 404).
 */
export async function customerActedFor(customers: CustomerRepository, caller: Caller, customerId: string): Promise<{ customer: CustomerRecord; as: StaffAction['as'] }> {
  if (caller.role !== 'csm' || !caller.staffId) throw new ForbiddenError('only CSM staff act for a customer');
  const customer = await customers.get(customerId);
  if (!customer) throw new NotFoundError(`customer ${customerId}`);
  if (customer.assignment?.csmId === caller.staffId) return { customer, as: 'assigned-manager' };
  if (caller.lead) return { customer, as: 'lead' };
  throw new ForbiddenError(`customer ${customerId} is not assigned to ${caller.staffId}: only their manager or a lead acts for them`);
}

/**
 * Runs `act` for the customer if the caller may, then logs it. The log entry is written after the action
 * succeeded (a refused or failed action leaves no entry); `key` makes a retried action log once.
 */
export async function actForCustomer<T>(
  deps: ActingForDeps,
  caller: Caller,
  customerId: string,
  what: { readonly action: string; readonly key: string; readonly summary: (result: NoInfer<T>) => string; readonly details?: (result: NoInfer<T>) => Readonly<Record<string, unknown>> },
  act: (customer: CustomerRecord) => Promise<T>,
): Promise<T> {
  const { customer, as } = await customerActedFor(deps.customers, caller, customerId);
  const result = await act(customer);
  await deps.log.record({
    tenantId: customer.tenantId,
    actionId: stableId('act', `${customer.tenantId}#${caller.staffId!}#${what.action}#${what.key}`),
    at: deps.clock.now().toISOString(),
    staffId: caller.staffId!,
    as,
    action: what.action,
    summary: what.summary(result),
    details: what.details?.(result) ?? {},
  });
  return result;
}

/** The log of staff actions on a customer: the customer reads its own, staff who may act for it read it too. */
export async function staffActionsFor(deps: Pick<ActingForDeps, 'customers' | 'log'>, caller: Caller, customerId: string, limit: number): Promise<StaffAction[]> {
  if (caller.role === 'customer') {
    if (caller.tenantId !== customerId) throw new NotFoundError(`customer ${customerId}`);
  } else {
    await customerActedFor(deps.customers, caller, customerId);
  }
  return deps.log.list(customerId, limit);
}
