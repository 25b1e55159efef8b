import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter, SupportRequest } from '#shared/service/support.ts';
import { isConditionFailure, putVersioned } from './conditional-write.ts';
import type { SupportStore } from '#shared/service/ports.ts';

/** Support requests in the core table: pk SUPPORT#<requestId>, sk REQUEST (conditional create, version-conditioned updates). */
export class DynamoSupportStore implements SupportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createIfAbsent(request: SupportRequest): Promise<boolean> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: toItem(request), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(requestId: string): Promise<SupportRequest | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `SUPPORT#${requestId}`, sk: 'REQUEST' }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...request } = Item;
    return request as unknown as SupportRequest;
  }

  async save(request: SupportRequest): Promise<void> {
    await putVersioned(this.client, this.tableName, toItem(request), request.version, `SUPPORT#${request.requestId}`);
  }
}

function toItem(request: SupportRequest): Record<string, unknown> {
  return { pk: `SUPPORT#${request.requestId}`, sk: 'REQUEST', entity: 'support-request', ...request };
}

/**
 * Fixed-window counters: pk RATE#<key>, sk WINDOW#<window start>; one conditional ADD per hit (refused at
 * the limit), deleted by the table's TTL (`expiresAt`) after the window.
 */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(key: string, limit: number, windowSeconds: number, now: Date): Promise<boolean> {
    const seconds = Math.floor(now.getTime() / 1000);
    const windowStart = seconds - (seconds % windowSeconds);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `RATE#${key}`, sk: `WINDOW#${windowStart}` },
          UpdateExpression: 'ADD hits :one SET expiresAt = :expires, entity = :entity',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': windowStart + windowSeconds * 2, ':entity': 'rate-limit' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
