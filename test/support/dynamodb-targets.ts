/**
 * DynamoDB engines the adapter tests run against: dynalite always (fast, in process), and the official
 * DynamoDB Local as well when Java and the jar (.cache/dynamodb-local, fetched by scripts/fetch-dynamodb-local.sh,
 * which `npm test`'s pretest step calls) are present, so dynalite's leniency cannot hide a bug.
 */
import { afterAll, beforeAll } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamo, startDynamoDbLocal, dynamoDbLocalAvailable } from '../../local/dynamodb.ts';

export interface DynamoTarget {
  readonly name: string;
  start(): Promise<{ endpoint: string; stop(): Promise<void> }>;
}

export function dynamoTargets(): DynamoTarget[] {
  const targets: DynamoTarget[] = [{ name: 'dynalite', start: () => startLocalDynamo() }];
  if (dynamoDbLocalAvailable()) {
    targets.push({ name: 'DynamoDB Local', start: startDynamoDbLocal });
  } else if (process.env.CI) {
    throw new Error('CI must run the adapter tests against DynamoDB Local: run npm test (its pretest fetches it), or scripts/fetch-dynamodb-local.sh');
  }
  return targets;
}

/**
 * Starts the target before the suite and stops it after; returns the document client to use in the tests
 * (call it inside tests, once beforeAll has run).
 */
export function useDynamoTarget(target: DynamoTarget): () => DynamoDBDocumentClient {
  let stop: (() => Promise<void>) | undefined;
  let client: DynamoDBDocumentClient | undefined;
  beforeAll(async () => {
    const started = await target.start();
    stop = () => started.stop();
    client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: started.endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
  });
  afterAll(async () => {
    client?.destroy();
    await stop?.();
  });
  return () => {
    if (!client) throw new Error('the DynamoDB target has not started');
    return client;
  };
}
