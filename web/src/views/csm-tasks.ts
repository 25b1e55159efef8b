/**
 * The task queue: the manager's open tasks and the unassigned ones, earliest due first. *Start* takes a task
 * (an unassigned one becomes the caller's); *Record outcome* opens the task kind's outcome form below the tables.
 * The manager's appointments have a view of their own (csm-calendar.ts).
 */
import { api } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { csmLabel } from '../csm-labels.ts';
import { dateTime } from '../format.ts';
import { action, errorBox, section } from './common.ts';
import { customerButton } from './csm-feed.ts';
import { completeLabel, outcomeForm } from './csm-outcome-form.ts';
import type { CsmTask } from './csm-types.ts';

export interface TaskLists {
  readonly mine: readonly CsmTask[];
  readonly unassigned: readonly CsmTask[];
}

export async function loadTasks(): Promise<TaskLists> {
  const [mine, unassigned] = await Promise.all([api<{ items: CsmTask[] }>('/csm/tasks'), api<{ items: CsmTask[] }>('/csm/tasks/unassigned')]);
  return { mine: mine.items, unassigned: unassigned.items };
}

function taskTable(id: string, caption: string, tasks: readonly CsmTask[], actions: (task: CsmTask) => HTMLElement[], open: (customerId: string) => void): HTMLElement {
  if (tasks.length === 0) return el('p', { class: 'muted', id: `${id}-empty`, text: id === 'tasks' ? t('csm.tasksNone') : t('csm.unassignedNone') });
  return table({
    id,
    caption,
    columns: [{ label: t('csm.col.due') }, { label: t('csm.col.kind') }, { label: t('csm.col.customer') }, { label: t('csm.col.status') }, { label: t('lf.col.action') }],
    rows: tasks.map((task) =>
      el(
        'tr',
        { 'data-task': task.taskId, 'data-kind': task.kind, 'data-status': task.status },
        cell(dateTime(task.dueAt)),
        cell(label('taskKind', task.kind)),
        el('td', {}, customerButton(task.tenantId, task.companyName, open)),
        el('td', {}, el('span', { class: `status ${task.status}`, text: csmLabel('taskStatus', task.status) })),
        el('td', { class: 'actions' }, ...actions(task)),
      ),
    ),
  });
}

/**
 * The queue. `update` redraws the tables from new lists (a push brought a task) and leaves an open
 * outcome form as it is; after a start or a completion `context.reload` fetches the lists again.
 */
export function taskQueue(
  lists: TaskLists,
  context: { readonly open: (customerId: string) => void; readonly reload: (message: string) => void },
  message = '',
): { readonly element: HTMLElement; update(lists: TaskLists): void } {
  const errors = el('div', { id: 'task-errors' });
  const formSlot = el('div', { id: 'outcome' });
  const done = el('p', { id: 'task-done', role: 'status', class: message ? 'ok' : 'muted', text: message });
  const tables = el('div', { id: 'task-tables' });

  const actionsOf = (task: CsmTask): HTMLElement[] => {
    if (task.status === 'open') {
      const start = el('button', { type: 'button', class: 'secondary', 'data-action': 'start', text: t('csm.task.start'), 'aria-label': `${t('csm.task.start')}: ${label('taskKind', task.kind)} – ${task.companyName}` });
      action(start, async () => {
        await api(`/csm/tasks/${encodeURIComponent(task.taskId)}/start`, { method: 'POST' });
        context.reload(t('csm.task.started', { kind: label('taskKind', task.kind), company: task.companyName }));
      }, errors);
      return [start];
    }
    const complete = el('button', { type: 'button', 'data-action': 'complete', text: t('csm.task.complete'), 'aria-label': completeLabel(task) });
    complete.addEventListener('click', () => {
      const form = outcomeForm(
        task,
        (finished) => {
          context.reload(t('csm.task.completed', { kind: label('taskKind', finished.kind), company: finished.companyName }));
        },
        () => {
          formSlot.replaceChildren();
          complete.focus();
        },
      );
      formSlot.replaceChildren(form);
      form.querySelector<HTMLElement>('#outcome-heading')?.focus();
    });
    return [complete];
  };

  const update = (next: TaskLists): void => {
    tables.replaceChildren(
      taskTable('tasks', t('csm.tasks'), next.mine, actionsOf, context.open),
      el('h3', { id: 'unassigned-heading', text: t('csm.unassigned') }),
      taskTable('unassigned-tasks', t('csm.unassigned'), next.unassigned, actionsOf, context.open),
    );
  };
  update(lists);
  return {
    element: el('div', { id: 'task-queue' }, section('tasks-section', t('csm.tasks'), done, errors, tables, formSlot)),
    update,
  };
}

/** Shown where the queue would be when it cannot load. */
export function taskQueueError(error: unknown): HTMLElement {
  return section('tasks-section', t('csm.tasks'), errorBox(error));
}
