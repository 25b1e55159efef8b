import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { authorizeUrl, base64Url, CognitoAuth, createPkcePair, REFRESH_MARGIN_MS, type CognitoConfig, type FetchLike, type KeyValueStore } from '../../web/src/auth/cognito.ts';

const config: CognitoConfig = {
  domain: 'https://sellerops-test.auth.eu-central-1.amazoncognito.com',
  clientId: 'client123',
  redirectUri: 'https://app.example.com/',
  scopes: ['openid', 'email', 'profile'],
};

function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

/** A fake token endpoint: records every form it receives and answers with the next canned response. */
function tokenEndpoint(answers: { ok: boolean; status: number; body: unknown }[]): { fetch: FetchLike; forms: { url: string; form: URLSearchParams }[] } {
  const forms: { url: string; form: URLSearchParams }[] = [];
  return {
    forms,
    fetch: async (url, init) => {
      forms.push({ url, form: new URLSearchParams(init.body) });
      const answer = answers.shift();
      if (!answer) throw new Error('unexpected token request');
      return { ok: answer.ok, status: answer.status, json: async () => answer.body };
    },
  };
}

let counter = 0;
const random = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => counter++ % 256);

describe('PKCE (RFC 7636, S256)', () => {
  it('derives the challenge as base64url(SHA-256(verifier)), with a verifier of 43 unreserved characters', async () => {
    const { verifier, challenge } = await createPkcePair(random);
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('matches the RFC 7636 appendix B example', async () => {
    const rfcVerifierBytes = Uint8Array.from([116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121]);
    const { verifier, challenge } = await createPkcePair(() => rfcVerifierBytes);
    expect(verifier).toBe('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    expect(challenge).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(base64Url(new Uint8Array([251, 255]))).toBe('-_8');
  });

  it('sends the Hosted UI the code flow with S256 challenge, state, scopes and the registered redirect', () => {
    const url = new URL(authorizeUrl(config, 'st', 'ch', 'de'));
    expect(`${url.origin}${url.pathname}`).toBe(`${config.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code', client_id: 'client123', redirect_uri: 'https://app.example.com/', scope: 'openid email profile', state: 'st',
      code_challenge_method: 'S256', code_challenge: 'ch', lang: 'de',
    });
  });
});

describe('Cognito Hosted UI sign-in, refresh and sign-out', () => {
  const tokens = { id_token: 'id-1', access_token: 'access-1', refresh_token: 'refresh-1', expires_in: 3600, token_type: 'Bearer' };

  async function signedIn(now: { ms: number }, answers: { ok: boolean; status: number; body: unknown }[]) {
    const store = memoryStore();
    const endpoint = tokenEndpoint([{ ok: true, status: 200, body: tokens }, ...answers]);
    const auth = new CognitoAuth(config, store, endpoint.fetch, random, () => now.ms);
    const state = new URL(await auth.beginSignIn('en')).searchParams.get('state')!;
    expect(await auth.completeSignIn(new URL(`https://app.example.com/?code=the-code&state=${state}`))).toBe(true);
    return { auth, store, endpoint };
  }

  it('exchanges the code with the verifier it started with, and uses the ID token', async () => {
    const now = { ms: 1_000_000 };
    const store = memoryStore();
    const endpoint = tokenEndpoint([{ ok: true, status: 200, body: tokens }]);
    const auth = new CognitoAuth(config, store, endpoint.fetch, random, () => now.ms);
    const started = new URL(await auth.beginSignIn('en'));
    const state = started.searchParams.get('state')!;
    await auth.completeSignIn(new URL(`https://app.example.com/?code=the-code&state=${state}`));
    const [request] = endpoint.forms;
    expect(request!.url).toBe(`${config.domain}/oauth2/token`);
    expect(Object.fromEntries(request!.form)).toMatchObject({ grant_type: 'authorization_code', client_id: 'client123', code: 'the-code', redirect_uri: config.redirectUri });
    const verifier = request!.form.get('code_verifier')!;
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(started.searchParams.get('code_challenge'));
    expect(await auth.idToken()).toBe('id-1');
  });

  it('refuses a redirect whose state this tab did not start (forged or replayed), without calling the token endpoint', async () => {
    const store = memoryStore();
    const endpoint = tokenEndpoint([]);
    const auth = new CognitoAuth(config, store, endpoint.fetch, random, () => 0);
    await auth.beginSignIn('en');
    await expect(auth.completeSignIn(new URL('https://app.example.com/?code=c&state=forged'))).rejects.toThrow(/state does not match/);
    expect(endpoint.forms).toHaveLength(0);
    await expect(auth.completeSignIn(new URL('https://app.example.com/?code=c&state=forged'))).rejects.toThrow(/state does not match/);
    expect(await auth.completeSignIn(new URL('https://app.example.com/'))).toBe(false);
    expect(await auth.idToken()).toBeNull();
  });

  it('shows the Hosted UI error of a refused sign-in', async () => {
    const auth = new CognitoAuth(config, memoryStore(), tokenEndpoint([]).fetch, random, () => 0);
    await expect(auth.completeSignIn(new URL('https://app.example.com/?error=access_denied&error_description=User+cancelled'))).rejects.toThrow('sign-in refused: User cancelled');
  });

  it('refreshes the tokens shortly before they expire, keeping the refresh token Cognito does not send again', async () => {
    const now = { ms: 1_000_000 };
    const { auth, endpoint } = await signedIn(now, [
      { ok: true, status: 200, body: { id_token: 'id-2', access_token: 'access-2', expires_in: 3600 } },
      { ok: true, status: 200, body: { id_token: 'id-3', access_token: 'access-3', expires_in: 3600 } },
    ]);
    now.ms += 3600_000 - REFRESH_MARGIN_MS - 1;
    expect(await auth.idToken()).toBe('id-1');
    now.ms += 2;
    expect(await auth.idToken()).toBe('id-2');
    expect(Object.fromEntries(endpoint.forms[1]!.form)).toEqual({ client_id: 'client123', grant_type: 'refresh_token', refresh_token: 'refresh-1' });
    now.ms += 3600_000;
    expect(await auth.idToken()).toBe('id-3');
    expect(endpoint.forms[2]!.form.get('refresh_token')).toBe('refresh-1');
  });

  it('signs out when the refresh token is refused, so the user signs in again', async () => {
    const now = { ms: 0 };
    const { auth } = await signedIn(now, [{ ok: false, status: 400, body: { error: 'invalid_grant' } }]);
    now.ms += 3600_000;
    await expect(auth.idToken()).rejects.toThrow('token endpoint: invalid_grant');
    expect(await auth.idToken()).toBeNull();
  });

  it('signs out: forgets the tokens and returns the Hosted UI logout URL back to the app', async () => {
    const { auth } = await signedIn({ ms: 0 }, []);
    const url = new URL(auth.signOut());
    expect(`${url.origin}${url.pathname}`).toBe(`${config.domain}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'client123', logout_uri: config.redirectUri });
    expect(await auth.idToken()).toBeNull();
  });
});
