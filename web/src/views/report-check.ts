/** A stored report file's check in words (no DOM here: unit-tested in Node). */
import { isMessageKey, t } from '../i18n.ts';
import { integer } from '../format.ts';

/** One stored report file as `GET /lost-and-found/reports` lists it. */
export interface StoredReport {
  readonly fileName: string;
  readonly bytes: number;
  readonly type: string;
  readonly problem: { readonly code: string; readonly params: Readonly<Record<string, unknown>>; readonly message: string } | null;
}

/** A report type in words (an unknown code as itself, so a new type is visible). */
export function reportKind(type: string): string {
  const key = `up.kind.${type}`;
  return isMessageKey(key) ? t(key) : type;
}

function paramText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  return typeof value === 'number' ? integer(value) : String(value);
}

/** What the check of one stored file says: recognised, or the problem in the reader's language (the server's English if the code is new). */
export function reportCheck(report: StoredReport): { readonly ok: boolean; readonly text: string } {
  if (report.problem === null) return { ok: true, text: t('up.recognised', { type: reportKind(report.type) }) };
  const key = `up.problem.${report.problem.code}`;
  const params = Object.fromEntries(Object.entries(report.problem.params).map(([k, v]) => [k, paramText(v)]));
  return { ok: false, text: t('up.problem', { type: reportKind(report.type), problem: isMessageKey(key) ? t(key, params) : report.problem.message }) };
}

