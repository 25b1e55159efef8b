import * as z from 'zod';
import { productSchema } from '../../shared/contracts/customer-events.ts';
import { adapters } from '../../shared/adapters/factories.ts';
import { logger } from '../../shared/adapters/observability.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { createEndOfTrialCall } from '../../shared/onboarding/onboarding.ts';

const customers = adapters.customerRepository();
const tasks = adapters.taskRepository();
const onboarding = adapters.onboardingRepository();

/** The input of the one-time schedule created at sign-up (see scheduleEndOfTrialCall). */
const invocation = z.object({
  schedule: z.string(),
  scheduledTime: z.string(),
  payload: z.object({ tenantId: z.string().min(1), product: productSchema, contractSequence: z.number().int().min(1) }),
});

export async function handler(event: unknown): Promise<{ outcome: string }> {
  const parsed = invocation.safeParse(event);
  if (!parsed.success) {
    // Not retryable: the Scheduler's retries would fail the same way. Logged with the reason for the operator.
    logger.error('end-of-trial schedule with an invalid payload', { reason: parsed.error.issues[0]?.message });
    return { outcome: 'invalid-payload' };
  }
  const { tenantId, product, contractSequence } = parsed.data.payload;
  const customer = await customers.get(tenantId);
  if (!customer) return { outcome: 'unknown-customer' };
  return { outcome: await createEndOfTrialCall({ tasks, onboarding, clock: runtime.clock() }, customer, product, contractSequence) };
}
