import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import type { AnalysisStatusStore, OnboardingRepository } from '#shared/onboarding/ports.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { getCustomerForCaller } from '#shared/customers/views.ts';
import { getOnboardingForCaller } from '#shared/onboarding/views.ts';

export interface Deps {
  readonly customers: CustomerRepository;
  readonly onboarding: OnboardingRepository;
  readonly statuses: AnalysisStatusStore;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = coreAdapters(env, overrides);
  return {
    customers: adapters.customerRepository(),
    onboarding: adapters.onboardingRepository(),
    statuses: amazonAccessAdapters(env, { ...overrides, aws: adapters.aws }).analysisStatuses(),
  };
}

export function createHandler({ customers, onboarding, statuses }: Deps) {
  return httpRouter([
    {
      route: httpRoutes.getCustomer,
      handler: httpHandler(httpRoutes.getCustomer, async ({ params, caller }) => ({
        status: 200,
        body: await getCustomerForCaller(customers, caller, params.customerId),
      })),
    },
    {
      route: httpRoutes.getOnboarding,
      handler: httpHandler(httpRoutes.getOnboarding, async ({ params, caller }) => ({
        status: 200,
        body: await getOnboardingForCaller({ customers, onboarding, statuses }, caller, params.customerId),
      })),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
