/**
 * The one Selling Partner API client: Login-with-Amazon refresh-token grant (access tokens cached per seller
 * until a minute before they expire; credentials from a loader, never from code, never logged), JSON calls to
 * the seller's own region, every call through the shared quota limiter (one bucket per seller and operation,
 * its rate taken from `x-amzn-RateLimit-Limit` when Amazon sends one; a call without a token is not made and
 * throws QuotaExhaustedError, whose unit of work is re-queued with the delay instead of waiting), and retries of 429/5xx with jittered
 * exponential backoff (Retry-After honoured), so a throttled API makes callers slower, never lost. Whatever
 * Amazon still refuses is an UpstreamError (never poison); `invalid_grant` on the refresh token means the
 * seller revoked us. Adapters per API (pricing, listings, sellers, catalog, reports) sit on top.
 */
import type { BusinessMetrics } from '#shared/kernel/metrics.ts';
import type { QuotaKey, QuotaLimiter, QuotaRate } from '#shared/amazon-access/ports.ts';
import { rateOf } from '#shared/amazon-access/quota.ts';
import { LWA_TOKEN_URL, SP_API_ENDPOINTS, type AmazonRegion } from '#shared/amazon-access/regions.ts';
import { AmazonAuthorisationRevokedError, CircuitOpenError, QuotaExhaustedError, UpstreamError } from '#shared/kernel/upstream.ts';
import { MemoryQuotaLimiter } from '../memory-quota-limiter.ts';

export interface LwaCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

/** What calling Amazon for a seller takes: the app's LWA client, the seller's refresh token and its region. */
export interface SellerCredentials extends LwaCredentials {
  readonly region: AmazonRegion;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  arrayBuffer?(): Promise<ArrayBuffer>;
  /** The body as it arrives (report documents are streamed, not read whole). */
  body?: AsyncIterable<Uint8Array> | null;
}>;

export interface SpApiClientOptions {
  /** Credentials of the application, the seller's refresh token and region (from the seller's binding). */
  readonly credentials: (sellerId: string) => Promise<SellerCredentials>;
  /** Shared across containers in Lambda (DynamoDB); one process's memory by default. */
  readonly limiter?: QuotaLimiter;
  /** Login with Amazon refused the seller's refresh token (invalid_grant): mark the connection revoked. */
  readonly onRevoked?: (sellerId: string) => Promise<void>;
  readonly fetch?: FetchLike;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly maxAttempts?: number;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
  /** Counts every HTTP call (`SpApiCalls`), 429s (`SpApiThrottled`) and 5xx (`SpApiServerErrors`), dimension `operation`. */
  readonly metrics?: BusinessMetrics;
}

export class SpApiThrottledError extends UpstreamError {
  constructor(operation: string, attempts: number) {
    super('amazon', `${operation}: still throttled after ${attempts} attempts`, 'amazon_throttled');
    this.name = 'SpApiThrottledError';
  }
}

/** Amazon refused a call (4xx other than 429). The body stays out of the message for token calls (secrets). */
export class SpApiRefusedError extends UpstreamError {
  constructor(
    readonly operation: string,
    readonly status: number,
    /** Kept for classification (`invalid_grant`), never logged. */
    readonly body: string,
  ) {
    super('amazon', `${operation}: HTTP ${status}${operation === 'lwaToken' ? '' : ` ${body.slice(0, 300)}`}`.trimEnd(), 'amazon_refused');
    this.name = 'SpApiRefusedError';
  }
}

export class SpApiClient {
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  readonly limiter: QuotaLimiter;
  private readonly tokens = new Map<string, { accessToken: string; expiresAt: number; region: AmazonRegion }>();
  /** Observed calls and throttles per operation (benchmarks and tests read them). */
  readonly calls: Record<string, number> = {};
  readonly throttles: Record<string, number> = {};

  constructor(private readonly options: SpApiClientOptions) {
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    this.limiter = options.limiter ?? new MemoryQuotaLimiter(this.now);
  }

  /**
   * Takes a token of the shared quota or throws: QuotaExhaustedError (with when the next token comes) or, while the
   * key's circuit is open, CircuitOpenError. Never waits for a token.
   */
  async takeToken(key: QuotaKey, rate: QuotaRate): Promise<void> {
    const grant = await this.limiter.tryAcquire(key, rate);
    if (grant.granted) return;
    const name = `${key.sellerId} ${key.operation}`;
    if (grant.circuitOpen) throw new CircuitOpenError(name, new Date(this.now() + grant.retryAfterMs));
    throw new QuotaExhaustedError(name, grant.retryAfterMs);
  }

  async accessToken(sellerId: string): Promise<{ accessToken: string; region: AmazonRegion }> {
    const cached = this.tokens.get(sellerId);
    if (cached && cached.expiresAt > this.now()) return cached;
    const c = await this.options.credentials(sellerId);
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret });
    let response: string;
    try {
      response = await this.send('lwaToken', LWA_TOKEN_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: form.toString(),
      });
    } catch (error) {
      if (error instanceof SpApiRefusedError && error.body.includes('invalid_grant')) {
        await this.options.onRevoked?.(sellerId);
        throw new AmazonAuthorisationRevokedError(sellerId);
      }
      throw error;
    }
    const token = JSON.parse(response) as { access_token?: string; expires_in?: number };
    if (!token.access_token) throw new UpstreamError('amazon', 'Login with Amazon returned no access token');
    const entry = { accessToken: token.access_token, expiresAt: this.now() + ((token.expires_in ?? 3600) - 60) * 1000, region: c.region };
    this.tokens.set(sellerId, entry);
    return entry;
  }

  /**
   * A grantless call (Notifications API destinations): an application token from the client_credentials grant
   * with `scope`, sent to the seller's region (the app's LWA client comes with the seller's credentials).
   */
  async callGrantless(sellerId: string, scope: string, operation: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const c = await this.options.credentials(sellerId);
    const cacheKey = `grantless|${scope}|${c.region}`;
    let cached = this.tokens.get(cacheKey);
    if (!cached || cached.expiresAt <= this.now()) {
      const form = new URLSearchParams({ grant_type: 'client_credentials', scope, client_id: c.clientId, client_secret: c.clientSecret });
      const token = JSON.parse(
        await this.send('lwaToken', LWA_TOKEN_URL, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body: form.toString() }),
      ) as { access_token?: string; expires_in?: number };
      if (!token.access_token) throw new UpstreamError('amazon', 'Login with Amazon returned no grantless access token');
      cached = { accessToken: token.access_token, expiresAt: this.now() + ((token.expires_in ?? 3600) - 60) * 1000, region: c.region };
      this.tokens.set(cacheKey, cached);
    }
    const key = { sellerId: `app#${c.region}`, operation };
    await this.takeToken(key, rateOf(operation));
    const text = await this.send(operation, `${SP_API_ENDPOINTS[c.region]}${path}`, {
      method,
      headers: { 'x-amz-access-token': cached.accessToken, 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'sellerops/0.1 (Language=TypeScript)' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return text ? (JSON.parse(text) as unknown) : {};
  }

  /** The region the seller authorised us in (its calls go to that region's endpoint only). */
  async regionOf(sellerId: string): Promise<AmazonRegion> {
    return (await this.accessToken(sellerId)).region;
  }

  /** A JSON call on behalf of a seller, to the seller's region, within its quota; `path` may carry a query string. */
  async call(sellerId: string, operation: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const { accessToken, region } = await this.accessToken(sellerId);
    const key = { sellerId, operation };
    await this.takeToken(key, rateOf(operation));
    let text: string;
    try {
      text = await this.send(
        operation,
        `${SP_API_ENDPOINTS[region]}${path}`,
        {
          method,
          headers: { 'x-amz-access-token': accessToken, 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'sellerops/0.1 (Language=TypeScript)' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        },
        (limit) => this.limiter.observeRate(key, limit),
      );
    } catch (error) {
      await this.limiter.recordOutcome(key, false);
      throw error;
    }
    await this.limiter.recordOutcome(key, true);
    return text ? (JSON.parse(text) as unknown) : {};
  }

  /**
   * One HTTP call with retries on 429/5xx (jittered exponential backoff, Retry-After honoured). Whatever is
   * still refused is an UpstreamError: a 400 from Amazon (a revoked seller, a marketplace of another region)
   * is not a malformed message of ours.
   */
  async send(
    operation: string,
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
    onRateLimit?: (requestsPerSecond: number) => Promise<void>,
  ): Promise<string> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      this.calls[operation] = (this.calls[operation] ?? 0) + 1;
      const response = await this.fetch(url, init);
      this.options.metrics?.count('SpApiCalls', 1, { operation });
      if (response.status === 429) this.options.metrics?.count('SpApiThrottled', 1, { operation });
      if (response.status >= 500) this.options.metrics?.count('SpApiServerErrors', 1, { operation });
      const text = await response.text();
      const limit = Number(response.headers.get('x-amzn-ratelimit-limit'));
      if (onRateLimit && Number.isFinite(limit) && limit > 0) await onRateLimit(limit);
      if (response.status < 300) return text;
      const retryable = response.status === 429 || response.status >= 500;
      if (response.status === 429) this.throttles[operation] = (this.throttles[operation] ?? 0) + 1;
      // Never log bodies or headers of token calls: they carry secrets.
      this.options.log?.('sp-api call failed', { operation, status: response.status, attempt });
      if (!retryable) throw new SpApiRefusedError(operation, response.status, text);
      if (attempt >= maxAttempts) throw new SpApiThrottledError(operation, attempt);
      const retryAfter = Number(response.headers.get('retry-after'));
      const base = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(30_000, 250 * 2 ** (attempt - 1));
      await this.sleep(base / 2 + this.random() * (base / 2));
    }
  }
}
