/**
 * Builds each port's AWS adapter from the runtime clients and the wired resource names. Handlers call these
 * and nothing else, so a handler never names a table, topic or queue itself.
 */
import { DynamoCustomerRepository } from './dynamodb/customer-repository.ts';
import { DynamoCsmNotificationStore } from './dynamodb/csm-notification-store.ts';
import { SnsCustomerEventPublisher } from './sns/customer-event-publisher.ts';
import { SnsCsmPushPublisher } from './sns/csm-push-publisher.ts';
import { resourceNames } from './environment.ts';
import { runtime } from './runtime.ts';

export const adapters = {
  customerRepository: () => new DynamoCustomerRepository(runtime.dynamo(), resourceNames.table('core')),
  csmNotificationStore: () => new DynamoCsmNotificationStore(runtime.dynamo(), resourceNames.table('core')),
  customerEventPublisher: () => new SnsCustomerEventPublisher(runtime.sns(), resourceNames.topicArn('customerEvents')),
  csmPushPublisher: () => new SnsCsmPushPublisher(runtime.sns(), resourceNames.topicArn('csmNotifications')),
};
