/**
 * The quarterly survey, answered by the customer (`GET /customer-surveys`, `POST /customer-surveys/{surveyId}/answer`):
 * an open survey is a form (the NPS question as eleven radio buttons 0–10, a comment, the follow-up consent); an
 * answered one says it was received, when, and what (in the app or on the call); a closed one says so. The first
 * answer stands: the server refuses a different second one, and that refusal is shown like any other.
 */
import { api } from '../api.ts';
import { el } from '../dom.ts';
import { t } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { errorBox } from './common.ts';

interface CustomerSurvey {
  readonly surveyId: string;
  readonly quarter: string;
  readonly status: 'open' | 'answered' | 'closed';
  readonly answerableUntil: string;
  readonly answer: {
    readonly overall: number;
    readonly comment: string | null;
    readonly followUpConsent: boolean;
    readonly recordedAt: string;
    readonly channel: 'app' | 'phone';
  } | null;
}

/** `2026-Q4` → *Q4 2026* / *4. Quartal 2026*. */
function quarterWords(quarter: string): string {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  return match ? t('sv.quarter', { year: match[1] ?? '', q: match[2] ?? '' }) : quarter;
}

function answered(answer: NonNullable<CustomerSurvey['answer']>): HTMLElement[] {
  return [
    el('p', { class: 'ok', text: t('sv.thanks', { date: dateTime(answer.recordedAt) }) }),
    el('p', { class: 'survey-answer', text: t('sv.answer', { overall: answer.overall }) }),
    ...(answer.comment ? [el('p', { text: t('sv.yourComment', { comment: answer.comment }) })] : []),
    ...(answer.channel === 'phone' ? [el('p', { class: 'muted', text: t('sv.byPhone') })] : []),
  ];
}

function answerForm(survey: CustomerSurvey, done: () => Promise<void>): HTMLElement {
  const id = (name: string) => `${name}-${survey.surveyId}`;
  const result = el('div', { id: id('survey-result'), 'aria-live': 'polite' });
  const scale = el(
    'div',
    { class: 'scale' },
    ...Array.from({ length: 11 }, (_, score) =>
      el('label', { class: 'scale-point' }, el('input', { type: 'radio', name: id('overall'), value: String(score)}), String(score)),
    ),
  );
  const comment = el('textarea', { id: id('comment'), rows: '3', maxlength: '2000' });
  const consent = el('input', { id: id('consent'), type: 'checkbox' });
  const form = el(
    'form',
    { id: id('survey-form'), class: 'stacked survey-form', 'data-survey': survey.surveyId },
    el('fieldset', {}, el('legend', { text: t('sv.question') }), el('p', { class: 'muted', id: id('scale-hint'), text: t('sv.scaleHint') }), scale),
    el('label', { for: id('comment'), text: t('sv.comment') }),
    comment,
    el('div', { class: 'checkbox' }, consent, el('label', { for: id('consent'), text: t('sv.consent') })),
    el('button', { type: 'submit', text: t('sv.submit') }),
    result,
  );
  scale.setAttribute('aria-describedby', id('scale-hint'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const picked = form.querySelector<HTMLInputElement>(`input[name="${id('overall')}"]:checked`);
    if (!picked) {
      result.replaceChildren(el('p', { class: 'error', role: 'alert', text: t('sv.pickScore') }));
      return;
    }
    const text = comment.value.trim();
    const body = { overall: Number(picked.value), followUpConsent: consent.checked, ...(text.length > 0 ? { comment: text } : {}) };
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    result.replaceChildren();
    api<CustomerSurvey>(`/customer-surveys/${encodeURIComponent(survey.surveyId)}/answer`, { method: 'POST', body })
      .then(done)
      .catch((error: unknown) => {
        result.replaceChildren(errorBox(error));
        if (button) button.disabled = false;
      });
  });
  return el('div', {}, el('p', { class: 'muted', text: t('sv.openUntil', { date: dateTime(survey.answerableUntil) }) }), form);
}

/** The customer's surveys, each as a form, a receipt or a closed note; `holder` is redrawn after an answer. */
export async function drawSurveys(holder: HTMLElement): Promise<void> {
  try {
    const { surveys } = await api<{ surveys: CustomerSurvey[] }>('/customer-surveys');
    if (surveys.length === 0) {
      holder.replaceChildren(el('p', { class: 'muted', id: 'survey-none', text: t('sv.none') }));
      return;
    }
    const redraw = async (): Promise<void> => {
      await drawSurveys(holder);
      holder.querySelector<HTMLElement>('.ok')?.focus();
    };
    holder.replaceChildren(
      ...surveys.map((survey) =>
        el(
          'div',
          { class: 'survey', 'data-survey': survey.surveyId, 'data-status': survey.status },
          el('h3', { text: t('sv.title', { quarter: quarterWords(survey.quarter) }) }),
          ...(survey.answer ? answered(survey.answer) : survey.status === 'open' ? [answerForm(survey, redraw)] : [el('p', { class: 'muted', text: t('sv.closed', { date: dateTime(survey.answerableUntil) }) })]),
        ),
      ),
    );
    for (const receipt of holder.querySelectorAll<HTMLElement>('.ok')) receipt.setAttribute('tabindex', '-1');
  } catch (error) {
    holder.replaceChildren(errorBox(error));
  }
}
