/**
 * The CSM console: the live notification feed and the task queue with the outcome forms, the appointment calendar
 * (book, move and cancel for a customer), the customer 360, and surveys with NPS trends and root causes. New notifications arrive without a
 * reload (csm-live.ts: server-sent events on the local stack, polling in AWS); a push also refreshes the task
 * queue, since a sign-up brings its welcome call.
 */
import '../../csm.css';
import { api } from '../api.ts';
import { el } from '../dom.ts';
import { t, type MessageKey } from '../i18n.ts';
import { noticeTitle } from '../csm-labels.ts';
import { errorBox, messageOf, section } from './common.ts';
import { renderCalendar } from './csm-calendar.ts';
import { renderCustomer360 } from './csm-customer.ts';
import { feedTable } from './csm-feed.ts';
import { renderInsights } from './csm-insights.ts';
import { startLiveFeed, type LiveState } from './csm-live.ts';
import { loadTasks, taskQueue, taskQueueError, type TaskLists } from './csm-tasks.ts';
import type { CsmNotice } from './csm-types.ts';

type ConsoleView = 'queue' | 'calendar' | 'customer' | 'insights';
const FEED_SIZE = 50;
const LIVE_STATES: Record<LiveState, MessageKey> = { connecting: 'csm.live.connecting', live: 'csm.live.live', reconnecting: 'csm.live.reconnecting', polling: 'csm.live.polling' };

/** The console on screen now (one at a time: a redraw, e.g. a language switch, replaces it and stops its feed). */
let running: { stop(): void } | null = null;

export async function renderCsm(root: HTMLElement, options: { readonly liveFeed: 'sse' | 'poll'; readonly me: string }): Promise<void> {
  running?.stop();
  const notices = new Map<string, CsmNotice>();
  let fresh = new Set<string>();
  let tasks: TaskLists = { mine: [], unassigned: [] };
  let view: ConsoleView = 'queue';
  let customerId: string | null = null;
  let queue: ReturnType<typeof taskQueue> | null = null;

  const viewRoot = el('div', { id: 'console-view' });
  const liveState = el('p', { id: 'live-status', class: 'muted' });
  const news = el('p', { id: 'live-news', role: 'status', 'aria-live': 'polite' });
  const feedSlot = el('div', { id: 'feed-slot' });
  const feedErrors = el('div', { id: 'feed-errors' });
  const navButtons = new Map<ConsoleView, HTMLButtonElement>();

  const sortedNotices = (): CsmNotice[] => [...notices.values()].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)).slice(0, FEED_SIZE);
  const drawFeed = (): void => {
    feedSlot.replaceChildren(
      feedTable(sortedNotices(), options.me, {
        open: (id) => void show('customer', id),
        markRead: (notice, button) => {
          button.disabled = true;
          api(`/csm/notifications/${encodeURIComponent(notice.notificationId)}/read`, { method: 'POST' })
            .then(() => {
              notices.set(notice.notificationId, { ...notice, read: true });
              drawFeed();
              feedSlot.querySelector<HTMLElement>('.table-wrap')?.focus();
            })
            .catch((error: unknown) => {
              button.disabled = false;
              feedErrors.replaceChildren(errorBox(error));
            });
        },
      }),
    );
    for (const id of fresh) feedSlot.querySelector(`tr[data-notification="${id}"]`)?.classList.add('new');
  };

  const reloadTasks = async (message = ''): Promise<void> => {
    try {
      tasks = await loadTasks();
    } catch (error) {
      if (view === 'queue') viewRoot.querySelector('#task-queue')?.replaceWith(taskQueueError(error));
      return;
    }
    if (view !== 'queue') return;
    if (queue && !message) queue.update(tasks);
    else drawQueue(message);
  };

  const drawQueue = (message = ''): void => {
    queue = taskQueue(tasks, { open: (id) => void show('customer', id), reload: (m) => void reloadTasks(m) }, message);
    viewRoot.replaceChildren(section('feed-section', t('csm.feed'), feedErrors, feedSlot), queue.element);
    drawFeed();
    if (message) viewRoot.querySelector<HTMLElement>('#task-done')?.focus();
  };

  const show = async (next: ConsoleView, id: string | null = customerId): Promise<void> => {
    view = next;
    customerId = id;
    queue = null;
    for (const [name, button] of navButtons) button.setAttribute('aria-current', name === next ? 'true' : 'false');
    const customerButton = navButtons.get('customer');
    if (customerButton) customerButton.disabled = customerId === null;
    if (next === 'queue') drawQueue();
    else if (next === 'customer' && customerId !== null) {
      viewRoot.replaceChildren(el('p', { text: t('app.loading') }));
      await renderCustomer360(viewRoot, customerId, { notices: [...notices.values()], book: (cid) => void show('calendar', cid) });
    } else if (next === 'calendar') {
      viewRoot.replaceChildren(el('p', { text: t('app.loading') }));
      const known = new Map<string, string>();
      for (const n of notices.values()) known.set(n.customerId, n.companyName);
      for (const task of [...tasks.mine, ...tasks.unassigned]) known.set(task.tenantId, task.companyName);
      await renderCalendar(viewRoot, { known, customerId: id, open: (cid) => void show('customer', cid) });
    } else if (next === 'insights') {
      viewRoot.replaceChildren(el('p', { text: t('app.loading') }));
      await renderInsights(viewRoot, null, (cid) => void show('customer', cid));
    }
  };

  const nav = el('nav', { class: 'subnav', 'aria-label': t('csm.nav') });
  for (const [name, key] of [['queue', 'csm.nav.queue'], ['calendar', 'csm.nav.calendar'], ['customer', 'csm.nav.customer'], ['insights', 'csm.nav.insights']] as const) {
    const button = el('button', { type: 'button', class: 'secondary', 'data-view': name, text: t(key) });
    button.addEventListener('click', () => void show(name));
    navButtons.set(name, button);
    nav.append(button);
  }
  const lookup = el('input', { id: 'customer-lookup', autocomplete: 'off', required: true, pattern: '[A-Za-z0-9_\\-]{1,128}' });
  const lookupForm = el('form', { id: 'customer-lookup-form', class: 'toolbar', role: 'search' }, el('label', { for: 'customer-lookup', text: t('csm.lookup') }), lookup, el('button', { type: 'submit', class: 'secondary', text: t('csm.lookupOpen') }));
  lookupForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void show('customer', lookup.value.trim());
  });

  root.replaceChildren(el('div', { id: 'csm-console' }, el('div', { class: 'console-bar' }, nav, lookupForm), liveState, news, viewRoot));

  const [page, taskLists] = await Promise.allSettled([api<{ items: CsmNotice[] }>(`/csm/notifications?limit=${FEED_SIZE}`), loadTasks()]);
  if (page.status === 'fulfilled') for (const n of page.value.items) notices.set(n.notificationId, n);
  else feedErrors.replaceChildren(errorBox(page.reason));
  if (taskLists.status === 'fulfilled') tasks = taskLists.value;
  await show('queue');
  if (taskLists.status === 'rejected') viewRoot.querySelector('#task-queue')?.replaceWith(taskQueueError(taskLists.reason));

  const live = startLiveFeed({
    kind: options.liveFeed,
    alive: () => root.contains(viewRoot),
    onState: (state) => {
      liveState.textContent = t(LIVE_STATES[state]);
    },
    onError: (error) => {
      liveState.textContent = `${t('csm.live.reconnecting')} (${messageOf(error)})`;
    },
    onNotices: (items, pushed) => {
      const added = items.filter((n) => !notices.has(n.notificationId));
      // A page from the API is the truth about read marks; a push never carries one, so a known item keeps its own.
      for (const n of items) if (!pushed || !notices.has(n.notificationId)) notices.set(n.notificationId, { ...notices.get(n.notificationId), ...n });
      if (added.length > 0) {
        fresh = new Set(added.map((n) => n.notificationId));
        news.textContent = t('csm.live.new', { list: added.map((n) => noticeTitle(n)).join('; ') });
        void reloadTasks();
      }
      if (view === 'queue') drawFeed();
    },
  });
  running = live;
}
