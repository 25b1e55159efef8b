/**
 * The one config loader. A function learns the physical names of what it may touch from environment
 * variables whose names both deployments derive from the wiring ids: CDK sets them per function, the local
 * stack sets them for the process.
 */

const snake = (id: string) => id.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

export const envNames = {
  table: (id: string) => `TABLE_${snake(id)}`,
  topicArn: (id: string) => `TOPIC_${snake(id)}_ARN`,
  queueUrl: (id: string) => `QUEUE_${snake(id)}_URL`,
  deadLetterQueueUrl: (id: string) => `QUEUE_${snake(id)}_DLQ_URL`,
  scheduleTargetArn: (functionId: string) => `SCHEDULE_TARGET_${snake(functionId)}_ARN`,
  bucket: (id: string) => `BUCKET_${snake(id)}`,
} as const;

/** A missing variable is a deployment fault, not bad input: it must never send a message to a DLQ as poison. */
export class MisconfiguredError extends Error {
  constructor(name: string) {
    super(`environment variable ${name} is not set`);
    this.name = 'MisconfiguredError';
  }
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new MisconfiguredError(name);
  return value;
}

export const resourceNames = {
  table: (id: string) => requireEnv(envNames.table(id)),
  topicArn: (id: string) => requireEnv(envNames.topicArn(id)),
  queueUrl: (id: string) => requireEnv(envNames.queueUrl(id)),
  deadLetterQueueUrl: (id: string) => requireEnv(envNames.deadLetterQueueUrl(id)),
  bucket: (id: string) => requireEnv(envNames.bucket(id)),
};
