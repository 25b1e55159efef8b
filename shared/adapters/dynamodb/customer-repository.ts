import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { CustomerRecord } from '../../customers/customer.ts';
import { VersionConflictError, type CustomerRepository } from '../../customers/ports.ts';

export const OUTBOX_SHARD = 'OUTBOX';

/** Customers in the core table: pk TENANT#<tenantId>, sk CUSTOMER; sparse outbox index while events are pending. */
export class DynamoCustomerRepository implements CustomerRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string): Promise<CustomerRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(tenantId), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async save(record: CustomerRecord): Promise<void> {
    const firstPending = record.pendingEvents[0];
    const item: Record<string, unknown> = {
      ...keyOf(record.tenantId),
      entity: 'customer',
      ...record,
      // Only items with pending events carry the index keys, so the outbox index holds nothing else.
      ...(firstPending ? { outboxShard: OUTBOX_SHARD, outboxDueAt: firstPending.occurredAt } : {}),
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(record.version === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :previous',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':previous': record.version - 1 },
              }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === 'ConditionalCheckFailedException') {
        throw new VersionConflictError(`TENANT#${record.tenantId}`);
      }
      throw error;
    }
  }

  async listWithPendingEvents(dueBefore: Date, limit: number): Promise<CustomerRecord[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'outbox',
        KeyConditionExpression: 'outboxShard = :shard AND outboxDueAt <= :due',
        ExpressionAttributeValues: { ':shard': OUTBOX_SHARD, ':due': dueBefore.toISOString() },
        Limit: limit,
      }),
    );
    // The index is eventually consistent: re-read each record so the relay acts on the current version.
    const records = await Promise.all(Items.map((item) => this.get(String(item.tenantId))));
    return records.filter((r): r is CustomerRecord => r !== undefined && r.pendingEvents.length > 0);
  }
}

function keyOf(tenantId: string) {
  return { pk: `TENANT#${tenantId}`, sk: 'CUSTOMER' };
}

function fromItem(item: Record<string, unknown>): CustomerRecord {
  const { pk: _pk, sk: _sk, entity: _entity, outboxShard: _shard, outboxDueAt: _due, ...record } = item;
  return record as unknown as CustomerRecord;
}
