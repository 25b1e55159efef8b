/** For benchmarks that drive the embedded local stack over HTTP, as a user would (not a benchmark itself). */
import { startLocalStack, type LocalStack } from '../local/stack.ts';

/** A JSON response body as the benchmarks read it: a body of the wrong shape fails the `check` that reads it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the checks are the type check
export type ResponseBody = any;

export interface LocalApi {
  readonly stack: LocalStack;
  token(role: 'customer' | 'csm' | 'csm-lead', id: string): Promise<string>;
  call(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<{ status: number; body: ResponseBody }>;
}

export async function startLocalApi(): Promise<LocalApi> {
  const stack = await startLocalStack({ port: 0, logLevel: 'ERROR' });
  return {
    stack,
    token: (role, id) => stack.auth.issue(role === 'customer' ? { role, tenantId: id } : { role, staffId: id }),
    async call(method, path, { token, body } = {}) {
      const response = await fetch(`${stack.url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
  };
}

/** Fails the benchmark run (non-zero exit) with a message, when the figures it measures are not what they should be. */
export function check(condition: boolean, message: string): void {
  if (!condition) {
    process.stderr.write(`check failed: ${message}\n`);
    process.exitCode = 1;
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
