import { httpRoutes } from '../../shared/api/routes.ts';
import { httpHandler, httpRouter } from '../../shared/adapters/http/http-handler.ts';
import { adapters } from '../../shared/adapters/factories.ts';
import { getCustomerForCaller } from '../../shared/customers/views.ts';
import { getOnboardingForCaller } from '../../shared/onboarding/views.ts';

const customers = adapters.customerRepository();
const onboarding = adapters.onboardingRepository();

export const handler = httpRouter([
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
      body: await getOnboardingForCaller({ customers, onboarding }, caller, params.customerId),
    })),
  },
]);
