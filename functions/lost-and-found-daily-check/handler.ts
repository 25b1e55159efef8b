import * as z from 'zod';
import { scheduledHandler } from '#shared/adapters/lambda-edge.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { lostAndFoundAdapters } from '#shared/adapters/lost-and-found-factories.ts';
import { logger } from '#shared/adapters/observability.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { runDailyChecks } from '#shared/lost-and-found/jobs.ts';
import type { LostFoundStore } from '#shared/lost-and-found/ports.ts';
import type { ClaimRepository, CsmNotificationPort, CsmTaskPort } from '#shared/lost-and-found/ports.ts';

const scheduledInvocation = z.object({ schedule: z.string(), scheduledTime: z.string() });

export interface Deps {
  readonly claims: ClaimRepository;
  readonly store: LostFoundStore;
  /** Anomalies reach the customer's manager as a CSM task and a push. */
  readonly csm: CsmTaskPort & CsmNotificationPort;
  readonly clock: Clock;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = lostAndFoundAdapters(env, overrides);
  return { claims: adapters.claims(), store: adapters.store(), csm: adapters.csmBridge(), clock: adapters.clock };
}

export function createHandler({ claims, store, csm, clock }: Deps) {
  return scheduledHandler(async (event): Promise<{ customers: number; created: string[] }> => {
    if (!scheduledInvocation.safeParse(event).success) {
      logger.error('ignored an invocation that is not from the scheduler');
      return { customers: 0, created: [] };
    }
    const result = await runDailyChecks({ claims, store, tasks: csm, notifications: csm, clock });
    if (result.created.length > 0) logger.info('Lost & Found anomalies raised', { ...result });
    return result;
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
