import { marketChangedV1 } from '../../shared/contracts/repricer-messages.ts';
import { adapters } from '../../shared/adapters/factories.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { queueConsumer } from '../../shared/adapters/sqs/queue-consumer.ts';
import { handleMarketChange } from '../../shared/repricer/reconsultation.ts';

const deps = {
  customers: adapters.customerRepository(),
  tasks: adapters.taskRepository(),
  notifications: adapters.csmNotificationStore(),
  push: adapters.csmPushPublisher(),
  get clock() {
    return runtime.clock();
  },
};

export const handler = queueConsumer({
  queue: 'repricerMarketChanges',
  message: marketChangedV1,
  handle: (change) => handleMarketChange(deps, change),
});
