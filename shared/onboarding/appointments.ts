/** Onboarding appointments (R-O3): 45-minute slots in the CSM manager's working hours, booked without double booking. */
import { ValidationError } from '#shared/kernel/errors.ts';
import { stableId } from '#shared/kernel/ids.ts';
import { instantAt, wallClockIn } from '#shared/kernel/time-zones.ts';

export const SLOT_MINUTES = 45;
/** Working day of CSM staff, in their own time zone: slots start at 09:00, 09:45, … the last ends by 17:00. */
export const WORKDAY = { startHour: 9, endHour: 17, days: [1, 2, 3, 4, 5] } as const;
/** Earliest booking: a slot must start at least this far ahead. */
export const MIN_LEAD_MINUTES = 60;

export interface Slot {
  readonly start: string;
  readonly end: string;
}

/** Every slot of one local date (YYYY-MM-DD) in the manager's time zone; empty on weekends. */
export function slotsOn(date: string, timeZone: string): Slot[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new ValidationError('date: expected YYYY-MM-DD', { field: 'date' });
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const noon = instantAt({ year, month, day, hour: 12, minute: 0 }, timeZone);
  if (!(WORKDAY.days as readonly number[]).includes(wallClockIn(noon, timeZone).weekday)) return [];
  const slots: Slot[] = [];
  for (let minute = WORKDAY.startHour * 60; minute + SLOT_MINUTES <= WORKDAY.endHour * 60; minute += SLOT_MINUTES) {
    const start = instantAt({ year, month, day, hour: Math.floor(minute / 60), minute: minute % 60 }, timeZone);
    slots.push({ start: start.toISOString(), end: new Date(start.getTime() + SLOT_MINUTES * 60_000).toISOString() });
  }
  return slots;
}

/** Throws a ValidationError naming why `start` cannot be booked (past, off the 45-minute grid, outside hours). */
export function assertBookable(start: Date, timeZone: string, now: Date): Slot {
  if (Number.isNaN(start.getTime())) throw new ValidationError('start: not a date-time', { field: 'start' });
  if (start.getTime() < now.getTime() + MIN_LEAD_MINUTES * 60_000) {
    throw new ValidationError(`start: must be at least ${MIN_LEAD_MINUTES} minutes in the future`, { field: 'start' }, 'slot_in_past');
  }
  const local = wallClockIn(start, timeZone);
  const date = `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
  const slot = slotsOn(date, timeZone).find((s) => Date.parse(s.start) === start.getTime());
  if (!slot) {
    throw new ValidationError(
      `start: not a slot: slots are ${SLOT_MINUTES} minutes from ${WORKDAY.startHour}:00 to ${WORKDAY.endHour}:00, Monday to Friday, ${timeZone}`,
      { field: 'start' },
      'outside_working_hours',
    );
  }
  return slot;
}

/**
 * Slots one customer may hold with one manager on one day: a customer has one onboarding to book, and without a
 * cap one customer could take a manager's whole day from everybody else.
 */
export const MAX_BOOKINGS_PER_CUSTOMER_PER_DAY = 2;

export interface Booking {
  readonly staffId: string;
  readonly start: string;
  readonly end: string;
  readonly tenantId: string;
  readonly bookedAt: string;
  readonly agenda: readonly string[];
  /** The customer, or a CSM manager acting for the customer (absent on bookings made before: the customer). */
  readonly bookedBy?: BookedBy;
  /** Absent: booked. A changed appointment stays in the customer's list with who changed it, when, and to what. */
  readonly status?: AppointmentStatus;
  readonly changedBy?: BookedBy;
  readonly changedAt?: string;
  /** On a moved appointment: the start it moved to; on its replacement: the start it came from. */
  readonly rescheduledTo?: string;
  readonly rescheduledFrom?: string;
}

export type AppointmentStatus = 'booked' | 'rescheduled' | 'cancelled';

/** A customer holds at most one appointment per start (its copy is keyed by the start): the id is derived from both. */
export function appointmentIdOf(tenantId: string, start: string): string {
  return stableId('appt', `${tenantId}#${start}`);
}

export interface BookedBy {
  readonly role: 'customer' | 'staff';
  readonly staffId: string | null;
}

export const ONBOARDING_AGENDA = [
  'Product tour in the new account (about 15 minutes)',
  'Pricing strategy consultation with the recommendation from the Amazon profile analysis (about 30 minutes)',
] as const;
