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
  readonly appointments: readonly { readonly staffId: string; readonly start: string; readonly end: string }[];
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
