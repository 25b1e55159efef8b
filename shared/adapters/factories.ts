/**
 * Builders of the customers, CSM and onboarding adapters for a composition root: each call builds one port's
 * adapter from the root's clients and the wired resource names, so a handler never names a table, topic or
 * queue itself. A root calls only the builders of what its function touches (its environment holds only the
 * names of those resources).
 */
import { DynamoCustomerRepository } from './dynamodb/customer-repository.ts';
import { DynamoCsmNotificationStore } from './dynamodb/csm-notification-store.ts';
import { DynamoStaffDirectory } from './dynamodb/staff-directory.ts';
import { DynamoTaskRepository } from './dynamodb/task-repository.ts';
import { DynamoStaffActionLog } from './dynamodb/staff-action-log.ts';
import { DynamoAnnouncementStore } from './dynamodb/announcement-store.ts';
import { DynamoAppointmentCalendar, DynamoOnboardingRepository } from './dynamodb/onboarding-store.ts';
import { SnsCustomerEventPublisher } from './sns/customer-event-publisher.ts';
import { SnsCsmPushPublisher } from './sns/csm-push-publisher.ts';
import { SnsPushSubscriptions } from './sns/push-subscriptions.ts';
import { EventBridgeOneTimeScheduler } from './scheduler/eventbridge-one-time-scheduler.ts';
import { SimulatedSellerProfiles } from './simulated/seller-profiles.ts';
import { SpApiClient } from './sp-api/client.ts';
import { SpApiSellerProfileSource } from './sp-api/seller-profile-source.ts';
import { requireEnv } from './environment.ts';
import { baseAdapters, type DepsOverrides, type Environment } from './composition.ts';
import { amazonAccessAdapters } from './amazon-access-factories.ts';
import type { OneTimeScheduler } from '#shared/kernel/scheduler.ts';
import type { CommitDeps } from '#shared/customers/outbox.ts';
import type { PushSubscriptions } from '#shared/csm/subscriptions.ts';
import type { SellerProfileSource } from '#shared/onboarding/ports.ts';

export function coreAdapters(env: Environment, overrides: DepsOverrides = {}) {
  const base = baseAdapters(env, overrides);
  const { aws, names, clock, metrics } = base;
  const core = () => names.table('core');
  return {
    ...base,
    customerRepository: () => new DynamoCustomerRepository(aws.dynamo(), core()),
    csmNotificationStore: () => new DynamoCsmNotificationStore(aws.dynamo(), core()),
    staffDirectory: () => new DynamoStaffDirectory(aws.dynamo(), core()),
    taskRepository: () => new DynamoTaskRepository(aws.dynamo(), core(), metrics),
    onboardingRepository: () => new DynamoOnboardingRepository(aws.dynamo(), core()),
    appointmentCalendar: () => new DynamoAppointmentCalendar(aws.dynamo(), core()),
    staffActionLog: () => new DynamoStaffActionLog(aws.dynamo(), core()),
    announcementStore: () => new DynamoAnnouncementStore(aws.dynamo(), core()),
    customerEventPublisher: () => new SnsCustomerEventPublisher(aws.sns(), names.topicArn('customerEvents')),
    /** What every customer change needs (commitWithEvents, the outbox relay): the store, the publisher, the clock. */
    customerCommits: (): CommitDeps => ({
      customers: new DynamoCustomerRepository(aws.dynamo(), core()),
      events: new SnsCustomerEventPublisher(aws.sns(), names.topicArn('customerEvents')),
      clock,
      metrics,
    }),
    csmPushPublisher: () => new SnsCsmPushPublisher(aws.sns(), names.topicArn('csmNotifications'), metrics),
    pushSubscriptions: (): PushSubscriptions => overrides.pushSubscriptions ?? new SnsPushSubscriptions(aws.sns(), names.topicArn('csmNotifications')),
    oneTimeScheduler: (): OneTimeScheduler =>
      overrides.scheduler ??
      new EventBridgeOneTimeScheduler(aws.scheduler(), {
        groupName: requireEnv(env, 'SCHEDULER_GROUP'),
        roleArn: requireEnv(env, 'SCHEDULER_ROLE_ARN'),
        targetArn: (target) => names.scheduleTargetArn(target),
        deadLetterArn: (target) => names.scheduleDeadLetterArn(target),
      }),
    /**
     * The Amazon profile source: locally the simulated marketplace; in AWS the SP-API adapter when the
     * deployment is connected to Amazon (SELLEROPS_AMAZON=sp-api), else the simulated one (its views say so).
     */
    sellerProfiles: (): SellerProfileSource =>
      overrides.sellerProfiles ??
      (env.SELLEROPS_AMAZON === 'sp-api'
        ? new SpApiSellerProfileSource(new SpApiClient(amazonAccessAdapters(env, { ...overrides, aws, clock }).spApiClientOptions()))
        : new SimulatedSellerProfiles(() => clock.now())),
  };
}
