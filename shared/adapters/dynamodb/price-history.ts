import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { HISTORY_RETENTION_DAYS, type HistoryEntry } from '#shared/repricer/model.ts';
import type { PriceHistory } from '#shared/repricer/ports.ts';
import { queryAll } from './query-all.ts';

/**
 * The price history table (sellerops-repricer-history): append-only rows that DynamoDB deletes after
 * HISTORY_RETENTION_DAYS (TTL expiresAt), kept out of the offers table so that table's PITR and hot partitions
 * carry only live state. Query pk=HIST#<tenantId>#<sku>, sk = <at ISO>#<mkt>#<audience>#<kind>#<decisionId>.
 */
export class DynamoPriceHistory implements PriceHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(entries: readonly HistoryEntry[]): Promise<void> {
    const requests = entries.map((e) => ({ PutRequest: { Item: historyItem(e) } }));
    for (let i = 0; i < requests.length; i += 25) await this.batchWrite(requests.slice(i, i + 25));
  }

  async read(tenantId: string, sku: string, fromMs: number, toMs: number, limit: number): Promise<HistoryEntry[]> {
    const items = await queryAll(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `HIST#${tenantId}#${sku}`, ':from': new Date(fromMs).toISOString(), ':to': `${new Date(toMs).toISOString()}#\uffff` },
      },
      { max: limit, pageSize: 1000 },
    );
    return items.map((item) => JSON.parse(String(item.doc)) as HistoryEntry);
  }

  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const { UnprocessedItems = {} } = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
      pending = UnprocessedItems[this.tableName] ?? [];
      if (pending.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random() / 2)));
    }
  }
}

/** The stored row of a history entry (exported for bulk loads). */
export function historyItem(e: HistoryEntry): Record<string, unknown> {
  return {
    pk: `HIST#${e.tenantId}#${e.sku}`,
    sk: `${e.at}#${e.marketplaceId}#${e.audience}#${e.kind}#${e.decisionId}`,
    doc: JSON.stringify(e),
    expiresAt: Math.floor(Date.parse(e.at) / 1000) + HISTORY_RETENTION_DAYS * 86_400,
  };
}
