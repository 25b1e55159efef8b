/**
 * One Lost & Found claim: the report rows it rests on, the case text for Seller Support with a copy button, the
 * steps to file it, and the case id entry that moves it to filed.
 */
import { api } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { isMessageKey, label, t } from '../i18n.ts';
import { day, integer, money, type MinorMoney } from '../format.ts';
import { errorBox, section } from './common.ts';
import { reportKind } from './report-check.ts';

interface Evidence {
  readonly report: string;
  readonly id: string;
  readonly date: string;
  readonly quantity: number;
  readonly detail: string;
  readonly detailCode?: string;
  readonly detailParams?: Readonly<Record<string, string | number>>;
  readonly file: string;
  readonly line: number;
}
interface ClaimWithText {
  readonly id: string;
  readonly type: string;
  readonly msku: string;
  readonly amount: MinorMoney;
  readonly deadline: string;
  readonly status: string;
  readonly caseId?: string | null;
  readonly evidence: readonly Evidence[];
  readonly caseText: string;
}

/** The row's detail in the reader's language from its code; the server's English for a claim stored before codes (or a newer code). */
/** The evidence parameters that are amounts of money (integer minor units in the claim's currency). */
const MONEY_PARAMS: ReadonlySet<string> = new Set(['charged', 'expected']);

function evidenceDetail(e: Evidence, currency: string): string {
  const key = `ev.${e.detailCode ?? ''}`;
  if (e.detailCode === undefined || e.detailParams === undefined || !isMessageKey(key)) return e.detail;
  const words = (name: string, value: string | number): string =>
    typeof value !== 'number' ? value : MONEY_PARAMS.has(name) ? money({ minor: value, currency }) : integer(value);
  return t(key, Object.fromEntries(Object.entries(e.detailParams).map(([k, v]) => [k, words(k, v)])));
}

/** A claim that has no case yet (or must be filed again) can take a case id. */
export function canFile(status: string): boolean {
  return status === 'found' || status === 'reversed' || status === 'rejected';
}

export async function claimDetail(claimId: string, changed: () => Promise<void>): Promise<HTMLElement> {
  const claim = await api<ClaimWithText>(`/lost-and-found/claims/${encodeURIComponent(claimId)}`);
  const copied = el('span', { id: 'copy-status', role: 'status' });
  const copy = el('button', { type: 'button', id: 'copy-case', class: 'secondary', text: t('lf.copy') });
  copy.addEventListener('click', () => {
    navigator.clipboard
      .writeText(claim.caseText)
      .then(() => {
        copied.textContent = t('lf.copied');
      })
      .catch((error: unknown) => copied.replaceChildren(errorBox(error)));
  });
  const errors = el('div');
  const caseForm = (): HTMLElement => {
    const input = el('input', { id: 'case-id', inputmode: 'numeric', pattern: '[0-9]{6,20}', required: true, autocomplete: 'off', 'aria-describedby': 'case-id-hint' });
    // novalidate: a mistyped id is answered in the page's words (what a case id is), not the browser's "Please match
    // the requested format." in the browser's language.
    const form = el(
      'form',
      { id: 'case-form', class: 'toolbar', novalidate: true },
      el('label', { for: 'case-id', text: t('lf.caseId') }),
      input,
      el('button', { type: 'submit', text: t('lf.caseSave') }),
      el('p', { id: 'case-id-hint', class: 'muted', text: t('lf.caseIdHint') }),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const caseId = input.value.trim();
      if (!/^[0-9]{6,20}$/.test(caseId)) {
        input.setAttribute('aria-invalid', 'true');
        errors.replaceChildren(el('div', { class: 'error', role: 'alert', text: t('lf.caseIdInvalid', { label: t('lf.caseId'), value: caseId }) }));
        input.focus();
        return;
      }
      input.removeAttribute('aria-invalid');
      errors.replaceChildren();
      api(`/lost-and-found/claims/${encodeURIComponent(claim.id)}/case`, { method: 'POST', body: { caseId } })
        .then(changed)
        .catch((error: unknown) => errors.replaceChildren(errorBox(error)));
    });
    return form;
  };
  return section(
    'claim-detail',
    t('lf.claimTitle', { type: label('claimType', claim.type), sku: claim.msku }),
    el('p', { text: t('lf.claimSummary', { value: money(claim.amount), deadline: day(claim.deadline), status: label('claimStatus', claim.status) }) }),
    el('h3', { text: t('lf.evidence') }),
    table({
      id: 'evidence',
      caption: t('lf.evidence'),
      columns: [{ label: t('lf.ev.report') }, { label: t('lf.ev.id') }, { label: t('lf.ev.date') }, { label: t('lf.col.units'), numeric: true }, { label: t('lf.ev.detail') }, { label: t('lf.ev.file') }],
      rows: claim.evidence.map((e) => el('tr', {}, cell(reportKind(e.report)), cell(e.id), cell(day(e.date)), cell(integer(e.quantity), true), cell(evidenceDetail(e, claim.amount.currency)), cell(`${e.file}:${e.line}`))),
    }),
    el('h3', { text: t('lf.caseText') }),
    el('p', { class: 'muted', id: 'case-text-language', text: t('lf.caseTextEnglish') }),
    // English whatever the page's language: Seller Support reads it; screen readers are told so.
    el('pre', { id: 'case-text', class: 'case-text', lang: 'en', tabindex: '0', 'aria-label': t('lf.caseText'), 'aria-describedby': 'case-text-language', text: claim.caseText }),
    el('div', { class: 'toolbar' }, copy, copied),
    ...(canFile(claim.status)
      ? [
          el('h3', { text: t('lf.steps') }),
          el('ol', { id: 'filing-steps' }, el('li', { text: t('lf.step1') }), el('li', { text: t('lf.step2') }), el('li', { text: t('lf.step3') }), el('li', { text: t('lf.step4') })),
          caseForm(),
        ]
      : claim.caseId
        ? [el('p', { text: t('lf.case', { caseId: claim.caseId }) })]
        : []),
    errors,
  );
}
