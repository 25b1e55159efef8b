import * as z from 'zod';
import { scheduledHandler } from '#shared/adapters/lambda-edge.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { lostAndFoundAdapters } from '#shared/adapters/lost-and-found-factories.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { logger } from '#shared/adapters/observability.ts';
import { planStockReads, type StockReadPlanDeps } from '#shared/repricer/stock.ts';

const scheduledInvocation = z.object({ schedule: z.string(), scheduledTime: z.string() });

/** A deployment not connected to Amazon (no -c amazon=sp-api, no simulated Amazon) has no stock to read. */
export type Deps = StockReadPlanDeps & { readonly connectedToAmazon: boolean };

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = repricerAdapters(env, overrides);
  return {
    // Asked without building the SP-API client: the plan itself never calls Amazon (and reads no credentials).
    connectedToAmazon: overrides?.fbaInventory !== undefined || env.SELLEROPS_AMAZON === 'sp-api',
    customers: lostAndFoundAdapters(env, { ...overrides, aws: adapters.aws }).activeCustomers(),
    queue: adapters.stockReadQueue(),
    // Tenants not connected to Amazon are skipped.
    sellerOf: amazonAccessAdapters(env, { ...overrides, aws: adapters.aws }).authorisedSellerOf(),
  };
}

export function createHandler({ connectedToAmazon, ...deps }: Deps) {
  return scheduledHandler(async (event) => {
    if (!scheduledInvocation.safeParse(event).success) {
      logger.error('ignored an invocation that is not from the scheduler');
      return { skipped: 'not a scheduled invocation' };
    }
    if (!connectedToAmazon) {
      logger.info('stock reading skipped: not connected to the SP-API');
      return { skipped: 'not connected to the SP-API' };
    }
    const result = await planStockReads(deps);
    if (result.failed.length > 0) logger.error('stock reading could not start for some customers', { failed: result.failed });
    return result;
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
