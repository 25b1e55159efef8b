import { amazonPlanHandler } from '#shared/adapters/amazon-plan-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { lostAndFoundAdapters } from '#shared/adapters/lost-and-found-factories.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { planReportFetches, type PlanDeps } from '#shared/lost-and-found/report-fetch.ts';

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
  return amazonPlanHandler('daily report fetch', connectedToAmazon, () => planReportFetches(deps));
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
