/**
 * Who is signed in. Locally (config `auth.kind: "dev"`) the local stack's dev login issues the token; in AWS the
 * Cognito Hosted UI (auth/cognito.ts). The claims read here only choose what to show: the API checks the token.
 */
import { CognitoAuth, type CognitoConfig } from './auth/cognito.ts';
import { api } from './api.ts';

export type AppConfig = {
  readonly apiBase: string;
  readonly auth: { readonly kind: 'dev' } | ({ readonly kind: 'cognito' } & CognitoConfig);
  /** `sse`: the local stack streams the CSM feed; absent (AWS): the console polls it. */
  readonly liveFeed?: 'sse';
};

export interface SignedIn {
  readonly role: 'customer' | 'csm';
  readonly tenantId: string | null;
  readonly staffId: string | null;
}

const DEV_TOKEN_KEY = 'sellerops-dev-token';

export function claimsOf(jwt: string): Record<string, unknown> | null {
  const payload = jwt.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function signedInAs(token: string | null): SignedIn | null {
  const claims = token ? claimsOf(token) : null;
  if (!claims) return null;
  const groups = claims['cognito:groups'];
  const groupList = Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? groups.split(/[\s,]+/) : [];
  const tenant = claims['custom:tenant_id'];
  const staff = claims['custom:staff_id'];
  return {
    role: groupList.includes('csm') ? 'csm' : 'customer',
    tenantId: typeof tenant === 'string' ? tenant : null,
    staffId: typeof staff === 'string' ? staff : typeof claims.sub === 'string' ? claims.sub : null,
  };
}

export interface Session {
  token(): Promise<string | null>;
  signOut(): string | null;
}

/** The local dev login's roles: a customer, a CSM manager, or a team lead (a manager who may act for any customer). */
export type DevRole = 'customer' | 'csm' | 'csm-lead';

export function devSession(): Session & { signIn(role: DevRole, id: string): Promise<void> } {
  return {
    token: async () => sessionStorage.getItem(DEV_TOKEN_KEY),
    signOut: () => {
      sessionStorage.removeItem(DEV_TOKEN_KEY);
      return null;
    },
    signIn: async (role, id) => {
      const body = await api<{ token: string }>('/_local/auth/token', { method: 'POST', body: role === 'customer' ? { role, tenant: id } : { role, staff: id } });
      sessionStorage.setItem(DEV_TOKEN_KEY, body.token);
    },
  };
}

export function cognitoSession(config: CognitoConfig): CognitoAuth {
  return new CognitoAuth(
    config,
    sessionStorage,
    (url, init) => fetch(url, init),
    (n) => crypto.getRandomValues(new Uint8Array(n)),
    () => Date.now(),
  );
}
