/**
 * Sign-in in AWS: the Cognito Hosted UI with the OAuth 2.0 authorisation code flow and PKCE (RFC 7636, S256) for
 * a public client (no secret in the page), token refresh and sign-out. No DOM here: storage, randomness, fetch
 * and the clock are passed in, so the flow is unit-tested in Node (test/unit/web-cognito-auth.test.ts).
 *
 * The API is called with the ID token (its `cognito:groups` and `custom:tenant_id` claims are the caller's role
 * and tenant, as API Gateway's JWT authorizer passes them on).
 */
export interface CognitoConfig {
  /** Hosted UI domain, e.g. `https://sellerops-123.auth.eu-central-1.amazoncognito.com`. */
  readonly domain: string;
  readonly clientId: string;
  /** The app's own URL, registered as callback and sign-out URL of the app client. */
  readonly redirectUri: string;
  readonly scopes: readonly string[];
}

export interface Tokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch ms at which the ID and access tokens expire. */
  readonly expiresAtMs: number;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** Refresh this long before expiry, so a request never leaves with a token that expires on the way. */
export const REFRESH_MARGIN_MS = 60_000;
const PENDING_KEY = 'sellerops-auth-pending';
const TOKENS_KEY = 'sellerops-auth-tokens';

export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A code verifier of 32 random bytes (43 characters, within RFC 7636's 43–128) and its S256 challenge. */
export async function createPkcePair(randomBytes: (n: number) => Uint8Array): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64Url(randomBytes(32));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64Url(new Uint8Array(digest)) };
}

export function authorizeUrl(config: CognitoConfig, state: string, challenge: string, lang: string): string {
  const url = new URL('/oauth2/authorize', config.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes.join(' '),
    state,
    code_challenge_method: 'S256',
    code_challenge: challenge,
    lang,
  }).toString();
  return url.toString();
}

export function logoutUrl(config: CognitoConfig): string {
  const url = new URL('/logout', config.domain);
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri }).toString();
  return url.toString();
}

function tokensOf(body: unknown, nowMs: number, keepRefreshToken: string | null): Tokens {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const idToken = b.id_token;
  const accessToken = b.access_token;
  const refreshToken = typeof b.refresh_token === 'string' ? b.refresh_token : keepRefreshToken;
  const expiresIn = b.expires_in;
  if (typeof idToken !== 'string' || typeof accessToken !== 'string' || refreshToken === null || typeof expiresIn !== 'number') {
    throw new Error('the token endpoint answered without id_token, access_token, refresh_token or expires_in');
  }
  return { idToken, accessToken, refreshToken, expiresAtMs: nowMs + expiresIn * 1000 };
}

async function tokenRequest(config: CognitoConfig, fetchFn: FetchLike, form: Record<string, string>): Promise<unknown> {
  const response = await fetchFn(new URL('/oauth2/token', config.domain).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: config.clientId, ...form }).toString(),
  });
  const body = await response.json();
  if (!response.ok) {
    const error = typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : `HTTP ${response.status}`;
    throw new Error(`token endpoint: ${error}`);
  }
  return body;
}

/** The Hosted UI flow over a store (sessionStorage in the page), a random source, fetch and a clock. */
export class CognitoAuth {
  constructor(
    private readonly config: CognitoConfig,
    private readonly store: KeyValueStore,
    private readonly fetchFn: FetchLike,
    private readonly randomBytes: (n: number) => Uint8Array,
    private readonly now: () => number,
  ) {}

  /** Starts sign-in: remembers state and verifier, returns the Hosted UI URL to go to. */
  async beginSignIn(lang: string): Promise<string> {
    const { verifier, challenge } = await createPkcePair(this.randomBytes);
    const state = base64Url(this.randomBytes(16));
    this.store.setItem(PENDING_KEY, JSON.stringify({ state, verifier }));
    return authorizeUrl(this.config, state, challenge, lang);
  }

  /**
   * The Hosted UI sent the browser back with `?code&state` (or `?error`): checks the state against the one this
   * tab started with (a forged or replayed redirect is refused), exchanges the code with the verifier, stores the
   * tokens. Returns false when the URL is not a sign-in redirect.
   */
  async completeSignIn(url: URL): Promise<boolean> {
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (!code && !error) return false;
    const pending = this.store.getItem(PENDING_KEY);
    this.store.removeItem(PENDING_KEY);
    if (error) throw new Error(`sign-in refused: ${url.searchParams.get('error_description') ?? error}`);
    const parsed = pending ? (JSON.parse(pending) as { state?: unknown; verifier?: unknown }) : {};
    if (typeof parsed.state !== 'string' || typeof parsed.verifier !== 'string' || parsed.state !== url.searchParams.get('state')) {
      throw new Error('sign-in state does not match: start the sign-in again');
    }
    const body = await tokenRequest(this.config, this.fetchFn, {
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: this.config.redirectUri,
      code_verifier: parsed.verifier,
    });
    this.save(tokensOf(body, this.now(), null));
    return true;
  }

  /** The ID token for the next request, refreshed first when it is about to expire; null when signed out. */
  async idToken(): Promise<string | null> {
    const tokens = this.load();
    if (!tokens) return null;
    if (tokens.expiresAtMs - REFRESH_MARGIN_MS > this.now()) return tokens.idToken;
    try {
      const body = await tokenRequest(this.config, this.fetchFn, { grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
      const fresh = tokensOf(body, this.now(), tokens.refreshToken);
      this.save(fresh);
      return fresh.idToken;
    } catch (error) {
      // A revoked or expired refresh token: the user has to sign in again.
      this.store.removeItem(TOKENS_KEY);
      throw error;
    }
  }

  /** Forgets the tokens and returns the Hosted UI's logout URL (which ends the Cognito session too). */
  signOut(): string {
    this.store.removeItem(TOKENS_KEY);
    return logoutUrl(this.config);
  }

  private save(tokens: Tokens): void {
    this.store.setItem(TOKENS_KEY, JSON.stringify(tokens));
  }

  private load(): Tokens | null {
    const raw = this.store.getItem(TOKENS_KEY);
    if (!raw) return null;
    const t = JSON.parse(raw) as Partial<Tokens>;
    return typeof t.idToken === 'string' && typeof t.accessToken === 'string' && typeof t.refreshToken === 'string' && typeof t.expiresAtMs === 'number'
      ? (t as Tokens)
      : null;
  }
}
