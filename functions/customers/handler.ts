import { httpRoutes } from '../../shared/api/routes.ts';
import { httpHandler } from '../../shared/adapters/http/http-handler.ts';
import { adapters } from '../../shared/adapters/factories.ts';
import { getCustomerForCaller } from '../../shared/customers/views.ts';

const customers = adapters.customerRepository();

export const handler = httpHandler(httpRoutes.getCustomer, async ({ params, caller }) => ({
  status: 200,
  body: await getCustomerForCaller(customers, caller, params.customerId),
}));
