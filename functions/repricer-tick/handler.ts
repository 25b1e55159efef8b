import * as z from 'zod';
import { scheduledHandler } from '#shared/adapters/lambda-edge.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { envNames, requirePositiveInt } from '#shared/adapters/environment.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import type { PushKillSwitch } from '#shared/amazon-access/index.ts';
import { logger } from '#shared/adapters/observability.ts';
import { MARKETPLACES, type MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import { fanOutTick } from '#shared/repricer/tick.ts';
import type { ShardTickSender } from '#shared/repricer/ports.ts';

/** The input of a per-marketplace schedule (infra/stacks/stateless-stack.ts, local/scheduler.ts). */
const tickInvocation = z.object({ schedule: z.string(), scheduledTime: z.string(), marketplace: z.string() });

export interface Deps {
  readonly shardTicks: ShardTickSender;
  /** The period of this function's schedule (set from the wiring): a tick plans the offers due within it. */
  readonly tickMinutes: number;
  /** The operator's kill switch: while pushes are stopped, ticks plan nothing. */
  readonly killSwitch: PushKillSwitch;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = repricerAdapters(env, overrides);
  return {
    shardTicks: adapters.shardTickSender(),
    tickMinutes: requirePositiveInt(env, envNames.scheduleRateMinutes),
    killSwitch: amazonAccessAdapters(env, { ...overrides, aws: adapters.aws }).killSwitch(),
  };
}

/** The scheduled tick of a marketplace: one shard tick per `due` shard to the shard-tick queue (functions/repricer-shard-tick). */
export function createHandler({ tickMinutes, killSwitch, shardTicks }: Deps) {
  return scheduledHandler(async (event): Promise<{ marketplaceId: string; shardTicks: number } | { ignored: string }> => {
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
    return fanOutTick({ shardTicks }, { marketplaceId: marketplace.id, tickMinutes, scheduledTime: parsed.data.scheduledTime });
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
