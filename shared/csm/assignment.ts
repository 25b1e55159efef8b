/** Assigning customers to CSM managers (R-N2), crash-safe and idempotent. */
import type { Clock } from '#shared/kernel/clock.ts';
import { NotFoundError, VersionConflictError } from '#shared/kernel/errors.ts';
import type { Assignment, CustomerRecord, CustomerRepository } from '#shared/customers/index.ts';
import type { StaffDirectory } from './ports.ts';
import { chooseManager, managerHolding, type AssignmentChoice, type StaffMember } from './staff.ts';

export interface AssignmentDeps {
  readonly customers: CustomerRepository;
  readonly staff: StaffDirectory;
  readonly clock: Clock;
}

/**
 * Gives the customer a manager unless it has one. Order makes a crash harmless: the tenant is first added to
 * the chosen manager's customer set (idempotent), then written on the customer; a retry after a crash in
 * between finds the manager already holding the tenant and completes the same assignment.
 */
export async function ensureAssigned(deps: AssignmentDeps, tenantId: string): Promise<Assignment | null> {
  const customer = await deps.customers.get(tenantId);
  if (!customer) throw new NotFoundError(`customer ${tenantId}`);
  if (customer.assignment) return customer.assignment;
  let choice: AssignmentChoice | undefined;
  for (let attempt = 0; ; attempt++) {
    const staff = await deps.staff.list();
    const holder = managerHolding(staff, tenantId);
    if (holder) {
      choice = { staffId: holder.staffId, basis: 'language', needsLeadAttention: !holder.languages.includes(customer.language) };
      break;
    }
    choice = chooseManager(staff, customer.language);
    if (!choice) return null;
    const seen = staff.find((s) => s.staffId === choice!.staffId)!.customers.length;
    // Conditioned on the load we compared: a concurrent assignment to the same manager makes us choose again.
    if (await deps.staff.addCustomer(choice.staffId, tenantId, attempt < 20 ? seen : undefined)) break;
  }
  const assignment: Assignment = { csmId: choice.staffId, assignedAt: deps.clock.now().toISOString(), basis: choice.basis, needsLeadAttention: choice.needsLeadAttention };
  const stored = await writeAssignment(deps.customers, customer, assignment, (current) => current.assignment === undefined);
  if (stored.csmId !== choice.staffId) await deps.staff.removeCustomer(choice.staffId, tenantId); // a concurrent delivery won
  return stored;
}

/** Re-assigns every customer of a manager who leaves; returns how many moved and to whom. */
export async function reassignCustomersOf(deps: AssignmentDeps, leaver: StaffMember): Promise<{ tenantId: string; csmId: string | null }[]> {
  const moved: { tenantId: string; csmId: string | null }[] = [];
  for (const tenantId of [...leaver.customers].sort()) {
    const customer = await deps.customers.get(tenantId);
    if (!customer) {
      await deps.staff.removeCustomer(leaver.staffId, tenantId);
      continue;
    }
    // Fresh list each time: each move changes the loads the next choice compares.
    const staff = await deps.staff.list();
    const choice = chooseManager(staff, customer.language, new Set([leaver.staffId]));
    if (!choice) {
      moved.push({ tenantId, csmId: null });
      continue;
    }
    await deps.staff.addCustomer(choice.staffId, tenantId);
    const assignment: Assignment = { csmId: choice.staffId, assignedAt: deps.clock.now().toISOString(), basis: 'reassigned', needsLeadAttention: choice.needsLeadAttention };
    await writeAssignment(deps.customers, customer, assignment, (current) => current.assignment?.csmId === leaver.staffId || !current.assignment);
    await deps.staff.removeCustomer(leaver.staffId, tenantId);
    moved.push({ tenantId, csmId: choice.staffId });
  }
  return moved;
}

async function writeAssignment(
  customers: CustomerRepository,
  initial: CustomerRecord,
  assignment: Assignment,
  stillApplies: (current: CustomerRecord) => boolean,
): Promise<Assignment> {
  let current: CustomerRecord | undefined = initial;
  for (let attempt = 0; current && attempt < 6; attempt++) {
    if (!stillApplies(current)) return current.assignment ?? assignment;
    try {
      await customers.save({ ...current, assignment, version: current.version + 1 });
      return assignment;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      current = await customers.get(initial.tenantId);
    }
  }
  throw new VersionConflictError(`TENANT#${initial.tenantId}`);
}
