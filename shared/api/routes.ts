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
  staffPathSchema,
  staffProfileSchema,
  taskPathSchema,
  tasksQuerySchema,
} from './schemas.ts';
import { lostAndFoundRoutes } from './lost-and-found-routes.ts';

export type Role = 'customer' | 'csm';

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
  getWebApp: {
    method: 'GET',
    path: '/',
    auth: 'public',
    summary: 'The dashboard web page (customers: Lost & Found and onboarding; CSM staff: feed and tasks); it calls this API with the user’s token',
    responses: { 200: { description: 'HTML' } },
  },
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
    auth: ['csm'],
    summary: 'Add or update a CSM manager (languages, capacity, availability: absent staff get no new customers)',
    params: staffPathSchema,
    body: staffProfileSchema,
    responses: { 200: { description: 'The staff member' } },
  },
  staffLeaves: {
    method: 'POST',
    path: '/csm/staff/{staffId}/leave',
    auth: ['csm'],
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
    summary: 'Complete a task with its outcome (end-of-trial call: feedback, strategyAdjusted, newStrategy, converted)',
    params: taskPathSchema,
    body: completeTaskSchema,
    responses: { 200: { description: 'The task' }, 409: { description: 'Already done' } },
  },
} as const satisfies Record<string, HttpRoute>;

export type HttpRouteId = keyof typeof httpRoutes;
