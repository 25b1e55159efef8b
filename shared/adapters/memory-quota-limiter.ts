/**
 * The quota limiter of one process (the CLI, benchmarks, unit tests of the SP-API adapters): the same bucket
 * arithmetic as the shared DynamoDB limiter, held in memory. Lambda functions use DynamoQuotaLimiter.
 */
import type { QuotaGrant, QuotaKey, QuotaLimiter, QuotaRate } from '#shared/amazon-access/ports.ts';
import { afterFailure, afterSuccess, newBucket, takeToken, type BucketState } from '#shared/amazon-access/quota.ts';

export class MemoryQuotaLimiter implements QuotaLimiter {
  private readonly buckets = new Map<string, BucketState>();

  constructor(private readonly now: () => number = Date.now) {}

  async tryAcquire(key: QuotaKey, rate: QuotaRate): Promise<QuotaGrant> {
    const k = `${key.sellerId}#${key.operation}`;
    const nowMs = this.now();
    const result = takeToken(this.buckets.get(k) ?? newBucket(rate, nowMs), nowMs);
    if (!result.granted) return { granted: false, retryAfterMs: result.waitMs, circuitOpen: result.circuitOpen };
    this.buckets.set(k, result.next);
    return { granted: true };
  }

  async observeRate(key: QuotaKey, ratePerSecond: number): Promise<void> {
    const k = `${key.sellerId}#${key.operation}`;
    const b = this.buckets.get(k);
    if (b && ratePerSecond > 0) this.buckets.set(k, { ...b, ratePerSecond });
  }

  async recordOutcome(key: QuotaKey, ok: boolean): Promise<void> {
    const k = `${key.sellerId}#${key.operation}`;
    const b = this.buckets.get(k);
    if (b) this.buckets.set(k, ok ? afterSuccess(b) : afterFailure(b, this.now()));
  }
}
