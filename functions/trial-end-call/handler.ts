import * as z from 'zod';
import { productSchema } from '#shared/contracts/customer-events.ts';
import { scheduledHandler } from '#shared/adapters/lambda-edge.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import { logger } from '#shared/adapters/observability.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import type { TaskRepository } from '#shared/csm/ports.ts';
import { createEndOfTrialCall } from '#shared/onboarding/onboarding.ts';
import type { OnboardingRepository } from '#shared/onboarding/ports.ts';

/** The input of the one-time schedule created at sign-up (see scheduleEndOfTrialCall). */
const invocation = z.object({
  schedule: z.string(),
  scheduledTime: z.string(),
  payload: z.object({ tenantId: z.string().min(1), product: productSchema, contractSequence: z.number().int().min(1) }),
});

export interface Deps {
  readonly customers: CustomerRepository;
  readonly tasks: TaskRepository;
  readonly onboarding: OnboardingRepository;
  readonly clock: Clock;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = coreAdapters(env, overrides);
  return { customers: adapters.customerRepository(), tasks: adapters.taskRepository(), onboarding: adapters.onboardingRepository(), clock: adapters.clock };
}

export function createHandler({ customers, tasks, onboarding, clock }: Deps) {
  return scheduledHandler(async (event): Promise<{ outcome: string }> => {
    const parsed = invocation.safeParse(event);
    if (!parsed.success) {
      // Not retryable: the Scheduler's retries would fail the same way. Logged with the reason for the operator.
      logger.error('end-of-trial schedule with an invalid payload', { reason: parsed.error.issues[0]?.message });
      return { outcome: 'invalid-payload' };
    }
    const { tenantId, product, contractSequence } = parsed.data.payload;
    const customer = await customers.get(tenantId);
    if (!customer) return { outcome: 'unknown-customer' };
    return { outcome: await createEndOfTrialCall({ tasks, onboarding, clock }, customer, product, contractSequence) };
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
