import { BatchGetCommand, DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SkuStock, StockReadMark, StockSource, StockStore } from '#shared/repricer/ports.ts';
import { writeIfCondition } from './conditional-write.ts';
import { queryAll } from './query-all.ts';
import { mapConcurrently } from '#shared/kernel/concurrency.ts';

/** DynamoDB reads at most 100 keys per BatchGetItem. */
const BATCH_GET_LIMIT = 100;
const SOURCES: readonly StockSource[] = ['fba', 'mfn'];
/**
 * Conditional writes in flight at once: BatchWriteItem takes no condition, and one write after another made a first
 * reading of 10,000 SKUs 10,000 round trips in a row.
 */
const WRITES_IN_FLIGHT = 16;

/**
 * Own units in stock in the repricer table (issue 21 stock), kept apart from the OFFER# items so neither the offers
 * query nor the offer's version-conditioned writes meet them:
 * - pk=TENANT#<tenantId>, sk=STOCK#<marketplaceId>#<sku>: `units`, `source` (`fba`/`mfn`), `knownAt` (epoch ms of the
 *   reading that wrote it), TTL `expiresAt`; Query begins_with STOCK#<mkt># for a reading's merge, BatchGet for a
 *   job's offers with a low-stock rule and for the offer view. Writes never replace a newer reading (`knownAt`).
 * - pk=TENANT#<tenantId>, sk=STOCKREAD#<marketplaceId>#<source>: `at`, `fullAt` (epoch ms): every change up to `at`
 *   is stored; moved forward only.
 */
export class DynamoStockStore implements StockStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listStock(tenantId: string, marketplaceId: string): Promise<SkuStock[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':prefix': `STOCK#${marketplaceId}#` },
    });
    return items.map(toSkuStock);
  }

  async putStock(tenantId: string, items: readonly SkuStock[], expiresAtMs: number): Promise<void> {
    await mapConcurrently(items, WRITES_IN_FLIGHT, (item) =>
      // A reading that finished after a newer one (two readings overlapping) never puts older units back.
      writeIfCondition(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              pk: `TENANT#${tenantId}`,
              sk: `STOCK#${item.marketplaceId}#${item.sku}`,
              entity: 'stock',
              marketplaceId: item.marketplaceId,
              sku: item.sku,
              units: item.units,
              source: item.source,
              knownAt: item.knownAtMs,
              expiresAt: Math.floor(expiresAtMs / 1000),
            },
            ConditionExpression: 'attribute_not_exists(knownAt) OR knownAt <= :at',
            ExpressionAttributeValues: { ':at': item.knownAtMs },
          }),
        ),
      ),
    );
  }

  async deleteStock(tenantId: string, items: readonly SkuStock[]): Promise<void> {
    await mapConcurrently(items, WRITES_IN_FLIGHT, (item) =>
      writeIfCondition(() =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: `TENANT#${tenantId}`, sk: `STOCK#${item.marketplaceId}#${item.sku}` },
            ConditionExpression: 'knownAt <= :at',
            ExpressionAttributeValues: { ':at': item.knownAtMs },
          }),
        ),
      ),
    );
  }

  async markStockRead(tenantId: string, mark: StockReadMark): Promise<void> {
    // A reading that finished late never moves the mark back: the refused condition means "already further".
    await writeIfCondition(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `TENANT#${tenantId}`, sk: `STOCKREAD#${mark.marketplaceId}#${mark.source}` },
          UpdateExpression: 'SET #at = :at, fullAt = :fullAt, marketplaceId = :mkt, #source = :source, entity = :entity',
          ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
          ExpressionAttributeNames: { '#at': 'at', '#source': 'source' },
          ExpressionAttributeValues: { ':at': mark.atMs, ':fullAt': mark.fullAtMs, ':mkt': mark.marketplaceId, ':source': mark.source, ':entity': 'stock-read' },
        }),
      ),
    );
  }

  async stockMarks(tenantId: string, marketplaceId: string): Promise<StockReadMark[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':prefix': `STOCKREAD#${marketplaceId}#` },
        ConsistentRead: true,
      }),
    );
    return Items.map(toMark);
  }

  async readStock(tenantId: string, keys: readonly { readonly marketplaceId: string; readonly sku: string }[]) {
    const pk = `TENANT#${tenantId}`;
    const wanted = new Map<string, { pk: string; sk: string }>();
    for (const k of keys) {
      wanted.set(`STOCK#${k.marketplaceId}#${k.sku}`, { pk, sk: `STOCK#${k.marketplaceId}#${k.sku}` });
      for (const source of SOURCES) wanted.set(`STOCKREAD#${k.marketplaceId}#${source}`, { pk, sk: `STOCKREAD#${k.marketplaceId}#${source}` });
    }
    const skus: SkuStock[] = [];
    const marks: StockReadMark[] = [];
    let pending = [...wanted.values()];
    while (pending.length > 0) {
      const batch = pending.slice(0, BATCH_GET_LIMIT);
      const { Responses = {}, UnprocessedKeys = {} } = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: batch } } }));
      for (const item of Responses[this.tableName] ?? []) {
        if (String(item.sk).startsWith('STOCKREAD#')) marks.push(toMark(item));
        else skus.push(toSkuStock(item));
      }
      pending = [...((UnprocessedKeys[this.tableName]?.Keys ?? []) as { pk: string; sk: string }[]), ...pending.slice(BATCH_GET_LIMIT)];
    }
    return { skus, marks };
  }
}

function sourceOf(value: unknown): StockSource {
  return value === 'mfn' ? 'mfn' : 'fba';
}

function toSkuStock(item: Record<string, unknown>): SkuStock {
  return { marketplaceId: String(item.marketplaceId), sku: String(item.sku), units: Number(item.units), source: sourceOf(item.source), knownAtMs: Number(item.knownAt) };
}

function toMark(item: Record<string, unknown>): StockReadMark {
  return { marketplaceId: String(item.marketplaceId), source: sourceOf(item.source), atMs: Number(item.at), fullAtMs: Number(item.fullAt) };
}
