import { amazonPlanHandler } from '#shared/adapters/amazon-plan-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { lostAndFoundAdapters } from '#shared/adapters/lost-and-found-factories.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { planStockReads, type StockReadPlanDeps } from '#shared/repricer/stock.ts';

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
  return amazonPlanHandler('stock reading', connectedToAmazon, () => planStockReads(deps));
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
