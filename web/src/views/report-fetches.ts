/**
 * The daily fetch of each report from Amazon (`GET /lost-and-found/report-fetches`): its state in words, the reason
 * of a failure, the last success and the next attempt in the user's zone, and a Retry button for a failed one
 * (`POST /lost-and-found/report-fetches/{reportType}/retry`). A customer not connected to Amazon has no fetches:
 * the section then says so instead of showing an empty table.
 */
import { api } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { errorBox, section } from './common.ts';

interface ReportFetch {
  readonly reportType: string;
  readonly state: string;
  readonly error?: string;
  readonly lastSuccessAt?: string;
  readonly nextAttemptAt?: string;
}

export async function reportFetchesSection(): Promise<HTMLElement> {
  const holder = section('report-fetches', t('lf.fetches'));
  await fill(holder);
  return holder;
}

async function fill(holder: HTMLElement): Promise<void> {
  const heading = holder.querySelector('h2');
  const errors = el('div', { class: 'errors' });
  let fetches: { reports: readonly ReportFetch[] };
  try {
    fetches = await api<{ reports: readonly ReportFetch[] }>('/lost-and-found/report-fetches');
  } catch (error) {
    holder.replaceChildren(...(heading ? [heading] : []), errorBox(error));
    return;
  }
  const rows = fetches.reports.map((r) => {
    const failing = r.state === 'failed' || (r.error !== undefined && r.state !== 'done');
    const status = r.state === 'failed' ? t('lf.fetch.failed', { error: r.error ?? '' }) : r.error !== undefined && r.state !== 'done' ? t('lf.fetch.retrying', { state: label('fetchState', r.state), error: r.error }) : label('fetchState', r.state);
    const actionCell = el('td', { class: 'actions' });
    if (r.state === 'failed') {
      const button = el('button', { type: 'button', class: 'secondary', text: t('lf.fetch.retry'), 'aria-label': `${t('lf.fetch.retry')}: ${label('reportType', r.reportType)}` });
      button.addEventListener('click', () => {
        button.disabled = true;
        api(`/lost-and-found/report-fetches/${encodeURIComponent(r.reportType)}/retry`, { method: 'POST' })
          .then(() => fill(holder))
          .catch((error: unknown) => {
            button.disabled = false;
            errors.replaceChildren(errorBox(error));
          });
      });
      actionCell.append(button);
    }
    return el(
      'tr',
      { 'data-report': r.reportType },
      cell(label('reportType', r.reportType)),
      el('td', {}, el('span', { class: `status${failing ? ' failing' : ''}`, 'data-state': r.state, text: status })),
      cell(r.lastSuccessAt ? dateTime(r.lastSuccessAt) : '—'),
      cell(r.nextAttemptAt ? dateTime(r.nextAttemptAt) : '—'),
      actionCell,
    );
  });
  holder.replaceChildren(
    ...(heading ? [heading] : []),
    errors,
    rows.length > 0
      ? table({
          id: 'fetches',
          caption: t('lf.fetches'),
          columns: [{ label: t('lf.fetch.col.report') }, { label: t('lf.col.status') }, { label: t('lf.fetch.col.lastSuccess') }, { label: t('lf.fetch.col.nextAttempt') }, { label: t('lf.col.action') }],
          rows,
        })
      : el('p', { class: 'muted', text: t('lf.fetchesNone') }),
  );
}
