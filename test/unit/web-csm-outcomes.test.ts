import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { ASSESSMENT_STRATEGIES, EMPTY_OUTCOME, localDateTimeWithOffset, needsAssessmentOf, outcomeOf, PRODUCT_AREAS, refusedField, SEVERITIES, SURVEY_PRODUCTS, TRIAL_STRATEGIES, type OutcomeValues } from '../../web/src/csm-outcomes.ts';
import { csmCodeLabels, csmDe, csmEn } from '../../web/src/i18n-csm.ts';
import { endOfTrialOutcomeSchema, generalOutcomeSchema } from '#shared/csm/task-queue.ts';
import { TASK_KINDS, type TaskKind } from '#shared/csm/tasks.ts';
import { customerServiceOutcomes } from '#shared/service/task-outcomes.ts';
import { PRODUCT_AREAS as SERVER_AREAS, SEVERITIES as SERVER_SEVERITIES } from '#shared/service/feedback.ts';
import { surveyCallOutcomeSchema } from '#shared/service/surveys.ts';
import { needsAssessmentSchema } from '#shared/customers/needs-assessment.ts';
import { PRODUCTS, PLANS } from '#shared/contracts/customer-events.ts';
import { CSM_PUSH_EVENT_TYPES } from '#shared/csm/subscriptions.ts';

/**
 * The console's outcome forms send what the server's schemas accept (shared/csm/task-queue.ts,
 * shared/service/task-outcomes.ts, shared/service/surveys.ts): every kind, every survey result.
 */
/** The server's outcome handlers (their schemas only: nothing is applied, so no store is needed). */
const handlers = customerServiceOutcomes({} as Parameters<typeof customerServiceOutcomes>[0]);
/** The schema completeTask (shared/csm/task-queue.ts) applies to a kind. */
function serverSchemaOf(kind: TaskKind): z.ZodType {
  return handlers[kind]?.schema ?? (kind === 'end-of-trial-call' ? endOfTrialOutcomeSchema : generalOutcomeSchema);
}

const filled: OutcomeValues = {
  ...EMPTY_OUTCOME,
  notes: 'Called, all fine',
  feedback: 'Likes the Buy Box share',
  strategyAdjusted: true,
  newStrategy: 'push',
  converted: true,
  overall: '9',
  satisfaction: { repricer: '8', 'lost-and-found': '' },
  improve: 'Nightly repricing',
  followUpConsent: true,
  rescheduleAt: '2027-01-12T10:30',
  difficulties: [{ productArea: 'repricer', severity: 'high', verbatim: 'Rules upload is confusing' }],
};

describe('the CSM outcome forms', () => {
  for (const kind of TASK_KINDS) {
    it(`sends a ${kind} outcome the server accepts`, () => {
      const results = kind === 'survey-call' ? (['answered', 'no-answer', 'reschedule', 'declined'] as const) : (['answered'] as const);
      for (const surveyResult of results) {
        const parsed = serverSchemaOf(kind).safeParse(outcomeOf(kind, { ...filled, surveyResult }));
        expect(parsed.success, `${kind} ${surveyResult}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    });
  }

  it('leaves the judging of what was typed to the server, which names the field', () => {
    const blank = serverSchemaOf('welcome-call').safeParse(outcomeOf('welcome-call', { ...filled, notes: '   ', difficulties: [] }));
    expect(blank.success).toBe(false);
    const score = surveyCallOutcomeSchema.safeParse(outcomeOf('survey-call', { ...filled, overall: '11' }));
    expect(score.error?.issues[0]?.path.join('.')).toBe('answers.overall');
    expect(refusedField('body.outcome.answers.overall: Too big: expected number to be <=10')).toEqual({ field: 'answers.overall', message: 'Too big: expected number to be <=10' });
    expect(refusedField('body.companyName: Required')).toBeNull();
  });

  it('sends the welcome call’s needs assessment as the server’s structured needsAssessment, and nothing when none was discussed', () => {
    const assessment = {
      goals: 'Win the Buy Box on bestsellers\n\n  Clear old stock  ',
      skus: '120',
      privateLabelPercent: '40',
      categories: 'Kitchen, Garden\nToys',
      catalogueNotes: '',
      marketplaces: ['DE', 'FR'],
      painPoints: 'Manual repricing',
      chosenStrategy: 'split',
    };
    const outcome = outcomeOf('welcome-call', { ...filled, needsAssessment: assessment });
    const parsed = serverSchemaOf('welcome-call').safeParse(outcome);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(needsAssessmentSchema.parse(outcome.needsAssessment)).toEqual({
      goals: ['Win the Buy Box on bestsellers', 'Clear old stock'],
      catalogue: { skus: 120, privateLabelPercent: 40, categories: ['Kitchen', 'Garden', 'Toys'] },
      marketplaces: ['DE', 'FR'],
      painPoints: ['Manual repricing'],
      chosenStrategy: 'split',
    });
    expect(outcomeOf('welcome-call', filled)).not.toHaveProperty('needsAssessment');
    // Only the welcome call carries one (the other calls' schemas are strict and would refuse it).
    expect(outcomeOf('callback', { ...filled, needsAssessment: assessment })).not.toHaveProperty('needsAssessment');
    // Nothing chosen, no goal: the server refuses it and names the field, which the form marks.
    const blank = serverSchemaOf('welcome-call').safeParse(outcomeOf('welcome-call', { ...filled, needsAssessment: { ...assessment, goals: ' ', chosenStrategy: '' } }));
    expect(blank.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['needsAssessment.chosenStrategy', 'needsAssessment.goals']);
    expect(needsAssessmentOf({ ...assessment, skus: '', privateLabelPercent: '' }).catalogue).toEqual({ categories: ['Kitchen', 'Garden', 'Toys'] });
    expect([...ASSESSMENT_STRATEGIES]).toEqual(needsAssessmentSchema.shape.chosenStrategy.options);
  });

  it('writes a datetime-local value as an instant with the user’s offset', () => {
    expect(localDateTimeWithOffset('2027-01-12T10:30')).toMatch(/^2027-01-12T10:30:00[+-]\d{2}:\d{2}$/);
  });

  it('offers the server’s product areas, severities, products and strategies', () => {
    expect([...PRODUCT_AREAS]).toEqual([...SERVER_AREAS]);
    expect([...SEVERITIES]).toEqual([...SERVER_SEVERITIES]);
    expect([...SURVEY_PRODUCTS]).toEqual([...PRODUCTS]);
    expect([...TRIAL_STRATEGIES]).toEqual(endOfTrialOutcomeSchema.shape.newStrategy.unwrap().options);
  });
});

describe('the CSM console says every code in words, in English and German', () => {
  it('has the same keys in both languages', () => {
    expect(Object.keys(csmDe).sort()).toEqual(Object.keys(csmEn).sort());
  });
  for (const language of ['en', 'de'] as const) {
    it(`labels every push event type, product area, severity, product and plan (${language})`, () => {
      const labels = csmCodeLabels[language];
      for (const code of CSM_PUSH_EVENT_TYPES) expect(labels.eventType[code], code).toBeDefined();
      for (const code of SERVER_AREAS) expect(labels.productArea[code], code).toBeDefined();
      for (const code of SERVER_SEVERITIES) expect(labels.severity[code], code).toBeDefined();
      for (const code of PRODUCTS) expect(labels.product[code], code).toBeDefined();
      for (const code of PLANS) expect(labels.plan[code], code).toBeDefined();
    });
  }
});
