/**
 * The CSM console's live feed on the local stack: server-sent events carrying each CSM push (the very message body
 * an SNS subscriber of `sellerops-csm-notifications` receives, after the console's repeat filter). Local only: in
 * AWS the console polls `GET /csm/notifications` (API Gateway HTTP APIs cannot hold a stream open).
 *
 * EventSource cannot send an Authorization header, and a bearer token in a URL ends up in logs and histories. So
 * the console first trades its token for a ticket: `POST /_local/csm/events/ticket` (Bearer token of a CSM) sets the
 * cookie `sellerops-csm-events` (HttpOnly, SameSite=Strict, Path=/_local/csm/events, 30 s) and answers `204`;
 * `GET /_local/csm/events` then reads and consumes it. A ticket opens one stream once, within 30 seconds; the
 * stream ends when the token it was traded for expires. The URL carries nothing secret and the token never leaves
 * the Authorization header. (Tickets live in this process's memory: a restart ends them, the console asks again.)
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalAuth } from './auth.ts';
import type { LocalStreamHandler } from './http-api.ts';

export const LIVE_FEED_PATH = '/_local/csm/events';
export const LIVE_FEED_TICKET_PATH = '/_local/csm/events/ticket';
export const LIVE_FEED_COOKIE = 'sellerops-csm-events';
/** How long a ticket may wait for its stream: the console opens it at once. */
export const LIVE_FEED_TICKET_MS = 30_000;
/** A comment line this often keeps idle connections (and proxies between) from timing out. */
const HEARTBEAT_MS = 15_000;

interface Ticket {
  readonly staffId: string;
  /** Wall-clock ms: a security timer, not business time (the stack's clock may be advanced by days). */
  readonly expiresAt: number;
  readonly tokenExpiresAt: number;
}

export interface CsmLiveFeed {
  readonly streams: Record<string, LocalStreamHandler>;
  /** Sends one push (its message body) to every open console stream. */
  publish(body: unknown): void;
  /** How many consoles are connected (for tests and `GET /_local/health`-style checks). */
  connections(): number;
  close(): void;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function csmLiveFeed(auth: LocalAuth, now: () => number = Date.now): CsmLiveFeed {
  const tickets = new Map<string, Ticket>();
  const open = new Set<ServerResponse>();

  const dropExpiredTickets = (): void => {
    for (const [id, ticket] of tickets) if (ticket.expiresAt <= now()) tickets.delete(id);
  };

  const issueTicket: LocalStreamHandler = async (req, res) => {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const claims = token ? await auth.verify(token) : undefined;
    if (!claims) {
      json(res, 401, { error: { code: 'unauthorized', message: 'Missing or invalid bearer token' } });
      return;
    }
    const groups = claims['cognito:groups'];
    if (!Array.isArray(groups) || !groups.includes('csm')) {
      json(res, 403, { error: { code: 'forbidden', message: 'the live feed is for CSM staff' } });
      return;
    }
    const staff = claims['custom:staff_id'];
    const staffId = typeof staff === 'string' ? staff : (claims.sub ?? 'csm');
    dropExpiredTickets();
    const id = randomBytes(32).toString('base64url');
    tickets.set(id, { staffId, expiresAt: now() + LIVE_FEED_TICKET_MS, tokenExpiresAt: (claims.exp ?? 0) * 1000 });
    const cookie = `${LIVE_FEED_COOKIE}=${id}; Path=${LIVE_FEED_PATH}; HttpOnly; SameSite=Strict; Max-Age=${LIVE_FEED_TICKET_MS / 1000}`;
    res.writeHead(204, { 'set-cookie': cookie, 'cache-control': 'no-store' });
    res.end();
  };

  const stream: LocalStreamHandler = async (req, res) => {
    const id = cookieOf(req, LIVE_FEED_COOKIE);
    const ticket = id === undefined ? undefined : tickets.get(id);
    if (id !== undefined) tickets.delete(id);
    // Clearing the cookie too: a ticket is used once, whatever the browser would send again.
    const clear = { 'set-cookie': `${LIVE_FEED_COOKIE}=; Path=${LIVE_FEED_PATH}; HttpOnly; SameSite=Strict; Max-Age=0` };
    if (!ticket || ticket.expiresAt <= now() || ticket.tokenExpiresAt <= now()) {
      json(res, 401, { error: { code: 'unauthorized', message: `no live ticket: POST ${LIVE_FEED_TICKET_PATH} with your token first` } }, clear);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', ...clear });
    // No automatic reconnection by the browser: its retry would carry no ticket. The console reconnects itself.
    res.write(`: live feed for ${ticket.staffId}\n\n`);
    open.add(res);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const tokenEnd = setTimeout(() => res.end(), Math.max(0, ticket.tokenExpiresAt - now()));
    res.on('close', () => {
      clearInterval(heartbeat);
      clearTimeout(tokenEnd);
      open.delete(res);
    });
  };

  return {
    streams: { [`POST ${LIVE_FEED_TICKET_PATH}`]: issueTicket, [`GET ${LIVE_FEED_PATH}`]: stream },
    publish(body) {
      const id = typeof body === 'object' && body !== null && 'notificationId' in body && typeof body.notificationId === 'string' ? body.notificationId : undefined;
      // JSON has no raw line breaks, so one `data:` line carries the whole message.
      const frame = `event: notification\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(body)}\n\n`;
      for (const res of open) res.write(frame);
    },
    connections: () => open.size,
    close() {
      for (const res of open) res.end();
      open.clear();
      tickets.clear();
    },
  };
}
