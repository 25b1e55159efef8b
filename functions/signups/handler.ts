import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import { logger } from '#shared/adapters/observability.ts';
import type { CommitDeps } from '#shared/customers/outbox.ts';
import { signUp } from '#shared/customers/sign-up.ts';
import { toCustomerView } from '#shared/customers/views.ts';

export type Deps = CommitDeps;

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  return coreAdapters(env, overrides).customerCommits();
}

export function createHandler(deps: Deps) {
  return httpHandler(httpRoutes.createSignup, async ({ body, caller }) => {
    const record = await signUp(
      {
        ...deps,
        onPublishFailure: (error) => logger.warn('publishing deferred to the outbox relay', { error: error as Error }),
      },
      caller.tenantId!,
      body,
    );
    return { status: 201, body: toCustomerView(record), headers: { location: `/customers/${record.tenantId}` } };
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
