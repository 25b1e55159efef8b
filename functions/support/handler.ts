import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { serviceAdapters } from '#shared/adapters/service-factories.ts';
import { VersionConflictError } from '#shared/kernel/errors.ts';
import {
  getSupportRequest,
  listCustomerSupportRequests,
  logHotlineRequest,
  submitWebRequest,
  updateSupportStatus,
  type RateLimiter,
  type SupportDeps,
  type SupportRequest,
} from '#shared/service/support.ts';

export interface Deps extends SupportDeps {
  /** Web submissions per source address. */
  readonly limiter: RateLimiter;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = serviceAdapters(env, overrides);
  return { ...adapters.supportDeps(), limiter: adapters.rateLimiter() };
}

/** What a requester sees: no internal history or contact details of others. */
const view = (r: SupportRequest) => ({
  requestId: r.requestId,
  channel: r.channel,
  status: r.status,
  tenantId: r.tenantId,
  language: r.language,
  subject: r.subject,
  csmId: r.csmId,
  routing: r.routing,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export function createHandler(deps: Deps) {
  return httpRouter([
    {
      route: httpRoutes.submitSupportRequest,
      handler: httpHandler(httpRoutes.submitSupportRequest, async ({ body, event }) => {
        const { request } = await submitWebRequest(deps, body, event.requestContext.http.sourceIp);
        // The same answer for a dropped bot submission as for a real one: bots learn nothing.
        return { status: 202, body: { requestId: request?.requestId ?? null, status: request?.status ?? 'open' } };
      }),
    },
    {
      route: httpRoutes.logHotlineRequest,
      handler: httpHandler(httpRoutes.logHotlineRequest, async ({ body, caller }) => {
        const { request, created } = await logHotlineRequest(deps, body, caller.staffId!);
        return { status: created ? 201 : 200, body: view(request) };
      }),
    },
    {
      route: httpRoutes.getSupportRequest,
      handler: httpHandler(httpRoutes.getSupportRequest, async ({ params, caller }) => {
        const request = await getSupportRequest(deps.store, params.requestId, caller);
        return { status: 200, body: caller.role === 'csm' ? request : view(request) };
      }),
    },
    {
      route: httpRoutes.listMySupportRequests,
      handler: httpHandler(httpRoutes.listMySupportRequests, async ({ query, caller }) => {
        const page = await listCustomerSupportRequests(deps.store, caller.tenantId!, query);
        return { status: 200, body: { items: page.items.map(view), nextCursor: page.nextCursor } };
      }),
    },
    {
      route: httpRoutes.updateSupportRequest,
      handler: httpHandler(httpRoutes.updateSupportRequest, async ({ params, body, caller }) => ({
        status: 200,
        body: await updateSupportStatus(
          { store: deps.store, clock: deps.clock, isVersionConflict: (e) => e instanceof VersionConflictError },
          params.requestId,
          body,
          caller.staffId!,
        ),
      })),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
