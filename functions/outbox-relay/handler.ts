import * as z from 'zod';
import { adapters } from '../../shared/adapters/factories.ts';
import { logger } from '../../shared/adapters/observability.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { relayPendingEvents, type RelayResult } from '../../shared/customers/outbox.ts';

const customers = adapters.customerRepository();
const events = adapters.customerEventPublisher();

/** The input EventBridge Scheduler sends (see infra/stacks/stateless-stack.ts and local/scheduler.ts). */
const scheduledInvocation = z.object({ schedule: z.string(), scheduledTime: z.string() });

export async function handler(event: unknown): Promise<RelayResult> {
  const invocation = scheduledInvocation.safeParse(event);
  if (!invocation.success) {
    logger.error('ignored an invocation that is not from the scheduler', { event: JSON.stringify(event).slice(0, 500) });
    return { records: 0, published: 0, stillPending: 0 };
  }
  const result = await relayPendingEvents({
    customers,
    events,
    clock: runtime.clock(),
    onPublishFailure: (error) => logger.error('outbox relay could not publish', { error: error as Error }),
  });
  if (result.records > 0) logger.info('outbox relay', { ...result });
  return result;
}
