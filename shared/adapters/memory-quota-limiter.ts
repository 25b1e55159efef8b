/**
 * The quota limiter of one process (the CLI, benchmarks, unit tests of the SP-API adapters): the same bucket
 * arithmetic as the shared DynamoDB limiter, held in memory. Lambda functions use DynamoQuotaLimiter.
 */
import type { QuotaKey, QuotaLimiter, QuotaRate } from '#shared/amazon-access/ports.ts';
import { afterFailure, afterSuccess, newBucket, takeToken, type BucketState } from '#shared/amazon-access/quota.ts';
import { CircuitOpenError } from '#shared/kernel/upstream.ts';

export class MemoryQuotaLimiter implements QuotaLimiter {
  private readonly buckets = new Map<string, BucketState>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async acquire(key: QuotaKey, rate: QuotaRate): Promise<void> {
    const k = `${key.sellerId}#${key.operation}`;
    for (;;) {
      const nowMs = this.now();
      const result = takeToken(this.buckets.get(k) ?? newBucket(rate, nowMs), nowMs);
      if (result.granted) {
        this.buckets.set(k, result.next);
        return;
      }
      if (result.circuitOpen) throw new CircuitOpenError(`${key.sellerId} ${key.operation}`, new Date(nowMs + result.waitMs));
      await this.sleep(result.waitMs);
    }
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
