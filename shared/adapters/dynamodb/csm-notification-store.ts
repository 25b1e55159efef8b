import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CsmNotification, CsmNotificationStore } from '../../csm/notifications.ts';
import { ValidationError } from '../../kernel/errors.ts';

const FEED = 'CSMFEED#ALL';

/** The CSM feed in the core table: pk CSMFEED#ALL, sk NOTIF#<occurredAt>#<notificationId> (newest first by key order). */
export class DynamoCsmNotificationStore implements CsmNotificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(notification: CsmNotification): Promise<{ stored: CsmNotification; created: boolean }> {
    const key = keyOf(notification);
    // An absent pushedAt (not a stored null) is what lets markPushed's if_not_exists set it exactly once.
    const { pushedAt, ...unpushed } = notification;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entity: 'csm-notification', ...unpushed, ...(pushedAt ? { pushedAt } : {}) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { stored: notification, created: true };
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      if (!Item) throw error;
      return { stored: fromItem(Item), created: false };
    }
  }

  async markPushed(notification: CsmNotification, pushedAt: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(notification),
        UpdateExpression: 'SET pushedAt = if_not_exists(pushedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': pushedAt.toISOString() },
      }),
    );
  }

  async listFeed(limit: number, cursor?: string): Promise<{ items: CsmNotification[]; nextCursor: string | null }> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :feed AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':feed': FEED, ':prefix': 'NOTIF#' },
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor) } : {}),
      }),
    );
    return {
      items: Items.map(fromItem),
      nextCursor: LastEvaluatedKey ? Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url') : null,
    };
  }
}

function keyOf(n: Pick<CsmNotification, 'occurredAt' | 'notificationId'>) {
  return { pk: FEED, sk: `NOTIF#${n.occurredAt}#${n.notificationId}` };
}

function decodeCursor(cursor: string): Record<string, string> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      typeof key === 'object' && key !== null &&
      (key as Record<string, unknown>).pk === FEED && typeof (key as Record<string, unknown>).sk === 'string'
    ) {
      return key as Record<string, string>;
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('cursor: not a cursor this API returned', { field: 'cursor' });
}

function fromItem(item: Record<string, unknown>): CsmNotification {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return { pushedAt: null, csmId: null, ...rest } as unknown as CsmNotification;
}
