/**
 * The handler of a scheduled plan that asks Amazon for customers' data. Its own module, not lambda-edge.ts: only
 * these two functions need its zod schema at cold start.
 */
import * as z from 'zod';
import { scheduledHandler, type LambdaHandler } from './lambda-edge.ts';
import { logger } from './observability.ts';

const scheduledInvocation = z.object({ schedule: z.string(), scheduledTime: z.string() });

/**
 * A recurring plan that asks Amazon for a customer's data (the daily report fetch, the hourly stock reading): runs
 * only when the scheduler invokes it and the deployment is connected to the SP-API (no -c amazon=sp-api, no
 * simulated Amazon: nothing to ask), and logs the customers whose work could not start (`what` names the plan).
 */
export function amazonPlanHandler<R extends { readonly failed: readonly unknown[] }>(
  what: string,
  connectedToAmazon: boolean,
  plan: () => Promise<R>,
): LambdaHandler<unknown, R | { skipped: string }> {
  return scheduledHandler(async (event) => {
    if (!scheduledInvocation.safeParse(event).success) {
      logger.error('ignored an invocation that is not from the scheduler');
      return { skipped: 'not a scheduled invocation' };
    }
    if (!connectedToAmazon) {
      logger.info(`${what} skipped: not connected to the SP-API`);
      return { skipped: 'not connected to the SP-API' };
    }
    const result = await plan();
    if (result.failed.length > 0) logger.error(`${what} could not start for some customers`, { failed: result.failed });
    return result;
  });
}
