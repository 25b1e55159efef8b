/**
 * Outcomes of the customer-service task kinds for the CSM task queue (shared/csm/task-queue.ts): survey
 * calls (answers / no answer / reschedule / declined), support requests (resolve the request), and the
 * difficulties any call may record for product development (onboarding, end-of-trial, welcome, callback).
 */
import * as z from 'zod';
import type { Clock } from '#shared/kernel/clock.ts';
import { completedTask, endOfTrialOutcomeSchema, generalOutcomeSchema, type TaskOutcomeHandler, type TaskOutcomeHandlers, type CsmTask } from '#shared/csm/index.ts';
import { difficultyInputSchema, recordDifficulty, type FeedbackDeps, type Touchpoint } from './feedback.ts';
import { applySurveyCallOutcome, surveyCallOutcomeSchema, type SurveyDeps } from './surveys.ts';
import { updateSupportStatus } from './support.ts';
import { applyEndOfTrialOutcome, type TrialOutcomeDeps } from '#shared/onboarding/index.ts';
import { needsAssessmentSchema, recordNeedsAssessment } from '#shared/customers/index.ts';
import type { SupportStore } from './ports.ts';

const difficulties = z.array(difficultyInputSchema).max(10).optional();

/**
 * Records the difficulties an outcome carries, then completes the task as usual; `effects` (if any) is what the
 * outcome makes happen elsewhere (a trial converted, a strategy switched): it runs first, so a refused effect
 * leaves the task open, and what it did is stored with the outcome.
 */
function withDifficulties(
  base: z.ZodObject,
  touchpoint: Touchpoint,
  feedback: FeedbackDeps,
  clock: Clock,
  effects?: (task: CsmTask, outcome: Record<string, unknown>, staffId: string) => Promise<Readonly<Record<string, unknown>>>,
): TaskOutcomeHandler {
  const schema = base.extend({ difficulties });
  return {
    schema,
    async apply(task: CsmTask, outcome: unknown, staffId: string) {
      const parsed = schema.parse(outcome) as { difficulties?: z.infer<typeof difficultyInputSchema>[] } & Record<string, unknown>;
      const done = effects ? { effects: await effects(task, parsed, staffId) } : {};
      for (const d of parsed.difficulties ?? []) {
        await recordDifficulty(feedback, { ...d, tenantId: task.tenantId, touchpoint, touchpointRef: task.taskId, recordedBy: staffId });
      }
      return completedTask(task, staffId, { ...parsed, ...done }, clock.now());
    },
  };
}

export function customerServiceOutcomes(deps: {
  survey: SurveyDeps;
  feedback: FeedbackDeps;
  support: SupportStore;
  clock: Clock;
  isVersionConflict: (e: unknown) => boolean;
  /** What an end-of-trial call's outcome does to the contract and the Repricer strategy (R-O4). */
  trialOutcome: TrialOutcomeDeps;
}): TaskOutcomeHandlers {
  const supportOutcome = generalOutcomeSchema.extend({ resolved: z.boolean().default(true), difficulties });
  return {
    'survey-call': {
      schema: surveyCallOutcomeSchema,
      apply: (task, outcome, staffId) => applySurveyCallOutcome(deps.survey, task, surveyCallOutcomeSchema.parse(outcome), staffId),
    },
    'support-request': {
      schema: supportOutcome,
      async apply(task, outcome, staffId) {
        const parsed = supportOutcome.parse(outcome);
        for (const d of parsed.difficulties ?? []) {
          // Web requests from unknown senders have no customer: their difficulties need a hotline/CSM follow-up.
          if (task.tenantId.startsWith('web:')) break;
          // eslint-disable-next-line @typescript-eslint/no-base-to-string -- details are untyped JSON; the request id is stored as a string
          await recordDifficulty(deps.feedback, { ...d, tenantId: task.tenantId, touchpoint: 'support-request', touchpointRef: String(task.details.requestId ?? task.taskId), recordedBy: staffId });
        }
        const requestId = typeof task.details.requestId === 'string' ? task.details.requestId : undefined;
        if (requestId) {
          await updateSupportStatus({ store: deps.support, clock: deps.clock, isVersionConflict: deps.isVersionConflict }, requestId, { status: parsed.resolved ? 'resolved' : 'in-progress', note: parsed.notes }, staffId);
        }
        return completedTask(task, staffId, parsed, deps.clock.now());
      },
    },
    'end-of-trial-call': withDifficulties(endOfTrialOutcomeSchema, 'end-of-trial-call', deps.feedback, deps.clock, async (task, outcome, staffId) => ({
      ...(await applyEndOfTrialOutcome(deps.trialOutcome, task, endOfTrialOutcomeSchema.parse(outcome), staffId)),
    })),
    'onboarding-appointment': withDifficulties(generalOutcomeSchema, 'onboarding-call', deps.feedback, deps.clock),
    'welcome-call': withDifficulties(generalOutcomeSchema.extend({ needsAssessment: needsAssessmentSchema.optional() }), 'onboarding-call', deps.feedback, deps.clock, async (task, outcome, staffId) => {
      const assessment = needsAssessmentSchema.optional().parse(outcome.needsAssessment);
      if (!assessment) return {};
      await recordNeedsAssessment(deps.trialOutcome.commits, task.tenantId, assessment, { staffId, taskId: task.taskId });
      return { needsAssessmentRecorded: true };
    }),
    callback: withDifficulties(generalOutcomeSchema, 'other', deps.feedback, deps.clock),
  };
}
