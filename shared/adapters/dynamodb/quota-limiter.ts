/**
 * The SP-API quota shared by every container: one token bucket per seller (or `app#<region>`) and operation,
 * one item each in the core table (pk QUOTA#<sellerId>#<operation>, sk BUCKET). A token is taken with a
 * conditional update on the item's version, so two containers racing for the last token cannot both get it;
 * the loser re-reads. Nothing waits here: an empty bucket answers when its next token comes, and the caller's unit
 * of work is re-queued with that delay. The same item carries the circuit breaker (consecutive failures, open until).
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuotaGrant, QuotaKey, QuotaLimiter, QuotaRate } from '#shared/amazon-access/ports.ts';
import { afterFailure, afterSuccess, newBucket, takeToken, type BucketState } from '#shared/amazon-access/quota.ts';

const isConditionFailure = (error: unknown) => (error as { name?: string }).name === 'ConditionalCheckFailedException';

interface StoredBucket extends BucketState {
  readonly version: number;
}

export interface DynamoQuotaLimiterOptions {
  readonly now?: () => number;
  /** Each token granted, at the bucket's time (metrics; tests check the quota against it). */
  readonly onGranted?: (key: QuotaKey, atMs: number) => void;
}

export class DynamoQuotaLimiter implements QuotaLimiter {
  private readonly now: () => number;
  private readonly onGranted: ((key: QuotaKey, atMs: number) => void) | undefined;
  /** Keys whose last read showed failures: only those write on success (no extra write per healthy call). */
  private readonly failing = new Set<string>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoQuotaLimiterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.onGranted = options.onGranted;
  }

  async tryAcquire(key: QuotaKey, rate: QuotaRate): Promise<QuotaGrant> {
    for (;;) {
      const stored = await this.read(key);
      const nowMs = this.now();
      const state = stored ?? { ...newBucket(rate, nowMs), version: 0 };
      if (state.failures > 0) this.failing.add(keyOf(key));
      const result = takeToken(state, nowMs);
      if (result.granted) {
        if (await this.write(key, { ...result.next, version: state.version + 1 }, state.version)) {
          this.onGranted?.(key, result.next.updatedAtMs);
          return { granted: true };
        }
        continue; // another container took a token meanwhile: read again
      }
      return { granted: false, retryAfterMs: result.waitMs, circuitOpen: result.circuitOpen };
    }
  }

  async observeRate(key: QuotaKey, ratePerSecond: number): Promise<void> {
    if (!(ratePerSecond > 0)) return;
    await this.update(key, (s) => (Math.abs(s.ratePerSecond - ratePerSecond) < 1e-9 ? undefined : { ...s, ratePerSecond }));
  }

  async recordOutcome(key: QuotaKey, ok: boolean): Promise<void> {
    if (ok && !this.failing.has(keyOf(key))) return;
    if (ok) this.failing.delete(keyOf(key));
    else this.failing.add(keyOf(key));
    await this.update(key, (s) => (ok ? (s.failures === 0 ? undefined : afterSuccess(s)) : afterFailure(s, this.now())));
  }

  /** Read-modify-write with the version condition; `change` returning undefined means nothing to write. */
  private async update(key: QuotaKey, change: (state: BucketState) => BucketState | undefined): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const stored = await this.read(key);
      if (!stored) return; // no bucket yet: the next tryAcquire creates it with the documented rate
      const next = change(stored);
      if (!next || (await this.write(key, { ...next, version: stored.version + 1 }, stored.version))) return;
    }
  }

  private async read(key: QuotaKey): Promise<StoredBucket | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: itemKey(key), ConsistentRead: true }));
    if (!Item) return undefined;
    return {
      tokens: Number(Item.tokens),
      updatedAtMs: Number(Item.updatedAtMs),
      ratePerSecond: Number(Item.ratePerSecond),
      burst: Number(Item.burst),
      failures: Number(Item.failures ?? 0),
      openUntilMs: Number(Item.openUntilMs ?? 0),
      version: Number(Item.version),
    };
  }

  private async write(key: QuotaKey, next: StoredBucket, expectedVersion: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKey(key), entity: 'quota-bucket', sellerId: key.sellerId, operation: key.operation, ...next },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

const keyOf = (key: QuotaKey) => `${key.sellerId}#${key.operation}`;
const itemKey = (key: QuotaKey) => ({ pk: `QUOTA#${keyOf(key)}`, sk: 'BUCKET' });
