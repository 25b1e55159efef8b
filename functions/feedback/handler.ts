import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { serviceAdapters } from '#shared/adapters/service-factories.ts';
import { listRootCauses, recordDifficulty, viewOf, type FeedbackDeps } from '#shared/service/feedback.ts';
import { changeRootCauseStatus, type RootCauseLifecycleDeps } from '#shared/service/root-cause-lifecycle.ts';

export type Deps = FeedbackDeps & { readonly lifecycle: RootCauseLifecycleDeps };

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = serviceAdapters(env, overrides);
  return { ...adapters.feedbackDeps(), lifecycle: adapters.rootCauseLifecycleDeps() };
}

export function createHandler(deps: Deps) {
  return httpRouter([
    {
      route: httpRoutes.recordDifficulty,
      handler: httpHandler(httpRoutes.recordDifficulty, async ({ body, caller }) => {
        const { customerId, touchpointRef, ...difficulty } = body;
        const result = await recordDifficulty(deps, { ...difficulty, tenantId: customerId, touchpointRef: touchpointRef ?? null, recordedBy: caller.staffId });
        return {
          status: result.created ? 201 : 200,
          body: { difficulty: result.difficulty, rootCause: viewOf(result.rootCause), created: result.created, published: result.published },
        };
      }),
    },
    {
      route: httpRoutes.listRootCauses,
      handler: httpHandler(httpRoutes.listRootCauses, async ({ query }) => ({
        status: 200,
        body: { items: await listRootCauses(deps.store, { ...(query.area ? { area: query.area } : {}), minCustomers: query.minCustomers, limit: query.limit }) },
      })),
    },
    {
      route: httpRoutes.updateRootCauseStatus,
      handler: httpHandler(httpRoutes.updateRootCauseStatus, async ({ params, body, caller }) => {
        const { rootCause, tasksCreated } = await changeRootCauseStatus(deps.lifecycle, params.id, body, caller.staffId!);
        return { status: 200, body: { ...viewOf(rootCause), tasksCreated } };
      }),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
