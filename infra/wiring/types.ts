/** Shapes of the wiring definition (pure data: no CDK or AWS SDK import, so the local stack loads it fast). */
import type { HttpRouteId } from '#shared/api/routes.ts';
import type { ReplayPolicy } from '#shared/operations/index.ts';

/**
 * What an index copies from the table: every copied byte is written again on each change, so an index projects
 * only what its reads use. ALL must say which read needs the whole item.
 */
export type IndexProjection =
  | { readonly type: 'KEYS_ONLY' }
  | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] }
  | { readonly type: 'ALL'; readonly why: string };

export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: IndexProjection;
  /**
   * The partition key's values are spread over this many shards (`<prefix>#<0..shards-1>`), so no one key takes
   * more than a partition's 1,000 writes a second; the readers query every shard. Absent: one value per reader.
   */
  readonly shards?: number;
}

export interface TableSpec {
  /** Physical name, identical in AWS and locally. */
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly globalIndexes: readonly IndexSpec[];
  /** Items carrying this numeric attribute (epoch seconds) are deleted by DynamoDB after that time. */
  readonly timeToLiveAttribute?: string;
  /**
   * Point-in-time recovery is on unless a table says why it may go without (e.g. data that expires and can be
   * lost without harm to the business): PITR costs as much again as the table's storage.
   */
  readonly withoutPointInTimeRecovery?: { readonly why: string };
  /** DynamoDB Standard-IA: 60 % cheaper storage, 25 % dearer reads and writes; for tables mostly kept, rarely read. */
  readonly infrequentAccess?: boolean;
  /** The access patterns this table serves: keep them next to the keys that serve them. */
  readonly accessPatterns: readonly string[];
}

export interface QueueSpec {
  readonly name: string;
  /** Deliveries before a message moves to `<name>-dlq`. */
  readonly maxReceiveCount: number;
  /** At least 6x the consumer's timeout, as AWS advises for Lambda event sources. */
  readonly visibilityTimeoutSeconds: number;
  /**
   * What `sellerops dlq redrive` may move back from its DLQ: `any`, `younger-than` N minutes (first sent to this
   * queue), or `never`, each with the reason the operator is shown.
   */
  readonly redrive: ReplayPolicy;
  /** Who else may send to the queue (e.g. Amazon's notification service). */
  readonly allowSendFrom?: readonly { readonly awsAccount: string; readonly reason: string }[];
}

export interface BucketSpec {
  /** Physical name prefix; AWS adds the account and region to keep it globally unique. */
  readonly name: string;
  readonly purpose: string;
  /** Objects are deleted this many days after upload. */
  readonly expireAfterDays: number;
}

export interface TopicSpec {
  readonly name: string;
  readonly purpose: string;
}

export interface SubscriptionSpec {
  readonly topic: string;
  readonly queue: string;
  /** SNS filter policy on message attributes. */
  readonly filterPolicy?: Readonly<Record<string, readonly string[]>>;
}

export type Trigger =
  | { readonly kind: 'http'; readonly route: HttpRouteId }
  /** `maxConcurrency`: Lambda's MaximumConcurrency for the event source (2–1000), for consumers bound by SP-API quotas. */
  | { readonly kind: 'sqs'; readonly queue: string; readonly batchSize: number; readonly maxConcurrency?: number }
  | { readonly kind: 'schedule'; readonly schedule: string; readonly rateMinutes: number; readonly description: string }
  /** An EventBridge Scheduler cron (`cron(0 6 1 1,4,7,10 ? *)`) evaluated in an IANA time zone. */
  | { readonly kind: 'schedule'; readonly schedule: string; readonly cron: string; readonly timeZone: string; readonly description: string }
  /** One rate schedule per marketplace (`<schedule>-<code>`), input `{schedule, scheduledTime, marketplace}`. */
  | { readonly kind: 'schedulePerMarketplace'; readonly schedule: string; readonly rateMinutes: number; readonly marketplaces: readonly string[]; readonly description: string }
  /** Invoked by one-time schedules other functions create at run time (EventBridge Scheduler at()). */
  | { readonly kind: 'oneTimeSchedule'; readonly description: string };

export interface FunctionSpec {
  /** Path of the handler module from the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly triggers: readonly Trigger[];
  /** Reserved concurrency: e.g. 1 for a function whose runs must never overlap. */
  readonly reservedConcurrency?: number;
  /** Size of the function's `/tmp` in MB (512 to 10,240; Lambda's default 512): scratch files of a big audit. */
  readonly ephemeralStorageMb?: number;
  /**
   * Deploy through a version and the alias `live` with a CodeDeploy canary (10 % for 5 minutes) that rolls back on
   * the alias's errors and duration alarms: for functions whose bad release costs money (prices, audits).
   */
  readonly canary?: { readonly why: string };
  /**
   * V8 old-space limit in MB (`NODE_OPTIONS=--max-old-space-size`): without it V8 sizes the heap from the host and
   * lets garbage pile up far above what a streaming function keeps alive. Below `memoryMb`, leaving room for
   * buffers outside the heap.
   */
  readonly maxOldSpaceMb?: number;
  /**
   * V8 semi-space limit in MB (`--max-semi-space-size`), with `maxOldSpaceMb`. Node 24's V8 grows the young
   * generation up to 3 × 64 MB on a large machine, outside the old-space limit: the audit of the benchmark's 4× set
   * peaked at 287 MB RSS on Node 24 with old space capped at 256 MB, against 142 MB with 8 MB semi-spaces (and no
   * slower: `npm run bench -- lost-and-found`, which runs the audit with these options).
   */
  readonly maxSemiSpaceMb?: number;
  /** Least privilege: exactly what the function may touch. */
  readonly access: {
    readonly tablesRead?: readonly string[];
    readonly tablesWrite?: readonly string[];
    readonly topicsPublish?: readonly string[];
    /** Topics the function manages staff subscriptions on. */
    readonly topicsSubscribe?: readonly string[];
    /** Queues the function sends to (its own DLQ for poison messages is granted automatically). */
    readonly queuesSend?: readonly string[];
    /** S3 buckets the function reads (Get, List) or writes (Put, also through pre-signed upload URLs it signs). */
    readonly bucketsRead?: readonly string[];
    readonly bucketsWrite?: readonly string[];
    /** S3 buckets the function deletes objects from (a customer removing an uploaded report). */
    readonly bucketsDelete?: readonly string[];
    /** Functions (with a oneTimeSchedule trigger) this function may create one-time schedules for. */
    readonly schedulesCreate?: readonly string[];
    /** SSM parameter path prefixes (SecureString secrets such as SP-API credentials) the function may read. */
    readonly parametersRead?: readonly string[];
    /** SSM parameter path prefixes the function writes as SecureStrings encrypted with the data key (refresh tokens). */
    readonly parametersWrite?: readonly string[];
    /** The queue the function registers with Amazon's Notifications API as the sellers' destination (its ARN, no grant). */
    readonly notificationsDestination?: string;
  };
}

/** The products the operators watch, one CloudWatch dashboard each; the platform (sign-ups, CSM, Amazon access) counts as Customer Success. */
export const PRODUCTS = {
  repricer: 'Repricer',
  'lost-and-found': 'Lost & Found',
  'customer-success': 'Customer Success and platform',
} as const;
export type Product = keyof typeof PRODUCTS;

export interface DomainWiring {
  /** The product whose dashboard shows this domain's functions, queues and tables. */
  readonly product: Product;
  readonly tables?: Readonly<Record<string, TableSpec>>;
  readonly queues?: Readonly<Record<string, QueueSpec>>;
  readonly topics?: Readonly<Record<string, TopicSpec>>;
  readonly buckets?: Readonly<Record<string, BucketSpec>>;
  readonly subscriptions?: readonly SubscriptionSpec[];
  readonly functions: Readonly<Record<string, FunctionSpec>>;
}

/**
 * The Node.js major version of every function's Lambda runtime (`nodejs24.x`, arm64): the benchmarks that measure
 * a function's own code run on it (`bench/lambda-runtime.ts`).
 */
export const LAMBDA_NODE_MAJOR = 24;

/** The `NODE_OPTIONS` a function runs with (its V8 heap limits), or undefined when it sets none. */
export function nodeOptionsOf(spec: Pick<FunctionSpec, 'maxOldSpaceMb' | 'maxSemiSpaceMb'>): string | undefined {
  const options = [
    ...(spec.maxOldSpaceMb !== undefined ? [`--max-old-space-size=${spec.maxOldSpaceMb}`] : []),
    ...(spec.maxSemiSpaceMb !== undefined ? [`--max-semi-space-size=${spec.maxSemiSpaceMb}`] : []),
  ];
  return options.length > 0 ? options.join(' ') : undefined;
}
