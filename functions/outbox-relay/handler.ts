import * as z from 'zod';
import { scheduledHandler } from '#shared/adapters/lambda-edge.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import { logger } from '#shared/adapters/observability.ts';
import type { CommitDeps } from '#shared/customers/outbox.ts';
import { relayPendingEvents, type RelayResult } from '#shared/customers/outbox.ts';

/** The input EventBridge Scheduler sends (see infra/stacks/stateless-stack.ts and local/scheduler.ts). */
const scheduledInvocation = z.object({ schedule: z.string(), scheduledTime: z.string() });

export type Deps = CommitDeps;

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  return coreAdapters(env, overrides).customerCommits();
}

export function createHandler(deps: Deps) {
  return scheduledHandler(async (event): Promise<RelayResult> => {
    const invocation = scheduledInvocation.safeParse(event);
    if (!invocation.success) {
      logger.error('ignored an invocation that is not from the scheduler', { event: JSON.stringify(event).slice(0, 500) });
      return { records: 0, published: 0, stillPending: 0 };
    }
    const result = await relayPendingEvents({
      ...deps,
      onPublishFailure: (error) => logger.error('outbox relay could not publish', { error: error as Error }),
    });
    if (result.records > 0) logger.info('outbox relay', { ...result });
    return result;
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
