/**
 * Builds each port's adapter from the runtime clients and the wired resource names. Handlers call these and
 * nothing else, so a handler never names a table, topic or queue itself.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoCustomerRepository } from './dynamodb/customer-repository.ts';
import { DynamoCsmNotificationStore } from './dynamodb/csm-notification-store.ts';
import { DynamoStaffDirectory } from './dynamodb/staff-directory.ts';
import { DynamoTaskRepository } from './dynamodb/task-repository.ts';
import { DynamoAppointmentCalendar, DynamoOnboardingRepository } from './dynamodb/onboarding-store.ts';
import { SnsCustomerEventPublisher } from './sns/customer-event-publisher.ts';
import { SnsCsmPushPublisher } from './sns/csm-push-publisher.ts';
import { SnsPushSubscriptions } from './sns/push-subscriptions.ts';
import { EventBridgeOneTimeScheduler } from './scheduler/eventbridge-one-time-scheduler.ts';
import { SimulatedSellerProfiles } from './simulated/seller-profiles.ts';
import { SpApiClient } from './sp-api/client.ts';
import { credentialsFromSsm, spApiEndpoint } from './sp-api/credentials.ts';
import { SpApiSellerProfileSource } from './sp-api/seller-profile-source.ts';
import { envNames, requireEnv, resourceNames } from './environment.ts';
import { localAdapters, runtime } from './runtime.ts';
import type { OneTimeScheduler } from '../kernel/scheduler.ts';
import type { PushSubscriptions } from '../csm/subscriptions.ts';
import type { SellerProfileSource } from '../onboarding/ports.ts';

const core = () => resourceNames.table('core');

let eventBridge: EventBridgeOneTimeScheduler | undefined;
function eventBridgeScheduler(): EventBridgeOneTimeScheduler {
  eventBridge ??= new EventBridgeOneTimeScheduler(new SchedulerClient({}), {
    groupName: requireEnv('SCHEDULER_GROUP'),
    roleArn: requireEnv('SCHEDULER_ROLE_ARN'),
    targetArn: (target) => requireEnv(envNames.scheduleTargetArn(target)),
  });
  return eventBridge;
}

export const adapters = {
  customerRepository: () => new DynamoCustomerRepository(runtime.dynamo(), core()),
  csmNotificationStore: () => new DynamoCsmNotificationStore(runtime.dynamo(), core()),
  staffDirectory: () => new DynamoStaffDirectory(runtime.dynamo(), core()),
  taskRepository: () => new DynamoTaskRepository(runtime.dynamo(), core()),
  onboardingRepository: () => new DynamoOnboardingRepository(runtime.dynamo(), core()),
  appointmentCalendar: () => new DynamoAppointmentCalendar(runtime.dynamo(), core()),
  customerEventPublisher: () => new SnsCustomerEventPublisher(runtime.sns(), resourceNames.topicArn('customerEvents')),
  csmPushPublisher: () => new SnsCsmPushPublisher(runtime.sns(), resourceNames.topicArn('csmNotifications')),
  /** Lazy so that a local override set after the handler module loaded is still honoured. */
  pushSubscriptions: (): PushSubscriptions => ({
    upsert: (...args) => (localAdapters.pushSubscriptions ?? new SnsPushSubscriptions(runtime.sns(), resourceNames.topicArn('csmNotifications'))).upsert(...args),
  }),
  oneTimeScheduler: (): OneTimeScheduler => ({
    // One EventBridge client per container, made on first use (not one per sign-up); the local override is
    // looked up on every call because the local stack sets it after the modules load.
    scheduleOnce: (schedule) => (localAdapters.scheduler ?? eventBridgeScheduler()).scheduleOnce(schedule),
  }),
  /**
   * The Amazon profile source: locally the simulated marketplace; in AWS the SP-API adapter when the
   * deployment is connected to Amazon (SELLEROPS_AMAZON=sp-api, credentials in SSM), else the simulated one.
   */
  sellerProfiles: (): SellerProfileSource => ({
    fetch: (...args) => (localAdapters.sellerProfiles ?? amazonProfiles()).fetch(...args),
  }),
};

let profiles: SellerProfileSource | undefined;
function amazonProfiles(): SellerProfileSource {
  profiles ??=
    process.env.SELLEROPS_AMAZON === 'sp-api'
      ? new SpApiSellerProfileSource(new SpApiClient({ endpoint: spApiEndpoint(), credentials: credentialsFromSsm }))
      : new SimulatedSellerProfiles(() => runtime.clock().now());
  return profiles;
}
