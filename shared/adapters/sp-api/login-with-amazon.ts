/**
 * Login with Amazon's authorization_code grant: the `spapi_oauth_code` of the consent callback (valid 5
 * minutes, once) for the seller's refresh token. A refused code is the caller's problem (400: start again);
 * anything else from LWA is an upstream failure.
 */
import type { LoginWithAmazon } from '#shared/amazon-access/ports.ts';
import { LWA_TOKEN_URL } from '#shared/amazon-access/regions.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import { UpstreamError } from '#shared/kernel/upstream.ts';
import type { FetchLike } from './client.ts';

export class LwaAuthorizationCodeGrant implements LoginWithAmazon {
  constructor(
    private readonly app: () => Promise<{ clientId: string; clientSecret: string }>,
    private readonly fetch: FetchLike = (url, init) => globalThis.fetch(url, init),
  ) {}

  async exchangeAuthorizationCode(code: string): Promise<{ refreshToken: string }> {
    const app = await this.app();
    const response = await this.fetch(LWA_TOKEN_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret }).toString(),
    });
    const text = await response.text();
    // Neither the body nor the request is ever logged: they carry the code, the client secret and the token.
    if (response.status === 400) throw new ValidationError('spapi_oauth_code: Login with Amazon refused the code (used or expired); start again', { field: 'spapi_oauth_code' }, 'authorization_code_refused');
    if (response.status >= 300) throw new UpstreamError('amazon', `Login with Amazon: HTTP ${response.status}`);
    const token = JSON.parse(text) as { refresh_token?: string };
    if (!token.refresh_token) throw new UpstreamError('amazon', 'Login with Amazon returned no refresh token');
    return { refreshToken: token.refresh_token };
  }
}
