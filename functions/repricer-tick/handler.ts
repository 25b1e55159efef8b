import * as z from 'zod';
import { repricerAdapters } from '../../shared/adapters/repricer-factories.ts';
import { logger } from '../../shared/adapters/observability.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { MARKETPLACES, type MarketplaceCode } from '../../shared/kernel/marketplaces.ts';
import { runTick, type TickPlan } from '../../shared/repricer/tick.ts';
import { REPRICER_TICK_MINUTES } from '../../infra/wiring/repricer.ts';

const store = repricerAdapters.store();
const jobs = repricerAdapters.jobSender();

/** The input of a per-marketplace schedule (infra/stacks/stateless-stack.ts, local/scheduler.ts). */
const tickInvocation = z.object({ schedule: z.string(), scheduledTime: z.string(), marketplace: z.string() });

export async function handler(event: unknown): Promise<TickPlan | { ignored: string }> {
  const parsed = tickInvocation.safeParse(event);
  const code = parsed.success ? (parsed.data.marketplace as MarketplaceCode) : undefined;
  const marketplace = code ? MARKETPLACES[code] : undefined;
  if (!parsed.success || !marketplace) {
    logger.error('ignored an invocation that is not a marketplace tick', { event: JSON.stringify(event).slice(0, 300) });
    return { ignored: 'not a marketplace tick' };
  }
  const plan = await runTick({ store, jobs, now: () => runtime.clock().now() }, { marketplaceId: marketplace.id, tickMinutes: REPRICER_TICK_MINUTES });
  if (plan.dueOffers > 0) logger.info('repricing tick', { ...plan });
  return plan;
}
