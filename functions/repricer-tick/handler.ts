import * as z from 'zod';
import { scheduledHandler } from '#shared/adapters/lambda-edge.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { envNames, requirePositiveInt } from '#shared/adapters/environment.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import type { PushKillSwitch } from '#shared/amazon-access/index.ts';
import { logger } from '#shared/adapters/observability.ts';
import { MARKETPLACES, type MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import { runTick, type TickPlan } from '#shared/repricer/tick.ts';
import type { JobSender, RepricerStore } from '#shared/repricer/ports.ts';

/** The input of a per-marketplace schedule (infra/stacks/stateless-stack.ts, local/scheduler.ts). */
const tickInvocation = z.object({ schedule: z.string(), scheduledTime: z.string(), marketplace: z.string() });

export interface Deps {
  readonly store: RepricerStore;
  readonly jobs: JobSender;
  readonly now: () => Date;
  /** The period of this function's schedule (set from the wiring): a tick plans the offers due within it. */
  readonly tickMinutes: number;
  /** The operator's kill switch: while pushes are stopped, ticks plan nothing. */
  readonly killSwitch: PushKillSwitch;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = repricerAdapters(env, overrides);
  return {
    store: adapters.store(),
    jobs: adapters.jobSender(),
    now: () => adapters.clock.now(),
    tickMinutes: requirePositiveInt(env, envNames.scheduleRateMinutes),
    killSwitch: amazonAccessAdapters(env, { ...overrides, aws: adapters.aws }).killSwitch(),
  };
}

export function createHandler({ tickMinutes, killSwitch, ...deps }: Deps) {
  return scheduledHandler(async (event): Promise<TickPlan | { ignored: string }> => {
    const parsed = tickInvocation.safeParse(event);
    const code = parsed.success ? (parsed.data.marketplace as MarketplaceCode) : undefined;
    const marketplace = code ? MARKETPLACES[code] : undefined;
    if (!parsed.success || !marketplace) {
      logger.error('ignored an invocation that is not a marketplace tick', { event: JSON.stringify(event).slice(0, 300) });
      return { ignored: 'not a marketplace tick' };
    }
    if (await killSwitch.pushesStopped()) {
      logger.warn('repricing tick skipped: price pushes are stopped by the operator');
      return { ignored: 'pushes stopped by the operator' };
    }
    const plan = await runTick(deps, { marketplaceId: marketplace.id, tickMinutes });
    if (plan.dueOffers > 0) logger.info('repricing tick', { ...plan });
    return plan;
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
