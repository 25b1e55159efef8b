/**
 * The one config loader. A function learns the physical names of what it may touch from environment
 * variables whose names both deployments derive from the wiring ids: CDK sets them per function (Lambda's
 * process.env), the local stack passes its own environment object to each function's composition root.
 */

/** The process environment of a function, or the local stack's stand-in for it. */
export type Environment = Readonly<Record<string, string | undefined>>;

const snake = (id: string) => id.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

export const envNames = {
  table: (id: string) => `TABLE_${snake(id)}`,
  topicArn: (id: string) => `TOPIC_${snake(id)}_ARN`,
  queueUrl: (id: string) => `QUEUE_${snake(id)}_URL`,
  deadLetterQueueUrl: (id: string) => `QUEUE_${snake(id)}_DLQ_URL`,
  /** The queue's redrive `maxReceiveCount`: its consumer dead-letters a failing message itself, with the reason, before SQS would. */
  maxReceiveCount: (id: string) => `QUEUE_${snake(id)}_MAX_RECEIVE_COUNT`,
  scheduleTargetArn: (functionId: string) => `SCHEDULE_TARGET_${snake(functionId)}_ARN`,
  /** Where EventBridge Scheduler puts a one-time schedule's event it could not deliver: the target's on-failure queue. */
  scheduleDeadLetterArn: (functionId: string) => `SCHEDULE_TARGET_${snake(functionId)}_DLQ_ARN`,
  bucket: (id: string) => `BUCKET_${snake(id)}`,
  /** The period of a function's per-marketplace schedule (the repricer tick plans the offers due within it). */
  scheduleRateMinutes: 'SCHEDULE_RATE_MINUTES',
  /** ARN of the queue registered with Amazon's Notifications API as the sellers' destination. */
  notificationsDestinationArn: 'SP_API_NOTIFICATIONS_DESTINATION_ARN',
  /** The stage's root of its SSM parameters (`/sellerops`, `/sellerops-dev`): see ssm/parameters.ts. */
  parameterRoot: 'SSM_PARAMETER_ROOT',
  /** The wait between two looks at a report Amazon is making (default REPORT_POLL_DELAY_SECONDS, 60). */
  reportPollDelaySeconds: 'REPORT_POLL_DELAY_SECONDS',
} as const;

/** A missing variable is a deployment fault, not bad input: it must never send a message to a DLQ as poison. */
export class MisconfiguredError extends Error {
  constructor(name: string, problem = 'is not set') {
    super(`environment variable ${name} ${problem}`);
    this.name = 'MisconfiguredError';
  }
}

export function requireEnv(env: Environment, name: string): string {
  const value = env[name];
  if (!value) throw new MisconfiguredError(name);
  return value;
}

export function requirePositiveInt(env: Environment, name: string): number {
  const value = Number(requireEnv(env, name));
  if (!Number.isInteger(value) || value <= 0) throw new MisconfiguredError(name, 'is not a positive integer');
  return value;
}

export function resourceNames(env: Environment) {
  return {
    table: (id: string) => requireEnv(env, envNames.table(id)),
    topicArn: (id: string) => requireEnv(env, envNames.topicArn(id)),
    queueUrl: (id: string) => requireEnv(env, envNames.queueUrl(id)),
    deadLetterQueueUrl: (id: string) => requireEnv(env, envNames.deadLetterQueueUrl(id)),
    maxReceiveCount: (id: string) => requirePositiveInt(env, envNames.maxReceiveCount(id)),
    bucket: (id: string) => requireEnv(env, envNames.bucket(id)),
    scheduleTargetArn: (functionId: string) => requireEnv(env, envNames.scheduleTargetArn(functionId)),
    scheduleDeadLetterArn: (functionId: string) => requireEnv(env, envNames.scheduleDeadLetterArn(functionId)),
  };
}
