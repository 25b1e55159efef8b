/** The shapes the CSM console reads from the API (its contract: /openapi.json and shared/api/*schemas.ts). */

/** A CSM notification: a feed item (`GET /csm/notifications`) or a push's message body (the live feed). */
export interface CsmNotice {
  readonly notificationId: string;
  readonly eventType: string;
  readonly occurredAt: string;
  readonly customerId: string;
  readonly companyName: string;
  readonly language: string;
  readonly product: string;
  readonly title: string;
  readonly message: string;
  readonly csmId: string | null;
  readonly needsLeadAttention: boolean;
  /** Absent on a push: read marks are per reader, a push is for everyone. */
  readonly read?: boolean;
}

export interface CsmTask {
  readonly taskId: string;
  readonly kind: string;
  readonly tenantId: string;
  readonly companyName: string;
  readonly language: string;
  readonly assigneeId: string | null;
  readonly status: 'open' | 'in-progress' | 'done';
  readonly dueAt: string;
  readonly createdAt: string;
  readonly title: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly startedAt?: string;
  readonly completedAt?: string;
  /** What `completeTask` stored: the form's fields, and `effects` / `needsAssessmentRecorded` where the call took effect. */
  readonly outcome?: Readonly<Record<string, unknown>>;
}

export interface Contract {
  readonly product: string;
  readonly status: string;
  readonly startedAt: string;
  readonly trialEndsAt: string | null;
  readonly plan: string;
  readonly offerLimit: number;
  readonly endsAt: string | null;
}

export interface Customer {
  readonly customerId: string;
  readonly companyName: string;
  readonly contactEmail: string;
  readonly language: string;
  readonly marketplaces: readonly string[];
  readonly amazonSellerId: string;
  readonly timeZone: string;
  readonly contracts: readonly Contract[];
  readonly csmId: string | null;
  readonly createdAt: string;
  readonly needsAssessment: NeedsAssessment | null;
}

/** The welcome call's needs assessment as stored on the customer (`needsAssessmentSchema` plus who and when). */
export interface NeedsAssessment {
  readonly goals: readonly string[];
  readonly catalogue: { readonly skus?: number; readonly privateLabelPercent?: number; readonly categories: readonly string[]; readonly notes?: string };
  readonly marketplaces: readonly string[];
  readonly painPoints: readonly string[];
  readonly chosenStrategy: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
  readonly taskId: string;
}

/** Who booked or changed an appointment. */
export interface BookedBy {
  readonly role: 'customer' | 'staff';
  readonly staffId: string | null;
}

/** One of the customer's appointments (`getOnboarding`'s `appointments`). */
export interface Appointment {
  readonly appointmentId: string;
  readonly staffId: string;
  readonly start: string;
  readonly end: string;
  readonly bookedBy: BookedBy;
  readonly status: 'booked' | 'rescheduled' | 'cancelled';
  readonly changedBy: BookedBy | null;
  readonly changedAt: string | null;
  readonly rescheduledTo: string | null;
  readonly rescheduledFrom: string | null;
}

/** Free slots of the customer's manager on one date (`listSlotsForCustomer`). */
export interface FreeSlots {
  readonly staffId: string;
  readonly timeZone: string;
  readonly slots: readonly { readonly start: string; readonly end: string }[];
}

/** What staff did on the customer's behalf (`listStaffActions`). */
export interface StaffAction {
  readonly actionId: string;
  readonly at: string;
  readonly staffId: string;
  readonly as: 'assigned-manager' | 'lead';
  readonly action: string;
  readonly summary: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** The part of a Repricer offer the 360 reads (`listRepricerOffersForCustomer`, the shape of `GET /repricer/offers`). */
export interface CustomerOffer {
  readonly sku: string;
  readonly marketplaceId: string;
  readonly audience: string;
  readonly rules: { readonly strategy: string; readonly currency: string; readonly min: string; readonly max: string };
  readonly paused: boolean;
  readonly buyBox: string;
  readonly pendingPush: { readonly price: string } | null;
  readonly lastPush: { readonly status: string; readonly price: string; readonly at: string } | null;
}

/** The part of a claim the 360 reads (`listClaimsForCustomer`). */
export interface CustomerClaim {
  readonly id: string;
  readonly status: string;
  readonly amount: { readonly minor: number; readonly currency: string };
  readonly deadline: string;
  readonly recovered?: { readonly minor: number; readonly currency: string } | null;
}

export interface SellerProfile {
  readonly marketplaces: readonly { readonly marketplace: string; readonly skus: number; readonly sellingSince: string | null }[];
  readonly totalSkus: number;
  readonly privateLabelPercent: number;
  readonly accountAgeMonths: number;
  readonly unitsSold12Months: number;
  readonly experience: string;
  readonly categories: readonly { readonly category: string; readonly skus: number }[];
  readonly topBrands: readonly { readonly brand: string; readonly skus: number; readonly own: boolean }[];
}

export interface Recommendation {
  readonly overall: string;
  readonly reasons: readonly string[];
  readonly segments: readonly { readonly segment: string; readonly skus: number; readonly strategy: string; readonly reasons: readonly string[] }[];
}

export interface Onboarding {
  readonly csm: { readonly staffId: string; readonly basis: string; readonly needsLeadAttention: boolean } | null;
  readonly profile: SellerProfile | null;
  readonly recommendation: Recommendation | null;
  readonly appointments: readonly Appointment[];
  readonly analysis: { readonly status: string; readonly reason: string | null; readonly source: string | null };
}

export interface AmazonConnection {
  readonly sellerId: string;
  readonly status: string;
  readonly authorisedAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedReason: string | null;
}

export interface NpsFigures {
  readonly responses: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  readonly nps: number | null;
}

export interface QuarterResults extends NpsFigures {
  readonly quarter: string;
  readonly planned: number;
  readonly responseRate: number | null;
  readonly followUpConsents: number;
  readonly byProduct: Readonly<Record<string, NpsFigures & { readonly averageSatisfaction: number | null }>>;
  readonly byLanguage: Readonly<Record<string, NpsFigures>>;
  readonly improvements: readonly string[];
}

export interface TrendQuarter {
  readonly quarter: string;
  readonly nps: number | null;
  readonly npsChange?: number | null;
  readonly responses?: number;
  readonly responseRate?: number | null;
}

export interface RootCause {
  readonly rootCauseId: string;
  readonly productArea: string;
  readonly title: string;
  readonly customers: number;
  readonly affectedCustomers: readonly string[];
  readonly mentions: number;
  readonly maxSeverity: string;
  readonly impact: number;
  readonly samples: readonly string[];
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
}
