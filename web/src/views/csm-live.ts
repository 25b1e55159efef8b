/**
 * New CSM notifications without a reload. Locally the stack streams every CSM push as a server-sent event
 * (local/csm-live-feed.ts): the console trades its token for a one-time ticket cookie (`POST
 * /_local/csm/events/ticket`), then opens `EventSource('/_local/csm/events')`, so the token is never in a URL.
 * A dropped stream is reopened with a new ticket (the browser's own retry would carry none), and each (re)open
 * reloads the feed's first page, so nothing pushed while it was down is missed. In AWS (no `liveFeed` in
 * config.json) the console polls `GET /csm/notifications` instead: API Gateway cannot hold a stream open.
 */
import { api } from '../api.ts';
import type { CsmNotice } from './csm-types.ts';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'polling';

export interface LiveFeed {
  stop(): void;
}

/** Reopening a dropped stream, and polling in AWS: often enough for a call queue, light on the API. */
export const RECONNECT_MS = 3_000;
export const POLL_MS = 30_000;
const FEED_PAGE = '/csm/notifications?limit=50';

function isNotice(value: unknown): value is CsmNotice {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.notificationId === 'string' && typeof v.occurredAt === 'string' && typeof v.title === 'string' && typeof v.companyName === 'string';
}

/**
 * Starts the live feed. `onNotices` gets a whole page on each (re)connect or poll and single pushes as they come;
 * `alive` says whether the console is still on the page (a stale feed stops itself).
 */
export function startLiveFeed(options: {
  kind: 'sse' | 'poll';
  onNotices: (notices: readonly CsmNotice[], pushed: boolean) => void;
  onState: (state: LiveState) => void;
  onError: (error: unknown) => void;
  alive: () => boolean;
}): LiveFeed {
  let stopped = false;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  // The console may leave the page without saying so (signed out, another view drawn over it): looked for now and then.
  const watchdog = setInterval(() => {
    stillWanted();
  }, RECONNECT_MS);
  const stop = (): void => {
    stopped = true;
    source?.close();
    source = null;
    clearTimeout(timer);
    clearInterval(watchdog);
  };
  const stillWanted = (): boolean => {
    if (!stopped && !options.alive()) stop();
    return !stopped;
  };
  const reloadPage = async (): Promise<void> => {
    const page = await api<{ items: CsmNotice[] }>(FEED_PAGE);
    if (stillWanted()) options.onNotices(page.items, false);
  };

  if (options.kind === 'poll') {
    options.onState('polling');
    const poll = (): void => {
      timer = setTimeout(() => {
        if (!stillWanted()) return;
        reloadPage()
          .catch(options.onError)
          .finally(() => {
            if (stillWanted()) poll();
          });
      }, POLL_MS);
    };
    poll();
    return { stop };
  }

  const open = async (): Promise<void> => {
    if (!stillWanted()) return;
    await api('/_local/csm/events/ticket', { method: 'POST' });
    if (!stillWanted()) return;
    const stream = new EventSource('/_local/csm/events');
    source = stream;
    stream.addEventListener('open', () => {
      options.onState('live');
      reloadPage().catch(options.onError);
    });
    stream.addEventListener('notification', (event) => {
      if (!stillWanted()) return;
      let body: unknown;
      try {
        body = JSON.parse((event as MessageEvent<string>).data);
      } catch {
        return; // not a notification: nothing to show
      }
      if (isNotice(body)) options.onNotices([body], true);
    });
    stream.addEventListener('error', () => {
      stream.close();
      if (!stillWanted()) return;
      options.onState('reconnecting');
      retryLater();
    });
  };
  const retryLater = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      open().catch((error: unknown) => {
        options.onError(error);
        if (stillWanted()) retryLater();
      });
    }, RECONNECT_MS);
  };
  options.onState('connecting');
  open().catch((error: unknown) => {
    options.onError(error);
    if (stillWanted()) retryLater();
  });
  return { stop };
}
