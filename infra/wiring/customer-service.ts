/**
 * Wiring of customer service beyond support (issue 8): quarterly satisfaction surveys (R-S2), support
 * requests (R-S1) and feedback to product development (R-S3).
 *
 * Everything lives in the core table (declared in customers-and-csm.ts) under its own key prefixes:
 * - customers with a live contract: Query index `active`, activeKey=ACTIVE#<0..7> (sparse, written by the
 *   customer repository's save(); the quarterly campaign reads the 8 shards in parallel: never a Scan)
 * - SURVEY#SETTINGS / SETTINGS: campaign settings
 * - SURVEY#<quarter> / CAMPAIGN: the campaign summary (eligible, skipped, loads per manager)
 * - SURVEY#<quarter> / CALL#<tenantId>: planned calls, one per customer and quarter (Query by quarter)
 * - SURVEY#<quarter> / RESPONSE#<tenantId>: answers, conditional put (one per customer and quarter; Query by quarter)
 * - TASK#<stableId(survey#quarter#tenant)>: the survey call task itself (task queue; the id makes a second one impossible)
 * - SURVEY#<quarter> / RESPONSE#<tenantId> also holds the answers customers give in the app (`channel: app`); a
 *   customer's survey is read by its call task's id (Get TASK#<stableId(survey#quarter#tenant)>), never listed
 * - SUPPORT#<requestId> / REQUEST: a support request with status and history (version-conditioned)
 * - TENANT#<tenantId> / SUPPORT#<createdAt>#<requestId>: a customer's requests, newest first (Query, then BatchGet)
 * - RATE#<ip|email> / WINDOW#<start>: public form rate-limit counters (conditional ADD, TTL expiresAt)
 * - FEEDBACK#D#<difficultyId> / DIFFICULTY: a recorded difficulty (id derived from touchpoint, customer and text)
 * - FEEDBACK#AREA#<area> / RC#<rootCauseId>: root causes of a product area (one Query per area; version-conditioned)
 */
import { SURVEY_SCHEDULE } from '#shared/service/surveys.ts';
import type { DomainWiring } from './types.ts';

export const customerService = {
  product: 'customer-success',
  topics: {
    productFeedback: {
      name: 'sellerops-product-feedback',
      purpose: 'New and growing root causes of customer difficulties for product development; attributes kind, productArea, severity, rootCauseId, level.',
    },
  },
  functions: {
    surveyCampaign: {
      entry: 'functions/survey-campaign/handler.ts',
      description: 'Quarterly: plans the satisfaction survey calls (one task per eligible customer, language-matched, within daily capacity)',
      timeoutSeconds: 300,
      memoryMb: 1024,
      triggers: [
        {
          kind: 'schedule',
          schedule: SURVEY_SCHEDULE.name,
          cron: SURVEY_SCHEDULE.cron,
          timeZone: SURVEY_SCHEDULE.timeZone,
          description: 'Quarterly satisfaction survey campaign (first day of each quarter, 06:00 Berlin time)',
        },
      ],
      access: { tablesRead: ['core'], tablesWrite: ['core'] },
    },
    surveys: {
      entry: 'functions/surveys/handler.ts',
      description: 'Survey settings, campaigns and planned calls, answers (from calls and from customers in the app), quarterly results and trends',
      timeoutSeconds: 15,
      memoryMb: 512,
      triggers: [
        { kind: 'http', route: 'getSurveySettings' },
        { kind: 'http', route: 'updateSurveySettings' },
        { kind: 'http', route: 'getSurveyCampaign' },
        { kind: 'http', route: 'listSurveyCalls' },
        { kind: 'http', route: 'recordSurveyResponse' },
        { kind: 'http', route: 'listCustomerSurveys' },
        { kind: 'http', route: 'answerCustomerSurvey' },
        { kind: 'http', route: 'getSurveyResults' },
        { kind: 'http', route: 'getSurveyTrends' },
      ],
      access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['productFeedback'] },
    },
    support: {
      entry: 'functions/support/handler.ts',
      description: "Support requests: the public website form (rate-limited), hotline logging, status, a customer's own list",
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [
        { kind: 'http', route: 'submitSupportRequest' },
        { kind: 'http', route: 'logHotlineRequest' },
        { kind: 'http', route: 'getSupportRequest' },
        { kind: 'http', route: 'listMySupportRequests' },
        { kind: 'http', route: 'updateSupportRequest' },
      ],
      access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['csmNotifications'] },
    },
    feedback: {
      entry: 'functions/feedback/handler.ts',
      description: 'Difficulties from any touchpoint grouped into root causes; new or growing ones and each lifecycle step published to product development',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [
        { kind: 'http', route: 'recordDifficulty' },
        { kind: 'http', route: 'listRootCauses' },
        { kind: 'http', route: 'updateRootCauseStatus' },
      ],
      access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['productFeedback'] },
    },
  },
} as const satisfies DomainWiring;
