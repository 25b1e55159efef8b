import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MARKET_HISTORY_RETENTION_DAYS, marketListingKey, type MarketHistoryStore, type MarketRecord } from '#shared/repricer/market-history.ts';
import type { Audience } from '#shared/repricer/types.ts';
import { queryAll } from './query-all.ts';

/**
 * The recorded market history (issue 21, what-if), in the price history table (sellerops-repricer-history: TTL,
 * Standard-IA, no PITR): pk=MKT#<tenantId>#<marketplaceId>#<audience>#<asin>, sk=<TimeOfOfferChange ISO>, the
 * compact record in `doc`, deleted after MARKET_HISTORY_RETENTION_DAYS (expiresAt). The tenant is in the key, so a
 * reader names its own tenant's partition and never sees another's. A redelivered notification writes the same
 * item again (same key, same content).
 */
export class DynamoMarketHistory implements MarketHistoryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(tenantId: string, record: MarketRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: marketRecordItem(tenantId, record) }));
  }

  async read(tenantId: string, listing: { marketplaceId: string; audience: Audience; asin: string }, fromMs: number, toMs: number, limit: number): Promise<MarketRecord[]> {
    const pk = marketPk(tenantId, listing);
    const from = new Date(fromMs).toISOString();
    // The market as it stood when the window opened: the newest record before it.
    const { Items: before = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk < :from',
        ExpressionAttributeValues: { ':pk': pk, ':from': from },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const inWindow = await queryAll(
      this.client,
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to', ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': new Date(toMs).toISOString() } },
      { max: limit, pageSize: 1000 },
    );
    return [...before, ...inWindow].map((item) => marketRecordFromItem(listing, item));
  }
}

function marketPk(tenantId: string, listing: { marketplaceId: string; audience: Audience; asin: string }): string {
  return `MKT#${tenantId}#${marketListingKey(listing)}`;
}

/** What the key does not say: [sellerId, currency, offers, summary]. Keeps 20 offers under 1 KB, one write unit. */
type StoredDoc = [string, MarketRecord['currency'], MarketRecord['offers'], MarketRecord['summary']];

/** The stored item of a market record (exported for the write-cost test). */
export function marketRecordItem(tenantId: string, record: MarketRecord): Record<string, unknown> {
  const doc: StoredDoc = [record.sellerId, record.currency, record.offers, record.summary];
  return {
    pk: marketPk(tenantId, record),
    sk: record.at,
    doc: JSON.stringify(doc),
    expiresAt: Math.floor(Date.parse(record.at) / 1000) + MARKET_HISTORY_RETENTION_DAYS * 86_400,
  };
}

function marketRecordFromItem(listing: { marketplaceId: string; audience: Audience; asin: string }, item: Record<string, unknown>): MarketRecord {
  const [sellerId, currency, offers, summary] = JSON.parse(String(item.doc)) as StoredDoc;
  return { sellerId, marketplaceId: listing.marketplaceId, asin: listing.asin, audience: listing.audience, currency, at: String(item.sk), offers, summary };
}
