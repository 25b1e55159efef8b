/** The CSM console (first part): the notification feed with read marks and the manager's open tasks. */
import { api } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { errorBox, section } from './common.ts';

interface Notification {
  readonly notificationId: string;
  readonly occurredAt: string;
  readonly title: string;
  readonly companyName: string;
  readonly language: string;
  readonly read: boolean;
}
interface Task {
  readonly taskId: string;
  readonly dueAt: string;
  readonly kind: string;
  readonly companyName: string;
  readonly title: string;
}

export async function renderCsm(root: HTMLElement): Promise<void> {
  const [feed, tasks] = await Promise.all([api<{ items: Notification[] }>('/csm/notifications?limit=50'), api<{ items: Task[] }>('/csm/tasks')]);
  const errors = el('div');
  const feedRows = feed.items.map((n) => {
    const markCell = el('td');
    if (n.read) markCell.append(el('span', { class: 'muted', text: t('csm.read') }));
    else {
      const button = el('button', { type: 'button', class: 'secondary', text: t('csm.markRead'), 'aria-label': `${t('csm.markRead')}: ${n.title}` });
      button.addEventListener('click', () => {
        button.disabled = true;
        api(`/csm/notifications/${encodeURIComponent(n.notificationId)}/read`, { method: 'POST' })
          .then(() => renderCsm(root))
          .catch((error: unknown) => errors.replaceChildren(errorBox(error)));
      });
      markCell.append(button);
    }
    return el('tr', { class: n.read ? '' : 'unread', 'data-notification': n.notificationId }, cell(dateTime(n.occurredAt)), cell(n.title), cell(n.companyName), cell(label('language', n.language)), markCell);
  });
  const taskRows = tasks.items.map((task) => el('tr', { 'data-task': task.taskId }, cell(dateTime(task.dueAt)), cell(label('taskKind', task.kind)), cell(task.companyName), cell(task.title)));
  root.replaceChildren(
    section(
      'feed-section',
      t('csm.feed'),
      errors,
      feedRows.length > 0
        ? table({
            id: 'feed',
            caption: t('csm.feed'),
            columns: [{ label: t('csm.col.when') }, { label: t('csm.col.title') }, { label: t('csm.col.customer') }, { label: t('csm.col.language') }, { label: t('lf.col.action') }],
            rows: feedRows,
          })
        : el('p', { class: 'muted', text: t('csm.feedNone') }),
    ),
    section(
      'tasks-section',
      t('csm.tasks'),
      taskRows.length > 0
        ? table({
            id: 'tasks',
            caption: t('csm.tasks'),
            columns: [{ label: t('csm.col.due') }, { label: t('csm.col.kind') }, { label: t('csm.col.customer') }, { label: t('csm.col.title') }],
            rows: taskRows,
          })
        : el('p', { class: 'muted', text: t('csm.tasksNone') }),
    ),
  );
}
