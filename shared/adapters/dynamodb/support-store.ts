import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter, SupportRequest } from '#shared/service/support.ts';
import { isConditionFailure, putVersioned } from './conditional-write.ts';
import type { SupportStore } from '#shared/service/ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/**
 * Support requests in the core table:
 * - the request: pk SUPPORT#<requestId>, sk REQUEST (conditional create, version-conditioned updates)
 * - a customer's requests: pk TENANT#<tenantId>, sk SUPPORT#<createdAt>#<requestId> (a reference, written after
 *   the request, for requests with a tenant): Query newest first, then BatchGet the requests, so the status read is
 *   the request's own (one copy to update, never a stale one) and nothing is scanned
 */
export class DynamoSupportStore implements SupportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createIfAbsent(request: SupportRequest): Promise<boolean> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: toItem(request), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // A repeat (the same form again, or the retry of an attempt that failed after the request) writes the
      // customer's reference the first attempt may not have written: the put of the same item is idempotent.
      const stored = await this.get(request.requestId);
      if (stored) await this.putTenantReference(stored);
      return false;
    }
    await this.putTenantReference(request);
    return true;
  }

  private async putTenantReference(request: SupportRequest): Promise<void> {
    if (request.tenantId === null) return;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `TENANT#${request.tenantId}`, sk: `SUPPORT#${request.createdAt}#${request.requestId}`, entity: 'support-request-ref', requestId: request.requestId },
      }),
    );
  }

  async listForTenant(tenantId: string, limit: number, cursor: string | undefined): Promise<{ items: SupportRequest[]; nextCursor: string | null }> {
    const pk = `TENANT#${tenantId}`;
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'SUPPORT#' },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, (k) => k.pk === pk && String(k.sk).startsWith('SUPPORT#')) } : {}),
      }),
    );
    const ids = (page.Items ?? []).map((item) => String(item.requestId));
    const found = new Map<string, SupportRequest>();
    let keys = ids.map((id) => ({ pk: `SUPPORT#${id}`, sk: 'REQUEST' }));
    // BatchGet may hand back part of the keys as unprocessed under load: ask again for those.
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      const { Responses = {}, UnprocessedKeys = {} } = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of Responses[this.tableName] ?? []) {
        const request = fromItem(item);
        found.set(request.requestId, request);
      }
      keys = (UnprocessedKeys[this.tableName]?.Keys ?? []) as typeof keys;
    }
    // Newest first, as the references are; a request only another tenant could own never shows (defence in depth).
    const items = ids.flatMap((id) => {
      const request = found.get(id);
      return request && request.tenantId === tenantId ? [request] : [];
    });
    return { items, nextCursor: encodeCursor(page.LastEvaluatedKey) };
  }

  async get(requestId: string): Promise<SupportRequest | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `SUPPORT#${requestId}`, sk: 'REQUEST' }, ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async save(request: SupportRequest): Promise<void> {
    await putVersioned(this.client, this.tableName, toItem(request), request.version, `SUPPORT#${request.requestId}`);
  }
}

function fromItem(item: Record<string, unknown>): SupportRequest {
  const { pk: _pk, sk: _sk, entity: _entity, ...request } = item;
  return request as unknown as SupportRequest;
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
