import * as z from 'zod';
import { scheduledHandler } from '#shared/adapters/lambda-edge.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { lostAndFoundAdapters } from '#shared/adapters/lost-and-found-factories.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { logger } from '#shared/adapters/observability.ts';
import { planReportFetches, type PlanDeps } from '#shared/lost-and-found/report-fetch.ts';

const scheduledInvocation = z.object({ schedule: z.string(), scheduledTime: z.string() });

/** A deployment not connected to Amazon (no -c amazon=sp-api, no simulated Amazon) has nothing to fetch. */
export type Deps = PlanDeps & { readonly connectedToAmazon: boolean };

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = lostAndFoundAdapters(env, overrides);
  return {
    connectedToAmazon: overrides?.amazonReports !== undefined || env.SELLEROPS_AMAZON === 'sp-api',
    statuses: adapters.fetchStatuses(),
    queue: adapters.reportFetchQueue(),
    customers: adapters.activeCustomers(),
    clock: adapters.clock,
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
      // A deployment not connected to Amazon (no -c amazon=sp-api): reports arrive through uploads only.
      logger.info('daily report fetch skipped: not connected to the SP-API');
      return { skipped: 'not connected to the SP-API' };
    }
    const result = await planReportFetches(deps);
    if (result.failed.length > 0) logger.error('report fetch could not start for some customers', { failed: result.failed });
    return result;
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
