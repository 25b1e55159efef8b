import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import { logger } from '#shared/adapters/observability.ts';
import type { CommitDeps } from '#shared/customers/outbox.ts';
import { cancelContract, changeContract, extendContract } from '#shared/customers/contract-lifecycle.ts';
import { toCustomerView } from '#shared/customers/views.ts';

export type Deps = CommitDeps;

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  return coreAdapters(env, overrides).customerCommits();
}

export function createHandler(deps: Deps) {
  const commit = {
    ...deps,
    onPublishFailure: (error: unknown) => {
      logger.warn('publishing deferred to the outbox relay', { error: error as Error });
    },
  };
  return httpRouter([
    {
      route: httpRoutes.cancelContract,
      handler: httpHandler(httpRoutes.cancelContract, async ({ params, body, caller }) => ({
        status: 200,
        body: toCustomerView(await cancelContract(commit, caller.tenantId!, params.product, body.reason ?? null)),
      })),
    },
    {
      route: httpRoutes.extendContract,
      handler: httpHandler(httpRoutes.extendContract, async ({ params, body, caller }) => ({
        status: 200,
        body: toCustomerView(await extendContract(commit, caller.tenantId!, params.product, body.months)),
      })),
    },
    {
      route: httpRoutes.changeContract,
      handler: httpHandler(httpRoutes.changeContract, async ({ params, body, caller }) => ({
        status: 200,
        body: toCustomerView(await changeContract(commit, caller.tenantId!, params.product, body)),
      })),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
