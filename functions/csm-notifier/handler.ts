import { customerEventSchema } from '../../shared/contracts/customer-events.ts';
import { queueConsumer } from '../../shared/adapters/sqs/queue-consumer.ts';
import { adapters } from '../../shared/adapters/factories.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { handleCustomerEvent, type CustomerEventDeps } from '../../shared/onboarding/customer-event-handling.ts';

const deps: Omit<CustomerEventDeps, 'clock'> = {
  customers: adapters.customerRepository(),
  staff: adapters.staffDirectory(),
  tasks: adapters.taskRepository(),
  notifications: adapters.csmNotificationStore(),
  push: adapters.csmPushPublisher(),
  scheduler: adapters.oneTimeScheduler(),
  profiles: adapters.sellerProfiles(),
  onboarding: adapters.onboardingRepository(),
};

export const handler = queueConsumer({
  queue: 'csmNotifier',
  message: customerEventSchema,
  handle: (event) => handleCustomerEvent({ ...deps, clock: runtime.clock() }, event),
});
