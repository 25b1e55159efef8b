import type { BusinessMetrics } from '#shared/kernel/metrics.ts';
import { randomUUID } from 'node:crypto';
import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { lostAndFoundAdapters } from '#shared/adapters/lost-and-found-factories.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { NotFoundError } from '#shared/kernel/errors.ts';
import { caseText } from '#shared/lost-and-found/case-text.ts';
import { getAuditJob, startAudit } from '#shared/lost-and-found/jobs.ts';
import type { AuditQueue } from '#shared/lost-and-found/ports.ts';
import type { LostFoundStore } from '#shared/lost-and-found/ports.ts';
import type { ReportFetchStatusStore, ReportStore } from '#shared/lost-and-found/ports.ts';
import { listReportFetches, retryReportFetch } from '#shared/lost-and-found/report-fetch.ts';
import { requireAuthorisedSeller, type AmazonConnectionStore } from '#shared/amazon-access/index.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import type { CustomerRecord } from '#shared/customers/customer.ts';
import { actForCustomer, type StaffActionLog } from '#shared/customers/acting-for.ts';
import type { ReportFetchQueue } from '#shared/lost-and-found/ports.ts';
import type { CaseFilingPort, ClaimRepository, CsmNotificationPort, CsmTaskPort } from '#shared/lost-and-found/ports.ts';
import { fileClaim, getDashboard, listStoredReports, recordCaseFiled, requestSetupHelp, transitionClaim } from '#shared/lost-and-found/use-cases.ts';

const UPLOAD_URL_SECONDS = 900;

export interface Deps {
  readonly claims: ClaimRepository;
  readonly store: LostFoundStore;
  readonly reports: ReportStore;
  readonly queue: AuditQueue;
  readonly caseFiling: CaseFilingPort;
  /** Set-up help reaches the customer's manager as a CSM task and a push. */
  readonly csm: CsmTaskPort & CsmNotificationPort;
  readonly clock: Clock;
  readonly fetches: ReportFetchStatusStore;
  readonly metrics: BusinessMetrics;
  /** A retried report fetch: the seller the tenant authorised, its marketplaces, the fetch queue. */
  readonly fetchQueue: ReportFetchQueue;
  readonly connections: AmazonConnectionStore;
  readonly customers: CustomerRepository;
  /** Staff reading a customer's claims for it are logged there. */
  readonly staffActions: StaffActionLog;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = lostAndFoundAdapters(env, overrides);
  return {
    claims: adapters.claims(),
    store: adapters.store(),
    reports: adapters.reports(),
    queue: adapters.auditQueue(),
    caseFiling: adapters.caseFiling(),
    csm: adapters.csmBridge(),
    clock: adapters.clock,
    fetches: adapters.fetchStatuses(),
    metrics: adapters.metrics,
    fetchQueue: adapters.reportFetchQueue(),
    connections: amazonAccessAdapters(env, { ...overrides, aws: adapters.aws }).connections(),
    customers: coreAdapters(env, { ...overrides, aws: adapters.aws }).customerRepository(),
    staffActions: coreAdapters(env, { ...overrides, aws: adapters.aws }).staffActionLog(),
  };
}

export function createHandler({ claims, store, reports, queue, caseFiling, csm, clock, fetches, metrics, fetchQueue, connections, customers, staffActions }: Deps) {
  return httpRouter([
    {
      route: httpRoutes.createReportUpload,
      handler: httpHandler(httpRoutes.createReportUpload, async ({ body, caller }) => {
        const { url, key } = await reports.uploadUrl(caller.tenantId!, body.fileName, UPLOAD_URL_SECONDS);
        return { status: 201, body: { uploadUrl: url, key, expiresAt: new Date(clock.now().getTime() + UPLOAD_URL_SECONDS * 1000).toISOString() } };
      }),
    },
    {
      route: httpRoutes.listReports,
      handler: httpHandler(httpRoutes.listReports, async ({ caller }) => ({
        status: 200,
        body: { reports: await listStoredReports(reports, caller.tenantId!) },
      })),
    },
    {
      route: httpRoutes.deleteReport,
      handler: httpHandler(httpRoutes.deleteReport, async ({ params, caller }) => {
        if (!(await reports.delete(caller.tenantId!, params.fileName))) throw new NotFoundError(`report ${params.fileName}`);
        return { status: 204 };
      }),
    },
    {
      route: httpRoutes.startAudit,
      handler: httpHandler(httpRoutes.startAudit, async ({ body, caller, event }) => {
        // An Idempotency-Key header makes a retried request start no second audit.
        const requestId = event.headers['idempotency-key'] ?? randomUUID();
        const job = await startAudit({ store, queue, clock: clock }, caller.tenantId!, body.asOf, requestId, { limitPerCustomer: true });
        return { status: 202, body: { auditId: job.auditId, status: job.status, asOf: job.asOf }, headers: { location: `/lost-and-found/audits/${job.auditId}` } };
      }),
    },
    {
      route: httpRoutes.getAudit,
      handler: httpHandler(httpRoutes.getAudit, async ({ params, caller }) => ({ status: 200, body: await getAuditJob(store, caller.tenantId!, params.auditId, clock.now()) })),
    },
    {
      route: httpRoutes.listClaims,
      handler: httpHandler(httpRoutes.listClaims, async ({ query, caller }) => ({
        status: 200,
        body: { claims: await claims.list(caller.tenantId!, query.status ? { statuses: query.status } : undefined) },
      })),
    },
    {
      route: httpRoutes.listClaimsForCustomer,
      handler: httpHandler(httpRoutes.listClaimsForCustomer, async ({ params, query, caller }) => {
        const found = await actForCustomer(
          { customers, log: staffActions, clock },
          caller,
          params.customerId,
          { action: 'lost-and-found.claims.read', key: clock.now().toISOString(), summary: (list: readonly unknown[]) => `read the Lost & Found claims (${list.length})` },
          (customer: CustomerRecord) => claims.list(customer.tenantId, query.status ? { statuses: query.status } : undefined),
        );
        return { status: 200, body: { claims: found } };
      }),
    },
    {
      route: httpRoutes.getClaim,
      handler: httpHandler(httpRoutes.getClaim, async ({ params, caller }) => {
        const claim = await claims.get(caller.tenantId!, params.claimId);
        if (!claim) throw new NotFoundError(`claim ${params.claimId}`);
        return { status: 200, body: { ...claim, caseText: caseText(claim) } };
      }),
    },
    {
      route: httpRoutes.fileClaim,
      handler: httpHandler(httpRoutes.fileClaim, async ({ params, caller }) => ({
        status: 200,
        body: await fileClaim({ claims, caseFiling, metrics }, clock, { customerId: caller.tenantId!, claimId: params.claimId }),
      })),
    },
    {
      route: httpRoutes.recordClaimCase,
      handler: httpHandler(httpRoutes.recordClaimCase, async ({ params, body, caller }) => ({
        status: 200,
        body: await recordCaseFiled({ claims, metrics }, clock, { customerId: caller.tenantId!, claimId: params.claimId, caseId: body.caseId }),
      })),
    },
    {
      route: httpRoutes.claimAction,
      handler: httpHandler(httpRoutes.claimAction, async ({ params, body, caller }) => ({
        status: 200,
        body: await transitionClaim({ claims, metrics }, clock, { customerId: caller.tenantId!, claimId: params.claimId, action: body.action }),
      })),
    },
    {
      route: httpRoutes.lostFoundDashboard,
      handler: httpHandler(httpRoutes.lostFoundDashboard, async ({ query, caller }) => ({
        status: 200,
        body: await getDashboard({ claims }, clock, { customerId: caller.tenantId!, feeBasisPoints: query.feeBasisPoints, expiringWithinDays: query.expiringWithinDays }),
      })),
    },
    {
      route: httpRoutes.listReportFetches,
      handler: httpHandler(httpRoutes.listReportFetches, async ({ caller }) => ({ status: 200, body: { reports: await listReportFetches(fetches, caller.tenantId!) } })),
    },
    {
      route: httpRoutes.retryReportFetch,
      handler: httpHandler(httpRoutes.retryReportFetch, async ({ params, caller }) => {
        const tenantId = caller.tenantId!;
        const { sellerId } = await requireAuthorisedSeller(connections, tenantId);
        const customer = await customers.get(tenantId);
        if (!customer) throw new NotFoundError('customer (sign up first: POST /signups)');
        const line = await retryReportFetch({ statuses: fetches, queue: fetchQueue, clock }, { customerId: tenantId, sellerId, marketplaces: customer.marketplaces }, params.reportType);
        return { status: 202, body: line };
      }),
    },
    {
      route: httpRoutes.requestSetupHelp,
      handler: httpHandler(httpRoutes.requestSetupHelp, async ({ body, caller }) => ({
        status: 201,
        body: await requestSetupHelp({ tasks: csm, notifications: csm }, clock, { customerId: caller.tenantId!, ...(body.note ? { note: body.note } : {}) }),
      })),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
