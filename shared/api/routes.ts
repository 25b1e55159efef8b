/**
 * Every HTTP route: method, path, who may call it, and the zod schemas of its input and output. Handlers
 * validate with these, the wiring attaches routes to functions, and /openapi.json is generated from them.
 */
import type * as z from 'zod';
import {
  appointmentRequestSchema,
  callbackRequestSchema,
  cancellationRequestSchema,
  completeTaskSchema,
  contractChangeRequestSchema,
  csmNotificationsPageSchema,
  customerPathSchema,
  customerViewSchema,
  extensionRequestSchema,
  feedQuerySchema,
  notificationPathSchema,
  onboardingViewSchema,
  productPathSchema,
  pushPreferencesSchema,
  signupRequestSchema,
  slotsQuerySchema,
  staffActionsPageSchema,
  staffActionsQuerySchema,
  staffPathSchema,
  staffProfileSchema,
  taskPathSchema,
  tasksQuerySchema,
} from './schemas.ts';
import { lostAndFoundRoutes } from './lost-and-found-routes.ts';
import {
  campaignSchema,
  difficultyRequestSchema,
  hotlineSupportRequestSchema,
  quarterPathSchema,
  quarterResultsSchema,
  rootCausesPageSchema,
  rootCausesQuerySchema,
  supportRequestPathSchema,
  supportRequestViewSchema,
  supportStatusUpdateSchema,
  surveyCallsQuerySchema,
  surveyResponseRequestSchema,
  surveySettingsSchema,
  surveySettingsUpdateSchema,
  trendsQuerySchema,
  webSupportAckSchema,
  webSupportRequestSchema,
} from './service-schemas.ts';
import { repricerRoutes } from './repricer-routes.ts';
import { amazonRoutes } from './amazon-routes.ts';

/**
 * Who may call a route: `customer` (a seller's user, one tenant), `csm` (any Customer Success manager) or
 * `csm-lead` (the managers who run the team: staff directory changes, survey settings). Cognito groups of the
 * same names; a lead is in both `csm` and `csm-lead`.
 */
export type Role = 'customer' | 'csm' | 'csm-lead';

export interface HttpRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path syntax: /customers/{customerId} */
  readonly path: string;
  /** `public` needs no token; otherwise the caller's role must be one of these. */
  readonly auth: 'public' | readonly Role[];
  readonly summary: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly params?: z.ZodType;
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: z.ZodType }>>;
}

export const httpRoutes = {
  ...lostAndFoundRoutes,
  ...repricerRoutes,
  ...amazonRoutes,
  getOpenApi: {
    method: 'GET',
    path: '/openapi.json',
    auth: 'public',
    summary: 'This API described as OpenAPI 3.1, generated from the schemas the handlers validate with',
    responses: { 200: { description: 'The OpenAPI document' } },
  },
  createSignup: {
    method: 'POST',
    path: '/signups',
    auth: ['customer'],
    summary: "Sign the caller's tenant up for a product (Repricer starts a 14-day trial)",
    body: signupRequestSchema,
    responses: {
      201: { description: 'Signed up; customer.signed-up is published', schema: customerViewSchema },
      409: { description: 'This tenant already has a contract for this product' },
    },
  },
  getCustomer: {
    method: 'GET',
    path: '/customers/{customerId}',
    auth: ['customer', 'csm'],
    summary: 'A customer record. Customers see only their own (customerId = their tenant id); CSM staff see any',
    params: customerPathSchema,
    responses: { 200: { description: 'The customer', schema: customerViewSchema }, 404: { description: 'No such customer for this caller' } },
  },
  getOnboarding: {
    method: 'GET',
    path: '/customers/{customerId}/onboarding',
    auth: ['customer', 'csm'],
    summary: 'Amazon profile analysis, recommended pricing strategy with its reasons, assigned CSM manager and appointments',
    params: customerPathSchema,
    responses: { 200: { description: 'The onboarding view', schema: onboardingViewSchema }, 404: { description: 'No such customer for this caller' } },
  },
  cancelContract: {
    method: 'POST',
    path: '/contracts/{product}/cancellation',
    auth: ['customer'],
    summary: "Cancel the caller's contract for a product; publishes contract.cancelled",
    params: productPathSchema,
    body: cancellationRequestSchema,
    responses: { 200: { description: 'Cancelled', schema: customerViewSchema }, 409: { description: 'Already cancelled' } },
  },
  extendContract: {
    method: 'POST',
    path: '/contracts/{product}/extension',
    auth: ['customer'],
    summary: 'Extend the contract by whole months (a trial becomes a paid term); publishes contract.extended',
    params: productPathSchema,
    body: extensionRequestSchema,
    responses: { 200: { description: 'Extended', schema: customerViewSchema }, 409: { description: 'The contract is cancelled' } },
  },
  changeContract: {
    method: 'PATCH',
    path: '/contracts/{product}',
    auth: ['customer'],
    summary: 'Change plan, number of offers or marketplaces; publishes contract.changed',
    params: productPathSchema,
    body: contractChangeRequestSchema,
    responses: { 200: { description: 'Changed', schema: customerViewSchema }, 409: { description: 'The contract is cancelled' } },
  },
  requestCallback: {
    method: 'POST',
    path: '/callbacks',
    auth: ['customer'],
    summary: 'Callback service: ask the CSM team to call back (creates a callback task for the assigned manager)',
    body: callbackRequestSchema,
    responses: { 201: { description: 'The callback task' } },
  },
  listFreeSlots: {
    method: 'GET',
    path: '/appointments/slots',
    auth: ['customer'],
    summary: "Free 45-minute onboarding slots of the customer's CSM manager on one date (manager's working hours)",
    query: slotsQuerySchema,
    responses: { 200: { description: 'Free slots' } },
  },
  bookAppointment: {
    method: 'POST',
    path: '/appointments',
    auth: ['customer'],
    summary: 'Book an onboarding appointment (45 minutes: product tour and strategy consultation)',
    body: appointmentRequestSchema,
    responses: {
      201: { description: 'Booked, with the agenda and the strategy recommendation' },
      200: { description: 'This customer already holds the slot (a retried request)' },
      409: { description: 'The slot is taken' },
    },
  },
  // ---- staff acting for a customer, on the record (issue 20) ----
  listSlotsForCustomer: {
    method: 'GET',
    path: '/customers/{customerId}/appointments/slots',
    auth: ['csm'],
    summary: "Free onboarding slots of the customer's manager, for the customer's manager or a lead booking for them",
    params: customerPathSchema,
    query: slotsQuerySchema,
    responses: { 200: { description: 'Free slots' }, 403: { description: 'The customer is not yours (and you are no lead)' }, 404: { description: 'No such customer' } },
  },
  bookAppointmentForCustomer: {
    method: 'POST',
    path: '/customers/{customerId}/appointments',
    auth: ['csm'],
    summary: "Book an onboarding appointment for the customer (their manager or a lead); the customer sees it, booked by staff, and the staff-action log says who",
    params: customerPathSchema,
    body: appointmentRequestSchema,
    responses: {
      201: { description: 'Booked for the customer' },
      200: { description: 'The customer already holds the slot' },
      403: { description: 'The customer is not yours (and you are no lead)' },
      409: { description: 'The slot is taken' },
    },
  },
  listStaffActions: {
    method: 'GET',
    path: '/customers/{customerId}/staff-actions',
    auth: ['customer', 'csm'],
    summary: "What CSM staff did on the customer's behalf (who, what, when), newest first: the customer reads its own, its manager or a lead any",
    params: customerPathSchema,
    query: staffActionsQuerySchema,
    responses: { 200: { description: 'The log', schema: staffActionsPageSchema }, 403: { description: 'The customer is not yours (and you are no lead)' }, 404: { description: 'No such customer for this caller' } },
  },
  listStaff: {
    method: 'GET',
    path: '/csm/staff',
    auth: ['csm'],
    summary: 'The CSM staff directory with languages, capacity, availability and load per manager and per language',
    responses: { 200: { description: 'Staff and load spread' } },
  },
  upsertStaff: {
    method: 'PUT',
    path: '/csm/staff/{staffId}',
    auth: ['csm-lead'],
    summary: 'Add or update a CSM manager (languages, capacity, availability: absent staff get no new customers)',
    params: staffPathSchema,
    body: staffProfileSchema,
    responses: { 200: { description: 'The staff member' } },
  },
  staffLeaves: {
    method: 'POST',
    path: '/csm/staff/{staffId}/leave',
    auth: ['csm-lead'],
    summary: 'A manager leaves: every customer and open task is re-assigned by language',
    params: staffPathSchema,
    responses: { 200: { description: 'Who went where' } },
  },
  setPushPreferences: {
    method: 'PUT',
    path: '/csm/staff/{staffId}/push',
    auth: ['csm'],
    summary: "What the manager gets pushed: event types, languages, only 'mine' or 'all' customers (SNS filter policy)",
    params: staffPathSchema,
    body: pushPreferencesSchema,
    responses: { 200: { description: 'Preferences and subscription' }, 403: { description: 'Only for your own staff id' } },
  },
  listCsmNotifications: {
    method: 'GET',
    path: '/csm/notifications',
    auth: ['csm'],
    summary: "The CSM notification feed, newest first, with the caller's read flags (scope=mine for own customers)",
    query: feedQuerySchema,
    responses: { 200: { description: 'A page of notifications', schema: csmNotificationsPageSchema } },
  },
  markNotificationRead: {
    method: 'POST',
    path: '/csm/notifications/{notificationId}/read',
    auth: ['csm'],
    summary: 'Mark a notification read for the caller',
    params: notificationPathSchema,
    responses: { 204: { description: 'Marked' }, 404: { description: 'No such notification' } },
  },
  listMyTasks: {
    method: 'GET',
    path: '/csm/tasks',
    auth: ['csm'],
    summary: "The caller's open tasks (calls), earliest due first",
    query: tasksQuerySchema,
    responses: { 200: { description: 'Open tasks' } },
  },
  listUnassignedTasks: {
    method: 'GET',
    path: '/csm/tasks/unassigned',
    auth: ['csm'],
    summary: 'Open tasks nobody has (no manager had room, or their manager left), earliest due first: starting one takes it',
    query: tasksQuerySchema,
    responses: { 200: { description: 'Unassigned open tasks' } },
  },
  startTask: {
    method: 'POST',
    path: '/csm/tasks/{taskId}/start',
    auth: ['csm'],
    summary: 'Start working on a task',
    params: taskPathSchema,
    responses: { 200: { description: 'The task' }, 409: { description: 'Already done' } },
  },
  completeTask: {
    method: 'POST',
    path: '/csm/tasks/{taskId}/complete',
    auth: ['csm'],
    summary: 'Complete a task with its outcome (end-of-trial call: feedback, strategyAdjusted, newStrategy, converted; survey call: answered with answers, no-answer, reschedule, declined; calls may add difficulties)',
    params: taskPathSchema,
    body: completeTaskSchema,
    responses: { 200: { description: 'The task' }, 409: { description: 'Already done' } },
  },
  // ---- customer service: quarterly surveys (R-S2), support requests (R-S1), product feedback (R-S3) ----
  getSurveySettings: {
    method: 'GET',
    path: '/surveys/settings',
    auth: ['csm'],
    summary: 'Survey campaign settings: minimum contract age, default daily survey calls per manager, first call hour, attempts',
    responses: { 200: { description: 'The settings', schema: surveySettingsSchema } },
  },
  updateSurveySettings: {
    method: 'PUT',
    path: '/surveys/settings',
    auth: ['csm-lead'],
    summary: 'Change survey campaign settings (fields not given keep their value); used by the next campaign',
    body: surveySettingsUpdateSchema,
    responses: { 200: { description: 'The settings now in force', schema: surveySettingsSchema } },
  },
  getSurveyCampaign: {
    method: 'GET',
    path: '/surveys/campaigns/{quarter}',
    auth: ['csm'],
    summary: "A quarter's survey campaign: eligible and skipped customers, and each manager's calls, languages and highest daily load",
    params: quarterPathSchema,
    responses: { 200: { description: 'The campaign', schema: campaignSchema }, 404: { description: 'No campaign for this quarter yet' } },
  },
  listSurveyCalls: {
    method: 'GET',
    path: '/surveys/campaigns/{quarter}/calls',
    auth: ['csm'],
    summary: 'The planned survey calls of a quarter (one per customer: task, manager, language, day), paged',
    params: quarterPathSchema,
    query: surveyCallsQuerySchema,
    responses: { 200: { description: 'A page of planned calls' } },
  },
  recordSurveyResponse: {
    method: 'POST',
    path: '/surveys/responses',
    auth: ['csm'],
    summary: "Record a customer's survey answers for the current quarter (e.g. from an inbound call); closes their survey task",
    body: surveyResponseRequestSchema,
    responses: {
      201: { description: 'Recorded' },
      200: { description: 'This customer already answered this quarter: the first answers stand' },
      404: { description: 'Unknown customer' },
      409: { description: 'The customer has cancelled' },
    },
  },
  getSurveyResults: {
    method: 'GET',
    path: '/surveys/results/{quarter}',
    auth: ['csm'],
    summary: 'Survey results of a quarter: NPS, response rate, satisfaction by product, NPS by language, improvement ideas',
    params: quarterPathSchema,
    responses: { 200: { description: 'The results', schema: quarterResultsSchema } },
  },
  getSurveyTrends: {
    method: 'GET',
    path: '/surveys/trends',
    auth: ['csm'],
    summary: 'NPS, response rate and product satisfaction per quarter from..to, with the NPS change from the quarter before',
    query: trendsQuerySchema,
    responses: { 200: { description: 'Quarters in order' } },
  },
  submitSupportRequest: {
    method: 'POST',
    path: '/support/requests',
    auth: 'public',
    summary: 'Website support form (no login): validated, rate-limited per client and e-mail, honeypot-protected; routed to a manager by language',
    body: webSupportRequestSchema,
    responses: {
      202: { description: 'Received', schema: webSupportAckSchema },
      400: { description: 'Invalid form' },
      429: { description: 'Too many requests from this client or e-mail address' },
    },
  },
  logHotlineRequest: {
    method: 'POST',
    path: '/support/hotline',
    auth: ['csm'],
    summary: "Log a hotline call as a support request for a known customer (routed to the customer's manager)",
    body: hotlineSupportRequestSchema,
    responses: { 201: { description: 'Logged', schema: supportRequestViewSchema }, 200: { description: 'Already logged' }, 404: { description: 'Unknown customer' } },
  },
  getSupportRequest: {
    method: 'GET',
    path: '/support/requests/{requestId}',
    auth: ['customer', 'csm'],
    summary: 'A support request with its status and history (customers: their own only)',
    params: supportRequestPathSchema,
    responses: { 200: { description: 'The request' }, 404: { description: 'No such request for this caller' } },
  },
  updateSupportRequest: {
    method: 'PATCH',
    path: '/support/requests/{requestId}',
    auth: ['csm'],
    summary: 'Change the status of a support request (open, in-progress, resolved, closed)',
    params: supportRequestPathSchema,
    body: supportStatusUpdateSchema,
    responses: { 200: { description: 'The request' }, 409: { description: 'Transition not allowed' } },
  },
  recordDifficulty: {
    method: 'POST',
    path: '/feedback/difficulties',
    auth: ['csm'],
    summary: 'Record a difficulty a customer mentioned at a touchpoint (product area, severity, verbatim); grouped into a root cause',
    body: difficultyRequestSchema,
    responses: { 201: { description: 'Recorded, with its root cause' }, 200: { description: 'Already recorded (duplicate)' }, 404: { description: 'Unknown customer' } },
  },
  listRootCauses: {
    method: 'GET',
    path: '/feedback/root-causes',
    auth: ['csm'],
    summary: 'Root causes of difficulties, highest impact first (affected customers weighted by severity)',
    query: rootCausesQuerySchema,
    responses: { 200: { description: 'Root causes', schema: rootCausesPageSchema } },
  },
} as const satisfies Record<string, HttpRoute>;

export type HttpRouteId = keyof typeof httpRoutes;
