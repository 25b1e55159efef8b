import * as z from 'zod';
import { scheduledHandler } from '#shared/adapters/lambda-edge.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { logger } from '#shared/adapters/observability.ts';
import { serviceAdapters } from '#shared/adapters/service-factories.ts';
import { SURVEY_SCHEDULE, runSurveyCampaign, type CampaignDeps, type SurveyCampaign } from '#shared/service/surveys.ts';

/** The input EventBridge Scheduler sends (see infra/stacks/stateless-stack.ts and local/scheduler.ts). */
const scheduledInvocation = z.object({ schedule: z.string(), scheduledTime: z.iso.datetime({ offset: true }) });

export type Deps = CampaignDeps;

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  return serviceAdapters(env, overrides).campaignDeps();
}

/** Quarterly: plans the quarter's satisfaction survey calls (one task per eligible customer). */
export function createHandler(deps: Deps) {
  return scheduledHandler(async (event): Promise<SurveyCampaign | { ignored: true }> => {
    const invocation = scheduledInvocation.safeParse(event);
    if (!invocation.success) {
      logger.error('ignored an invocation that is not from the scheduler', { event: JSON.stringify(event).slice(0, 500) });
      return { ignored: true };
    }
    const campaign = await runSurveyCampaign(deps, new Date(invocation.data.scheduledTime), SURVEY_SCHEDULE.timeZone);
    const { loads: _loads, ...summary } = campaign;
    logger.info('survey campaign planned', { ...summary });
    return campaign;
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
