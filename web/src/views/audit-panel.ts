/** The report files an audit reads and the audit itself: start one for a day, follow its status to the end. */
import { api } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { t } from '../i18n.ts';
import { integer } from '../format.ts';
import { errorBox, section } from './common.ts';

interface AuditJob {
  readonly auditId: string;
  readonly status: string;
  readonly asOf: string;
  readonly summary?: { readonly files: readonly unknown[]; readonly skippedLines: readonly unknown[]; readonly claimsFound: number; readonly created: number; readonly refreshed: number };
  readonly error?: string;
}

const POLL_MS = 1000;

function todayInUserZone(): string {
  // en-CA formats a date as YYYY-MM-DD, in the browser's zone.
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** `audited` redraws the figures with the finished audit's `message`, which the new panel shows again. */
export async function auditPanel(audited: (message: string) => Promise<void>, message = ''): Promise<HTMLElement> {
  const { reports } = await api<{ reports: { fileName: string; bytes: number }[] }>('/lost-and-found/reports');
  const status = el('div', { id: 'audit-status', role: 'status', text: message });
  const asOf = el('input', { id: 'audit-as-of', type: 'date', value: todayInUserZone(), required: true });
  const run = el('button', { type: 'submit', text: t('lf.auditRun') });
  const form = el('form', { id: 'audit-form', class: 'toolbar' }, el('label', { for: 'audit-as-of', text: t('lf.auditAsOf') }), asOf, run);
  const follow = async (auditId: string): Promise<void> => {
    for (;;) {
      const job = await api<AuditJob>(`/lost-and-found/audits/${encodeURIComponent(auditId)}`);
      const key = job.status === 'done' ? 'lf.audit.done' : job.status === 'failed' ? 'lf.audit.failed' : job.status === 'running' ? 'lf.audit.running' : 'lf.audit.queued';
      status.textContent = t(key, {
        found: integer(job.summary?.claimsFound ?? 0),
        created: integer(job.summary?.created ?? 0),
        files: integer(job.summary?.files.length ?? 0),
        skipped: integer(job.summary?.skippedLines.length ?? 0),
        error: job.error ?? '',
      });
      if (job.status === 'done') return audited(status.textContent);
      if (job.status === 'failed') return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run.disabled = true;
    api<{ auditId: string }>('/lost-and-found/audits', { method: 'POST', body: { asOf: asOf.value } })
      .then((started) => follow(started.auditId))
      .catch((error: unknown) => status.replaceChildren(errorBox(error)))
      .finally(() => {
        run.disabled = false;
      });
  });
  return section(
    'audit-section',
    t('lf.reportsTitle'),
    reports.length > 0
      ? table({
          id: 'reports',
          caption: t('lf.reportsTitle'),
          columns: [{ label: t('lf.ev.file') }, { label: t('lf.bytes'), numeric: true }],
          rows: reports.map((r) => el('tr', {}, cell(r.fileName), cell(integer(r.bytes), true))),
        })
      : el('p', { class: 'muted', text: t('lf.reportsNone') }),
    form,
    status,
  );
}
