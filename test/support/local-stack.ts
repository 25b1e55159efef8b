/** Helpers for end-to-end tests that drive the embedded local stack over HTTP, as a user would. */
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack.ts';

export interface Api {
  readonly stack: LocalStack;
  token(role: 'customer' | 'csm' | 'csm-lead', id: string): Promise<string>;
  call(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string }): Promise<{ status: number; body: any }>;
  eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs?: number): Promise<T>;
}

export async function startApi(options: LocalStackOptions = {}): Promise<Api> {
  const stack = await startLocalStack({ port: 0, ...options });
  return {
    stack,
    token: (role, id) => stack.auth.issue(role === 'customer' ? { role, tenantId: id } : { role, staffId: id }),
    async call(method, path, { token, body, rawBody } = {}) {
      const response = await fetch(`${stack.url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
        ...(rawBody !== undefined ? { body: rawBody } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed as any };
    },
    async eventually(probe, accept, timeoutMs = 10_000) {
      const started = Date.now();
      for (;;) {
        const value = await probe();
        if (accept(value)) return value;
        if (Date.now() - started > timeoutMs) return value;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

export const exampleSignup = (overrides: Record<string, unknown> = {}) => ({
  product: 'repricer',
  companyName: 'Example GmbH',
  contactEmail: 'ops@example.de',
  language: 'de',
  marketplaces: ['DE', 'FR'],
  amazonSellerId: 'A2EXAMPLE12345',
  ...overrides,
});
