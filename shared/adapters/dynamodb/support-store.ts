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
 * Fixed-window counters: pk RATE#<key>, sk WINDOW#<window start>; a request's keys are read first (one at its limit
 * refuses it with nothing written), then each gets one conditional ADD; deleted by the table's TTL (`expiresAt`).
 */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hitAll(hits: readonly { readonly key: string; readonly limit: number }[], windowSeconds: number, now: Date): Promise<string | undefined> {
    const seconds = Math.floor(now.getTime() / 1000);
    const windowStart = seconds - (seconds % windowSeconds);
    const keyOf = (key: string) => ({ pk: `RATE#${key}`, sk: `WINDOW#${windowStart}` });
    // Read first: a request refused by any of its limits counts against none of them.
    const counts = await Promise.all(
      hits.map(async ({ key }) => {
        const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keyOf(key), ConsistentRead: true }));
        return typeof Item?.hits === 'number' ? Item.hits : 0;
      }),
    );
    const full = hits.find((h, i) => counts[i]! >= h.limit);
    if (full) return full.key;
    for (const { key, limit } of hits) {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keyOf(key),
            UpdateExpression: 'ADD hits :one SET expiresAt = :expires, entity = :entity',
            // Still conditional: two requests racing for the last hit cannot both get it.
            ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
            ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': windowStart + windowSeconds * 2, ':entity': 'rate-limit' },
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) return key;
        throw error;
      }
    }
    return undefined;
  }
}
