/**
 * The one wiring definition of the system. Every table, queue, topic, subscription, schedule and function is
 * declared here once; the CDK stacks (infra/stacks/) and the embedded local stack (local/) are both generated
 * from it, so the cloud and the laptop cannot drift, and each function's IAM grants follow from its `access`.
 *
 * Pure data: no CDK or AWS SDK import, so the local stack loads it in milliseconds.
 */
import { httpRoutes, type HttpRouteId } from '../shared/api/routes.ts';

export interface TableSpec {
  /** Physical name, identical in AWS and locally. */
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly globalIndexes: readonly { readonly name: string; readonly partitionKey: string; readonly sortKey: string }[];
  /** Items carrying this numeric attribute (epoch seconds) are deleted by DynamoDB after that time. */
  readonly timeToLiveAttribute?: string;
  /** The access patterns this table serves: keep them next to the keys that serve them. */
  readonly accessPatterns: readonly string[];
}

export interface QueueSpec {
  readonly name: string;
  /** Deliveries before a message moves to `<name>-dlq`. */
  readonly maxReceiveCount: number;
  /** At least 6x the consumer's timeout, as AWS advises for Lambda event sources. */
  readonly visibilityTimeoutSeconds: number;
}

export interface TopicSpec {
  readonly name: string;
  readonly purpose: string;
}

export interface SubscriptionSpec {
  readonly topic: TopicId;
  readonly queue: QueueId;
  /** SNS filter policy on message attributes. */
  readonly filterPolicy?: Readonly<Record<string, readonly string[]>>;
}

export type Trigger =
  | { readonly kind: 'http'; readonly route: HttpRouteId }
  | { readonly kind: 'sqs'; readonly queue: QueueId; readonly batchSize: number }
  | { readonly kind: 'schedule'; readonly schedule: string; readonly rateMinutes: number; readonly description: string };

export interface FunctionSpec {
  /** Path of the handler module from the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly triggers: readonly Trigger[];
  /** Least privilege: exactly what the function may touch. */
  readonly access: {
    readonly tablesRead?: readonly TableId[];
    readonly tablesWrite?: readonly TableId[];
    readonly topicsPublish?: readonly TopicId[];
    /** Queues the function sends to (its own DLQ for poison messages is granted automatically). */
    readonly queuesSend?: readonly QueueId[];
  };
}

export const tables = {
  core: {
    name: 'sellerops-core',
    partitionKey: 'pk',
    sortKey: 'sk',
    globalIndexes: [{ name: 'outbox', partitionKey: 'outboxShard', sortKey: 'outboxDueAt' }],
    timeToLiveAttribute: 'expiresAt',
    accessPatterns: [
      'customer by tenant: Get pk=TENANT#<tenantId>, sk=CUSTOMER (profile, contracts, pending outbox events; version-conditioned)',
      'CSM feed newest first: Query pk=CSMFEED#ALL, sk begins_with NOTIF#, ScanIndexForward=false',
      'notification dedup: Put pk=CSMFEED#ALL, sk=NOTIF#<occurredAt>#<eventId> if attribute_not_exists(pk)',
      'unpublished events (outbox relay): Query index outbox, outboxShard=OUTBOX, outboxDueAt <= now (sparse: only items with pending events)',
    ],
  },
} as const satisfies Record<string, TableSpec>;

export const topics = {
  customerEvents: {
    name: 'sellerops-customer-events',
    purpose: 'Versioned customer lifecycle events (customer.signed-up, …); message attribute eventType.',
  },
  csmNotifications: {
    name: 'sellerops-csm-notifications',
    purpose:
      'Push notifications for CSM staff; attributes eventType, language, customerId, csmId for subscription filter policies.',
  },
} as const satisfies Record<string, TopicSpec>;

export const queues = {
  csmNotifier: { name: 'sellerops-csm-notifier', maxReceiveCount: 5, visibilityTimeoutSeconds: 180 },
} as const satisfies Record<string, QueueSpec>;

export const subscriptions: readonly SubscriptionSpec[] = [
  {
    topic: 'customerEvents',
    queue: 'csmNotifier',
    filterPolicy: { eventType: ['customer.signed-up'] },
  },
];

export const functions = {
  openapi: {
    entry: 'functions/openapi/handler.ts',
    description: 'Serves the OpenAPI document generated from the route schemas',
    timeoutSeconds: 5,
    memoryMb: 256,
    triggers: [{ kind: 'http', route: 'getOpenApi' }],
    access: {},
  },
  signups: {
    entry: 'functions/signups/handler.ts',
    description: 'POST /signups: stores the customer and publishes customer.signed-up',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [{ kind: 'http', route: 'createSignup' }],
    access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['customerEvents'] },
  },
  customers: {
    entry: 'functions/customers/handler.ts',
    description: 'GET /customers/{customerId}: a customer reads its own record, CSM staff read any',
    timeoutSeconds: 5,
    memoryMb: 256,
    triggers: [{ kind: 'http', route: 'getCustomer' }],
    access: { tablesRead: ['core'] },
  },
  csmNotifier: {
    entry: 'functions/csm-notifier/handler.ts',
    description: 'Turns customer events into stored CSM notifications and SNS pushes (idempotent per event)',
    timeoutSeconds: 30,
    memoryMb: 512,
    triggers: [{ kind: 'sqs', queue: 'csmNotifier', batchSize: 10 }],
    access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['csmNotifications'] },
  },
  csmFeed: {
    entry: 'functions/csm-feed/handler.ts',
    description: 'GET /csm/notifications: the CSM notification feed, newest first',
    timeoutSeconds: 5,
    memoryMb: 256,
    triggers: [{ kind: 'http', route: 'listCsmNotifications' }],
    access: { tablesRead: ['core'] },
  },
  outboxRelay: {
    entry: 'functions/outbox-relay/handler.ts',
    description: 'Publishes events whose publication was interrupted (transactional outbox relay)',
    timeoutSeconds: 60,
    memoryMb: 512,
    triggers: [
      { kind: 'schedule', schedule: 'outbox-relay', rateMinutes: 1, description: 'Re-publish events left pending' },
    ],
    access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['customerEvents'] },
  },
} as const satisfies Record<string, FunctionSpec>;

export type TableId = keyof typeof tables;
export type QueueId = keyof typeof queues;
export type TopicId = keyof typeof topics;
export type FunctionId = keyof typeof functions;

export const scheduleGroupName = 'sellerops';

/** Dead-letter queue name of a queue: the same rule in AWS and locally. */
export function deadLetterQueueName(queue: QueueSpec): string {
  return `${queue.name}-dlq`;
}

/** Environment variable names through which a function learns the physical names of what it may touch. */
export { envNames as env } from '../shared/adapters/environment.ts';

export function httpRouteOf(fn: FunctionSpec): (typeof httpRoutes)[HttpRouteId] | undefined {
  const trigger = fn.triggers.find((t) => t.kind === 'http');
  return trigger?.kind === 'http' ? httpRoutes[trigger.route] : undefined;
}

export function allFunctions(): [FunctionId, FunctionSpec][] {
  return Object.entries(functions) as [FunctionId, FunctionSpec][];
}
