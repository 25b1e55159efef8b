import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SalesStore, SkuDailySales } from '#shared/repricer/ports.ts';
import { putVersioned, writeIfCondition } from './conditional-write.ts';
import { queryAll } from './query-all.ts';
import { mapConcurrently } from '#shared/kernel/concurrency.ts';

/** Versioned puts in flight at once (BatchWriteItem takes no condition; one after another was a round trip per SKU in a row). */
const WRITES_IN_FLIGHT = 16;
/** DynamoDB reads at most 100 keys per BatchGetItem. */
const BATCH_GET_LIMIT = 100;

/**
 * Units sold per day in the repricer table (issue 21 sales), kept apart from the OFFER# items so neither the
 * offers query nor the offer's version-conditioned writes meet them:
 * - pk=TENANT#<tenantId>, sk=SALES#<marketplaceId>#<sku>: `days` {"YYYY-MM-DD": units} (days that sold), `version`,
 *   TTL `expiresAt` (SALES_RETENTION_DAYS after the last report that wrote it); Query begins_with SALES#<mkt># for
 *   a report's merge, BatchGet for a job's Push offers;
 * - pk=TENANT#<tenantId>, sk=SALESUNTIL#<marketplaceId>: `until` (exclusive day): sales up to it are known.
 */
export class DynamoSalesStore implements SalesStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listDailySales(tenantId: string, marketplaceId: string): Promise<SkuDailySales[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':prefix': `SALES#${marketplaceId}#` },
    });
    return items.map(toSkuDailySales);
  }

  async putDailySales(tenantId: string, items: readonly SkuDailySales[], expiresAtMs: number): Promise<void> {
    // Each SKU's item is versioned on its own: a conflict on one fails the call (and the message is retried from a
    // fresh read) whatever the others did.
    await mapConcurrently(items, WRITES_IN_FLIGHT, (item) =>
      putVersioned(
        this.client,
        this.tableName,
        {
          pk: `TENANT#${tenantId}`,
          sk: `SALES#${item.marketplaceId}#${item.sku}`,
          entity: 'daily-sales',
          marketplaceId: item.marketplaceId,
          sku: item.sku,
          days: item.days,
          version: item.version,
          expiresAt: Math.floor(expiresAtMs / 1000),
        },
        item.version,
        `daily sales ${tenantId}/${item.marketplaceId}/${item.sku}`,
      ),
    );
  }

  async markKnownUntil(tenantId: string, marketplaceId: string, day: string): Promise<void> {
    // A back-fill's older period or a re-read never moves it back: the refused condition means "already further".
    await writeIfCondition(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `TENANT#${tenantId}`, sk: `SALESUNTIL#${marketplaceId}` },
          UpdateExpression: 'SET #until = :day, entity = :entity',
          ConditionExpression: 'attribute_not_exists(#until) OR #until < :day',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':day': day, ':entity': 'sales-known-until' },
        }),
      ),
    );
  }

  async readSales(tenantId: string, keys: readonly { readonly marketplaceId: string; readonly sku: string }[]) {
    const pk = `TENANT#${tenantId}`;
    const wanted = new Map<string, { pk: string; sk: string }>();
    for (const k of keys) {
      wanted.set(`SALES#${k.marketplaceId}#${k.sku}`, { pk, sk: `SALES#${k.marketplaceId}#${k.sku}` });
      wanted.set(`SALESUNTIL#${k.marketplaceId}`, { pk, sk: `SALESUNTIL#${k.marketplaceId}` });
    }
    const skus: SkuDailySales[] = [];
    const knownUntil = new Map<string, string>();
    let pending = [...wanted.values()];
    while (pending.length > 0) {
      const batch = pending.slice(0, BATCH_GET_LIMIT);
      const { Responses = {}, UnprocessedKeys = {} } = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: batch } } }));
      for (const item of Responses[this.tableName] ?? []) {
        const sk = String(item.sk);
        if (sk.startsWith('SALESUNTIL#')) knownUntil.set(sk.slice('SALESUNTIL#'.length), String(item.until));
        else skus.push(toSkuDailySales(item));
      }
      pending = [...((UnprocessedKeys[this.tableName]?.Keys ?? []) as { pk: string; sk: string }[]), ...pending.slice(BATCH_GET_LIMIT)];
    }
    return { skus, knownUntil };
  }
}

function toSkuDailySales(item: Record<string, unknown>): SkuDailySales {
  const days: Record<string, number> = {};
  for (const [day, units] of Object.entries((item.days ?? {}) as Record<string, unknown>)) days[day] = Number(units);
  return { marketplaceId: String(item.marketplaceId), sku: String(item.sku), days, version: Number(item.version) };
}
