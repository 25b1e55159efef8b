/** The onboarding ports: what the domain needs from the outside world. Adapters live in shared/adapters/. */
import type { AmazonSource } from '#shared/amazon-access/index.ts';
import type { MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import type { BookedBy, Booking } from './appointments.ts';
import type { OnboardingRecord } from './onboarding.ts';
import type { RawSellerData } from './profile.ts';

export interface OnboardingRepository {
  get(tenantId: string): Promise<OnboardingRecord | undefined>;
  /**
   * Stores a tenant's first analysis in one conditional write; false (and nothing written) when one is there: copies
   * of the analysis run at once by duplicate deliveries must not overwrite it, nor the appointments booked since.
   */
  create(record: OnboardingRecord): Promise<boolean>;
  /** Adds one appointment unless one with its start is there, in one write (parallel bookings all land). */
  addAppointment(tenantId: string, appointment: OnboardingRecord['appointments'][number]): Promise<void>;
}

export interface AppointmentCalendar {
  /**
   * Books the slot with one conditional write; a slot already booked by this tenant is returned as `mine`, and
   * `limit` when the tenant already holds `maxPerCustomerPerDay` of this manager's slots that day (UTC date of
   * the start; the working day lies within one date in every manager's time zone we serve).
   */
  book(booking: Booking, maxPerCustomerPerDay: number): Promise<'booked' | 'mine' | 'taken' | 'limit'>;
  /**
   * Moves a booking to `to`: the new slot is taken with a conditional write (unless anybody holds it: `taken`),
   * the customer's daily cap checked when the day changes (`limit`), the customer's old copy marked `rescheduled`
   * (`changed` when it was cancelled or moved meanwhile), the new copy written and the old slot freed. What a
   * refused step took is given back: nothing stays changed unless it returns `moved`.
   */
  reschedule(from: Booking, to: Booking, change: { readonly by: BookedBy; readonly at: string }, maxPerCustomerPerDay: number): Promise<'moved' | 'taken' | 'limit' | 'changed'>;
  /** Marks the customer's copy `cancelled` (conditionally: `changed` when it was not booked any more), then frees the slot. */
  cancel(booking: Booking, change: { readonly by: BookedBy; readonly at: string }): Promise<'cancelled' | 'changed'>;
  /** Every booking a customer holds (with whom, and who booked it), earliest first. */
  ofCustomer(tenantId: string): Promise<Booking[]>;
  /** Bookings of one manager whose start lies in [from, to). */
  bookings(staffId: string, from: Date, to: Date): Promise<Booking[]>;
}

export interface SellerProfileSource {
  fetch(amazonSellerId: string, marketplaces: readonly MarketplaceCode[]): Promise<RawSellerData>;
}

export type AnalysisState = 'waiting-for-amazon' | 'pending' | 'done' | 'failed';

/** Where a tenant's profile analysis stands, so the onboarding view can say "pending" or why it failed. */
export interface AnalysisStatus {
  readonly tenantId: string;
  readonly status: AnalysisState;
  /** Why it waits or failed, in words for the customer and the CSM. */
  readonly reason: string | null;
  readonly source: AmazonSource;
  readonly sellerId: string | null;
  readonly updatedAt: string;
}

export interface AnalysisStatusStore {
  get(tenantId: string): Promise<AnalysisStatus | undefined>;
  put(status: AnalysisStatus): Promise<void>;
}
