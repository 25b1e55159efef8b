/**
 * The welcome call's needs assessment (R-O3): the fields of the server's `needsAssessmentSchema` in the welcome-call
 * outcome form (shown once *Needs assessment discussed* is ticked), and the stored assessment in the customer 360.
 */
import { el } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { ASSESSMENT_STRATEGIES, type NeedsAssessmentValues } from '../csm-outcomes.ts';
import { dateTime, integer } from '../format.ts';
import { MARKETPLACE_CODES } from '../../../shared/kernel/marketplaces.ts';
import type { NeedsAssessment } from './csm-types.ts';

function field(id: string, text: string, control: HTMLElement, hint?: string): HTMLElement {
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return el('div', { class: 'field' }, el('label', { for: id, text }), control, ...(hint ? [el('p', { class: 'hint muted', id: `${id}-hint`, text: hint })] : []));
}

/** The form element a refused `needsAssessment.…` path points at (`needsAssessment.goals.0` → the goals box). */
export function assessmentElementId(path: string): string | null {
  const match = /^needsAssessment(?:\.(\w+))?(?:\.(\w+))?/.exec(path);
  if (!match) return null;
  const [, first, second] = match;
  if (first === 'catalogue') return ({ skus: 'na-skus', privateLabelPercent: 'na-private-label', categories: 'na-categories', notes: 'na-catalogue-notes' } as Record<string, string>)[second ?? ''] ?? 'na-skus';
  const ids: Record<string, string> = { goals: 'na-goals', marketplaces: `na-marketplace-${MARKETPLACE_CODES[0]}`, painPoints: 'na-pain-points', chosenStrategy: 'na-strategy' };
  return ids[first ?? ''] ?? 'na-discussed';
}

/** The fieldset for the welcome-call form; `read()` is null while the assessment is not ticked. */
export function needsAssessmentFields(): { readonly element: HTMLElement; read(): NeedsAssessmentValues | null } {
  const discussed = el('input', { type: 'checkbox', id: 'na-discussed' });
  const goals = el('textarea', { id: 'na-goals', rows: '3', maxlength: '3000' });
  const skus = el('input', { id: 'na-skus', type: 'number', min: '0', step: '1', inputmode: 'numeric' });
  const privateLabel = el('input', { id: 'na-private-label', type: 'number', min: '0', max: '100', inputmode: 'decimal' });
  const categories = el('textarea', { id: 'na-categories', rows: '2', maxlength: '3000' });
  const catalogueNotes = el('textarea', { id: 'na-catalogue-notes', rows: '2', maxlength: '2000' });
  const painPoints = el('textarea', { id: 'na-pain-points', rows: '3', maxlength: '3000' });
  const strategy = el('select', { id: 'na-strategy' }, el('option', { value: '', text: t('na.chooseStrategy') }), ...ASSESSMENT_STRATEGIES.map((s) => el('option', { value: s, text: label('strategy', s) })));
  const markets = MARKETPLACE_CODES.map((code) => ({ code, input: el('input', { type: 'checkbox', id: `na-marketplace-${code}`, value: code }) }));

  const details = el(
    'div',
    { id: 'na-fields' },
    field(goals.id, t('na.goals'), goals, t('na.oneALine')),
    el(
      'fieldset',
      {},
      el('legend', { text: t('na.catalogue') }),
      field(skus.id, t('na.skus'), skus),
      field(privateLabel.id, t('na.privateLabel'), privateLabel),
      field(categories.id, t('na.categories'), categories, t('na.commaOrLine')),
      field(catalogueNotes.id, t('na.catalogueNotes'), catalogueNotes),
    ),
    el('fieldset', { class: 'choices inline' }, el('legend', { text: t('na.marketplaces') }), ...markets.map((m) => el('div', { class: 'field check' }, m.input, el('label', { for: m.input.id, text: m.code })))),
    field(painPoints.id, t('na.painPoints'), painPoints, t('na.oneALine')),
    field(strategy.id, t('na.strategy'), strategy),
  );
  details.hidden = true;
  discussed.addEventListener('change', () => {
    details.hidden = !discussed.checked;
    if (discussed.checked) goals.focus();
  });
  return {
    element: el('fieldset', { id: 'needs-assessment', class: 'needs-assessment' }, el('legend', { text: t('na.title') }), el('div', { class: 'field check' }, discussed, el('label', { for: discussed.id, text: t('na.discussed') })), details),
    read: () =>
      discussed.checked
        ? {
            goals: goals.value,
            skus: skus.value,
            privateLabelPercent: privateLabel.value,
            categories: categories.value,
            catalogueNotes: catalogueNotes.value,
            marketplaces: markets.filter((m) => m.input.checked).map((m) => m.code),
            painPoints: painPoints.value,
            chosenStrategy: strategy.value,
          }
        : null,
  };
}

/** The stored assessment in the 360: what the customer wants, its catalogue, where, what hurts, and the strategy chosen. */
export function needsAssessmentView(na: NeedsAssessment | null): HTMLElement {
  if (!na) return el('p', { id: 'c360-needs-none', class: 'muted', text: t('na.none') });
  const list = (items: readonly string[]) => (items.length === 0 ? t('app.none') : items.join('; '));
  const catalogue = [
    ...(na.catalogue.skus !== undefined ? [`${integer(na.catalogue.skus)} ${t('c360.skus')}`] : []),
    ...(na.catalogue.privateLabelPercent !== undefined ? [`${integer(na.catalogue.privateLabelPercent)} % ${t('c360.ownBrand')}`] : []),
    ...(na.catalogue.categories.length > 0 ? [na.catalogue.categories.join(', ')] : []),
    ...(na.catalogue.notes ? [na.catalogue.notes] : []),
  ];
  const rows: [string, string][] = [
    [t('na.goals'), list(na.goals)],
    [t('na.catalogue'), catalogue.length > 0 ? catalogue.join(' · ') : t('app.none')],
    [t('na.marketplaces'), list(na.marketplaces)],
    [t('na.painPoints'), list(na.painPoints)],
    [t('na.strategy'), label('strategy', na.chosenStrategy)],
    [t('na.recorded'), t('na.recordedBy', { at: dateTime(na.recordedAt), staff: na.recordedBy })],
  ];
  return el('dl', { id: 'c360-needs', class: 'facts' }, ...rows.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', { text: value })]));
}
