/** Lost & Found routes (R-L1–R-L5): every one is the calling customer's own data (tenant from the token). */
import * as z from 'zod';
import { CLAIM_STATUSES } from '#shared/lost-and-found/lifecycle.ts';
import type { HttpRoute } from './routes.ts';

export const uploadRequestSchema = z
  .strictObject({
    fileName: z.string().regex(/^[A-Za-z0-9._ -]{1,200}$/, 'letters, digits, dot, dash, underscore and space only'),
  })
  .meta({ id: 'ReportUploadRequest' });
export const reportPathSchema = z.strictObject({ fileName: uploadRequestSchema.shape.fileName });
export const startAuditSchema = z
  .strictObject({ asOf: z.iso.date({ error: 'a calendar date YYYY-MM-DD' }).optional() })
  .meta({ id: 'AuditRequest' });
export const reportFetchPathSchema = z.strictObject({ reportType: z.string().regex(/^[A-Z0-9_]{3,80}$/, "an Amazon report type, e.g. GET_LEDGER_DETAIL_VIEW_DATA") });
export const auditPathSchema = z.strictObject({ auditId: z.string().regex(/^audit-[a-z0-9-]{1,60}$/) });
export const claimsQuerySchema = z.strictObject({
  status: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',') : undefined))
    .pipe(z.array(z.enum(CLAIM_STATUSES)).optional()),
});
export const claimPathSchema = z.strictObject({ claimId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/) });
export const caseIdSchema = z.strictObject({ caseId: z.string().regex(/^[0-9]{6,20}$/, 'a Seller Support case id (digits)') }).meta({ id: 'ClaimCase' });
export const claimActionSchema = z
  .strictObject({
    action: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('request_info'), note: z.string().trim().min(1).max(2000) }),
      z.strictObject({ kind: z.literal('answer_info'), note: z.string().trim().min(1).max(2000) }),
      z.strictObject({ kind: z.literal('reject'), reason: z.string().trim().min(1).max(2000) }),
    ]),
  })
  .meta({ id: 'ClaimAction' });
export const dashboardQuerySchema = z.strictObject({
  feeBasisPoints: z.coerce.number().int().min(0).max(10_000).default(2500),
  expiringWithinDays: z.coerce.number().int().min(1).max(120).default(14),
});
export const setupHelpSchema = z.strictObject({ note: z.string().trim().max(2000).optional() }).meta({ id: 'SetupHelpRequest' });

export const lostAndFoundRoutes = {
  createReportUpload: {
    method: 'POST',
    path: '/lost-and-found/uploads',
    auth: ['customer'],
    summary: 'A pre-signed URL to PUT one FBA report file (TSV, or .gz) into the tenant’s report folder (valid 15 minutes)',
    body: uploadRequestSchema,
    responses: { 201: { description: '{ uploadUrl, key, expiresAt }' } },
  },
  listReports: {
    method: 'GET',
    path: '/lost-and-found/reports',
    auth: ['customer'],
    summary: 'The report files stored in the tenant’s folder (uploaded or fetched from Amazon): what the next audit reads',
    responses: { 200: { description: '{ reports: [{ fileName, bytes, type (the FBA report recognised by its header row, or `unknown`), problem: null | { code: `unreadable` | `empty` | `unknown_report` | `missing_columns`, params, message } }] }' } },
  },
  deleteReport: {
    method: 'DELETE',
    path: '/lost-and-found/reports/{fileName}',
    auth: ['customer'],
    summary: 'Delete one stored report file: audits started afterwards no longer read it (claims already found stay)',
    params: reportPathSchema,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such report file for this customer' } },
  },
  startAudit: {
    method: 'POST',
    path: '/lost-and-found/audits',
    auth: ['customer'],
    summary: 'Audit every uploaded report (asOf defaults to today); the job runs asynchronously',
    body: startAuditSchema,
    responses: { 202: { description: '{ auditId, status: "queued" }' } },
  },
  getAudit: {
    method: 'GET',
    path: '/lost-and-found/audits/{auditId}',
    auth: ['customer'],
    summary: 'Status and summary of an audit: files read, lines skipped and why, claims created/refreshed, reconciliation',
    params: auditPathSchema,
    responses: { 200: { description: 'The audit run' }, 404: { description: 'No such audit for this customer' } },
  },
  listClaims: {
    method: 'GET',
    path: '/lost-and-found/claims',
    auth: ['customer'],
    summary: 'Claims with their status, value, deadline and evidence (status=found,filed,… filters)',
    query: claimsQuerySchema,
    responses: { 200: { description: '{ claims: [...] }' } },
  },
  listClaimsForCustomer: {
    method: 'GET',
    path: '/customers/{customerId}/lost-and-found/claims',
    auth: ['csm'],
    summary: "A customer's claims, read by its manager or a lead acting for it (logged in the customer's staff-action log); any other manager 403",
    params: z.strictObject({ customerId: z.string().min(1).max(128) }),
    query: claimsQuerySchema,
    responses: { 200: { description: '{ claims: [...] }' }, 403: { description: 'The customer is not yours (and you are no lead)' }, 404: { description: 'No such customer' } },
  },
  getClaim: {
    method: 'GET',
    path: '/lost-and-found/claims/{claimId}',
    auth: ['customer'],
    summary: 'One claim with its history and the Seller Support case text',
    params: claimPathSchema,
    responses: { 200: { description: 'The claim' }, 404: { description: 'No such claim' } },
  },
  fileClaim: {
    method: 'POST',
    path: '/lost-and-found/claims/{claimId}/file',
    auth: ['customer'],
    summary: 'File the claim: with no case API at Amazon this returns the case text to submit (assisted), or files it (simulated)',
    params: claimPathSchema,
    responses: { 200: { description: 'The filing result' }, 409: { description: 'Not fileable in its state' } },
  },
  recordClaimCase: {
    method: 'POST',
    path: '/lost-and-found/claims/{claimId}/case',
    auth: ['customer'],
    summary: 'Record the Seller Support case id after submitting the case text (found → filed)',
    params: claimPathSchema,
    body: caseIdSchema,
    responses: { 200: { description: 'The claim' }, 409: { description: 'Not fileable in its state' } },
  },
  claimAction: {
    method: 'POST',
    path: '/lost-and-found/claims/{claimId}/actions',
    auth: ['customer'],
    summary: 'Record Amazon’s answer: more information requested, information answered, rejected',
    params: claimPathSchema,
    body: claimActionSchema,
    responses: { 200: { description: 'The claim' }, 409: { description: 'Not allowed in its state' } },
  },
  lostFoundDashboard: {
    method: 'GET',
    path: '/lost-and-found/dashboard',
    auth: ['customer'],
    summary: 'Found / filed / paid / rejected / expiring value and count, by month and by type, recovered total and fee owed',
    query: dashboardQuerySchema,
    responses: { 200: { description: 'The dashboard figures' } },
  },
  listReportFetches: {
    method: 'GET',
    path: '/lost-and-found/report-fetches',
    auth: ['customer'],
    summary: 'The daily fetch from Amazon per report the audit reads: state (never, queued, requested, processing, done, failed), period, files stored, fetched until, the last error',
    responses: { 200: { description: '{ reports: [...] }' } },
  },
  retryReportFetch: {
    method: 'POST',
    path: '/lost-and-found/report-fetches/{reportType}/retry',
    auth: ['customer'],
    summary: 'Start a failed report fetch again now, from where its last stored period ends: 202 with its line of GET /lost-and-found/report-fetches; 409 report_fetch_not_failed unless it failed',
    params: reportFetchPathSchema,
    responses: { 202: { description: 'The report fetch line, queued again' } },
  },
  requestSetupHelp: {
    method: 'POST',
    path: '/lost-and-found/setup-help',
    auth: ['customer'],
    summary: 'Ask the CSM team for help setting Lost & Found up (one task per day)',
    body: setupHelpSchema,
    responses: { 201: { description: '{ created, dedupKey }' } },
  },
} as const satisfies Record<string, HttpRoute>;
