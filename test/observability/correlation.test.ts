/**
 * Issue 18, done-when step 2: on the local stack, a handler's log line carries its function's request id and a
 * correlation id that is the same from `POST /signups` to the CSM push. The log lines are the functions' own
 * Powertools JSON lines on stdout; the push is what the CSM topic's subscriber received.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exampleSignup, startApi, type Api } from '../support/local-stack.ts';
import { logger } from '#shared/adapters/observability.ts';

interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly function_name?: string;
  readonly function_request_id?: string;
  readonly correlation_id?: string;
}

// The suite runs with POWERTOOLS_LOG_LEVEL=SILENT, and the Logger resets each invocation to the level it was built
// with: this file reads the functions' lines down to DEBUG (the queue edge's `message handled`), so it sets the level
// before the Logger is built.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  // Powertools' dev mode writes through the global console (as pretty JSON), where this test can read it.
  process.env.POWERTOOLS_DEV = 'true';
});

let api: Api;
const lines: LogLine[] = [];

beforeAll(async () => {
  api = await startApi();
  api.stack.startPollers();
  expect(logger.getLevelName()).toBe('DEBUG');
  for (const method of ['debug', 'info', 'warn', 'error', 'log'] as const) {
    vi.spyOn(console, method).mockImplementation((text: unknown) => {
      if (typeof text !== 'string' || !text.startsWith('{')) return;
      try {
        const parsed = JSON.parse(text) as LogLine;
        if (typeof parsed.message === 'string' && typeof parsed.level === 'string') lines.push(parsed);
      } catch {
        // not a log line
      }
    });
  }
});

afterAll(async () => {
  vi.restoreAllMocks();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
  await api?.stack.stop();
});

async function signUp(tenant: string, headers: Record<string, string> = {}): Promise<{ status: number; correlationId: string | null }> {
  const token = await api.token('customer', tenant);
  const response = await fetch(`${api.stack.url}/signups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(exampleSignup({ companyName: `Correlated ${tenant}` })),
  });
  await response.text();
  return { status: response.status, correlationId: response.headers.get('x-correlation-id') };
}

const pushOf = (tenant: string) => api.eventually(async () => api.stack.pushes.find((p) => p.attributes.customerId === tenant), (p) => p !== undefined);

describe('one correlation id from POST /signups to the CSM push', () => {
  it('stamps every log line on the path with it and with each function invocation’s own request id', async () => {
    const { status, correlationId } = await signUp('corr-1');
    expect(status).toBe(201);
    // Without an x-correlation-id header the API request id is the correlation id, and the response names it.
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);

    const push = (await pushOf('corr-1'))!;
    expect(push.attributes.correlationId).toBe(correlationId);
    expect(push.body).toMatchObject({ customerId: 'corr-1', eventType: 'customer.signed-up', correlationId });
    // The consumers that act on the event (notifier, profile analysis) have logged their records by now.
    await api.drained('sellerops-csm-notifier');

    const onPath = lines.filter((l) => l.correlation_id === correlationId);
    const signupLines = onPath.filter((l) => l.function_name === 'sellerops-signups');
    const notifierLines = onPath.filter((l) => l.function_name === 'sellerops-csmNotifier');
    expect(signupLines.map((l) => l.message)).toContain('http request');
    expect(notifierLines.map((l) => l.message)).toContain('message handled');
    // One line per record is DEBUG (log cost at volume); deployed functions log from INFO up.
    expect(notifierLines.filter((l) => l.message === 'message handled').map((l) => l.level)).toEqual(['DEBUG']);
    // Each function's lines carry that function's invocation: a request id of its own.
    const signupRequestIds = new Set(signupLines.map((l) => l.function_request_id));
    const notifierRequestIds = new Set(notifierLines.map((l) => l.function_request_id));
    expect(signupRequestIds.size).toBe(1);
    expect(notifierRequestIds.size).toBe(1);
    const [signupRequestId] = [...signupRequestIds];
    const [notifierRequestId] = [...notifierRequestIds];
    expect(signupRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(notifierRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(notifierRequestId).not.toBe(signupRequestId);
    expect(signupRequestId).not.toBe(correlationId);
    // And no line of a function invocation went out without a correlation id or a request id. (Except Powertools
    // Metrics' own DEBUG note when it flushes an SQS batch: a batch is one invocation of many records, each its own id.)
    const handlerLines = lines.filter((l) => l.function_name !== undefined && !l.message.startsWith('No application metrics to publish'));
    expect(handlerLines.length).toBeGreaterThan(0);
    expect(handlerLines.filter((l) => !l.correlation_id || !l.function_request_id)).toEqual([]);
  });

  it('continues the caller’s own id from the x-correlation-id header, and keeps concurrent sign-ups apart', async () => {
    const tenants = ['corr-2', 'corr-3', 'corr-4'];
    const results = await Promise.all(tenants.map((t) => signUp(t, { 'x-correlation-id': `caller-${t}` })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(results.map((r) => r.correlationId)).toEqual(tenants.map((t) => `caller-${t}`));
    for (const tenant of tenants) {
      const push = (await pushOf(tenant))!;
      expect(push.attributes.correlationId).toBe(`caller-${tenant}`);
    }
    await api.drained('sellerops-csm-notifier');
    for (const tenant of tenants) {
      const functions = new Set(lines.filter((l) => l.correlation_id === `caller-${tenant}`).map((l) => l.function_name));
      expect([...functions].filter((f) => f === 'sellerops-signups' || f === 'sellerops-csmNotifier').sort()).toEqual(['sellerops-csmNotifier', 'sellerops-signups']);
    }
    // A header that is not a plausible id is not continued: the API request id is used instead.
    const odd = await signUp('corr-5', { 'x-correlation-id': 'has spaces and "quotes"' });
    expect(odd.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts the business metrics of the flow', async () => {
    await api.eventually(async () => api.stack.metrics.total('CsmPushesSent', { eventType: 'customer.signed-up' }), (n) => n >= 5);
    expect(api.stack.metrics.total('SignUps', { product: 'repricer' })).toBe(5);
    const listed = await api.call('GET', '/_local/metrics');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual(
      expect.arrayContaining([
        { name: 'SignUps', dimensions: { product: 'repricer' }, sum: 5, samples: 5 },
        expect.objectContaining({ name: 'CsmPushesSent', dimensions: { eventType: 'customer.signed-up' } }),
      ]),
    );
  });

  it("continues through the trial-end call's one-time schedule, fired 14 days after the sign-up that created it", async () => {
    const trialCalls = async () => ((await api.call('GET', '/_local/schedules')).body.oneTime as { target: string }[]).filter((s) => s.target === 'trialEndCall').length;
    const before = await trialCalls();
    const { status, correlationId } = await signUp('corr-trial', { 'x-correlation-id': 'caller-trial' });
    expect([status, correlationId]).toEqual([201, 'caller-trial']);
    // The consumer of customer.signed-up creates the schedule under the sign-up's id (the local scheduler keeps it).
    await api.eventually(trialCalls, (pending) => pending === before + 1);
    const advanced = await api.call('POST', '/_local/clock/advance', { body: { days: 15 } });
    expect(advanced.status).toBe(200);
    const trialLines = lines.filter((l) => l.function_name === 'sellerops-trialEndCall' && l.correlation_id === 'caller-trial');
    expect(trialLines.map((l) => l.message)).toContain('schedule handled');
    // Its own invocation, under the id of the request that started the work.
    const requestIds = new Set(trialLines.map((l) => l.function_request_id));
    expect(requestIds.size).toBe(1);
    const signupRequestIds = new Set(lines.filter((l) => l.function_name === 'sellerops-signups' && l.correlation_id === 'caller-trial').map((l) => l.function_request_id));
    expect(signupRequestIds.size).toBe(1);
    expect([...requestIds][0]).not.toBe([...signupRequestIds][0]);
    // A recurring schedule fired by the same clock jump starts its own piece of work: its request id.
    const recurring = lines.filter((l) => l.message === 'schedule handled' && l.function_name !== 'sellerops-trialEndCall');
    expect(recurring.length).toBeGreaterThan(0);
    for (const line of recurring) expect(line.correlation_id).toBe(line.function_request_id);
  });
});
