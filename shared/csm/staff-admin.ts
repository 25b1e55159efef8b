/** Managing the staff directory: add/update a manager, absence, leaving (with re-assignment), push preferences. */
import type { Clock } from '#shared/kernel/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, VersionConflictError } from '#shared/kernel/errors.ts';
import type { CustomerRepository } from '#shared/customers/index.ts';
import { reassignCustomersOf } from './assignment.ts';
import type { StaffDirectory, TaskRepository } from './ports.ts';
import type { StaffMember } from './staff.ts';
import { filterPolicyFor, type PushEndpoint, type PushPreferences, type PushSubscriptions } from './subscriptions.ts';

/** What an administrator sets on a manager; the rest of `StaffMember` is kept by the system. */
export type StaffProfile = Pick<StaffMember, 'name' | 'email' | 'languages' | 'capacity' | 'dailyCalls' | 'available' | 'lead' | 'timeZone'>;

export async function upsertStaff(staff: StaffDirectory, staffId: string, profile: StaffProfile): Promise<StaffMember> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await staff.get(staffId);
    if (current && !current.active) throw new ConflictError(`${staffId} has left; use a new staff id`, 'staff_left');
    const next: StaffMember = {
      staffId,
      customers: current?.customers ?? [],
      active: true,
      ...(current?.push ? { push: current.push } : {}),
      ...profile,
      version: (current?.version ?? 0) + 1,
    };
    try {
      await staff.save(next);
      return next;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
  throw new ConflictError(`${staffId} is being changed concurrently; try again`, 'staff_changed');
}

/**
 * A manager leaves: no new customers from now on, every current customer goes to another manager who speaks
 * its language (English fallback, flagged), and their open tasks follow their customers.
 */
export async function staffLeaves(
  deps: { staff: StaffDirectory; customers: CustomerRepository; tasks: TaskRepository; clock: Clock },
  staffId: string,
): Promise<{ reassigned: { tenantId: string; csmId: string | null }[]; tasksMoved: number }> {
  const member = await deps.staff.get(staffId);
  if (!member) throw new NotFoundError(`staff member ${staffId}`);
  if (member.active) await deps.staff.save({ ...member, active: false, available: false, version: member.version + 1 });
  const leaver = { ...member, active: false };
  const reassigned = await reassignCustomersOf(deps, leaver);
  const to = new Map(reassigned.map((r) => [r.tenantId, r.csmId]));
  let tasksMoved = 0;
  for (const task of await deps.tasks.listOpen(staffId, 1000)) {
    const assigneeId = to.get(task.tenantId) ?? null;
    await deps.tasks.save({ ...task, assigneeId, version: task.version + 1 });
    tasksMoved++;
  }
  return { reassigned, tasksMoved };
}

/** R-N3: a manager chooses what to be pushed; the SNS subscription's filter policy is (re)written to match. */
export async function setPushPreferences(
  deps: { staff: StaffDirectory; subscriptions: PushSubscriptions },
  staffId: string,
  preferences: PushPreferences,
  /** Absent: keep the endpoint the manager has; null: remove it (pushes stop, or go to the local console). */
  endpoint: PushEndpoint | null | undefined,
  caller: { readonly lead: boolean } = { lead: false },
): Promise<StaffMember> {
  const member = await deps.staff.get(staffId);
  if (!member || !member.active) throw new NotFoundError(`staff member ${staffId}`);
  // Every customer's events carry personal data: only a lead may have them all pushed, and an e-mail push goes to
  // the manager's own address from the directory, not to any address a token holder types in.
  if (preferences.scope === 'all' && !caller.lead && !member.lead) throw new ForbiddenError('scope "all" (every customer\'s events) is for CSM leads; use "mine"');
  if (endpoint?.protocol === 'email' && endpoint.address.toLowerCase() !== member.email.toLowerCase()) {
    throw new ValidationError(`endpoint.address: e-mail pushes go to your directory address (${member.email})`, { field: 'endpoint.address' });
  }
  const keepEndpoint = endpoint === undefined ? (member.push?.endpoint ?? null) : endpoint;
  const sameEndpoint = JSON.stringify(keepEndpoint) === JSON.stringify(member.push?.endpoint ?? null);
  const previousId = member.push?.subscriptionId ?? null;
  const subscriptionId = await deps.subscriptions.upsert(staffId, keepEndpoint, filterPolicyFor(staffId, preferences), sameEndpoint ? previousId : null);
  // The first preferences need somewhere to push (the adapter knows whether there is a default: the local console).
  if (subscriptionId === null && endpoint === undefined && !member.push) {
    throw new ValidationError('body.endpoint: required the first time (protocol email, sms, https or application, and its address)', { field: 'endpoint' });
  }
  // A replaced or removed endpoint stops receiving pushes: its subscription is ended, not left behind.
  if (!sameEndpoint && previousId && previousId !== subscriptionId) await deps.subscriptions.remove(previousId);
  const next: StaffMember = { ...member, push: { preferences, endpoint: keepEndpoint, subscriptionId }, version: member.version + 1 };
  try {
    await deps.staff.save(next);
  } catch (error) {
    if (error instanceof VersionConflictError) throw new ConflictError(`${staffId} changed meanwhile; try again`, 'staff_changed');
    throw error;
  }
  return next;
}
