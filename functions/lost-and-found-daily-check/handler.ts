import * as z from 'zod';
import { lostAndFoundAdapters } from '../../shared/adapters/lost-and-found-factories.ts';
import { logger } from '../../shared/adapters/observability.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { runDailyChecks } from '../../shared/lost-and-found/jobs.ts';

const claims = lostAndFoundAdapters.claims();
const store = lostAndFoundAdapters.store();
const csm = lostAndFoundAdapters.csmBridge();
const scheduledInvocation = z.object({ schedule: z.string(), scheduledTime: z.string() });

export async function handler(event: unknown): Promise<{ customers: number; created: string[] }> {
  if (!scheduledInvocation.safeParse(event).success) {
    logger.error('ignored an invocation that is not from the scheduler');
    return { customers: 0, created: [] };
  }
  const result = await runDailyChecks({ claims, store, tasks: csm, notifications: csm, clock: runtime.clock() });
  if (result.created.length > 0) logger.info('Lost & Found anomalies raised', { ...result });
  return result;
}
