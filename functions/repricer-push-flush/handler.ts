import { scheduledHandler } from '#shared/adapters/lambda-edge.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import type { PushKillSwitch } from '#shared/amazon-access/index.ts';
import { logger } from '#shared/adapters/observability.ts';
import { flushPendingPushes } from '#shared/repricer/pushes.ts';
import { SP_API_QUOTAS } from '#shared/repricer/quotas.ts';
import type { MarketChangeSink, RepricerDeps } from '#shared/repricer/ports.ts';

export interface Deps extends RepricerDeps {
  readonly killSwitch: PushKillSwitch;
}

/**
 * The flush pushes prices already decided; it decides nothing, so it never notices a market change (and is
 * granted no queue to send one to).
 */
const noMarketChanges: MarketChangeSink = {
  publish: async (changes) => {
    if (changes.length > 0) throw new Error('the push flush does not publish market changes');
  },
};

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = repricerAdapters(env, overrides);
  return {
    store: adapters.store(),
    history: adapters.history(),
    amazon: adapters.amazon(),
    marketChanges: noMarketChanges,
    metrics: adapters.metrics,
    now: () => adapters.clock.now(),
    killSwitch: amazonAccessAdapters(env, { ...overrides, aws: adapters.aws }).killSwitch(),
  };
}

/** Every minute: at most one feed's worth of pending pushes (≤ 25,000), so ≤ 5 feeds per 5 minutes per region. */
export function createHandler({ killSwitch, ...deps }: Deps) {
  return scheduledHandler(async (): Promise<{ offers: number; pushed: number; submissions: number } | { stopped: true }> => {
    if (await killSwitch.pushesStopped()) {
      logger.warn('push flush skipped: price pushes are stopped by the operator');
      return { stopped: true };
    }
    const result = await flushPendingPushes(deps, { limit: SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed });
    if (result.offers > 0) logger.info('repricer push flush', { ...result });
    return result;
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
