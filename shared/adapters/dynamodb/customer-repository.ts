import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CustomerRecord } from '#shared/customers/customer.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import { putVersioned } from './conditional-write.ts';
import { currentCorrelationId } from '../observability.ts';

export const OUTBOX_SHARD = 'OUTBOX';
/** Shards of the sparse `active` index (customers with a live contract), so a campaign reads it in parallel. */
export const ACTIVE_SHARDS = 8;

/** `active` index keys while any contract is live (trial or active); absent once every contract is cancelled. */
export function activeIndexAttributes(record: CustomerRecord): { activeKey: string; activeOrder: string } | Record<string, never> {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a stored record may hold an explicit undefined contract (exactOptionalPropertyTypes is off)
  if (!Object.values(record.contracts).some((c) => c !== undefined && c.status !== 'cancelled')) return {};
  let hash = 0;
  for (let i = 0; i < record.tenantId.length; i++) hash = (hash * 31 + record.tenantId.charCodeAt(i)) >>> 0;
  return { activeKey: `ACTIVE#${hash % ACTIVE_SHARDS}`, activeOrder: record.tenantId };
}

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
    // An event written now is stamped with the correlation id of the work that wrote it: the outbox row keeps it,
    // so the relay publishes a late event under its own request's id.
    const correlationId = currentCorrelationId();
    const pendingEvents = correlationId ? record.pendingEvents.map((event) => (event.correlationId ? event : { ...event, correlationId })) : record.pendingEvents;
    const item: Record<string, unknown> = {
      ...keyOf(record.tenantId),
      entity: 'customer',
      ...record,
      pendingEvents,
      // Only items with pending events carry the index keys, so the outbox index holds nothing else.
      ...(firstPending ? { outboxShard: OUTBOX_SHARD, outboxDueAt: firstPending.occurredAt } : {}),
      // Only customers with a live contract carry these, so the `active` index lists exactly them (surveys).
      ...activeIndexAttributes(record),
    };
    await putVersioned(this.client, this.tableName, item, record.version, `TENANT#${record.tenantId}`);
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

export function fromItem(item: Record<string, unknown>): CustomerRecord {
  const { pk: _pk, sk: _sk, entity: _entity, outboxShard: _shard, outboxDueAt: _due, activeKey: _ak, activeOrder: _ao, ...record } = item;
  return record as unknown as CustomerRecord;
}
