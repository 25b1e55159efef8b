/**
 * The 360's history of contacts (the feed's notifications about the customer and every task with them, completed
 * calls with their outcomes, from `GET /customers/{customerId}/tasks`), newest first, and the staff-action log
 * (`GET /customers/{customerId}/staff-actions`: what staff did on the customer's behalf).
 */
import { staffName } from '../staff-directory.ts';
import { cell, el, table } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { csmLabel, noticeTitle } from '../csm-labels.ts';
import { dateTime } from '../format.ts';
import { section } from './common.ts';
import { staffErrorBox } from './csm-errors.ts';
import type { Read } from './csm-customer-health.ts';
import type { CsmNotice, CsmTask, StaffAction } from './csm-types.ts';

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** A done task's outcome in words: reached or not, what was agreed, what it changed, the notes. */
export function outcomeInWords(task: CsmTask): string {
  const o = task.outcome;
  if (!o) return '';
  const parts: string[] = [];
  if (o.cancelled === true) parts.push(t('hist.o.appointmentCancelled'));
  if (typeof o.rescheduledTo === 'string') parts.push(t('hist.o.appointmentMoved', { when: dateTime(o.rescheduledTo) }));
  if (o.reached === true) parts.push(t('hist.o.reached'));
  if (o.reached === false) parts.push(t('hist.o.notReached'));
  if (typeof o.result === 'string') parts.push(csmLabel('surveyResult', o.result));
  if (o.converted === true) parts.push(t('hist.o.converted'));
  if (o.converted === false) parts.push(t('hist.o.notConverted'));
  if (typeof o.newStrategy === 'string') parts.push(t('hist.o.strategy', { strategy: label('strategy', o.newStrategy) }));
  if (o.needsAssessmentRecorded === true || (typeof o.needsAssessment === 'object' && o.needsAssessment !== null)) parts.push(t('hist.o.needsAssessment'));
  if (o.resolved === true) parts.push(t('hist.o.resolved'));
  if (Array.isArray(o.difficulties) && o.difficulties.length > 0) parts.push(t('hist.o.difficulties', { n: o.difficulties.length }));
  const words = text(o.notes) ?? text(o.feedback);
  if (words) parts.push(`“${words}”`);
  return parts.join(' · ');
}

/** When a task was a contact: completed, else started, else when it was created (a call still to make). */
function contactTime(task: CsmTask): string {
  return task.completedAt ?? task.startedAt ?? task.createdAt;
}

export function historySection(notices: readonly CsmNotice[], tasks: Read<readonly CsmTask[]>): HTMLElement {
  const entries = [
    ...notices.map((n) => ({ at: n.occurredAt, kind: t('c360.history.notification'), what: noticeTitle(n), state: n.read === true ? t('csm.read') : t('c360.history.unread'), outcome: '', task: null as CsmTask | null })),
    ...(tasks.ok ? tasks.value : []).map((task) => ({ at: contactTime(task), kind: t('c360.history.task'), what: label('taskKind', task.kind), state: csmLabel('taskStatus', task.status), outcome: outcomeInWords(task), task })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return section(
    'c360-history',
    t('c360.history'),
    ...(tasks.ok ? [] : [staffErrorBox(tasks.error)]),
    entries.length === 0
      ? el('p', { class: 'muted', text: t('c360.historyNone') })
      : table({
          id: 'c360-history-table',
          caption: t('c360.history'),
          columns: [{ label: t('csm.col.when') }, { label: t('c360.col.contact') }, { label: t('csm.col.title') }, { label: t('csm.col.status') }, { label: t('hist.col.outcome') }],
          rows: entries.map((e) =>
            el(
              'tr',
              e.task ? { 'data-task': e.task.taskId, 'data-kind': e.task.kind, 'data-status': e.task.status } : {},
              cell(dateTime(e.at)),
              cell(e.kind),
              cell(e.what),
              cell(e.state),
              cell(e.outcome),
            ),
          ),
        }),
    el('p', { class: 'muted', text: t('c360.historyNote') }),
  );
}

/** An action in words with its particulars (the server's English `summary` for an action this catalogue lacks). */
export function actionInWords(a: StaffAction): string {
  const d = a.details;
  const when = (key: string): string => (typeof d[key] === 'string' ? dateTime(d[key]) : '');
  switch (a.action) {
    case 'appointment.booked':
      return t('act.appointmentBooked', { when: when('start') });
    case 'appointment.rescheduled':
      return t('act.appointmentRescheduled', { from: when('from'), to: when('to') });
    case 'appointment.cancelled':
      return t('act.appointmentCancelled', { when: when('from') });
    case 'repricer.strategy.changed':
      return `${t('act.strategyChanged', { sku: text(d.sku) ?? '', strategy: label('strategy', text(d.strategy) ?? '') })}${text(d.note) ? `: “${text(d.note) ?? ''}”` : ''}`;
    case 'repricer.offers.read':
      return t('act.offersRead');
    case 'lost-and-found.claims.read':
      return t('act.claimsRead');
    default:
      return a.summary;
  }
}

export function staffActionsSection(actions: Read<readonly StaffAction[]>): HTMLElement {
  if (!actions.ok) return section('c360-staff-actions', t('act.title'), staffErrorBox(actions.error));
  return section(
    'c360-staff-actions',
    t('act.title'),
    actions.value.length === 0
      ? el('p', { class: 'muted', text: t('act.none') })
      : table({
          id: 'c360-staff-actions-table',
          caption: t('act.title'),
          columns: [{ label: t('csm.col.when') }, { label: t('act.col.who') }, { label: t('act.col.what') }],
          rows: actions.value.map((a) =>
            el('tr', { 'data-action': a.action }, cell(dateTime(a.at)), cell(`${staffName(a.staffId)} (${a.as === 'lead' ? t('act.asLead') : t('act.asManager')})`), cell(actionInWords(a))),
          ),
        }),
    el('p', { class: 'muted', text: t('act.note') }),
  );
}
