/** In-process DynamoDB (dynalite) with exactly the tables the CDK stateful stack declares; or the official DynamoDB Local. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { tables, type TableSpec } from '#infra/wiring.ts';
import { LOCAL_REGION } from './aws-env.ts';

export interface LocalDynamo {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startLocalDynamo(options: { dataDir?: string } = {}): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.dataDir ? { path: options.dataDir } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  await createTables(endpoint);
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

const jarDir = join(import.meta.dirname, '..', '.cache', 'dynamodb-local');

/** Java and the DynamoDB Local jar are there. */
export function dynamoDbLocalAvailable(): boolean {
  return existsSync(join(jarDir, 'DynamoDBLocal.jar')) && spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The official DynamoDB Local (Java, .cache/dynamodb-local, fetched by scripts/fetch-dynamodb-local.sh) with the
 * wired tables: exact behaviour where dynalite is lenient, and the capacity units a request consumes
 * (ReturnConsumedCapacity, index by index), which the tick bench reports.
 */
export async function startDynamoDbLocal(): Promise<LocalDynamo> {
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

/** Creates every wired table (skipping those a persisted data dir already has). */
export async function createTables(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    for (const spec of Object.values<TableSpec>(tables)) {
      try {
        await client.send(new CreateTableCommand(createTableInput(spec)));
      } catch (error) {
        if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
        continue;
      }
      if (spec.timeToLiveAttribute) {
        await client
          .send(new UpdateTimeToLiveCommand({ TableName: spec.name, TimeToLiveSpecification: { AttributeName: spec.timeToLiveAttribute, Enabled: true } }))
          .catch(() => undefined); // dynalite does not implement TTL; DynamoDB Local does
      }
    }
  } finally {
    client.destroy();
  }
}

export function createTableInput(spec: TableSpec) {
  const attributes = new Set([spec.partitionKey, spec.sortKey, ...spec.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])]);
  return {
    TableName: spec.name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    ...(spec.infrequentAccess ? { TableClass: 'STANDARD_INFREQUENT_ACCESS' as const } : {}),
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: spec.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: spec.sortKey, KeyType: 'RANGE' as const },
    ],
    ...(spec.globalIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: spec.globalIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
              { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
            ],
            Projection:
              index.projection.type === 'INCLUDE'
                ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projection.attributes] }
                : { ProjectionType: index.projection.type },
          })),
        }
      : {}),
  };
}

/** A free TCP port on loopback (for servers that cannot listen on port 0 themselves). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}
