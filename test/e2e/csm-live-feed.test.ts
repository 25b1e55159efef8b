import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleSignup, startApi, type Api } from '../support/local-stack.ts';

/**
 * The console's live feed on the local stack (local/csm-live-feed.ts): a CSM token buys a one-time ticket cookie,
 * the cookie opens one event stream, and each CSM push arrives on it as the message body SNS carries.
 */
let api: Api;

beforeAll(async () => {
  api = await startApi();
  const lead = await api.token('csm-lead', 'csm-live');
  await api.call('PUT', '/csm/staff/csm-live', { token: lead, body: { name: 'Live', email: 'live@example.com', languages: ['de', 'en'], capacity: 10 } });
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await api?.stack.stop();
});

async function ticket(token: string | null): Promise<Response> {
  return fetch(`${api.stack.url}/_local/csm/events/ticket`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** The `name=value` part of the ticket's Set-Cookie, as a browser would send it back. */
function cookieOf(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  expect(header).toMatch(/^sellerops-csm-events=[\w-]{40,}; Path=\/_local\/csm\/events; HttpOnly; SameSite=Strict; Max-Age=30$/);
  return header.split(';')[0]!;
}

/** Reads the stream until a whole `event: notification` frame has arrived; returns its data. */
async function nextNotification(stream: ReadableStreamDefaultReader<Uint8Array>): Promise<{ id: string; data: Record<string, unknown> }> {
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await stream.read();
    if (done) throw new Error(`the stream ended; it said: ${text}`);
    text += decoder.decode(value, { stream: true });
    const frame = text.split('\n\n').find((f) => f.startsWith('event: notification'));
    if (frame) {
      const id = /^id: (.+)$/m.exec(frame)?.[1] ?? '';
      const data = JSON.parse(/^data: (.+)$/m.exec(frame)?.[1] ?? 'null') as Record<string, unknown>;
      return { id, data };
    }
  }
}

describe('the CSM live feed (server-sent events, local stack)', () => {
  it('streams a sign-up push to a console that traded its token for a ticket; the ticket opens one stream only', async () => {
    const issued = await ticket(await api.token('csm', 'csm-live'));
    expect(issued.status).toBe(204);
    const cookie = cookieOf(issued);
    const controller = new AbortController();
    const response = await fetch(`${api.stack.url}/_local/csm/events`, { headers: { cookie }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    await api.eventually(async () => api.stack.liveFeed.connections(), (n) => n === 1);

    const customer = await api.token('customer', 'live-1');
    expect((await api.call('POST', '/signups', { token: customer, body: exampleSignup({ companyName: 'Live Feed GmbH', amazonSellerId: 'A2LIVEFEED0001' }) })).status).toBe(201);
    const pushed = await nextNotification(reader);
    expect(pushed.data).toMatchObject({ eventType: 'customer.signed-up', customerId: 'live-1', companyName: 'Live Feed GmbH' });
    expect(pushed.id).toBe(pushed.data.notificationId);
    // The same notification the feed route lists.
    const feed = await api.call('GET', '/csm/notifications', { token: await api.token('csm', 'csm-live') });
    expect(feed.body.items.map((n: { notificationId: string }) => n.notificationId)).toContain(pushed.id);

    // Used once: the same cookie opens nothing more.
    const again = await fetch(`${api.stack.url}/_local/csm/events`, { headers: { cookie } });
    expect(again.status).toBe(401);
    controller.abort();
    await reader.cancel().catch(() => undefined);
    await api.eventually(async () => api.stack.liveFeed.connections(), (n) => n === 0);
  });

  it('gives no ticket without a valid CSM token and no stream without a ticket', async () => {
    expect((await ticket(null)).status).toBe(401);
    expect((await ticket('not-a-token')).status).toBe(401);
    expect((await ticket(await api.token('customer', 'live-1'))).status).toBe(403);
    expect((await fetch(`${api.stack.url}/_local/csm/events`)).status).toBe(401);
    expect((await fetch(`${api.stack.url}/_local/csm/events`, { headers: { cookie: 'sellerops-csm-events=guessed' } })).status).toBe(401);
  });
});
