import { httpRoutes } from '../../shared/api/routes.ts';
import { httpHandler, httpRouter } from '../../shared/adapters/http/http-handler.ts';
import { adapters } from '../../shared/adapters/factories.ts';
import { logger } from '../../shared/adapters/observability.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { cancelContract, changeContract, extendContract } from '../../shared/customers/contract-lifecycle.ts';
import { toCustomerView } from '../../shared/customers/views.ts';

const customers = adapters.customerRepository();
const events = adapters.customerEventPublisher();
const deps = () => ({
  customers,
  events,
  clock: runtime.clock(),
  onPublishFailure: (error: unknown) => logger.warn('publishing deferred to the outbox relay', { error: error as Error }),
});

export const handler = httpRouter([
  {
    route: httpRoutes.cancelContract,
    handler: httpHandler(httpRoutes.cancelContract, async ({ params, body, caller }) => ({
      status: 200,
      body: toCustomerView(await cancelContract(deps(), caller.tenantId!, params.product, body.reason ?? null)),
    })),
  },
  {
    route: httpRoutes.extendContract,
    handler: httpHandler(httpRoutes.extendContract, async ({ params, body, caller }) => ({
      status: 200,
      body: toCustomerView(await extendContract(deps(), caller.tenantId!, params.product, body.months)),
    })),
  },
  {
    route: httpRoutes.changeContract,
    handler: httpHandler(httpRoutes.changeContract, async ({ params, body, caller }) => ({
      status: 200,
      body: toCustomerView(await changeContract(deps(), caller.tenantId!, params.product, body)),
    })),
  },
]);
