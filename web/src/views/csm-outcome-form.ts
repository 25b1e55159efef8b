/**
 * The outcome form of a task: welcome call, end-of-trial call, anomaly call (and every other call: notes and
 * whether the customer was reached), survey call and support request, with the difficulties the customer
 * mentioned. Fields are exactly those of the server's schema for the kind (csm-outcomes.ts); a refusal from the
 * server is shown at the field it names, in words, and announced.
 */
import { api, ApiError } from '../api.ts';
import { el } from '../dom.ts';
import { label, t, type MessageKey } from '../i18n.ts';
import { csmLabel } from '../csm-labels.ts';
import {
  EMPTY_OUTCOME,
  formOf,
  outcomeOf,
  PRODUCT_AREAS,
  refusedField,
  SEVERITIES,
  SURVEY_PRODUCTS,
  SURVEY_RESULTS,
  takesDifficulties,
  TRIAL_STRATEGIES,
  type DifficultyValues,
  type OutcomeValues,
  type SurveyResult,
} from '../csm-outcomes.ts';
import { errorBox } from './common.ts';
import { assessmentElementId, needsAssessmentFields } from './csm-needs-assessment.ts';
import type { CsmTask } from './csm-types.ts';

const MAX_DIFFICULTIES = 10;

function field(id: string, text: string, control: HTMLElement, hint?: string): HTMLElement {
  return el('div', { class: 'field' }, el('label', { for: id, text }), control, ...(hint ? [el('p', { class: 'hint muted', id: `${id}-hint`, text: hint })] : []));
}

function checkbox(id: string, text: string, checked: boolean): { box: HTMLElement; input: HTMLInputElement } {
  const input = el('input', { type: 'checkbox', id, checked });
  return { box: el('div', { class: 'field check' }, input, el('label', { for: id, text })), input };
}

function select(id: string, options: readonly { value: string; text: string }[], value = ''): HTMLSelectElement {
  const node = el('select', { id }, ...options.map((o) => el('option', { value: o.value, text: o.text })));
  node.value = value;
  return node;
}

function scoreInput(id: string, required: boolean): HTMLInputElement {
  return el('input', { id, type: 'number', min: '0', max: '10', step: '1', inputmode: 'numeric', required, class: 'score' });
}

/** The refused field's element id (`answers.products.0.satisfaction` → the rated product's input). */
function elementIdOf(path: string, ratedProducts: readonly string[]): string {
  const assessment = assessmentElementId(path);
  if (assessment) return assessment;
  const difficulty = /^(?:answers\.)?difficulties\.(\d+)\.(\w+)$/.exec(path);
  if (difficulty) return `outcome-difficulty-${difficulty[1]}-${difficulty[2]}`;
  const product = /^answers\.products\.(\d+)/.exec(path);
  if (product) return `outcome-satisfaction-${ratedProducts[Number(product[1])] ?? SURVEY_PRODUCTS[0]}`;
  const ids: Record<string, string> = {
    notes: 'outcome-notes', reached: 'outcome-reached', feedback: 'outcome-feedback', strategyAdjusted: 'outcome-strategy-adjusted',
    newStrategy: 'outcome-new-strategy', converted: 'outcome-converted', resolved: 'outcome-resolved', result: 'outcome-result-answered',
    at: 'outcome-at', 'answers.overall': 'outcome-overall', 'answers.improve': 'outcome-improve', 'answers.followUpConsent': 'outcome-consent',
  };
  return ids[path] ?? '';
}

/** The server's (English, zod) message in the user's words, where it is one of the usual ones. */
export function refusalInWords(message: string): string {
  if (/expected string to have >=1 characters|expected array to have >=1 items|Required|expected string, received undefined/i.test(message)) return t('csm.err.required');
  if (/Invalid option/i.test(message)) return t('csm.err.choose');
  const tooBig = /expected number to be <=\s*(-?\d+)/.exec(message);
  if (tooBig) return t('csm.err.max', { max: tooBig[1] ?? '' });
  const tooSmall = /expected number to be >=\s*(-?\d+)/.exec(message);
  if (tooSmall) return t('csm.err.min', { min: tooSmall[1] ?? '' });
  if (/expected int/i.test(message)) return t('csm.err.whole');
  if (/expected number/i.test(message)) return t('csm.err.number');
  if (/datetime/i.test(message)) return t('csm.err.dateTime');
  return message;
}

export function outcomeForm(task: CsmTask, onDone: (task: CsmTask) => void, onCancel: () => void): HTMLElement {
  const kind = formOf(task.kind);
  const heading = el('h3', { id: 'outcome-heading', tabindex: '-1', text: t('csm.outcome.title', { kind: label('taskKind', task.kind), company: task.companyName }) });
  const problems = el('div', { id: 'outcome-errors' });
  const body: HTMLElement[] = [];

  const notes = el('textarea', { id: 'outcome-notes', rows: '3', maxlength: '5000', required: kind === 'general' || kind === 'support' });
  const reached = checkbox('outcome-reached', t('csm.outcome.reached'), true);
  const feedback = el('textarea', { id: 'outcome-feedback', rows: '3', maxlength: '5000', required: true });
  const adjusted = checkbox('outcome-strategy-adjusted', t('csm.outcome.strategyAdjusted'), false);
  const newStrategy = select('outcome-new-strategy', [{ value: '', text: t('csm.outcome.noNewStrategy') }, ...TRIAL_STRATEGIES.map((s) => ({ value: s, text: label('strategy', s) }))]);
  const converted = checkbox('outcome-converted', t('csm.outcome.converted'), false);
  const resolved = checkbox('outcome-resolved', t('csm.outcome.resolved'), true);
  const overall = scoreInput('outcome-overall', true);
  const satisfaction = SURVEY_PRODUCTS.map((p) => ({ product: p, input: scoreInput(`outcome-satisfaction-${p}`, false) }));
  const improve = el('textarea', { id: 'outcome-improve', rows: '2', maxlength: '5000' });
  const consent = checkbox('outcome-consent', t('csm.outcome.followUpConsent'), false);
  const at = el('input', { id: 'outcome-at', type: 'datetime-local' });
  const results = SURVEY_RESULTS.map((r) => ({ result: r, input: el('input', { type: 'radio', name: 'outcome-result', id: `outcome-result-${r}`, value: r, checked: r === 'answered' }) }));

  // Difficulties the customer mentioned (product feedback), added one by one.
  const difficultyRows: { area: HTMLSelectElement; severity: HTMLSelectElement; verbatim: HTMLInputElement }[] = [];
  const difficultyList = el('div', { id: 'outcome-difficulties' });
  const addDifficulty = el('button', { type: 'button', class: 'secondary', id: 'outcome-add-difficulty', text: t('csm.outcome.addDifficulty') });
  addDifficulty.addEventListener('click', () => {
    const i = difficultyRows.length;
    const row = {
      area: select(`outcome-difficulty-${i}-productArea`, PRODUCT_AREAS.map((a) => ({ value: a, text: csmLabel('productArea', a) })), 'other'),
      severity: select(`outcome-difficulty-${i}-severity`, SEVERITIES.map((s) => ({ value: s, text: csmLabel('severity', s) })), 'medium'),
      verbatim: el('input', { id: `outcome-difficulty-${i}-verbatim`, type: 'text', minlength: '3', maxlength: '2000', required: true }),
    };
    difficultyRows.push(row);
    difficultyList.append(
      el(
        'fieldset',
        { class: 'difficulty' },
        el('legend', { text: t('csm.outcome.difficultyN', { n: i + 1 }) }),
        field(row.area.id, t('csm.outcome.productArea'), row.area),
        field(row.severity.id, t('csm.outcome.severity'), row.severity),
        field(row.verbatim.id, t('csm.outcome.verbatim'), row.verbatim),
      ),
    );
    addDifficulty.hidden = difficultyRows.length >= MAX_DIFFICULTIES;
    row.area.focus();
  });
  const difficulties = el('fieldset', { class: 'difficulties' }, el('legend', { text: t('csm.outcome.difficulties') }), difficultyList, addDifficulty);

  const assessment = task.kind === 'welcome-call' ? needsAssessmentFields() : null;
  if (kind === 'general') {
    body.push(reached.box, field(notes.id, t('csm.outcome.notes'), notes));
    if (assessment) body.push(assessment.element);
    if (takesDifficulties(task.kind)) body.push(difficulties);
  } else if (kind === 'support') {
    body.push(resolved.box, field(notes.id, t('csm.outcome.notes'), notes), difficulties);
  } else if (kind === 'end-of-trial') {
    const strategyField = field(newStrategy.id, t('csm.outcome.newStrategy'), newStrategy);
    strategyField.hidden = true;
    adjusted.input.addEventListener('change', () => {
      strategyField.hidden = !adjusted.input.checked;
    });
    body.push(field(feedback.id, t('csm.outcome.feedback'), feedback), adjusted.box, strategyField, converted.box, difficulties);
  } else {
    const answered = el(
      'div',
      { id: 'outcome-answers' },
      field(overall.id, t('csm.outcome.overall'), overall, t('csm.outcome.overallHint')),
      el(
        'fieldset',
        {},
        el('legend', { text: t('csm.outcome.satisfaction') }),
        ...satisfaction.map((s) => field(s.input.id, csmLabel('product', s.product), s.input)),
      ),
      field(improve.id, t('csm.outcome.improve'), improve),
      consent.box,
      difficulties,
    );
    const later = field(at.id, t('csm.outcome.at'), at);
    const showResult = (): void => {
      const chosen = results.find((r) => r.input.checked)?.result ?? 'answered';
      answered.hidden = chosen !== 'answered';
      overall.required = chosen === 'answered';
      later.hidden = chosen !== 'reschedule';
      at.required = chosen === 'reschedule';
    };
    for (const r of results) r.input.addEventListener('change', showResult);
    body.push(
      el('fieldset', { class: 'choices' }, el('legend', { text: t('csm.outcome.result') }), ...results.map((r) => el('div', { class: 'field check' }, r.input, el('label', { for: r.input.id, text: csmLabel('surveyResult', r.result) })))),
      answered,
      later,
      field(notes.id, t('csm.outcome.notesOptional'), notes),
    );
    showResult();
  }

  const read = (): OutcomeValues => ({
    ...EMPTY_OUTCOME,
    notes: notes.value,
    reached: reached.input.checked,
    feedback: feedback.value,
    strategyAdjusted: adjusted.input.checked,
    newStrategy: newStrategy.value,
    converted: converted.input.checked,
    resolved: resolved.input.checked,
    surveyResult: (results.find((r) => r.input.checked)?.result ?? 'answered') satisfies SurveyResult,
    overall: overall.value,
    satisfaction: Object.fromEntries(satisfaction.map((s) => [s.product, s.input.value])),
    improve: improve.value,
    followUpConsent: consent.input.checked,
    rescheduleAt: at.value,
    difficulties: difficultyRows.map((r): DifficultyValues => ({ productArea: r.area.value as DifficultyValues['productArea'], severity: r.severity.value as DifficultyValues['severity'], verbatim: r.verbatim.value })),
    needsAssessment: assessment?.read() ?? null,
  });

  const clearRefusals = (form: HTMLElement): void => {
    problems.replaceChildren();
    for (const node of form.querySelectorAll('[aria-invalid="true"]')) {
      node.removeAttribute('aria-invalid');
      const hint = node.id ? form.querySelector(`#${node.id}-hint`) : null;
      node.setAttribute('aria-describedby', hint ? hint.id : '');
      if (!hint) node.removeAttribute('aria-describedby');
    }
    for (const node of form.querySelectorAll('.field-error')) node.remove();
  };

  const submit = el('button', { type: 'submit', id: 'outcome-submit', text: t('csm.outcome.submit') });
  const cancel = el('button', { type: 'button', class: 'secondary', text: t('csm.outcome.cancel') });
  cancel.addEventListener('click', onCancel);
  // novalidate: the browser's own bubble speaks the browser's language, not the page's, and is gone in a moment; the
  // server's refusal is shown at the field it names, in the page's words (`required` still marks the fields).
  const form = el('form', { id: 'outcome-form', novalidate: true, 'aria-labelledby': 'outcome-heading', 'data-task': task.taskId, 'data-form': kind }, heading, problems, ...body, el('div', { class: 'toolbar' }, submit, cancel));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearRefusals(form);
    const values = read();
    const outcome = outcomeOf(task.kind, values);
    submit.disabled = true;
    api<CsmTask>(`/csm/tasks/${encodeURIComponent(task.taskId)}/complete`, { method: 'POST', body: { outcome } })
      .then(onDone)
      .catch((error: unknown) => {
        const refused = error instanceof ApiError ? refusedField(error.message) : null;
        const target = refused ? form.querySelector<HTMLElement>(`#${elementIdOf(refused.field, SURVEY_PRODUCTS.filter((p) => (values.satisfaction[p] ?? '').trim() !== ''))}`) : null;
        if (refused && target) {
          const labelText = form.querySelector(`label[for="${target.id}"]`)?.textContent ?? refused.field;
          const words = refusalInWords(refused.message);
          const note = el('p', { class: 'field-error', id: `${target.id}-error`, text: words });
          target.setAttribute('aria-invalid', 'true');
          const hint = form.querySelector(`#${target.id}-hint`);
          target.setAttribute('aria-describedby', [note.id, hint?.id].filter(Boolean).join(' '));
          target.insertAdjacentElement('afterend', note);
          problems.replaceChildren(el('div', { class: 'error', role: 'alert' }, el('strong', { text: `${t('csm.outcome.refused')} ` }), `${labelText}: ${words}`));
          target.focus();
        } else problems.replaceChildren(errorBox(error));
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}

/** The words for a task kind's form, for the button that opens it. */
export function completeLabel(task: CsmTask): string {
  const key: MessageKey = 'csm.task.complete';
  return `${t(key)}: ${label('taskKind', task.kind)} – ${task.companyName}`;
}
