/** Repricer onboarding (R-O1–R-O4): profile analysis, welcome call, callbacks, appointments, end of trial. */
import type { Product } from '#shared/contracts/customer-events.ts';
import type { CustomerRecord } from '#shared/customers/index.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { ConflictError, NotFoundError } from '#shared/kernel/errors.ts';
import { stableId } from '#shared/kernel/ids.ts';
import type { OneTimeScheduler } from '#shared/kernel/scheduler.ts';
import { instantAt, wallClockIn } from '#shared/kernel/time-zones.ts';
import type { StaffDirectory, TaskRepository, CsmTask, TaskKind } from '#shared/csm/index.ts';
import { appointmentIdOf, assertBookable, MAX_BOOKINGS_PER_CUSTOMER_PER_DAY, ONBOARDING_AGENDA, slotsOn, type AppointmentStatus, type BookedBy, type Booking, type Slot } from './appointments.ts';
import { analyseProfile, recommendStrategy, type SellerProfile, type StrategyRecommendation } from './profile.ts';
import type { AppointmentCalendar, OnboardingRepository, SellerProfileSource } from './ports.ts';

export interface OnboardingRecord {
  readonly tenantId: string;
  readonly profile: SellerProfile;
  readonly recommendation: StrategyRecommendation;
  readonly appointments: readonly OnboardingAppointment[];
  /**
   * The SKUs under the seller's own brands (the private-label segment), for applying a `split` strategy to the
   * offers; at most PRIVATE_LABEL_SKUS_KEPT of them (records analysed before this field existed have none).
   */
  readonly privateLabelSkus?: readonly string[];
}

export interface OnboardingAppointment {
  readonly staffId: string;
  readonly start: string;
  readonly end: string;
  /** Who booked it: the customer, or a CSM manager acting for the customer (absent on older bookings: the customer). */
  readonly bookedBy?: BookedBy;
}

/** A DynamoDB item holds 400 KB: 5,000 SKUs of up to 40 characters stay well below it. */
export const PRIVATE_LABEL_SKUS_KEPT = 5_000;

/**
 * R-O1 + R-O2: analyse the Amazon profile of the seller the customer authorised (never the seller id typed at
 * sign-up) and store it with the recommendation.
 */
export async function analyseCustomer(
  deps: { readonly profiles: SellerProfileSource; readonly onboarding: OnboardingRepository; readonly clock: Clock },
  customer: CustomerRecord,
  seller: { readonly sellerId: string },
): Promise<OnboardingRecord> {
  const existing = await deps.onboarding.get(customer.tenantId);
  if (existing) return existing;
  const raw = await deps.profiles.fetch(seller.sellerId, customer.marketplaces);
  // Own brands: what Amazon tells (where it can) plus what the seller declared at sign-up.
  const ownBrands = [...new Set([...raw.ownBrands, ...(customer.ownBrands ?? [])])];
  const profile = analyseProfile({ ...raw, ownBrands }, deps.clock.now());
  const own = new Set(ownBrands.map((b) => b.trim().toLowerCase()));
  const privateLabelSkus = [...new Set(raw.listings.filter((l) => own.has(l.brand.trim().toLowerCase())).map((l) => l.sku))].sort().slice(0, PRIVATE_LABEL_SKUS_KEPT);
  const record: OnboardingRecord = { tenantId: customer.tenantId, profile, recommendation: recommendStrategy(profile), appointments: [], privateLabelSkus };
  if (await deps.onboarding.create(record)) return record;
  // A copy of this analysis running at the same time stored its record first: that one stands.
  return (await deps.onboarding.get(customer.tenantId)) ?? record;
}

export function task(
  kind: TaskKind,
  key: string,
  customer: CustomerRecord,
  fields: { assigneeId: string | null; dueAt: Date; title: string; details: Record<string, unknown>; now: Date },
): CsmTask {
  return {
    taskId: stableId('task', `${kind}#${key}`),
    kind,
    tenantId: customer.tenantId,
    companyName: customer.companyName,
    language: customer.language,
    assigneeId: fields.assigneeId,
    status: 'open',
    dueAt: fields.dueAt.toISOString(),
    createdAt: fields.now.toISOString(),
    title: fields.title,
    details: fields.details,
    version: 1,
  };
}

/** Local 10:00 on the day the trial ends, in the customer's time zone: when the end-of-trial call is due. */
export function endOfTrialCallTime(trialEndsAt: Date, timeZone: string): Date {
  const day = wallClockIn(trialEndsAt, timeZone);
  return instantAt({ year: day.year, month: day.month, day: day.day, hour: 10, minute: 0 }, timeZone);
}

export function trialScheduleName(tenantId: string, product: Product, sequence: number): string {
  // Scheduler names allow [0-9A-Za-z_.-], at most 64 characters.
  return `trial-end-${stableId('t', `${tenantId}#${product}#${sequence}`)}`;
}

/** R-O4: the one-time schedule that creates the end-of-trial call on day 14. */
export async function scheduleEndOfTrialCall(scheduler: OneTimeScheduler, customer: CustomerRecord, product: Product): Promise<'created' | 'exists' | 'no-trial'> {
  const contract = customer.contracts[product];
  if (!contract?.trialEndsAt) return 'no-trial';
  return scheduler.scheduleOnce({
    name: trialScheduleName(customer.tenantId, product, contract.sequence),
    at: endOfTrialCallTime(new Date(contract.trialEndsAt), customer.timeZone),
    timeZone: customer.timeZone,
    target: 'trialEndCall',
    payload: { tenantId: customer.tenantId, product, contractSequence: contract.sequence },
  });
}

export interface OnboardingDeps {
  readonly tasks: TaskRepository;
  readonly clock: Clock;
}

/** Fired by the one-time schedule: creates the end-of-trial call unless the contract was cancelled meanwhile. */
export async function createEndOfTrialCall(
  deps: OnboardingDeps & { readonly onboarding: OnboardingRepository },
  customer: CustomerRecord,
  product: Product,
  contractSequence: number,
): Promise<'created' | 'exists' | 'cancelled'> {
  const contract = customer.contracts[product];
  if (!contract || contract.sequence !== contractSequence || contract.status === 'cancelled') return 'cancelled';
  const now = deps.clock.now();
  const onboarding = await deps.onboarding.get(customer.tenantId);
  const created = await deps.tasks.createIfAbsent(
    task('end-of-trial-call', `${customer.tenantId}#${product}#${contractSequence}`, customer, {
      assigneeId: customer.assignment?.csmId ?? null,
      dueAt: now,
      now,
      title: `End-of-trial call: ${customer.companyName}`,
      details: {
        product,
        trialEndsAt: contract.trialEndsAt,
        agenda: ['Collect feedback on the trial', 'Review and adjust the pricing strategy', 'Ask whether the customer continues'],
        recommendation: onboarding?.recommendation ?? null,
        outcomeFields: ['feedback', 'strategyAdjusted', 'newStrategy', 'converted'],
      },
    }),
  );
  return created ? 'created' : 'exists';
}

/** R-O3 callback service: the customer asks to be called; a task for its manager, due now. */
export async function requestCallback(deps: OnboardingDeps, customer: CustomerRecord, request: { requestId: string; topic: string; phone?: string }): Promise<CsmTask> {
  const now = deps.clock.now();
  const callback = task('callback', `${customer.tenantId}#${request.requestId}`, customer, {
    assigneeId: customer.assignment?.csmId ?? null,
    dueAt: now,
    now,
    title: `Callback requested: ${customer.companyName}`,
    details: { topic: request.topic, phone: request.phone ?? null },
  });
  await deps.tasks.createIfAbsent(callback);
  return (await deps.tasks.get(callback.taskId)) ?? callback;
}

/** Free slots of the customer's manager on one local date (manager's time zone). */
export async function freeSlots(
  deps: { readonly staff: StaffDirectory; readonly calendar: AppointmentCalendar; readonly clock: Clock },
  customer: CustomerRecord,
  date: string,
): Promise<{ staffId: string; timeZone: string; slots: Slot[] }> {
  const staffId = customer.assignment?.csmId;
  const manager = staffId ? await deps.staff.get(staffId) : undefined;
  if (!manager) throw new ConflictError('no CSM manager is assigned to this customer yet; try again shortly', 'not_assigned');
  const all = slotsOn(date, manager.timeZone);
  if (all.length === 0) return { staffId: manager.staffId, timeZone: manager.timeZone, slots: [] };
  const booked = await deps.calendar.bookings(manager.staffId, new Date(all[0]!.start), new Date(all.at(-1)!.end));
  const taken = new Set(booked.map((b) => b.start));
  const earliest = deps.clock.now().getTime();
  return { staffId: manager.staffId, timeZone: manager.timeZone, slots: all.filter((s) => !taken.has(s.start) && Date.parse(s.start) > earliest) };
}

/**
 * Books an onboarding appointment with the customer's manager. The slot is claimed with one conditional
 * write, so of any number of concurrent requests for it exactly one wins; the others get 409 slot_taken.
 */
export async function bookAppointment(
  deps: OnboardingDeps & {
    readonly staff: StaffDirectory;
    readonly calendar: AppointmentCalendar;
    readonly onboarding: OnboardingRepository;
  },
  customer: CustomerRecord,
  start: Date,
  bookedBy: BookedBy = { role: 'customer', staffId: null },
): Promise<{ staffId: string; start: string; end: string; agenda: readonly string[]; recommendation: StrategyRecommendation | null; bookedBy: BookedBy; alreadyBooked: boolean }> {
  const staffId = customer.assignment?.csmId;
  const manager = staffId ? await deps.staff.get(staffId) : undefined;
  if (!manager) throw new ConflictError('no CSM manager is assigned to this customer yet; try again shortly', 'not_assigned');
  const now = deps.clock.now();
  const slot = assertBookable(start, manager.timeZone, now);
  const outcome = await deps.calendar.book({ staffId: manager.staffId, ...slot, tenantId: customer.tenantId, bookedAt: now.toISOString(), agenda: ONBOARDING_AGENDA, bookedBy }, MAX_BOOKINGS_PER_CUSTOMER_PER_DAY);
  if (outcome === 'taken') throw new ConflictError(`the slot at ${slot.start} is already booked`, 'slot_taken');
  if (outcome === 'limit') {
    throw new ConflictError(`you already hold ${MAX_BOOKINGS_PER_CUSTOMER_PER_DAY} appointments with your manager on ${slot.start.slice(0, 10)}; pick another day`, 'booking_limit');
  }
  const onboarding = await deps.onboarding.get(customer.tenantId);
  if (onboarding && !onboarding.appointments.some((a) => a.start === slot.start)) {
    await deps.onboarding.addAppointment(customer.tenantId, { staffId: manager.staffId, ...slot, bookedBy });
  }
  await createAppointmentTask(
    deps.tasks,
    task('onboarding-appointment', `${manager.staffId}#${slot.start}`, customer, {
      assigneeId: manager.staffId,
      dueAt: new Date(slot.start),
      now,
      title: `Onboarding (45 min): ${customer.companyName}`,
      details: { start: slot.start, end: slot.end, agenda: ONBOARDING_AGENDA, recommendation: onboarding?.recommendation ?? null, bookedBy },
    }),
  );
  return { staffId: manager.staffId, ...slot, agenda: ONBOARDING_AGENDA, recommendation: onboarding?.recommendation ?? null, bookedBy, alreadyBooked: outcome === 'mine' };
}

export type AppointmentChange = { readonly kind: 'reschedule'; readonly start: Date } | { readonly kind: 'cancel' };

export interface ChangedAppointment {
  readonly appointmentId: string;
  readonly staffId: string;
  readonly start: string;
  readonly end: string;
  readonly status: AppointmentStatus;
  readonly changedBy: BookedBy;
  /** On a cancellation: the start that was freed; on a move: the start it came from. */
  readonly previousStart: string;
  /** A retried request: the appointment was already changed this way. */
  readonly alreadyChanged: boolean;
}

/**
 * Moves or cancels one of the customer's appointments, by the customer or by staff acting for it (one use case
 * for both). The calendar frees the old slot and takes the new one in one transaction, so no slot is ever held
 * twice; the manager's appointment task follows (closed, and on a move a new one for the new slot).
 */
export async function changeAppointment(
  deps: OnboardingDeps & { readonly staff: StaffDirectory; readonly calendar: AppointmentCalendar; readonly onboarding: OnboardingRepository },
  customer: CustomerRecord,
  appointmentId: string,
  change: AppointmentChange,
  by: BookedBy,
): Promise<ChangedAppointment> {
  const held = await deps.calendar.ofCustomer(customer.tenantId);
  const booking = held.find((b) => appointmentIdOf(customer.tenantId, b.start) === appointmentId);
  if (!booking) throw new NotFoundError(`appointment ${appointmentId}`);
  const now = deps.clock.now();
  const at = now.toISOString();
  const status = booking.status ?? 'booked';
  if (status !== 'booked') {
    // A retry of the change that already took effect answers what it did; any other change of a closed one is refused.
    const sameChange = change.kind === 'cancel' ? status === 'cancelled' : status === 'rescheduled' && booking.rescheduledTo === change.start.toISOString();
    if (!sameChange) throw new ConflictError(`appointment ${appointmentId} was ${status} already`, 'appointment_closed');
    const current = change.kind === 'cancel' ? booking : (held.find((b) => b.start === booking.rescheduledTo) ?? booking);
    return { ...changedView(current, status === 'cancelled' ? 'cancelled' : 'booked', booking.changedBy ?? by, booking.start), alreadyChanged: true };
  }
  if (Date.parse(booking.start) <= now.getTime()) throw new ConflictError(`appointment ${appointmentId} has begun; it cannot be changed any more`, 'appointment_past');

  if (change.kind === 'cancel') {
    if ((await deps.calendar.cancel(booking, { by, at })) === 'changed') throw new ConflictError(`appointment ${appointmentId} was changed meanwhile; reload`, 'appointment_changed');
    await closeAppointmentTask(deps.tasks, booking, now, { cancelled: true, by });
    return { ...changedView(booking, 'cancelled', by, booking.start), alreadyChanged: false };
  }

  // The appointment stays with the manager it was booked with, in that manager's working hours.
  const manager = await deps.staff.get(booking.staffId);
  if (!manager) throw new ConflictError(`the manager ${booking.staffId} of this appointment has left; cancel it and book a new one`, 'manager_gone');
  const slot = assertBookable(change.start, manager.timeZone, now);
  if (slot.start === booking.start) throw new ConflictError(`the appointment is at ${slot.start} already`, 'same_slot');
  const moved: Booking = { staffId: booking.staffId, ...slot, tenantId: customer.tenantId, bookedAt: at, agenda: booking.agenda, bookedBy: by, rescheduledFrom: booking.start };
  const outcome = await deps.calendar.reschedule(booking, moved, { by, at }, MAX_BOOKINGS_PER_CUSTOMER_PER_DAY);
  if (outcome === 'taken') throw new ConflictError(`the slot at ${slot.start} is already booked`, 'slot_taken');
  if (outcome === 'limit') throw new ConflictError(`you already hold ${MAX_BOOKINGS_PER_CUSTOMER_PER_DAY} appointments with your manager on ${slot.start.slice(0, 10)}; pick another day`, 'booking_limit');
  if (outcome === 'changed') throw new ConflictError(`appointment ${appointmentId} was changed meanwhile; reload`, 'appointment_changed');

  const onboarding = await deps.onboarding.get(customer.tenantId);
  if (onboarding && !onboarding.appointments.some((a) => a.start === slot.start)) {
    await deps.onboarding.addAppointment(customer.tenantId, { staffId: booking.staffId, ...slot, bookedBy: by });
  }
  const oldTask = await closeAppointmentTask(deps.tasks, booking, now, { rescheduledTo: slot.start, by });
  // Only a booking that had a task gets one for its new slot ("the task follows"); bookings from before tasks had none.
  if (oldTask) {
    await createAppointmentTask(
      deps.tasks,
      task('onboarding-appointment', `${booking.staffId}#${slot.start}`, customer, {
        assigneeId: oldTask.assigneeId,
        dueAt: new Date(slot.start),
        now,
        title: oldTask.title,
        details: { ...oldTask.details, start: slot.start, end: slot.end, bookedBy: by, rescheduledFrom: booking.start },
      }),
    );
  }
  return { ...changedView(moved, 'booked', by, booking.start), alreadyChanged: false };
}

function changedView(booking: Booking, status: AppointmentStatus, by: BookedBy, previousStart: string): Omit<ChangedAppointment, 'alreadyChanged'> {
  return { appointmentId: appointmentIdOf(booking.tenantId, booking.start), staffId: booking.staffId, start: booking.start, end: booking.end, status, changedBy: by, previousStart };
}

/**
 * The manager's task for a booking, keyed by manager and slot (a retried booking creates nothing). A slot booked
 * again after a cancellation or a move already has that task, closed, as the earlier booking's record: the new
 * booking gets a task of its own (keyed by its creation time too), unless the customer already has an open one
 * for that slot (the retry of such a booking).
 */
async function createAppointmentTask(tasks: TaskRepository, draft: CsmTask): Promise<void> {
  if (await tasks.createIfAbsent(draft)) return;
  const existing = await tasks.get(draft.taskId);
  if (existing?.status !== 'done') return;
  const start = typeof draft.details.start === 'string' ? draft.details.start : '';
  if (await openAppointmentTaskOf(tasks, draft.tenantId, start)) return;
  await tasks.createIfAbsent({ ...draft, taskId: stableId('task', `${draft.taskId}#${draft.createdAt}`) });
}

/**
 * The customer's open appointment task for a slot, read through the customer's task index (a handful of tasks; the
 * index is eventually consistent, so a retry within moments of the first booking could still add a second task).
 */
async function openAppointmentTaskOf(tasks: TaskRepository, tenantId: string, start: string): Promise<CsmTask | undefined> {
  const all = await tasks.listForCustomer(tenantId, 200);
  return all.find((t) => t.kind === 'onboarding-appointment' && t.status !== 'done' && t.details.start === start);
}

/** Closes the manager's task for a changed appointment (if there is one and it is still open); returns the task. */
async function closeAppointmentTask(tasks: TaskRepository, booking: Booking, now: Date, outcome: Record<string, unknown>): Promise<CsmTask | undefined> {
  const keyed = await tasks.get(stableId('task', `onboarding-appointment#${booking.staffId}#${booking.start}`));
  // The slot's first task may be an earlier booking's, closed: this booking's own task is then the open one.
  const existing = keyed?.status === 'done' ? ((await openAppointmentTaskOf(tasks, booking.tenantId, booking.start)) ?? keyed) : keyed;
  if (!existing || existing.status === 'done') return existing;
  await tasks.save({ ...existing, status: 'done', completedAt: now.toISOString(), outcome: { ...outcome, closedBecause: 'appointment changed' }, version: existing.version + 1 });
  return existing;
}

export function requireCustomer(customer: CustomerRecord | undefined, tenantId: string): CustomerRecord {
  if (!customer) throw new NotFoundError(`customer ${tenantId} (sign up first)`);
  return customer;
}

