import { customerEventSchema } from '../../shared/contracts/customer-events.ts';
import { queueConsumer } from '../../shared/adapters/sqs/queue-consumer.ts';
import { adapters } from '../../shared/adapters/factories.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { notifyCsm } from '../../shared/csm/notifications.ts';

const notifications = adapters.csmNotificationStore();
const push = adapters.csmPushPublisher();

export const handler = queueConsumer({
  queue: 'csmNotifier',
  message: customerEventSchema,
  handle: (event) => notifyCsm({ notifications, push, clock: runtime.clock() }, event),
});
