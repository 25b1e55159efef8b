import { describe, expect, it } from 'vitest';
import { submitWebRequest, WEB_FORM_LIMITS, type RateLimiter } from '#shared/service/support.ts';
import { RateLimitedError } from '#shared/kernel/errors.ts';

/** Counts hits per key in one window (the clock never moves in these tests). */
class CountingLimiter implements RateLimiter {
  readonly hits = new Map<string, number>();
  async hitAll(hits: readonly { key: string; limit: number }[]): Promise<string | undefined> {
    const full = hits.find((h) => (this.hits.get(h.key) ?? 0) >= h.limit);
    if (full) return full.key;
    for (const { key } of hits) this.hits.set(key, (this.hits.get(key) ?? 0) + 1);
    return undefined;
  }
}

const untouchable = new Proxy({}, { get: (_t, name) => { throw new Error(`port used after the limit refused: ${String(name)}`); } });

describe('public support form limits', () => {
  it('caps what all senders together may create per hour, whatever addresses they rotate through', async () => {
    const limiter = new CountingLimiter();
    limiter.hits.set('all#web', WEB_FORM_LIMITS.allPerHour);
    const deps = { limiter, clock: { now: () => new Date('2026-11-30T10:00:00Z') }, store: untouchable, customers: untouchable, staff: untouchable, tasks: untouchable, notifier: untouchable } as unknown as Parameters<typeof submitWebRequest>[0];
    const form = { name: 'Bot', email: 'fresh-address@example.com', language: 'en' as const, subject: 'Hello', message: 'A brand new sender and address' };
    await expect(submitWebRequest(deps, form, '203.0.113.77')).rejects.toBeInstanceOf(RateLimitedError);
    // The per-address limits were within bounds: it was the overall cap that refused it, and nothing was counted.
    expect(limiter.hits.get('ip#203.0.113.77')).toBeUndefined();
    expect(limiter.hits.get('email#fresh-address@example.com')).toBeUndefined();
    expect(limiter.hits.get('all#web')).toBe(WEB_FORM_LIMITS.allPerHour);
  });
});
