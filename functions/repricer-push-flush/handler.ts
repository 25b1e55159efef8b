import { repricerAdapters } from '../../shared/adapters/repricer-factories.ts';
import { logger } from '../../shared/adapters/observability.ts';
import { flushPendingPushes } from '../../shared/repricer/pushes.ts';
import { SP_API_QUOTAS } from '../../shared/repricer/quotas.ts';

const deps = repricerAdapters.deps();

/** Every minute: at most one feed's worth of pending pushes (≤ 25,000), so ≤ 5 feeds per 5 minutes per region. */
export async function handler(): Promise<{ offers: number; pushed: number; submissions: number }> {
  const result = await flushPendingPushes(deps, { limit: SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed });
  if (result.offers > 0) logger.info('repricer push flush', { ...result });
  return result;
}
