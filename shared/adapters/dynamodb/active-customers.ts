import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CustomerRecord } from '#shared/customers/customer.ts';
import type { ActiveCustomers } from '#shared/service/surveys.ts';
import { queryAll } from './query-all.ts';
import { ACTIVE_SHARDS, activeIndexAttributes, fromItem } from './customer-repository.ts';
import { isConditionFailure } from './conditional-write.ts';

/** Customers with a live contract, read from the sparse, sharded `active` index (never a Scan). */
export class DynamoActiveCustomers implements ActiveCustomers {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listActive(): Promise<CustomerRecord[]> {
    const shards = await Promise.all(
      Array.from({ length: ACTIVE_SHARDS }, async (_, shard) =>
        (
          await queryAll(this.client, {
            TableName: this.tableName,
            IndexName: 'active',
            KeyConditionExpression: 'activeKey = :key',
            ExpressionAttributeValues: { ':key': `ACTIVE#${shard}` },
          })
        ).map(fromItem),
      ),
    );
    return shards.flat();
  }
}

/**
 * One-off migration after deploying the `active` index: customer items written before it carry no index keys
 * until their next save(). This adds them (a Scan, run once by an operator: `npx tsx cli/backfill-active-index.ts`;
 * never on a request path). Version-conditioned, so a customer changed meanwhile keeps what its own save wrote.
 */
export async function backfillActiveIndex(client: DynamoDBDocumentClient, tableName: string): Promise<{ scanned: number; indexed: number }> {
  let scanned = 0;
  let indexed = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'sk = :customer AND attribute_not_exists(activeKey)',
        ExpressionAttributeValues: { ':customer': 'CUSTOMER' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      scanned++;
      const attributes = activeIndexAttributes(fromItem(item));
      if (!('activeKey' in attributes)) continue;
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: item.pk as string, sk: item.sk as string },
            UpdateExpression: 'SET activeKey = :key, activeOrder = :order',
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':key': attributes.activeKey, ':order': attributes.activeOrder, ':version': item.version as number },
          }),
        );
        indexed++;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { scanned, indexed };
}
