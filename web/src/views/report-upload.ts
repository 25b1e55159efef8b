/**
 * Lost & Found report upload: drag and drop or the file picker, one pre-signed PUT per file with a progress bar,
 * then what the server made of each stored file (the report it recognised, or why the audit cannot read it), in
 * words. The server's refusals (a file name, the storage) are shown as they come, never as a silent failure.
 */
import { api, ApiError } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { t } from '../i18n.ts';
import { integer } from '../format.ts';
import { reportCheck, type StoredReport } from './report-check.ts';
import { putWithProgress, StorageRefusal, UploadInterrupted } from '../upload.ts';
import { messageOf } from './common.ts';

export function checkCell(report: StoredReport): HTMLTableCellElement {
  const check = reportCheck(report);
  return el('td', { class: check.ok ? 'ok' : 'bad', 'data-check': report.problem?.code ?? 'ok', text: check.text });
}

function uploadError(error: unknown): string {
  if (error instanceof ApiError && error.status === 400) return t('up.badName', { message: error.message });
  if (error instanceof StorageRefusal) return t('up.storageRefused', { status: error.status, message: error.message });
  if (error instanceof UploadInterrupted) return t('up.network');
  return messageOf(error);
}

/** The drop zone and file picker; `stored` runs after each batch (the report list redraws from it). */
export function reportUpload(stored: () => Promise<readonly StoredReport[]>): HTMLElement {
  const input = el('input', { type: 'file', id: 'report-files', multiple: true, accept: '.tsv,.txt,.csv,.gz,text/tab-separated-values,text/plain,application/gzip' });
  const rows = el('tbody');
  const results = el('div', { id: 'upload-results', hidden: true });
  results.append(
    el(
      'div',
      { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': t('up.files') },
      el(
        'table',
        { id: 'uploads' },
        el('caption', { class: 'visually-hidden', text: t('up.files') }),
        el('thead', {}, el('tr', {}, ...[t('up.col.file'), t('up.col.progress'), t('up.col.result')].map((label) => el('th', { scope: 'col', text: label })))),
        rows,
      ),
    ),
  );
  const zone = el(
    'div',
    { class: 'dropzone', id: 'report-drop' },
    el('p', { class: 'muted', text: t('up.hint') }),
    el('label', { for: 'report-files', text: t('up.choose') }),
    input,
    el('span', { class: 'drop-label', 'aria-hidden': 'true', text: t('up.drop') }),
  );

  const uploadOne = async (file: File, row: HTMLTableRowElement): Promise<boolean> => {
    const bar = el('progress', { max: '1', value: '0', 'aria-label': t('up.progressLabel', { name: file.name }) });
    const result = el('td', { 'aria-live': 'polite', text: t('up.uploading') });
    row.replaceChildren(cell(file.name), el('td', {}, bar), result);
    try {
      const { uploadUrl } = await api<{ uploadUrl: string }>('/lost-and-found/uploads', { method: 'POST', body: { fileName: file.name } });
      await putWithProgress(uploadUrl, file, (share) => {
        bar.value = share;
      });
      result.textContent = t('up.checking');
      return true;
    } catch (error) {
      result.className = 'bad';
      result.setAttribute('role', 'alert');
      result.textContent = uploadError(error);
      return false;
    }
  };

  const uploadAll = async (files: readonly File[]): Promise<void> => {
    if (files.length === 0) return;
    results.hidden = false;
    const pending = files.map((file) => {
      const row = el('tr', { 'data-upload': file.name }, cell(file.name), cell(''), cell(t('up.waiting')));
      rows.prepend(row);
      return { file, row };
    });
    const storedOk: { file: File; row: HTMLTableRowElement }[] = [];
    // One at a time: each bar moves in turn and a refusal is next to its own file.
    for (const p of pending) if (await uploadOne(p.file, p.row)) storedOk.push(p);
    if (storedOk.length === 0) return;
    try {
      const reports = await stored();
      for (const { file, row } of storedOk) {
        const report = reports.find((r) => r.fileName === file.name);
        if (report) row.lastElementChild?.replaceWith(checkCell(report));
      }
    } catch (error) {
      for (const { row } of storedOk) row.lastElementChild?.replaceWith(el('td', { class: 'bad', text: messageOf(error) }));
    }
  };

  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    void uploadAll(files);
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => {
    zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    void uploadAll([...(event.dataTransfer?.files ?? [])]);
  });
  return el('div', { class: 'report-upload' }, el('h3', { text: t('up.title') }), zone, results);
}

/** The stored files with their size and check. */
export function reportsTable(reports: readonly StoredReport[]): HTMLElement {
  if (reports.length === 0) return el('p', { class: 'muted', text: t('lf.reportsNone') });
  return table({
    id: 'reports',
    caption: t('lf.reportsTitle'),
    columns: [{ label: t('lf.ev.file') }, { label: t('lf.bytes'), numeric: true }, { label: t('lf.col.check') }],
    rows: reports.map((r) => el('tr', { 'data-report': r.fileName }, cell(r.fileName), cell(integer(r.bytes), true), checkCell(r))),
  });
}
