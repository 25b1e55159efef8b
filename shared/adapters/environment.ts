/**
 * The one config loader. A function learns the physical names of what it may touch from environment
 * variables whose names both deployments derive from the wiring ids: CDK sets them per function, the local
 * stack sets them for the process.
 */
import { ValidationError } from '../kernel/errors.ts';

const snake = (id: string) => id.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

export const envNames = {
  table: (id: string) => `TABLE_${snake(id)}`,
  topicArn: (id: string) => `TOPIC_${snake(id)}_ARN`,
  queueUrl: (id: string) => `QUEUE_${snake(id)}_URL`,
  deadLetterQueueUrl: (id: string) => `QUEUE_${snake(id)}_DLQ_URL`,
} as const;

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new ValidationError(`environment variable ${name} is not set`, { field: name }, 'misconfigured');
  return value;
}

export const resourceNames = {
  table: (id: string) => requireEnv(envNames.table(id)),
  topicArn: (id: string) => requireEnv(envNames.topicArn(id)),
  queueUrl: (id: string) => requireEnv(envNames.queueUrl(id)),
  deadLetterQueueUrl: (id: string) => requireEnv(envNames.deadLetterQueueUrl(id)),
};
