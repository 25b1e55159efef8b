import * as z from 'zod';
import { lostAndFoundAdapters } from '../../shared/adapters/lost-and-found-factories.ts';
import { logger } from '../../shared/adapters/observability.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { LOST_AND_FOUND_REPORT_TYPES } from '../../shared/adapters/sp-api/reports.ts';
import { fetchReportsForAllCustomers } from '../../shared/lost-and-found/jobs.ts';

const scheduledInvocation = z.object({ schedule: z.string(), scheduledTime: z.string() });

export async function handler(event: unknown) {
  if (!scheduledInvocation.safeParse(event).success) {
    logger.error('ignored an invocation that is not from the scheduler');
    return { skipped: 'not a scheduled invocation' };
  }
  const amazon = lostAndFoundAdapters.amazonReports();
  if (!amazon) {
    // A deployment not connected to Amazon (no -c amazon=sp-api): reports arrive through uploads only.
    logger.info('daily report fetch skipped: not connected to the SP-API');
    return { skipped: 'not connected to the SP-API' };
  }
  const result = await fetchReportsForAllCustomers(
    {
      amazon,
      reports: lostAndFoundAdapters.reports(),
      store: lostAndFoundAdapters.store(),
      queue: lostAndFoundAdapters.auditQueue(),
      customers: lostAndFoundAdapters.activeCustomers(),
      clock: runtime.clock(),
    },
    LOST_AND_FOUND_REPORT_TYPES,
  );
  if (result.failed.length > 0) logger.error('report fetch failed for some customers', { failed: result.failed });
  return result;
}
