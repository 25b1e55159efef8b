/** Request and response bodies of the HTTP API. The handlers validate with these and /openapi.json is generated from them. */
import * as z from 'zod';
import { LANGUAGE_CODES } from '#shared/kernel/languages.ts';
import { MARKETPLACE_CODES } from '#shared/kernel/marketplaces.ts';
import { planSchema, productSchema } from '#shared/contracts/customer-events.ts';
import { CSM_PUSH_EVENT_TYPES } from '#shared/csm/subscriptions.ts';
import { isValidTimeZone } from '#shared/kernel/time-zones.ts';
import { needsAssessmentSchema, type CustomerView as DomainCustomerView, type SignUpCommand } from '#shared/customers/index.ts';

/** Compile-time check that the HTTP contract and the domain's own types agree (see the two uses below). */
type Assert<T extends true> = T;

export const errorBodySchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ id: 'Error' });

/**
 * The system's clock (`GET /clock`): what "today" is for every use case. The web app defaults its day and quarter
 * fields from it, so a stack on a simulated clock (`npm start -- --clock …`) and the browser agree on the day.
 */
export const clockSchema = z.strictObject({ now: z.iso.datetime() }).meta({ id: 'Clock' });

export const timeZoneSchema = z.string().refine(isValidTimeZone, { error: 'unknown IANA time zone' });

export const signupRequestSchema = z
  .strictObject({
    product: productSchema,
    companyName: z.string().trim().min(1).max(200),
    contactEmail: z.email(),
    language: z.enum(LANGUAGE_CODES),
    marketplaces: z
      .array(z.enum(MARKETPLACE_CODES))
      .min(1)
      .max(MARKETPLACE_CODES.length)
      .refine((m) => new Set(m).size === m.length, { error: 'marketplaces must not repeat' }),
    amazonSellerId: z.string().regex(/^[A-Z0-9]{10,16}$/, 'an Amazon merchant token such as A2EXAMPLE12345'),
    timeZone: timeZoneSchema.optional(),
    /** Brands the seller owns (Brand Registry has no public API): they make its private-label share. */
    ownBrands: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  })
  .meta({ id: 'SignupRequest' });
export type SignupRequest = z.infer<typeof signupRequestSchema>;
/** The domain owns the command; the HTTP body parses into it (a field the domain lacks or types differently fails here). */
export type SignupRequestIsSignUpCommand = Assert<SignupRequest extends SignUpCommand ? true : false>;

export const contractViewSchema = z.object({
  product: productSchema,
  status: z.enum(['trial', 'active', 'cancelled']),
  startedAt: z.iso.datetime(),
  trialEndsAt: z.iso.datetime().nullable(),
  plan: planSchema,
  offerLimit: z.number().int(),
  endsAt: z.iso.datetime().nullable(),
});

export const customerViewSchema = z
  .object({
    customerId: z.string(),
    companyName: z.string(),
    contactEmail: z.string(),
    language: z.enum(LANGUAGE_CODES),
    marketplaces: z.array(z.enum(MARKETPLACE_CODES)),
    amazonSellerId: z.string(),
    timeZone: z.string(),
    contracts: z.array(contractViewSchema),
    csmId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    needsAssessment: needsAssessmentSchema.extend({ recordedBy: z.string(), recordedAt: z.string(), taskId: z.string() }).nullable(),
  })
  .meta({ id: 'Customer' });
export type CustomerView = z.infer<typeof customerViewSchema>;
/** The domain owns the view; this schema documents it, so every view the domain builds is a valid response body. */
export type CustomerViewMatchesDomain = Assert<DomainCustomerView extends CustomerView ? (CustomerView extends DomainCustomerView ? true : false) : false>;

export const customerPathSchema = z.strictObject({ customerId: z.string().min(1).max(128) });

export const csmNotificationSchema = z
  .object({
    notificationId: z.string(),
    eventType: z.string(),
    occurredAt: z.iso.datetime(),
    customerId: z.string(),
    companyName: z.string(),
    language: z.string(),
    product: z.string(),
    title: z.string(),
    message: z.string(),
    csmId: z.string().nullable(),
    needsLeadAttention: z.boolean(),
    pushedAt: z.iso.datetime().nullable(),
    read: z.boolean(),
  })
  .meta({ id: 'CsmNotification' });

export const csmNotificationsPageSchema = z
  .object({ items: z.array(csmNotificationSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'CsmNotificationPage' });

export const emptySchema = z.strictObject({});

// ---- contracts (R-N1) ----
export const productPathSchema = z.strictObject({ product: productSchema });
export const cancellationRequestSchema = z.strictObject({ reason: z.string().trim().max(2000).optional() }).meta({ id: 'CancellationRequest' });
export const extensionRequestSchema = z.strictObject({ months: z.number().int().min(1).max(60) }).meta({ id: 'ExtensionRequest' });
export const contractChangeRequestSchema = z
  .strictObject({
    plan: planSchema.optional(),
    offerLimit: z.number().int().min(1).max(10_000_000).optional(),
    marketplaces: z
      .array(z.enum(MARKETPLACE_CODES))
      .min(1)
      .refine((m) => new Set(m).size === m.length, { error: 'marketplaces must not repeat' })
      .optional(),
  })
  .refine((b) => b.plan !== undefined || b.offerLimit !== undefined || b.marketplaces !== undefined, { error: 'give plan, offerLimit or marketplaces' })
  .meta({ id: 'ContractChangeRequest' });

// ---- onboarding (R-O1–R-O4) ----
/** Who booked an appointment: the customer, or a CSM manager acting for the customer. */
export const bookedBySchema = z.object({ role: z.enum(['customer', 'staff']), staffId: z.string().nullable() });
export const onboardingViewSchema = z
  .object({
    customerId: z.string(),
    csm: z.object({ staffId: z.string(), basis: z.string(), needsLeadAttention: z.boolean() }).nullable(),
    profile: z.record(z.string(), z.unknown()).nullable(),
    recommendation: z.record(z.string(), z.unknown()).nullable(),
    appointments: z.array(
      z.object({
        appointmentId: z.string(),
        staffId: z.string(),
        start: z.string(),
        end: z.string(),
        bookedBy: bookedBySchema,
        status: z.enum(['booked', 'rescheduled', 'cancelled']),
        /** Who moved or cancelled it (the customer, or staff acting for it), and when; null while booked. */
        changedBy: bookedBySchema.nullable(),
        changedAt: z.string().nullable(),
        rescheduledTo: z.string().nullable(),
        rescheduledFrom: z.string().nullable(),
      }),
    ),
    analysis: z.object({
      status: z.enum(['pending', 'done', 'failed']),
      reason: z.string().nullable(),
      /** `simulated` when the profile came from the simulated Amazon, not from SP-API. */
      source: z.enum(['amazon', 'simulated']).nullable(),
    }),
  })
  .meta({ id: 'Onboarding' });
export const reconsultationRequestSchema = z
  .strictObject({
    reason: z.string().trim().min(3).max(2000),
    /** Makes a retried request a no-op. */
    requestId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  })
  .meta({ id: 'ReconsultationRequest' });
export const callbackRequestSchema = z
  .strictObject({
    topic: z.string().trim().min(1).max(500),
    phone: z.string().regex(/^\+?[0-9 ()-]{6,20}$/, 'a phone number').optional(),
    /** Makes a retried request a no-op. */
    requestId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  })
  .meta({ id: 'CallbackRequest' });
export const staffActionsQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const staffActionsPageSchema = z
  .object({
    items: z.array(
      z.object({
        actionId: z.string(),
        at: z.string(),
        staffId: z.string(),
        as: z.enum(['assigned-manager', 'lead']),
        action: z.string(),
        summary: z.string(),
        details: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .meta({ id: 'StaffActions' });
export const slotsQuerySchema = z.strictObject({ date: z.iso.date({ error: 'a calendar date YYYY-MM-DD' }) });
export const appointmentRequestSchema = z.strictObject({ start: z.iso.datetime({ offset: true }) }).meta({ id: 'AppointmentRequest' });
/** A new slot for a booked appointment (`PATCH`): the same shape as a booking. */
export const appointmentChangeSchema = z.strictObject({ start: z.iso.datetime({ offset: true }) }).meta({ id: 'AppointmentChange' });
export const appointmentPathSchema = z.strictObject({ appointmentId: z.string().regex(/^appt-[a-z0-9]{1,20}$/) });
export const customerAppointmentPathSchema = z.strictObject({ customerId: z.string().min(1).max(128), appointmentId: z.string().regex(/^appt-[a-z0-9]{1,20}$/) });

// ---- announcements (issue 20) ----
const announcementTextSchema = z.strictObject({ title: z.string().trim().min(1).max(200), body: z.string().trim().min(1).max(5000) });
export const announcementRequestSchema = z
  .strictObject({
    product: productSchema,
    texts: z
      .partialRecord(z.enum(LANGUAGE_CODES), announcementTextSchema)
      .refine((texts) => Object.keys(texts).length > 0, { error: 'at least one language' }),
    /** Shown to customers whose language has no text; must be one of `texts`. */
    fallbackLanguage: z.enum(LANGUAGE_CODES).default('en'),
    /** Makes a retried POST the same announcement (otherwise the same product and texts do). */
    requestId: z.string().trim().min(1).max(100).optional(),
  })
  .meta({ id: 'AnnouncementRequest' });
export const announcementPathSchema = z.strictObject({ announcementId: z.string().regex(/^ann-[a-f0-9]{32}$/) });
export const announcementsQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });
// ---- CSM staff, push preferences (R-N2, R-N3) ----
export const staffPathSchema = z.strictObject({ staffId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
export const staffProfileSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.email(),
    languages: z
      .array(z.enum(LANGUAGE_CODES))
      .min(1)
      .max(6)
      .refine((l) => new Set(l).size === l.length, { error: 'languages must not repeat' }),
    capacity: z.number().int().min(1).max(10_000),
    /** Survey calls per working day (quarterly surveys); the survey settings' default when absent. */
    dailyCalls: z.number().int().min(1).max(100).optional(),
    available: z.boolean().default(true),
    lead: z.boolean().default(false),
    timeZone: timeZoneSchema.default('Europe/Berlin'),
  })
  .meta({ id: 'StaffProfile' });
export const pushPreferencesSchema = z
  .strictObject({
    eventTypes: z.array(z.enum(CSM_PUSH_EVENT_TYPES)).default([]),
    languages: z.array(z.enum(LANGUAGE_CODES)).default([]),
    scope: z.enum(['mine', 'all']).default('mine'),
    /** Absent: keep the current endpoint; null: remove it (e.g. stop e-mail pushes). */
    endpoint: z
      .strictObject({ protocol: z.enum(['email', 'sms', 'https', 'application']), address: z.string().min(3).max(2048) })
      .nullable()
      .optional(),
  })
  .meta({ id: 'PushPreferences' });

// ---- CSM feed and tasks ----
export const feedQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(1024).optional(),
  scope: z.enum(['mine', 'all']).default('all'),
  unread: z.enum(['true', 'false']).default('false'),
});
export const notificationPathSchema = z.strictObject({ notificationId: z.string().regex(/^n-[a-z0-9]{1,20}$/) });
export const tasksQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(100) });
export const taskPathSchema = z.strictObject({ taskId: z.string().regex(/^task-[a-z0-9]{1,20}$/) });
export const completeTaskSchema = z.strictObject({ outcome: z.record(z.string(), z.unknown()) }).meta({ id: 'TaskCompletion' });
