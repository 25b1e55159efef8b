/**
 * The SP-API quota shared by every container: one token bucket per seller (or `app#<region>`) and operation,
 * one item each in the core table (pk QUOTA#<sellerId>#<operation>, sk BUCKET). A token is taken with a
 * conditional update on the item's version, so two containers racing for the last token cannot both get it;
 * the loser re-reads and waits. The same item carries the circuit breaker (consecutive failures, open until).
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuotaKey, QuotaLimiter, QuotaRate } from '#shared/amazon-access/ports.ts';
import { afterFailure, afterSuccess, newBucket, takeToken, type BucketState } from '#shared/amazon-access/quota.ts';
import { CircuitOpenError } from '#shared/kernel/upstream.ts';

const isConditionFailure = (error: unknown) => (error as { name?: string }).name === 'ConditionalCheckFailedException';

interface StoredBucket extends BucketState {
  readonly version: number;
}

export interface DynamoQuotaLimiterOptions {
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Longest single wait before re-reading the bucket (another container may have changed the rate). */
  readonly maxWaitMs?: number;
  /** Each token granted, at the bucket's time (metrics; tests check the quota against it). */
  readonly onGranted?: (key: QuotaKey, atMs: number) => void;
}

export class DynamoQuotaLimiter implements QuotaLimiter {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxWaitMs: number;
  private readonly onGranted: ((key: QuotaKey, atMs: number) => void) | undefined;
  /** Keys whose last read showed failures: only those write on success (no extra write per healthy call). */
  private readonly failing = new Set<string>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoQuotaLimiterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.maxWaitMs = options.maxWaitMs ?? 5_000;
    this.onGranted = options.onGranted;
  }

  async acquire(key: QuotaKey, rate: QuotaRate): Promise<void> {
    for (;;) {
      const stored = await this.read(key);
      const nowMs = this.now();
      const state = stored ?? { ...newBucket(rate, nowMs), version: 0 };
      if (state.failures > 0) this.failing.add(keyOf(key));
      const result = takeToken(state, nowMs);
      if (result.granted) {
        if (await this.write(key, { ...result.next, version: state.version + 1 }, state.version)) {
          this.onGranted?.(key, result.next.updatedAtMs);
          return;
        }
        continue; // another container took a token meanwhile: read again
      }
      if (result.circuitOpen) throw new CircuitOpenError(`${key.sellerId} ${key.operation}`, new Date(nowMs + result.waitMs));
      await this.sleep(Math.min(result.waitMs, this.maxWaitMs));
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
      if (!stored) return; // no bucket yet: the next acquire creates it with the documented rate
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
