import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CsmNotification } from '#shared/csm/notifications.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { CsmNotificationStore, PushClaim } from '#shared/csm/ports.ts';
import { isConditionFailure, writeIfCondition } from './conditional-write.ts';

const ALL = 'CSMFEED#ALL';

/**
 * Notifications in the core table, one item each (pk NOTIF#<id>) so storing one is a single atomic,
 * conditional write. The feeds are sparse indexes over those items: `feedAll` (everybody) and `feedStaff`
 * (the assigned manager), both sorted by occurrence. Read marks: pk READ#<staffId>, sk <notificationId>.
 */
export class DynamoCsmNotificationStore implements CsmNotificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(notification: CsmNotification): Promise<{ stored: CsmNotification; created: boolean }> {
    // An absent pushedAt (not a stored null) is what lets markPushed's if_not_exists set it exactly once.
    const { pushedAt, ...unpushed } = notification;
    const order = `${notification.occurredAt}#${notification.notificationId}`;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keyOf(notification.notificationId),
            entity: 'csm-notification',
            ...unpushed,
            ...(pushedAt ? { pushedAt } : {}),
            feedAllKey: ALL,
            feedAllOrder: order,
            ...(notification.csmId ? { feedStaffKey: `CSMFEED#${notification.csmId}`, feedStaffOrder: order } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { stored: notification, created: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = await this.get(notification.notificationId);
      if (!stored) throw error;
      return { stored, created: false };
    }
  }

  async get(notificationId: string): Promise<CsmNotification | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keyOf(notificationId), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async markPushed(notification: CsmNotification, pushedAt: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(notification.notificationId),
        UpdateExpression: 'SET pushedAt = if_not_exists(pushedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': pushedAt.toISOString() },
      }),
    );
  }

  async claimPush(notificationId: string, now: Date, until: Date): Promise<PushClaim> {
    const claimed = await writeIfCondition(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(notificationId),
          UpdateExpression: 'SET pushClaimUntil = :until',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(pushedAt) AND (attribute_not_exists(pushClaimUntil) OR pushClaimUntil <= :now)',
          ExpressionAttributeValues: { ':until': until.toISOString(), ':now': now.toISOString() },
        }),
      ),
    );
    if (claimed) return 'claimed';
    const stored = await this.get(notificationId);
    return stored?.pushedAt ? 'pushed' : 'held';
  }

  async releasePush(notificationId: string): Promise<void> {
    // Refused only when it was pushed meanwhile: then there is no claim left to give back.
    await writeIfCondition(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(notificationId),
          UpdateExpression: 'REMOVE pushClaimUntil',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(pushedAt)',
        }),
      ),
    );
  }

  async listFeed(limit: number, cursor?: string, staffId?: string): Promise<{ items: CsmNotification[]; nextCursor: string | null }> {
    const [index, keyName, key] = staffId ? ['feedStaff', 'feedStaffKey', `CSMFEED#${staffId}`] : ['feedAll', 'feedAllKey', ALL];
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: '#feed = :feed',
        ExpressionAttributeNames: { '#feed': keyName },
        ExpressionAttributeValues: { ':feed': key },
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, (k) => k[keyName] === key) } : {}),
      }),
    );
    return { items: Items.map(fromItem), nextCursor: encodeCursor(LastEvaluatedKey) };
  }

  async readMarks(staffId: string, notificationIds: readonly string[]): Promise<Set<string>> {
    const read = new Set<string>();
    for (let i = 0; i < notificationIds.length; i += 100) {
      const keys = notificationIds.slice(i, i + 100).map((id) => ({ pk: `READ#${staffId}`, sk: id }));
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [this.tableName]: { Keys: keys } };
      // BatchGet may return part of the keys as unprocessed under load: ask again for those.
      for (let attempt = 0; request && attempt < 5; attempt++) {
        const response: BatchGetCommandOutput = await this.client.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of response.Responses?.[this.tableName] ?? []) read.add(String(item.sk));
        const unprocessed: Record<string, unknown>[] | undefined = response.UnprocessedKeys?.[this.tableName]?.Keys;
        request = unprocessed && unprocessed.length > 0 ? { [this.tableName]: { Keys: unprocessed } } : undefined;
      }
    }
    return read;
  }

  async markRead(staffId: string, notificationId: string, at: Date): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `READ#${staffId}`, sk: notificationId, entity: 'read-mark', readAt: at.toISOString() },
      }),
    );
  }
}

function keyOf(notificationId: string) {
  return { pk: `NOTIF#${notificationId}`, sk: 'NOTIF' };
}

function fromItem(item: Record<string, unknown>): CsmNotification {
  const { pk: _pk, sk: _sk, entity: _e, feedAllKey: _a, feedAllOrder: _b, feedStaffKey: _c, feedStaffOrder: _d, pushClaimUntil: _claim, ...rest } = item;
  return { pushedAt: null, csmId: null, needsLeadAttention: false, ...rest } as unknown as CsmNotification;
}

