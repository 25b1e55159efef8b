/**
 * The report files an audit reads (uploaded here by drag and drop or the file picker, each checked) and the audit
 * itself: start one for a day, follow its status to the end, then what it could not check yet and which report
 * would let it.
 */
import { api } from '../api.ts';
import { el } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { day, integer, localDay } from '../format.ts';
import { serverNow } from '../clock.ts';
import { errorBox, section } from './common.ts';
import { reportKind, type StoredReport } from './report-check.ts';
import { reportsTable, reportUpload } from './report-upload.ts';

interface Withheld {
  readonly code: string;
  readonly type: string;
  readonly report: string;
  readonly candidates: number;
  readonly from: string;
  readonly to: string;
  readonly message: string;
}
export interface AuditJob {
  readonly auditId: string;
  readonly status: string;
  readonly asOf: string;
  readonly summary?: {
    readonly files: readonly unknown[];
    readonly skippedLines: readonly unknown[];
    readonly claimsFound: number;
    readonly created: number;
    readonly refreshed: number;
    readonly withheld?: readonly Withheld[];
  };
  readonly error?: string;
}

const POLL_MS = 1000;

function statusText(job: AuditJob): string {
  const key = job.status === 'done' ? 'lf.audit.done' : job.status === 'failed' ? 'lf.audit.failed' : job.status === 'running' ? 'lf.audit.running' : 'lf.audit.queued';
  return t(key, {
    found: integer(job.summary?.claimsFound ?? 0),
    created: integer(job.summary?.created ?? 0),
    files: integer(job.summary?.files.length ?? 0),
    skipped: integer(job.summary?.skippedLines.length ?? 0),
    error: job.error ?? '',
  });
}

/** One piece of advice in words, from its code and fields (the server's English `message` for a code this app does not know). */
function withheldText(w: Withheld): string {
  const period = w.from === w.to ? day(w.from) : t('lf.period', { from: day(w.from), to: day(w.to) });
  const params = { report: reportKind(w.report), period, candidates: integer(w.candidates), type: label('claimType', w.type) };
  if (w.code === 'report_missing') return t('lf.withheld.report_missing', params);
  if (w.code === 'report_not_covering') return t('lf.withheld.report_not_covering', params);
  return w.message;
}

/** What the finished audit could not check, and the report that would let it. */
function withheldView(job: AuditJob | null): Node[] {
  const withheld = job?.summary?.withheld ?? [];
  return withheld.length > 0 ? [el('h3', { text: t('lf.withheld') }), el('ul', { id: 'withheld' }, ...withheld.map((w) => el('li', { 'data-code': w.code, text: withheldText(w) })))] : [];
}

/** `audited` redraws the figures after a finished audit, handing back the job, which the new panel shows again. */
export async function auditPanel(audited: (job: AuditJob) => Promise<void>, lastJob: AuditJob | null = null): Promise<HTMLElement> {
  const reportsHolder = el('div', { id: 'reports-holder' });
  const drawReports = async (): Promise<readonly StoredReport[]> => {
    const { reports } = await api<{ reports: StoredReport[] }>('/lost-and-found/reports');
    reportsHolder.replaceChildren(reportsTable(reports));
    return reports;
  };
  // The day of the last audit, else today: the system's day (its clock may be simulated), in the user's calendar.
  const [, asOfDay] = await Promise.all([drawReports(), lastJob ? lastJob.asOf : serverNow().then(localDay)]);
  const status = el('div', { id: 'audit-status', role: 'status', text: lastJob ? statusText(lastJob) : '' });
  const withheld = el('div', { id: 'withheld-holder' }, ...withheldView(lastJob));
  const asOf = el('input', { id: 'audit-as-of', type: 'date', value: asOfDay, required: true });
  const run = el('button', { type: 'submit', text: t('lf.auditRun') });
  const form = el('form', { id: 'audit-form', class: 'toolbar' }, el('label', { for: 'audit-as-of', text: t('lf.auditAsOf') }), asOf, run);
  const follow = async (auditId: string): Promise<void> => {
    for (;;) {
      const job = await api<AuditJob>(`/lost-and-found/audits/${encodeURIComponent(auditId)}`);
      status.textContent = statusText(job);
      withheld.replaceChildren(...withheldView(job));
      if (job.status === 'done') return audited(job);
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
  return section('audit-section', t('lf.reportsTitle'), reportUpload(drawReports), el('h3', { text: t('lf.reportsStored') }), reportsHolder, form, status, withheld);
}
