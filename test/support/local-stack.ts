/** Helpers for end-to-end tests that drive the embedded local stack over HTTP, as a user would. */
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack.ts';

/**
 * A JSON response body as the tests read it: they reach into it freely, and a body of the wrong shape fails the
 * assertion that reads it. The one `any` of the test code.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the assertions are the type check
export type ResponseBody = any;

export interface Api {
  readonly stack: LocalStack;
  token(role: 'customer' | 'csm' | 'csm-lead', id: string): Promise<string>;
  call(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string }): Promise<{ status: number; body: ResponseBody }>;
  eventually: typeof eventually;
  /**
   * Waits until a local queue holds nothing (no message ready, delayed or in flight): every message that was
   * delivered to it has been read and deleted. Local SNS delivers to subscribed queues within the publish call,
   * so once the publishers are idle, this is the counted event a "nothing else arrived" check waits for.
   */
  drained(queueName: string): Promise<void>;
}

/**
 * Polls `probe` until `accept` holds and returns that value. The timeout is generous on purpose (a loaded
 * machine is slow, not wrong); when it runs out the test fails, showing the last value seen.
 */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`eventually: not accepted within ${timeoutMs} ms; last value: ${preview(value)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function preview(value: unknown): string {
  // JSON.stringify returns undefined for undefined and functions, whatever its declared type says.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 2_000 ? `${text.slice(0, 2_000)}… (${text.length} characters)` : text;
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
      return { status: response.status, body: parsed as ResponseBody };
    },
    eventually,
    async drained(queueName) {
      await eventually(
        async () => {
          const messages = stack.messaging.server.inspectQueue(queueName)?.messages;
          if (!messages) throw new Error(`no local queue named ${queueName}`);
          return { ready: messages.ready.length, delayed: messages.delayed.length, inflight: messages.inflight.length };
        },
        (m) => m.ready + m.delayed + m.inflight === 0,
      );
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
