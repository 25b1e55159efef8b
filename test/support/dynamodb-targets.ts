/**
 * DynamoDB engines the adapter tests run against: dynalite always (fast, in process), and the official
 * DynamoDB Local as well when Java and the jar (.cache/dynamodb-local, fetched by scripts/fetch-dynamodb-local.sh,
 * which `npm test`'s pretest step calls) are present, so dynalite's leniency cannot hide a bug.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamo, createTables, freePort } from '../../local/dynamodb.ts';

export interface DynamoTarget {
  readonly name: string;
  start(): Promise<{ endpoint: string; stop(): Promise<void> }>;
}

const jarDir = join(import.meta.dirname, '..', '..', '.cache', 'dynamodb-local');

export function dynamoTargets(): DynamoTarget[] {
  const targets: DynamoTarget[] = [{ name: 'dynalite', start: () => startLocalDynamo() }];
  const javaOk = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
  if (javaOk && existsSync(join(jarDir, 'DynamoDBLocal.jar'))) {
    targets.push({ name: 'DynamoDB Local', start: startDynamoDbLocal });
  } else if (process.env.CI) {
    throw new Error('CI must run the adapter tests against DynamoDB Local: run npm test (its pretest fetches it), or scripts/fetch-dynamodb-local.sh');
  }
  return targets;
}

async function startDynamoDbLocal(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'java',
    ['-Xmx512m', `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`, '-jar', join(jarDir, 'DynamoDBLocal.jar'), '-inMemory', '-sharedDb', '-port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('DynamoDB Local did not start in 120 s')), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('CorsParams')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with ${code}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  // The startup banner can precede the listener by a moment: retry until the tables can be created.
  const listening = Date.now();
  for (;;) {
    try {
      await createTables(endpoint);
      break;
    } catch (error) {
      if (Date.now() - listening > 120_000) {
        child.kill('SIGKILL'); // never leave a JVM behind
        throw error;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    endpoint,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
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
