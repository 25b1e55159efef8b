/**
 * Local stand-in for the Cognito user pool + API Gateway JWT authorizer: an RS256 issuer with a JWKS, tokens
 * with the same claims Cognito ID tokens carry (`sub`, `cognito:groups`, `custom:tenant_id`), and the same
 * checks the authorizer makes (signature, issuer, audience, expiry).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, createLocalJWKSet, type JWK, type JWTPayload } from 'jose';

export const LOCAL_AUDIENCE = 'sellerops-local-client';

/** `csm-lead`: a team lead, in the Cognito groups `csm` and `csm-lead`. */
export type LocalRole = 'customer' | 'csm' | 'csm-lead';

export interface TokenRequest {
  readonly role: LocalRole;
  readonly tenantId?: string;
  readonly staffId?: string;
  readonly ttlSeconds?: number;
}

export interface LocalAuth {
  readonly issuer: string;
  readonly jwks: { keys: JWK[] };
  issue(request: TokenRequest): Promise<string>;
  /** Returns the verified claims, or undefined for a missing/invalid/expired token. */
  verify(token: string): Promise<JWTPayload | undefined>;
}

export async function createLocalAuth(issuer: string, options: { dataDir?: string } = {}): Promise<LocalAuth> {
  const { privateJwk, publicJwk } = await loadOrCreateKeys(options.dataDir);
  const privateKey = await importJWK(privateJwk, 'RS256');
  const jwks = { keys: [publicJwk] };
  const keySet = createLocalJWKSet(jwks);
  return {
    issuer,
    jwks,
    async issue(request) {
      if (request.role === 'customer' && !request.tenantId) throw new Error('a customer token needs a tenant');
      const subject = request.role === 'customer' ? `user-${request.tenantId}` : (request.staffId ?? 'csm-local');
      return new SignJWT({
        'cognito:groups': request.role === 'csm-lead' ? ['csm', 'csm-lead'] : [request.role],
        token_use: 'id',
        ...(request.tenantId ? { 'custom:tenant_id': request.tenantId } : {}),
        ...(request.staffId ? { 'custom:staff_id': request.staffId } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid: publicJwk.kid! })
        .setSubject(subject)
        .setIssuer(issuer)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${request.ttlSeconds ?? 12 * 3600}s`)
        .sign(privateKey);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keySet, { issuer, audience: LOCAL_AUDIENCE, algorithms: ['RS256'] });
        return payload;
      } catch {
        return undefined;
      }
    },
  };
}

async function loadOrCreateKeys(dataDir?: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const file = dataDir ? join(dataDir, 'local-signing-key.json') : undefined;
  if (file) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
    } catch {
      // first start with this data dir: create the key below
    }
  }
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const keys = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
  if (file && dataDir) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(keys), { mode: 0o600 });
  }
  return keys;
}

/** API Gateway HTTP APIs hand claims to Lambda as strings; arrays become "[a b]". Mirror that exactly. */
export function claimsAsApiGatewayPassesThem(payload: JWTPayload): Record<string, string | number | boolean> {
  const claims: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (Array.isArray(value)) claims[name] = `[${value.join(' ')}]`;
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') claims[name] = value;
    else if (value !== undefined && value !== null) claims[name] = JSON.stringify(value);
  }
  return claims;
}
