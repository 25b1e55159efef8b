/**
 * The one Selling Partner API client: Login-with-Amazon refresh-token grant (access tokens cached per seller
 * until a minute before they expire; credentials from a loader, never from code, never logged), JSON calls,
 * and retries of 429/5xx with jittered exponential backoff (Retry-After honoured), so a throttled API makes
 * callers slower, never lost. Adapters per API (pricing, listings, sellers, catalog, reports) sit on top.
 */
import { ValidationError } from '../../kernel/errors.ts';

export interface LwaCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string>; arrayBuffer?(): Promise<ArrayBuffer> }>;

export interface SpApiClientOptions {
  /** https://sellingpartnerapi-eu.amazon.com (eu), -na (na), -fe (fe). */
  readonly endpoint: string;
  /** Credentials of the application and the seller's refresh token (the seller authorised our app). */
  readonly credentials: (sellerId: string) => Promise<LwaCredentials>;
  readonly fetch?: FetchLike;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly maxAttempts?: number;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

export class SpApiThrottledError extends Error {
  constructor(operation: string, attempts: number) {
    super(`${operation}: still throttled after ${attempts} attempts`);
    this.name = 'SpApiThrottledError';
  }
}

const LWA_URL = 'https://api.amazon.com/auth/o2/token';

export class SpApiClient {
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly tokens = new Map<string, { accessToken: string; expiresAt: number }>();
  /** Observed calls and throttles per operation (benchmarks and tests read them). */
  readonly calls: Record<string, number> = {};
  readonly throttles: Record<string, number> = {};

  constructor(private readonly options: SpApiClientOptions) {
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
  }

  async accessToken(sellerId: string): Promise<string> {
    const cached = this.tokens.get(sellerId);
    if (cached && cached.expiresAt > this.now()) return cached.accessToken;
    const c = await this.options.credentials(sellerId);
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret });
    const response = await this.send('lwaToken', LWA_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: form.toString(),
    });
    const token = JSON.parse(response) as { access_token?: string; expires_in?: number };
    if (!token.access_token) throw new Error('Login with Amazon returned no access token');
    this.tokens.set(sellerId, { accessToken: token.access_token, expiresAt: this.now() + ((token.expires_in ?? 3600) - 60) * 1000 });
    return token.access_token;
  }

  /** A JSON call on behalf of a seller; `path` may carry a query string. */
  async call(sellerId: string, operation: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const token = await this.accessToken(sellerId);
    const text = await this.send(operation, `${this.options.endpoint}${path}`, {
      method,
      headers: { 'x-amz-access-token': token, 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'sellerops/0.1 (Language=TypeScript)' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return text ? (JSON.parse(text) as unknown) : {};
  }

  /** One HTTP call with retries on 429/5xx (jittered exponential backoff, Retry-After honoured). */
  async send(operation: string, url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<string> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      this.calls[operation] = (this.calls[operation] ?? 0) + 1;
      const response = await this.fetch(url, init);
      const text = await response.text();
      if (response.status < 300) return text;
      const retryable = response.status === 429 || response.status >= 500;
      if (response.status === 429) this.throttles[operation] = (this.throttles[operation] ?? 0) + 1;
      // Never log bodies or headers of token calls: they carry secrets.
      this.options.log?.('sp-api call failed', { operation, status: response.status, attempt });
      if (!retryable) {
        if (response.status === 400 || response.status === 404) throw new ValidationError(`${operation}: HTTP ${response.status} ${operation === 'lwaToken' ? '' : text.slice(0, 300)}`.trim());
        throw new Error(`${operation}: HTTP ${response.status}`);
      }
      if (attempt >= maxAttempts) throw new SpApiThrottledError(operation, attempt);
      const retryAfter = Number(response.headers.get('retry-after'));
      const base = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(30_000, 250 * 2 ** (attempt - 1));
      await this.sleep(base / 2 + this.random() * (base / 2));
    }
  }
}
