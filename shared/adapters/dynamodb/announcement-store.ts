import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Product } from '#shared/contracts/customer-events.ts';
import type { Announcement, AnnouncementStore, ReadReceipt } from '#shared/csm/announcements.ts';
import { isConditionFailure } from './conditional-write.ts';
import { queryAll } from './query-all.ts';

/**
 * Announcements in the core table: the announcement at pk ANNOUNCEMENT#<id>, sk ANNOUNCEMENT (conditional put: one
 * per id); its copy in its product's list, pk ANNOUNCEMENTS#<product>, sk <publishedAt>#<id> (newest first by a
 * reverse Query); read receipts at pk ANNOUNCEMENT#<id>, sk READ#<customerId> (conditional put: the first read stands).
 */
export class DynamoAnnouncementStore implements AnnouncementStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(announcement: Announcement): Promise<Announcement> {
    let stored = announcement;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `ANNOUNCEMENT#${announcement.announcementId}`, sk: 'ANNOUNCEMENT', entity: 'announcement', ...announcement },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      stored = (await this.get(announcement.announcementId)) ?? announcement;
    }
    // Written (again) after the announcement itself, so a publication retried after a crash completes the list.
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `ANNOUNCEMENTS#${stored.product}`, sk: `${stored.publishedAt}#${stored.announcementId}`, entity: 'announcement-listing', ...stored },
      }),
    );
    return stored;
  }

  async get(announcementId: string): Promise<Announcement | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `ANNOUNCEMENT#${announcementId}`, sk: 'ANNOUNCEMENT' }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...announcement } = Item;
    return announcement as Announcement;
  }

  async listForProduct(product: Product, limit: number): Promise<Announcement[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `ANNOUNCEMENTS#${product}` },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return Items.map(({ pk: _pk, sk: _sk, entity: _entity, ...announcement }) => announcement as Announcement);
  }

  async markRead(receipt: ReadReceipt): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `ANNOUNCEMENT#${receipt.announcementId}`, sk: `READ#${receipt.customerId}`, entity: 'announcement-read', ...receipt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async readsOf(announcementId: string): Promise<ReadReceipt[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :read)',
      ExpressionAttributeValues: { ':pk': `ANNOUNCEMENT#${announcementId}`, ':read': 'READ#' },
      ConsistentRead: true,
    });
    return items.map(({ pk: _pk, sk: _sk, entity: _entity, ...receipt }) => receipt as unknown as ReadReceipt);
  }

  async readBy(customerId: string, announcementIds: readonly string[]): Promise<Set<string>> {
    const read = new Set<string>();
    for (let i = 0; i < announcementIds.length; i += 100) {
      const keys = announcementIds.slice(i, i + 100).map((id) => ({ pk: `ANNOUNCEMENT#${id}`, sk: `READ#${customerId}` }));
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> = { [this.tableName]: { Keys: keys, ConsistentRead: true } };
      while (Object.keys(request).length > 0) {
        const { Responses, UnprocessedKeys } = await this.client.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of Responses?.[this.tableName] ?? []) read.add(String(item.announcementId));
        request = (UnprocessedKeys ?? {}) as typeof request;
      }
    }
    return read;
  }
}
