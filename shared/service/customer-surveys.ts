/**
 * The quarterly survey answered by the customer in the app (R-S2): the survey a customer was sent is the survey call
 * the quarterly campaign planned for them (its task id is the survey's id), and the customer may answer it
 * themselves instead of waiting for the call: the NPS question (0–10), a comment, and whether the manager may get
 * back to them. The answer is stored as the phone answers are (one per customer and quarter), so the CSM's results
 * and NPS trends count it, and the survey call is closed (nobody calls to ask again).
 *
 * One answer per survey: the first stands. The quarter's results and the NPS trend report that answer, and a manager
 * may already have acted on it (a detractor's follow-up call), so a later, different answer is refused (`409
 * survey_already_answered`, whether the first came from the app or from the call) rather than silently moving a
 * reported figure; the same answer sent again (a retry after a lost reply) is `200` with what is stored.
 */
import * as z from 'zod';
import { ConflictError, NotFoundError, VersionConflictError } from '#shared/kernel/errors.ts';
import type { CsmTask } from '#shared/csm/index.ts';
import { quarterBounds, quarterIdSchema, quarterOf, previousQuarter, surveyTaskId, type QuarterId, type SurveyDeps, type SurveyResponse } from './surveys.ts';

/** What the customer sends from the app. */
export const customerSurveyAnswerSchema = z
  .strictObject({
    /** "How likely are you to recommend us to another seller?" 0–10: the NPS question. */
    overall: z.number().int().min(0).max(10),
    /** "What could we do better?" in the customer's own words (counted as the phone survey's `improve`). */
    comment: z.string().trim().max(2000).optional(),
    /** The manager may get back to the customer about the answer. */
    followUpConsent: z.boolean().default(false),
  })
  .meta({ id: 'CustomerSurveyAnswer' });
export type CustomerSurveyAnswer = z.infer<typeof customerSurveyAnswerSchema>;

export const surveyIdSchema = z.string().regex(/^task-[A-Za-z0-9_-]{1,64}$/, 'a survey id as GET /customer-surveys lists it');

export type CustomerSurveyStatus = 'open' | 'answered' | 'closed';

export interface CustomerSurvey {
  readonly surveyId: string;
  readonly quarter: QuarterId;
  /** `open`: may be answered now; `answered`: in the app or on the call; `closed`: the quarter ended unanswered. */
  readonly status: CustomerSurveyStatus;
  /** The end of the quarter (the survey's time zone): the last moment an answer counts. */
  readonly answerableUntil: string;
  readonly answer: {
    readonly overall: number;
    readonly comment: string | null;
    readonly followUpConsent: boolean;
    readonly recordedAt: string;
    /** `app`: the customer answered here; `phone`: on the survey call with their manager. */
    readonly channel: 'app' | 'phone';
  } | null;
}

export const customerSurveySchema = z
  .object({
    surveyId: z.string(),
    quarter: quarterIdSchema,
    status: z.enum(['open', 'answered', 'closed']),
    answerableUntil: z.string(),
    answer: z
      .object({ overall: z.number().int(), comment: z.string().nullable(), followUpConsent: z.boolean(), recordedAt: z.string(), channel: z.enum(['app', 'phone']) })
      .nullable(),
  })
  .meta({ id: 'CustomerSurvey' });
export const customerSurveysSchema = z.object({ surveys: z.array(customerSurveySchema) }).meta({ id: 'CustomerSurveys' });

function answerOf(response: SurveyResponse | undefined): CustomerSurvey['answer'] {
  if (!response) return null;
  return { overall: response.overall, comment: response.improve, followUpConsent: response.followUpConsent, recordedAt: response.recordedAt, channel: response.channel ?? 'phone' };
}

function quarterOfTask(task: CsmTask): QuarterId | null {
  const parsed = quarterIdSchema.safeParse(task.details.quarter);
  return parsed.success ? parsed.data : null;
}

async function viewOf(deps: SurveyDeps, task: CsmTask, quarter: QuarterId): Promise<CustomerSurvey> {
  const response = await deps.store.getResponse(quarter, task.tenantId);
  const end = quarterBounds(quarter, deps.timeZone).end;
  const status: CustomerSurveyStatus = response ? 'answered' : deps.clock.now().getTime() < end.getTime() ? 'open' : 'closed';
  return { surveyId: task.taskId, quarter, status, answerableUntil: end.toISOString(), answer: answerOf(response) };
}

/**
 * The surveys the customer was sent: this quarter's and last quarter's (if the campaign planned one for them),
 * newest first. Two Gets by key (the survey call's id derives from customer and quarter), never a Query over others.
 */
export async function listCustomerSurveys(deps: SurveyDeps, tenantId: string): Promise<CustomerSurvey[]> {
  const current = quarterOf(deps.clock.now(), deps.timeZone);
  const surveys: CustomerSurvey[] = [];
  for (const quarter of [current, previousQuarter(current)]) {
    const task = await deps.tasks.get(surveyTaskId(tenantId, quarter));
    if (task && task.kind === 'survey-call' && task.tenantId === tenantId) surveys.push(await viewOf(deps, task, quarterOfTask(task) ?? quarter));
  }
  return surveys;
}

const sameAnswer = (stored: SurveyResponse, answer: CustomerSurveyAnswer): boolean =>
  stored.channel === 'app' && stored.overall === answer.overall && stored.improve === (answer.comment ?? null) && stored.followUpConsent === answer.followUpConsent;

/**
 * The customer answers the survey `surveyId` (their own: another customer's is as missing as an unknown one).
 * `created: false` is the same answer again. Refused: a closed survey (`409 survey_closed`), a different second
 * answer (`409 survey_already_answered`), a customer who cancelled (`409 customer_cancelled`).
 */
export async function answerCustomerSurvey(
  deps: SurveyDeps,
  request: { readonly tenantId: string; readonly surveyId: string; readonly answer: CustomerSurveyAnswer },
): Promise<{ survey: CustomerSurvey; created: boolean }> {
  const task = await deps.tasks.get(request.surveyId);
  const quarter = task ? quarterOfTask(task) : null;
  if (!task || task.kind !== 'survey-call' || task.tenantId !== request.tenantId || !quarter) throw new NotFoundError(`survey ${request.surveyId}`);
  const customer = await deps.customers.get(request.tenantId);
  if (!customer) throw new NotFoundError(`survey ${request.surveyId}`);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a stored record may hold an explicit undefined contract (exactOptionalPropertyTypes is off)
  if (Object.values(customer.contracts).every((c) => !c || c.status === 'cancelled')) {
    throw new ConflictError(`customer ${request.tenantId} has cancelled: no survey`, 'customer_cancelled');
  }
  const existing = await deps.store.getResponse(quarter, request.tenantId);
  if (existing) return repeatOrRefuse(deps, task, quarter, existing, request.answer);
  const now = deps.clock.now();
  if (now.getTime() >= quarterBounds(quarter, deps.timeZone).end.getTime()) throw new ConflictError(`survey ${request.surveyId}: the quarter ${quarter} is over`, 'survey_closed');
  const response: SurveyResponse = {
    quarter,
    tenantId: request.tenantId,
    language: customer.language,
    overall: request.answer.overall,
    products: [],
    improve: request.answer.comment ?? null,
    followUpConsent: request.answer.followUpConsent,
    recordedAt: now.toISOString(),
    recordedBy: request.tenantId,
    channel: 'app',
    taskId: task.taskId,
  };
  // Conditional put: two answers racing, or a manager recording the call at the same moment, leave one stored.
  if (!(await deps.store.putResponse(response))) {
    const stored = await deps.store.getResponse(quarter, request.tenantId);
    if (stored) return repeatOrRefuse(deps, task, quarter, stored, request.answer);
  }
  await closeSurveyCall(deps, task, request.answer, now);
  return { survey: await viewOf(deps, task, quarter), created: true };
}

async function repeatOrRefuse(deps: SurveyDeps, task: CsmTask, quarter: QuarterId, stored: SurveyResponse, answer: CustomerSurveyAnswer): Promise<{ survey: CustomerSurvey; created: boolean }> {
  if (!sameAnswer(stored, answer)) {
    const how = stored.channel === 'app' ? 'in the app' : 'on the survey call';
    throw new ConflictError(`survey ${task.taskId} was already answered ${how} at ${stored.recordedAt}: the first answer stands`, 'survey_already_answered');
  }
  // A retry finishes what a first attempt may have left undone: the call's task closed.
  await closeSurveyCall(deps, task, answer, deps.clock.now());
  return { survey: await viewOf(deps, task, quarter), created: false };
}

/** The manager need not call any more: the survey call is done, answered in the app (its assignee unchanged). */
async function closeSurveyCall(deps: SurveyDeps, task: CsmTask, answer: CustomerSurveyAnswer, now: Date): Promise<void> {
  const current = await deps.tasks.get(task.taskId);
  if (!current || current.status === 'done') return;
  const at = now.toISOString();
  const outcome = { result: 'answered', channel: 'app', answers: { overall: answer.overall, products: [], ...(answer.comment ? { improve: answer.comment } : {}), followUpConsent: answer.followUpConsent } };
  // A concurrent change of the task (the manager starting the call) wins; the answer is stored either way.
  await deps.tasks.save({ ...current, status: 'done', completedAt: at, startedAt: current.startedAt ?? at, outcome, version: current.version + 1 }).catch((error: unknown) => {
    if (!(error instanceof VersionConflictError)) throw error;
  });
}
