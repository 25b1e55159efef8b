import * as z from 'zod';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { lostAndFoundAdapters } from '#shared/adapters/lost-and-found-factories.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { logger } from '#shared/adapters/observability.ts';
import { LOST_AND_FOUND_REPORT_TYPES } from '#shared/adapters/sp-api/reports.ts';
import { fetchReportsForAllCustomers } from '#shared/lost-and-found/jobs.ts';

const scheduledInvocation = z.object({ schedule: z.string(), scheduledTime: z.string() });

type FetchDeps = Parameters<typeof fetchReportsForAllCustomers>[0];

/** Without a source of Amazon's reports (a deployment not connected to the SP-API) there is nothing to fetch. */
export type Deps = Omit<FetchDeps, 'amazon'> & { readonly amazon: FetchDeps['amazon'] | undefined };

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = lostAndFoundAdapters(env, overrides);
  const connections = amazonAccessAdapters(env, { ...overrides, aws: adapters.aws }).connections();
  return {
    amazon: adapters.amazonReports(),
    reports: adapters.reports(),
    store: adapters.store(),
    queue: adapters.auditQueue(),
    customers: adapters.activeCustomers(),
    clock: adapters.clock,
    // The seller each tenant authorised on Amazon: never the one typed at sign-up; tenants not connected are skipped.
    sellerOf: async (tenantId) => {
      const c = await connections.getConnection(tenantId);
      return c?.status === 'authorised' && c.sellerId ? c.sellerId : undefined;
    },
  };
}

export function createHandler({ amazon, ...deps }: Deps) {
  return async function handler(event: unknown) {
    if (!scheduledInvocation.safeParse(event).success) {
      logger.error('ignored an invocation that is not from the scheduler');
      return { skipped: 'not a scheduled invocation' };
    }
    if (!amazon) {
      // A deployment not connected to Amazon (no -c amazon=sp-api): reports arrive through uploads only.
      logger.info('daily report fetch skipped: not connected to the SP-API');
      return { skipped: 'not connected to the SP-API' };
    }
    const result = await fetchReportsForAllCustomers({ ...deps, amazon }, LOST_AND_FOUND_REPORT_TYPES);
    if (result.failed.length > 0) logger.error('report fetch failed for some customers', { failed: result.failed });
    return result;
  };
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
