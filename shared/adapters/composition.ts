/**
 * What every function's composition root (`createDeps(env, overrides)` in functions/<name>/handler.ts) starts
 * from: the environment it was deployed with and, locally and in tests, the adapters that replace the AWS ones.
 * In Lambda there are no overrides; the local stack passes its simulated Amazon, local scheduler, console push
 * subscriptions and its clock. Nothing here is global: each root gets its own clients and its own clock.
 */
import { systemClock, type Clock } from '#shared/kernel/clock.ts';
import type { AmazonMarketplace, FbaInventoryApi } from '#shared/repricer/ports.ts';
import type { OneTimeScheduler } from '#shared/kernel/scheduler.ts';
import type { PushSubscriptions } from '#shared/csm/subscriptions.ts';
import type { SellerProfileSource } from '#shared/onboarding/ports.ts';
import type { CaseFilingPort } from '#shared/lost-and-found/ports.ts';
import type { AmazonReportsApi } from '#shared/lost-and-found/ports.ts';
import { createAwsClients, type AwsClients } from './aws-clients.ts';
import { resourceNames, type Environment } from './environment.ts';
import { SqsDeadLetterQueue } from './sqs/dead-letter-queue.ts';
import { SqsRetryLater } from './sqs/retry-later.ts';
import type { LoginWithAmazon, NotificationSubscriptions, PushKillSwitch, RefreshTokenVault } from '#shared/amazon-access/ports.ts';
import type { AmazonAppSecret } from './sp-api/credentials.ts';
import type { BusinessMetrics } from '#shared/kernel/metrics.ts';
import { powertoolsBusinessMetrics } from './business-metrics.ts';

export type { Environment } from './environment.ts';

/** Local stand-ins for ports whose AWS service or Amazon API has no local emulator, the clock, and the clients. */
export interface DepsOverrides {
  readonly clock?: Clock;
  /** Clients shared by every function of the local stack (one set per process, as in one Lambda container). */
  readonly aws?: AwsClients;
  /** The simulated marketplace locally; the SP-API adapter otherwise. */
  readonly amazonMarketplace?: AmazonMarketplace;
  readonly scheduler?: OneTimeScheduler;
  readonly pushSubscriptions?: PushSubscriptions;
  readonly sellerProfiles?: SellerProfileSource;
  readonly caseFiling?: CaseFilingPort;
  /** The SP-API reports adapter on the simulated Amazon's transport locally. */
  readonly amazonReports?: AmazonReportsApi;
  /** The simulated Amazon's FBA Inventory API (issue 21 stock: inventory summaries of the simulated marketplace). */
  readonly fbaInventory?: FbaInventoryApi;
  /** The simulated Seller Central: its app (with the local consent page), Login with Amazon and token vault. */
  readonly amazonApp?: AmazonAppSecret & { readonly consentPage: string };
  readonly amazonLogin?: LoginWithAmazon;
  /** The simulated Seller Central's record of notification subscriptions (local stack). */
  readonly notificationSubscriptions?: NotificationSubscriptions;
  readonly refreshTokenVault?: RefreshTokenVault;
  /** The operator's kill switch (an SSM parameter in AWS). */
  readonly pushKillSwitch?: PushKillSwitch;
  /** Business metrics: Powertools Metrics (EMF) in Lambda, the local stack's in-memory record locally. */
  readonly metrics?: BusinessMetrics;
}

/** The parts every area's adapter builders share. */
export function baseAdapters(env: Environment, overrides: DepsOverrides = {}) {
  const aws = overrides.aws ?? createAwsClients(env);
  const names = resourceNames(env);
  return {
    aws,
    names,
    clock: overrides.clock ?? systemClock,
    metrics: overrides.metrics ?? powertoolsBusinessMetrics,
    /** Where a queue consumer moves the messages of `queue` (a wiring id) that can never succeed. */
    deadLetterQueue: (queue: string) =>
      new SqsDeadLetterQueue(aws.sqs(), names.deadLetterQueueUrl(queue), queue, names.maxReceiveCount(queue)),
    /** How a consumer of `queue` delays a record whose upstream failed (backoff instead of the fixed visibility timeout). */
    retryLater: (queue: string) => new SqsRetryLater(aws.sqs(), names.queueUrl(queue)),
  };
}

/**
 * The Lambda entry of a handler module: builds the handler from the function's environment on the first
 * invocation, once per container. Importing the module therefore builds nothing, so the local stack can import
 * it and call its `createHandler` with its own dependencies.
 */
export function lambdaEntry<A extends unknown[], R>(build: () => (...args: A) => R): (...args: A) => R {
  let built: ((...args: A) => R) | undefined;
  return (...args) => (built ??= build())(...args);
}
