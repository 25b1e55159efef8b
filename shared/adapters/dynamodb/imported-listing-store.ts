import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.ts';
import type { ImportedListing } from '#shared/repricer/listings-import.ts';
import type { ImportedListingStore } from '#shared/repricer/ports.ts';

/** DynamoDB accepts at most 25 writes per BatchWriteItem. */
const BATCH_WRITE_LIMIT = 25;

/**
 * Imported listings in the repricer table: pk=TENANT#<t>, sk=LISTING#<marketplaceId>#<sku>; a tenant's are read
 * with one Query (sk begins_with LISTING#). Kept apart from OFFER# items so the offers query never reads them.
 */
export class DynamoImportedListingStore implements ImportedListingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listImportedListings(tenantId: string): Promise<ImportedListing[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':prefix': 'LISTING#' },
    });
    return items.map((item) => JSON.parse(String(item.doc)) as ImportedListing);
  }

  async putImportedListings(tenantId: string, listings: readonly ImportedListing[]): Promise<void> {
    let pending = listings.map((listing) => ({
      PutRequest: { Item: { pk: `TENANT#${tenantId}`, sk: `LISTING#${listing.marketplaceId}#${listing.sku}`, entity: 'imported-listing', doc: JSON.stringify(listing) } },
    }));
    while (pending.length > 0) {
      const batch = pending.slice(0, BATCH_WRITE_LIMIT);
      const { UnprocessedItems = {} } = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: batch } }));
      pending = [...((UnprocessedItems[this.tableName] ?? []) as typeof pending), ...pending.slice(BATCH_WRITE_LIMIT)];
    }
  }
}
