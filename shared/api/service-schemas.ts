/** Request and response schemas of the customer-service routes (surveys, support requests, product feedback). */
import * as z from 'zod';
import { PRODUCT_AREAS, TOUCHPOINTS, difficultyInputSchema } from '#shared/service/feedback.ts';
import { quarterIdSchema, surveyAnswersSchema, surveySettingsSchema } from '#shared/service/surveys.ts';
import { customerSurveyAnswerSchema, customerSurveySchema, customerSurveysSchema, surveyIdSchema } from '#shared/service/customer-surveys.ts';
import { supportStatusUpdateSchema, webSupportRequestSchema, hotlineSupportRequestSchema, SUPPORT_STATUSES } from '#shared/service/support.ts';
import { LANGUAGE_CODES } from '#shared/kernel/languages.ts';
import { ROOT_CAUSE_STATUSES } from '#shared/service/root-cause-lifecycle.ts';

export { surveySettingsSchema, webSupportRequestSchema, hotlineSupportRequestSchema, supportStatusUpdateSchema, customerSurveyAnswerSchema, customerSurveySchema, customerSurveysSchema };

const customerId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const quarterPathSchema = z.strictObject({ quarter: quarterIdSchema });
export const surveySettingsUpdateSchema = z
  .strictObject({
    minContractDays: z.number().int().min(0).max(3650).optional(),
    defaultDailyCalls: z.number().int().min(1).max(100).optional(),
    firstCallHour: z.number().int().min(0).max(16).optional(),
    maxAttempts: z.number().int().min(1).max(10).optional(),
  })
  .meta({ id: 'SurveySettingsUpdate' });
export const surveyCallsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  cursor: z.string().max(2000).optional(),
});
export const surveyResponseRequestSchema = z.strictObject({ customerId, answers: surveyAnswersSchema }).meta({ id: 'SurveyResponseRequest' });
export const customerSurveyPathSchema = z.strictObject({ surveyId: surveyIdSchema });
export const trendsQuerySchema = z.strictObject({ from: quarterIdSchema, to: quarterIdSchema });

const npsFigures = { responses: z.number().int(), promoters: z.number().int(), passives: z.number().int(), detractors: z.number().int(), nps: z.number().nullable() };
export const quarterResultsSchema = z
  .object({
    quarter: z.string(),
    ...npsFigures,
    planned: z.number().int(),
    responseRate: z.number().nullable(),
    followUpConsents: z.number().int(),
    byProduct: z.record(z.string(), z.object({ ...npsFigures, averageSatisfaction: z.number().nullable() })),
    byLanguage: z.record(z.string(), z.object(npsFigures)),
    improvements: z.array(z.string()),
  })
  .meta({ id: 'SurveyQuarterResults' });

export const campaignSchema = z
  .object({
    quarter: z.string(),
    scheduledTime: z.string(),
    plannedAt: z.string(),
    timeZone: z.string(),
    eligible: z.number().int(),
    created: z.number().int(),
    alreadyPlanned: z.number().int(),
    skipped: z.record(z.string(), z.number().int()),
    unassigned: z.number().int(),
    workingDays: z.number().int(),
    loads: z.array(
      z.object({
        staffId: z.string(),
        languages: z.array(z.enum(LANGUAGE_CODES)),
        dailyCalls: z.number().int(),
        calls: z.number().int(),
        days: z.number().int(),
        maxPerDay: z.number().int(),
        byLanguage: z.record(z.string(), z.number().int()),
      }),
    ),
  })
  .meta({ id: 'SurveyCampaign' });

export const supportRequestPathSchema = z.strictObject({ requestId: z.string().regex(/^sr-[a-z0-9]{1,32}$/) });
export const supportRequestViewSchema = z
  .object({
    requestId: z.string(),
    channel: z.enum(['web', 'hotline']),
    status: z.enum(SUPPORT_STATUSES),
    tenantId: z.string().nullable(),
    language: z.enum(LANGUAGE_CODES),
    subject: z.string(),
    csmId: z.string().nullable(),
    routing: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SupportRequest' });
export const supportRequestsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2000).optional(),
});
/** A customer's own requests, newest first (what `GET /support/requests/{requestId}` shows of each). */
export const supportRequestsPageSchema = z.object({ items: z.array(supportRequestViewSchema), nextCursor: z.string().nullable() }).meta({ id: 'SupportRequestPage' });
export const webSupportAckSchema = z.object({ requestId: z.string().nullable(), status: z.string() }).meta({ id: 'SupportRequestReceipt' });

export const difficultyRequestSchema = difficultyInputSchema
  .extend({
    customerId,
    touchpoint: z.enum(TOUCHPOINTS),
    /** The task, survey or support request it came up in. */
    touchpointRef: z.string().trim().min(1).max(128).optional(),
  })
  .meta({ id: 'DifficultyRequest' });
export const rootCausesQuerySchema = z.strictObject({
  area: z.enum(PRODUCT_AREAS).optional(),
  minCustomers: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const rootCauseViewSchema = z
  .object({
    rootCauseId: z.string(),
    productArea: z.enum(PRODUCT_AREAS),
    title: z.string(),
    customers: z.number().int(),
    affectedCustomers: z.array(z.string()),
    mentions: z.number().int(),
    maxSeverity: z.string(),
    impact: z.number(),
    samples: z.array(z.string()),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
    publishedLevel: z.number().int(),
    publishedAt: z.string().nullable(),
    status: z.enum(ROOT_CAUSE_STATUSES),
    statusHistory: z.array(z.object({ status: z.enum(ROOT_CAUSE_STATUSES), at: z.string(), by: z.string(), note: z.string().nullable() })),
  })
  .meta({ id: 'RootCause' });
export const rootCausePathSchema = z.strictObject({ id: z.string().regex(/^rc-[a-z0-9]{1,20}$/) });
export const rootCauseStatusUpdateSchema = z
  .strictObject({ status: z.enum(ROOT_CAUSE_STATUSES), note: z.string().trim().min(1).max(2000).optional() })
  .meta({ id: 'RootCauseStatusUpdate' });
export const rootCausesPageSchema = z.object({ items: z.array(rootCauseViewSchema) }).meta({ id: 'RootCausePage' });
