import { httpRoutes } from '../../shared/api/routes.ts';
import { httpHandler } from '../../shared/adapters/http/http-handler.ts';
import { adapters } from '../../shared/adapters/factories.ts';
import { logger } from '../../shared/adapters/observability.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { signUp } from '../../shared/customers/sign-up.ts';
import { toCustomerView } from '../../shared/customers/views.ts';

const customers = adapters.customerRepository();
const events = adapters.customerEventPublisher();

export const handler = httpHandler(httpRoutes.createSignup, async ({ body, caller }) => {
  const record = await signUp(
    {
      customers,
      events,
      clock: runtime.clock(),
      onPublishFailure: (error) => logger.warn('publishing deferred to the outbox relay', { error: error as Error }),
    },
    caller.tenantId!,
    body,
  );
  return { status: 201, body: toCustomerView(record), headers: { location: `/customers/${record.tenantId}` } };
});
