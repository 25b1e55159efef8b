/**
 * What the outcome form of each CSM task kind asks and the `outcome` it sends to `POST /csm/tasks/{taskId}/complete`.
 * No DOM here: the form (views/csm-outcome-form.ts) reads its fields into `OutcomeValues`, and `outcomeOf` turns them
 * into exactly the object the server's schema for that kind accepts (test/unit/web-csm-outcomes.test.ts parses every
 * kind's result with the server's own schemas, so a field renamed on one side fails there, not in a customer call).
 * The server stays the judge: whatever it refuses comes back as `body.outcome.<field>: …` and is shown at the field.
 */

/** The form each task kind gets. Kinds the server has no special schema for complete with notes and `reached`. */
export type OutcomeForm = 'general' | 'end-of-trial' | 'survey' | 'support';

/** Product areas and severities of a difficulty (the server's PRODUCT_AREAS and SEVERITIES, checked by a test). */
export const PRODUCT_AREAS = ['repricer', 'lost-and-found', 'dashboard', 'onboarding', 'billing', 'account', 'api', 'other'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
/** Products a survey answer rates (the server's PRODUCTS). */
export const SURVEY_PRODUCTS = ['repricer', 'lost-and-found'] as const;
/** The strategies an end-of-trial call may switch to (the server's endOfTrialOutcomeSchema.newStrategy). */
// `split`: one strategy per segment of the recommendation (issue 20).
export const TRIAL_STRATEGIES = ['buybox', 'push', 'fixed', 'split'] as const;
export const SURVEY_RESULTS = ['answered', 'no-answer', 'reschedule', 'declined'] as const;

export type ProductArea = (typeof PRODUCT_AREAS)[number];
export type Severity = (typeof SEVERITIES)[number];
export type SurveyResult = (typeof SURVEY_RESULTS)[number];

export function formOf(kind: string): OutcomeForm {
  if (kind === 'end-of-trial-call') return 'end-of-trial';
  if (kind === 'survey-call') return 'survey';
  if (kind === 'support-request') return 'support';
  return 'general';
}

/** Kinds whose outcome may carry the difficulties the customer mentioned (the server's withDifficulties kinds). */
const DIFFICULTY_KINDS: ReadonlySet<string> = new Set(['welcome-call', 'callback', 'onboarding-appointment', 'end-of-trial-call', 'support-request', 'survey-call']);

export function takesDifficulties(kind: string): boolean {
  return DIFFICULTY_KINDS.has(kind);
}

/**
 * The welcome call's needs assessment as typed in (the server's needsAssessmentSchema): lists one item a line
 * (categories also split at commas), numbers as typed.
 */
export interface NeedsAssessmentValues {
  readonly goals: string;
  readonly skus: string;
  readonly privateLabelPercent: string;
  readonly categories: string;
  readonly catalogueNotes: string;
  readonly marketplaces: readonly string[];
  readonly painPoints: string;
  /** '' until chosen: the server names the missing field. */
  readonly chosenStrategy: string;
}

/** The strategies a needs assessment may record (the server's needsAssessmentSchema.chosenStrategy). */
export const ASSESSMENT_STRATEGIES = ['buybox', 'push', 'fixed', 'split'] as const;

function lines(text: string, alsoCommas = false): string[] {
  return text
    .split(alsoCommas ? /[\n,]/ : /\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The `needsAssessment` object to send: what was typed, empty optional fields left out. */
export function needsAssessmentOf(v: NeedsAssessmentValues): Record<string, unknown> {
  const catalogue: Record<string, unknown> = { categories: lines(v.categories, true) };
  if (v.skus.trim() !== '') catalogue.skus = numberOrText(v.skus);
  if (v.privateLabelPercent.trim() !== '') catalogue.privateLabelPercent = numberOrText(v.privateLabelPercent);
  if (v.catalogueNotes.trim() !== '') catalogue.notes = v.catalogueNotes;
  return { goals: lines(v.goals), catalogue, marketplaces: [...v.marketplaces], painPoints: lines(v.painPoints), chosenStrategy: v.chosenStrategy };
}

export interface DifficultyValues {
  readonly productArea: ProductArea;
  readonly severity: Severity;
  readonly verbatim: string;
}

/** What a form holds, as typed in (text stays text: the server trims and judges it). */
export interface OutcomeValues {
  readonly notes: string;
  readonly reached: boolean;
  readonly feedback: string;
  readonly strategyAdjusted: boolean;
  /** '' for no new strategy. */
  readonly newStrategy: string;
  readonly converted: boolean;
  readonly resolved: boolean;
  readonly surveyResult: SurveyResult;
  /** 0–10 as typed ('' when empty). */
  readonly overall: string;
  /** Per product: '' when not rated. */
  readonly satisfaction: Readonly<Record<string, string>>;
  readonly improve: string;
  readonly followUpConsent: boolean;
  /** `YYYY-MM-DDTHH:mm` of a datetime-local input, in the user's zone. */
  readonly rescheduleAt: string;
  readonly difficulties: readonly DifficultyValues[];
  /** Welcome call: the needs assessment, or null when none was discussed. */
  readonly needsAssessment: NeedsAssessmentValues | null;
}

export const EMPTY_OUTCOME: OutcomeValues = {
  notes: '',
  reached: true,
  feedback: '',
  strategyAdjusted: false,
  newStrategy: '',
  converted: false,
  resolved: true,
  surveyResult: 'answered',
  overall: '',
  satisfaction: {},
  improve: '',
  followUpConsent: false,
  rescheduleAt: '',
  difficulties: [],
  needsAssessment: null,
};

/** A number as typed, or the text itself (so the server names what is wrong with it). */
function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

/**
 * A datetime-local value (the user's wall clock) as an instant with its offset, which the server requires
 * (`2027-01-12T10:30:00+01:00`). The browser knows the user's zone: a Date built from the local fields carries it.
 */
export function localDateTimeWithOffset(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return value;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi);
  const offsetMinutes = -date.getTimezoneOffset();
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function optionalText(text: string): { notes?: string } {
  return text.trim() === '' ? {} : { notes: text };
}

function surveyOutcomeOf(v: OutcomeValues): Record<string, unknown> {
  switch (v.surveyResult) {
    case 'answered': {
      const products = SURVEY_PRODUCTS.filter((p) => (v.satisfaction[p] ?? '').trim() !== '').map((p) => ({ product: p, satisfaction: numberOrText(v.satisfaction[p] ?? '') }));
      return {
        result: 'answered',
        answers: {
          overall: numberOrText(v.overall),
          products,
          ...(v.improve.trim() === '' ? {} : { improve: v.improve }),
          followUpConsent: v.followUpConsent,
          difficulties: v.difficulties.map((d) => ({ ...d })),
        },
        ...optionalText(v.notes),
      };
    }
    case 'reschedule':
      return { result: 'reschedule', at: localDateTimeWithOffset(v.rescheduleAt), ...optionalText(v.notes) };
    case 'no-answer':
    case 'declined':
      return { result: v.surveyResult, ...optionalText(v.notes) };
  }
}

/** The `outcome` to send for a task of this kind. */
export function outcomeOf(kind: string, v: OutcomeValues): Record<string, unknown> {
  const difficulties = takesDifficulties(kind) && v.difficulties.length > 0 ? { difficulties: v.difficulties.map((d) => ({ ...d })) } : {};
  switch (formOf(kind)) {
    case 'end-of-trial':
      return {
        feedback: v.feedback,
        strategyAdjusted: v.strategyAdjusted,
        ...(v.strategyAdjusted && v.newStrategy !== '' ? { newStrategy: v.newStrategy } : {}),
        converted: v.converted,
        ...difficulties,
      };
    case 'support':
      return { notes: v.notes, resolved: v.resolved, ...difficulties };
    case 'survey':
      return surveyOutcomeOf(v);
    case 'general':
      return {
        notes: v.notes,
        reached: v.reached,
        ...difficulties,
        ...(kind === 'welcome-call' && v.needsAssessment ? { needsAssessment: needsAssessmentOf(v.needsAssessment) } : {}),
      };
  }
}

/**
 * The field a server refusal names: `body.outcome.answers.overall: Too big…` → `answers.overall` and the
 * message; null when the message names no outcome field (then it is shown above the form).
 */
export function refusedField(message: string): { field: string; message: string } | null {
  const match = /^body\.outcome\.([\w.]*):\s*(.*)$/s.exec(message);
  if (!match) return null;
  return { field: match[1] ?? '', message: match[2] ?? '' };
}
