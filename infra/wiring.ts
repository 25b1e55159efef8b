/**
 * The one wiring definition of the system. Every table, queue, topic, subscription, schedule and function is
 * declared once, in the domain modules of infra/wiring/; the CDK stacks (infra/stacks/) and the embedded local
 * stack (local/) are both generated from the union here, so the cloud and the laptop cannot drift, and each
 * function's IAM grants follow from its `access`.
 *
 * Pure data: no CDK or AWS SDK import, so the local stack loads it in milliseconds.
 */
import type { BucketSpec, DomainWiring, FunctionSpec, Product, QueueSpec, SubscriptionSpec, TableSpec, TopicSpec } from './wiring/types.ts';
import { customersAndCsm } from './wiring/customers-and-csm.ts';
import { lostAndFound } from './wiring/lost-and-found.ts';
import { repricer } from './wiring/repricer.ts';
import { customerService } from './wiring/customer-service.ts';
import { amazonAccess } from './wiring/amazon-access.ts';

export type * from './wiring/types.ts';
export { LAMBDA_NODE_MAJOR, nodeOptionsOf } from './wiring/types.ts';

/** Add a domain's wiring module here. */
const domains: readonly DomainWiring[] = [customersAndCsm, lostAndFound, repricer, customerService, amazonAccess];

function merge<T>(pick: (d: DomainWiring) => Readonly<Record<string, T>> | undefined, what: string): Readonly<Record<string, T>> {
  const merged: Record<string, T> = {};
  for (const domain of domains) {
    for (const [id, spec] of Object.entries(pick(domain) ?? {})) {
      if (id in merged) throw new Error(`wiring: ${what} "${id}" is declared twice`);
      merged[id] = spec;
    }
  }
  return merged;
}

export const tables: Readonly<Record<string, TableSpec>> = merge((d) => d.tables, 'table');
export const queues: Readonly<Record<string, QueueSpec>> = merge((d) => d.queues, 'queue');
export const topics: Readonly<Record<string, TopicSpec>> = merge((d) => d.topics, 'topic');
export const functions: Readonly<Record<string, FunctionSpec>> = merge((d) => d.functions, 'function');
export const buckets: Readonly<Record<string, BucketSpec>> = merge((d) => d.buckets, 'bucket');
export const subscriptions: readonly SubscriptionSpec[] = domains.flatMap((d) => d.subscriptions ?? []);

export type TableId = string;
export type QueueId = string;
export type TopicId = string;
export type FunctionId = string;

export const scheduleGroupName = 'sellerops';

/** Dead-letter queue name of a queue: the same rule in AWS and locally. */
export function deadLetterQueueName(queue: QueueSpec): string {
  return `${queue.name}-dlq`;
}

/** Environment variable names through which a function learns the physical names of what it may touch. */
export { envNames as env } from '#shared/adapters/environment.ts';

export function allFunctions(): [FunctionId, FunctionSpec][] {
  return Object.entries(functions);
}

/** What a product's dashboard shows: the functions, queues and tables its domains declare. */
export function productResources(product: Product): { functions: FunctionId[]; queues: QueueId[]; tables: TableId[] } {
  const owned = domains.filter((d) => d.product === product);
  return {
    functions: owned.flatMap((d) => Object.keys(d.functions)),
    queues: owned.flatMap((d) => Object.keys(d.queues ?? {})),
    tables: owned.flatMap((d) => Object.keys(d.tables ?? {})),
  };
}

/**
 * Functions Lambda invokes asynchronously (EventBridge Scheduler, rate, cron or one-time): nobody waits for their
 * answer, so each gets an on-failure queue (`onFailureQueueName`) that keeps what failed.
 */
export function asynchronouslyInvoked(spec: FunctionSpec): boolean {
  return spec.triggers.some((t) => t.kind === 'schedule' || t.kind === 'schedulePerMarketplace' || t.kind === 'oneTimeSchedule');
}

/** The Lambda function name of a wired function (before the stage's prefix, see infra/deployment.ts). */
export function functionName(functionId: FunctionId): string {
  return `sellerops-${functionId}`;
}

/** The on-failure queue of an asynchronously invoked function: failed schedule deliveries and failed invocations. */
export function onFailureQueueName(functionId: FunctionId): string {
  return `sellerops-${functionId.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-failed`;
}

/** Every id a spec names must exist: checked by the tests and at CDK synth. */
export function wiringProblems(): string[] {
  const problems: string[] = [];
  const known = (kind: string, id: string, set: Readonly<Record<string, unknown>>, where: string) => {
    if (!(id in set)) problems.push(`${where}: unknown ${kind} "${id}"`);
  };
  for (const s of subscriptions) {
    known('topic', s.topic, topics, 'subscription');
    known('queue', s.queue, queues, 'subscription');
  }
  for (const [name, fn] of allFunctions()) {
    for (const t of fn.access.tablesRead ?? []) known('table', t, tables, name);
    for (const t of fn.access.tablesWrite ?? []) known('table', t, tables, name);
    for (const t of fn.access.topicsPublish ?? []) known('topic', t, topics, name);
    for (const t of fn.access.topicsSubscribe ?? []) known('topic', t, topics, name);
    for (const q of fn.access.queuesSend ?? []) known('queue', q, queues, name);
    for (const b of [...(fn.access.bucketsRead ?? []), ...(fn.access.bucketsWrite ?? []), ...(fn.access.bucketsDelete ?? [])]) known('bucket', b, buckets, name);
    for (const f of fn.access.schedulesCreate ?? []) {
      known('function', f, functions, name);
      if (functions[f] && !functions[f].triggers.some((t) => t.kind === 'oneTimeSchedule')) problems.push(`${name}: ${f} has no oneTimeSchedule trigger`);
    }
    for (const t of fn.triggers) if (t.kind === 'sqs') known('queue', t.queue, queues, name);
  }
  return problems;
}

/** Looks an id up, failing loudly: a typo in the wiring must never become a silently missing grant. */
export function must<T>(record: Readonly<Record<string, T>>, id: string, what: string): T {
  const value = record[id];
  if (value === undefined) throw new Error(`wiring: unknown ${what} "${id}"`);
  return value;
}
