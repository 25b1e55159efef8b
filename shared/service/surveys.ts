/**
 * Quarterly satisfaction surveys by phone (R-S2): campaign planning (who calls whom on which working day),
 * survey call outcomes (answers, no answer, reschedule, declined), NPS and per-quarter results with trends.
 * Pure: ports are interfaces; the DynamoDB adapters live in shared/adapters/dynamodb/.
 */
import type { BusinessMetrics } from '#shared/kernel/metrics.ts';
import * as z from 'zod';
import type { Clock } from '#shared/kernel/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/kernel/errors.ts';
import { stableId } from '#shared/kernel/ids.ts';
import type { Language } from '#shared/kernel/languages.ts';
import { instantAt, wallClockIn } from '#shared/kernel/time-zones.ts';
import { PRODUCTS, productSchema, type Product } from '#shared/contracts/customer-events.ts';
import type { CustomerRecord } from '#shared/customers/index.ts';
import type { StaffMember, CsmTask, TaskRepository } from '#shared/csm/index.ts';
import { difficultyInputSchema, type DifficultyInput } from './feedback.ts';
import type { SurveyStore, CustomerReader } from './ports.ts';

// ---------- quarters and working days ----------

export type QuarterId = string; // "2027-Q1"
export const quarterIdSchema = z.string().regex(/^\d{4}-Q[1-4]$/, 'a quarter such as 2027-Q1');

export function quarterOf(instant: Date, timeZone: string): QuarterId {
  const w = wallClockIn(instant, timeZone);
  return `${w.year}-Q${Math.floor((w.month - 1) / 3) + 1}`;
}

function parseQuarter(quarter: QuarterId): { year: number; q: number } {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!m) throw new ValidationError(`quarter: "${quarter}" is not like 2027-Q1`, { field: 'quarter' });
  return { year: Number(m[1]), q: Number(m[2]) };
}

export function previousQuarter(quarter: QuarterId): QuarterId {
  const { year, q } = parseQuarter(quarter);
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

export function nextQuarter(quarter: QuarterId): QuarterId {
  const { year, q } = parseQuarter(quarter);
  return q === 4 ? `${year + 1}-Q1` : `${year}-Q${q + 1}`;
}

/** Local midnight of the first day of the quarter and of the next quarter, in `timeZone`. */
export function quarterBounds(quarter: QuarterId, timeZone: string): { start: Date; end: Date } {
  const { year, q } = parseQuarter(quarter);
  const month = (q - 1) * 3 + 1;
  const start = instantAt({ year, month, day: 1, hour: 0, minute: 0 }, timeZone);
  const end = q === 4 ? instantAt({ year: year + 1, month: 1, day: 1, hour: 0, minute: 0 }, timeZone) : instantAt({ year, month: month + 3, day: 1, hour: 0, minute: 0 }, timeZone);
  return { start, end };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Monday–Friday dates (YYYY-MM-DD) of the quarter, from `from`'s local date on (the whole quarter without it). */
export function workingDays(quarter: QuarterId, timeZone: string, from?: Date): string[] {
  const { year, q } = parseQuarter(quarter);
  const first = Date.UTC(year, (q - 1) * 3, 1);
  const last = Date.UTC(q === 4 ? year + 1 : year, q === 4 ? 0 : q * 3, 1);
  const fromLocal = from ? wallClockIn(from, timeZone) : undefined;
  const fromDay = fromLocal ? `${fromLocal.year}-${pad(fromLocal.month)}-${pad(fromLocal.day)}` : '';
  const days: string[] = [];
  for (let t = first; t < last; t += 86_400_000) {
    const d = new Date(t);
    const weekday = d.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    if (day >= fromDay) days.push(day);
  }
  return days;
}

function nextWorkingDay(day: string): string {
  let t = Date.parse(`${day}T00:00:00Z`);
  do t += 86_400_000;
  while ([0, 6].includes(new Date(t).getUTCDay()));
  return new Date(t).toISOString().slice(0, 10);
}

// ---------- settings ----------

export const surveySettingsSchema = z
  .strictObject({
    /** Only customers whose oldest live contract started at least this many days before the campaign. */
    minContractDays: z.number().int().min(0).max(3650).default(30),
    /** Survey calls per manager per working day when the staff profile does not say. */
    defaultDailyCalls: z.number().int().min(1).max(100).default(8),
    /** Local hour (manager's time zone) of the first call of a day; calls are spread over the next 8 hours. */
    firstCallHour: z.number().int().min(0).max(23).default(9),
    /** "No answer" retries before the call is closed as unreachable. */
    maxAttempts: z.number().int().min(1).max(10).default(3),
  })
  .meta({ id: 'SurveySettings' });
export type SurveySettings = z.infer<typeof surveySettingsSchema>;
export const DEFAULT_SURVEY_SETTINGS: SurveySettings = surveySettingsSchema.parse({});

// ---------- eligibility and planning ----------

export type Ineligibility = 'cancelled' | 'trial-only' | 'too-recent';

/** Active customers only: a live paid contract (not trial, not cancelled) older than the minimum. */
export function surveyEligibility(customer: CustomerRecord, at: Date, minContractDays: number): { eligible: true } | { eligible: false; reason: Ineligibility } {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a stored record may hold an explicit undefined contract (exactOptionalPropertyTypes is off)
  const contracts = Object.values(customer.contracts).filter((c) => c !== undefined);
  const live = contracts.filter((c) => c.status !== 'cancelled');
  if (live.length === 0) return { eligible: false, reason: 'cancelled' };
  const active = live.filter((c) => c.status === 'active');
  if (active.length === 0) return { eligible: false, reason: 'trial-only' };
  const cutoff = at.getTime() - minContractDays * 86_400_000;
  if (!active.some((c) => Date.parse(c.startedAt) <= cutoff)) return { eligible: false, reason: 'too-recent' };
  return { eligible: true };
}

export interface SurveyCandidate {
  readonly tenantId: string;
  readonly companyName: string;
  readonly language: Language;
  readonly csmId: string | null;
}

export interface PlannedCall {
  readonly tenantId: string;
  readonly companyName: string;
  readonly language: Language;
  /** Null when nobody who speaks the language has room left this quarter (flagged for a lead). */
  readonly assigneeId: string | null;
  readonly basis: 'own-manager' | 'language' | 'no-capacity';
  readonly day: string | null;
  readonly dueAt: string | null;
}

export interface CsmLoad {
  readonly staffId: string;
  readonly languages: readonly Language[];
  readonly dailyCalls: number;
  readonly calls: number;
  readonly days: number;
  readonly maxPerDay: number;
  readonly byLanguage: Readonly<Record<string, number>>;
}

export interface CampaignPlan {
  readonly calls: readonly PlannedCall[];
  readonly loads: readonly CsmLoad[];
  readonly workingDays: number;
}

export function dailyCallsOf(member: StaffMember, settings: Pick<SurveySettings, 'defaultDailyCalls'>): number {
  return member.dailyCalls ?? settings.defaultDailyCalls;
}

/**
 * Who calls whom, when. Each customer goes to their own manager if that manager is active, available,
 * speaks the customer's language and has room this quarter (working days × daily calls); otherwise to the
 * speaker of the language with the most room left. Then each manager's calls are spread evenly over the
 * working days (day i gets calls ⌊k·D/n⌋ … so no day exceeds ⌈n/D⌉ ≤ the daily capacity), and within a day
 * spaced over 8 hours from the first call hour in the manager's time zone. Deterministic for the same input.
 */
export function planSurveyCampaign(input: {
  readonly candidates: readonly SurveyCandidate[];
  readonly staff: readonly StaffMember[];
  readonly days: readonly string[];
  readonly settings: Pick<SurveySettings, 'defaultDailyCalls' | 'firstCallHour'>;
}): CampaignPlan {
  const { days, settings } = input;
  const pool = input.staff.filter((s) => s.active && s.available).sort((a, b) => a.staffId.localeCompare(b.staffId));
  const room = new Map(pool.map((s) => [s.staffId, dailyCallsOf(s, settings) * days.length]));
  const byId = new Map(pool.map((s) => [s.staffId, s]));
  const assigned = new Map<string, SurveyCandidate[]>();
  const basis = new Map<string, PlannedCall['basis']>();
  const take = (staffId: string, c: SurveyCandidate, why: PlannedCall['basis']) => {
    room.set(staffId, (room.get(staffId) ?? 0) - 1);
    const list = assigned.get(staffId) ?? [];
    list.push(c);
    assigned.set(staffId, list);
    basis.set(c.tenantId, why);
  };
  const sorted = [...input.candidates].sort((a, b) => a.tenantId.localeCompare(b.tenantId));
  const deferred: SurveyCandidate[] = [];
  for (const c of sorted) {
    const own = c.csmId ? byId.get(c.csmId) : undefined;
    if (own && own.languages.includes(c.language) && (room.get(own.staffId) ?? 0) > 0) take(own.staffId, c, 'own-manager');
    else deferred.push(c);
  }
  const unassigned: SurveyCandidate[] = [];
  for (const c of deferred) {
    let best: StaffMember | undefined;
    for (const s of pool) {
      if (!s.languages.includes(c.language)) continue;
      const left = room.get(s.staffId) ?? 0;
      if (left > 0 && (!best || left > (room.get(best.staffId) ?? 0))) best = s;
    }
    if (best) take(best.staffId, c, 'language');
    else unassigned.push(c);
  }
  const calls: PlannedCall[] = [];
  const loads: CsmLoad[] = [];
  for (const s of pool) {
    const list = assigned.get(s.staffId) ?? [];
    const daily = dailyCallsOf(s, settings);
    const perDay = new Map<string, number>();
    list.forEach((c, k) => {
      const dayIndex = Math.floor((k * days.length) / list.length);
      const day = days[dayIndex]!;
      const slot = perDay.get(day) ?? 0;
      perDay.set(day, slot + 1);
      const [year, month, date] = day.split('-').map(Number) as [number, number, number];
      const minutesIntoDay = Math.floor((slot * 480) / daily);
      const dueAt = instantAt({ year, month, day: date, hour: settings.firstCallHour + Math.floor(minutesIntoDay / 60), minute: minutesIntoDay % 60 }, s.timeZone);
      calls.push({ tenantId: c.tenantId, companyName: c.companyName, language: c.language, assigneeId: s.staffId, basis: basis.get(c.tenantId) ?? 'language', day, dueAt: dueAt.toISOString() });
    });
    const byLanguage: Record<string, number> = {};
    for (const c of list) byLanguage[c.language] = (byLanguage[c.language] ?? 0) + 1;
    loads.push({ staffId: s.staffId, languages: s.languages, dailyCalls: daily, calls: list.length, days: perDay.size, maxPerDay: Math.max(0, ...perDay.values()), byLanguage });
  }
  for (const c of unassigned) calls.push({ ...c, assigneeId: null, basis: 'no-capacity', day: null, dueAt: null });
  return { calls, loads, workingDays: days.length };
}

export function surveyTaskId(tenantId: string, quarter: QuarterId): string {
  return stableId('task', `survey#${quarter}#${tenantId}`);
}

// ---------- ports ----------

export interface SurveyCampaign {
  readonly quarter: QuarterId;
  readonly scheduledTime: string;
  readonly plannedAt: string;
  readonly timeZone: string;
  readonly eligible: number;
  readonly created: number;
  readonly alreadyPlanned: number;
  readonly skipped: Readonly<Record<Ineligibility, number>>;
  readonly unassigned: number;
  readonly workingDays: number;
  readonly loads: readonly CsmLoad[];
}

export interface PlannedCallRecord {
  readonly quarter: QuarterId;
  readonly tenantId: string;
  readonly taskId: string;
  readonly language: Language;
  readonly assigneeId: string | null;
  readonly basis: PlannedCall['basis'];
  readonly day: string | null;
}

export interface SurveyResponse {
  readonly quarter: QuarterId;
  readonly tenantId: string;
  readonly language: Language;
  readonly overall: number;
  readonly products: readonly { readonly product: Product; readonly satisfaction: number }[];
  readonly improve: string | null;
  readonly followUpConsent: boolean;
  readonly recordedAt: string;
  /** The staff id who recorded the call, or the customer's tenant id for an answer given in the app. */
  readonly recordedBy: string;
  /** Where the answer was given; absent on answers stored before the app could take them (all from calls). */
  readonly channel?: 'phone' | 'app';
  readonly taskId: string | null;
}

/** Customers with a live contract (the sparse `active` index), without scanning the table. */
export interface ActiveCustomers {
  listActive(): Promise<CustomerRecord[]>;
}

// ---------- the campaign ----------

export interface CampaignDeps {
  readonly customers: ActiveCustomers;
  readonly staff: { list(): Promise<StaffMember[]> };
  readonly tasks: TaskRepository;
  readonly store: SurveyStore;
  readonly clock: Clock;
  /** Business metrics (`SurveyCallsPlanned`); absent where nothing is counted. */
  readonly metrics?: BusinessMetrics;
}

/** Fired by the quarterly schedule: plans the quarter of `scheduledTime` and creates one call task per eligible customer. */
export async function runSurveyCampaign(deps: CampaignDeps, scheduledTime: Date, timeZone: string): Promise<SurveyCampaign> {
  const quarter = quarterOf(scheduledTime, timeZone);
  const settings = (await deps.store.getSettings()) ?? DEFAULT_SURVEY_SETTINGS;
  const [customers, staff] = await Promise.all([deps.customers.listActive(), deps.staff.list()]);
  const skipped: Record<Ineligibility, number> = { cancelled: 0, 'trial-only': 0, 'too-recent': 0 };
  const candidates: SurveyCandidate[] = [];
  for (const customer of customers) {
    const verdict = surveyEligibility(customer, scheduledTime, settings.minContractDays);
    if (!verdict.eligible) {
      skipped[verdict.reason]++;
      continue;
    }
    candidates.push({ tenantId: customer.tenantId, companyName: customer.companyName, language: customer.language, csmId: customer.assignment?.csmId ?? null });
  }
  // Calls are never planned in the past: a late run plans from now (unless the whole quarter is over).
  const now0 = deps.clock.now();
  const from = now0.getTime() > scheduledTime.getTime() && now0.getTime() < quarterBounds(quarter, timeZone).end.getTime() ? now0 : scheduledTime;
  const days = workingDays(quarter, timeZone, from);
  const plan = planSurveyCampaign({ candidates, staff, days, settings });
  const now = deps.clock.now().toISOString();
  let created = 0;
  const registry: PlannedCallRecord[] = [];
  const queue = [...plan.calls];
  const worker = async () => {
    for (let call = queue.shift(); call; call = queue.shift()) {
      const taskId = surveyTaskId(call.tenantId, quarter);
      const task: CsmTask = {
        taskId,
        kind: 'survey-call',
        tenantId: call.tenantId,
        companyName: call.companyName,
        language: call.language,
        assigneeId: call.assigneeId,
        status: 'open',
        dueAt: call.dueAt ?? days[0] ?? now,
        createdAt: now,
        title: `Quarterly satisfaction survey ${quarter}: ${call.companyName}`,
        details: { quarter, surveyDay: call.day, basis: call.basis, attempts: 0, maxAttempts: settings.maxAttempts, needsLeadAttention: call.assigneeId === null },
        version: 1,
      };
      // The task id is derived from customer and quarter: a second campaign run (or a retry) creates nothing.
      if (await deps.tasks.createIfAbsent(task)) {
        created++;
        registry.push({ quarter, tenantId: call.tenantId, taskId, language: call.language, assigneeId: call.assigneeId, basis: call.basis, day: call.day });
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  await deps.store.putPlannedCalls(registry);
  const campaign: SurveyCampaign = {
    quarter,
    scheduledTime: scheduledTime.toISOString(),
    plannedAt: now,
    timeZone,
    eligible: candidates.length,
    created,
    alreadyPlanned: plan.calls.length - created,
    skipped,
    unassigned: plan.calls.filter((c) => c.assigneeId === null).length,
    workingDays: plan.workingDays,
    loads: plan.loads,
  };
  if (created > 0) deps.metrics?.count('SurveyCallsPlanned', created);
  const previous = await deps.store.getCampaign(quarter);
  // A re-run keeps the first run's figures for what it had planned and adds what it created.
  await deps.store.saveCampaign(previous ? { ...previous, created: previous.created + created, eligible: Math.max(previous.eligible, campaign.eligible) } : campaign);
  return campaign;
}

// ---------- survey call outcomes ----------

export const surveyAnswersSchema = z
  .strictObject({
    /** "How likely are you to recommend us?" 0–10: the NPS question. */
    overall: z.number().int().min(0).max(10),
    products: z
      .array(z.strictObject({ product: productSchema, satisfaction: z.number().int().min(0).max(10) }))
      .max(PRODUCTS.length)
      .refine((p) => new Set(p.map((x) => x.product)).size === p.length, { error: 'a product is rated once' })
      .default([]),
    improve: z.string().trim().max(5000).optional(),
    followUpConsent: z.boolean(),
    difficulties: z.array(difficultyInputSchema).max(10).default([]),
  })
  .meta({ id: 'SurveyAnswers' });
export type SurveyAnswers = z.infer<typeof surveyAnswersSchema>;

export const surveyCallOutcomeSchema = z.discriminatedUnion('result', [
  z.strictObject({ result: z.literal('answered'), answers: surveyAnswersSchema, notes: z.string().trim().max(5000).optional() }),
  z.strictObject({ result: z.literal('no-answer'), notes: z.string().trim().max(5000).optional() }),
  z.strictObject({ result: z.literal('reschedule'), at: z.iso.datetime({ offset: true }), notes: z.string().trim().max(5000).optional() }),
  z.strictObject({ result: z.literal('declined'), notes: z.string().trim().max(5000).optional() }),
]);
export type SurveyCallOutcome = z.infer<typeof surveyCallOutcomeSchema>;

export interface DifficultyRecorder {
  record(request: DifficultyInput & { tenantId: string; touchpoint: 'survey'; touchpointRef: string; recordedBy: string }): Promise<void>;
}

export interface SurveyDeps {
  readonly store: SurveyStore;
  readonly customers: CustomerReader;
  readonly tasks: TaskRepository;
  readonly feedback: DifficultyRecorder;
  readonly clock: Clock;
  readonly timeZone: string;
}

/**
 * Records a customer's answers for the current quarter (from a survey call or an inbound call). Unknown
 * customer: 404; cancelled: 409; a second answer for the same quarter: the first stands (created false).
 * Difficulties mentioned go to product feedback; the customer's survey task of the quarter is closed.
 */
export async function recordSurveyResponse(
  deps: SurveyDeps,
  /** `quarter`: the survey task's quarter (a call finished a little late still counts for it); else the current one. */
  request: { tenantId: string; answers: SurveyAnswers; staffId: string; taskId?: string; quarter?: QuarterId },
): Promise<{ response: SurveyResponse; created: boolean }> {
  const customer = await deps.customers.get(request.tenantId);
  if (!customer) throw new NotFoundError(`customer ${request.tenantId}`);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a stored record may hold an explicit undefined contract (exactOptionalPropertyTypes is off)
  if (Object.values(customer.contracts).every((c) => !c || c.status === 'cancelled')) {
    throw new ConflictError(`customer ${request.tenantId} has cancelled: no survey`, 'customer_cancelled');
  }
  const now = deps.clock.now();
  const quarter = request.quarter ?? quarterOf(now, deps.timeZone);
  const taskId = request.taskId ?? surveyTaskId(request.tenantId, quarter);
  const response: SurveyResponse = {
    quarter,
    tenantId: request.tenantId,
    language: customer.language,
    overall: request.answers.overall,
    products: request.answers.products,
    improve: request.answers.improve ?? null,
    followUpConsent: request.answers.followUpConsent,
    recordedAt: now.toISOString(),
    recordedBy: request.staffId,
    channel: 'phone',
    taskId,
  };
  const created = await deps.store.putResponse(response);
  const stored = created ? response : ((await deps.store.getResponse(quarter, request.tenantId)) ?? response);
  // Difficulties are idempotent per (survey, text): recording them again on a retry changes nothing.
  for (const d of request.answers.difficulties) {
    await deps.feedback.record({ ...d, tenantId: request.tenantId, touchpoint: 'survey', touchpointRef: `survey#${quarter}`, recordedBy: request.staffId });
  }
  if (!request.taskId) {
    const task = await deps.tasks.get(taskId);
    if (task && task.status !== 'done') {
      const outcome = { result: 'answered', answers: request.answers };
      await deps.tasks.save({ ...task, status: 'done', completedAt: now.toISOString(), startedAt: task.startedAt ?? now.toISOString(), assigneeId: task.assigneeId ?? request.staffId, outcome, version: task.version + 1 }).catch(() => undefined);
    }
  }
  return { response: stored, created };
}

/**
 * The task-queue outcome of a survey call: answers close the task (and record the response), "no answer"
 * moves it to the next working day until `maxAttempts` (then closes it as unreachable), "reschedule" moves
 * it to the agreed time within the quarter, "declined" closes it without answers.
 */
export async function applySurveyCallOutcome(deps: SurveyDeps, task: CsmTask, outcome: SurveyCallOutcome, staffId: string): Promise<CsmTask> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const quarter = typeof task.details.quarter === 'string' ? task.details.quarter : quarterOf(now, deps.timeZone);
  const attempts = (typeof task.details.attempts === 'number' ? task.details.attempts : 0) + 1;
  const maxAttempts = typeof task.details.maxAttempts === 'number' ? task.details.maxAttempts : DEFAULT_SURVEY_SETTINGS.maxAttempts;
  const base = { ...task, assigneeId: staffId, startedAt: task.startedAt ?? nowIso, version: task.version + 1 };
  const history = [...(Array.isArray(task.details.history) ? (task.details.history as unknown[]) : []), { at: nowIso, result: outcome.result, ...(outcome.notes ? { notes: outcome.notes } : {}) }];
  switch (outcome.result) {
    case 'answered': {
      await recordSurveyResponse(deps, { tenantId: task.tenantId, answers: outcome.answers, staffId, taskId: task.taskId, quarter });
      return { ...base, status: 'done', completedAt: nowIso, outcome, details: { ...task.details, attempts, history } };
    }
    case 'declined':
      return { ...base, status: 'done', completedAt: nowIso, outcome, details: { ...task.details, attempts, history } };
    case 'no-answer': {
      const { end } = quarterBounds(quarter, deps.timeZone);
      const today = wallClockIn(now, deps.timeZone);
      const nextDay = nextWorkingDay(`${today.year}-${pad(today.month)}-${pad(today.day)}`);
      const due = wallClockIn(new Date(task.dueAt), deps.timeZone);
      const [y, m, d] = nextDay.split('-').map(Number) as [number, number, number];
      const retryAt = instantAt({ year: y, month: m, day: d, hour: due.hour, minute: due.minute }, deps.timeZone);
      if (attempts >= maxAttempts || retryAt.getTime() >= end.getTime()) {
        return { ...base, status: 'done', completedAt: nowIso, outcome: { result: 'unreachable', attempts }, details: { ...task.details, attempts, history } };
      }
      return { ...base, status: 'open', dueAt: retryAt.toISOString(), details: { ...task.details, attempts, history, surveyDay: nextDay } };
    }
    case 'reschedule': {
      const at = new Date(outcome.at);
      const { end } = quarterBounds(quarter, deps.timeZone);
      if (at.getTime() <= now.getTime()) throw new ValidationError('body.outcome.at: must be in the future', { field: 'outcome.at' });
      if (at.getTime() >= end.getTime()) throw new ValidationError(`body.outcome.at: must fall within ${quarter}`, { field: 'outcome.at' });
      return { ...base, status: 'open', dueAt: at.toISOString(), details: { ...task.details, history, rescheduledTo: at.toISOString() } };
    }
  }
}

// ---------- results ----------

export interface NpsFigures {
  readonly responses: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  /** % promoters − % detractors, −100…100, one decimal; null without responses. */
  readonly nps: number | null;
}

/** Net Promoter Score: 9–10 promoters, 7–8 passives, 0–6 detractors. */
export function npsOf(scores: readonly number[]): NpsFigures {
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const passives = scores.length - promoters - detractors;
  const nps = scores.length === 0 ? null : Math.round(((promoters - detractors) / scores.length) * 1000) / 10;
  return { responses: scores.length, promoters, passives, detractors, nps };
}

export interface QuarterResults extends NpsFigures {
  readonly quarter: QuarterId;
  readonly planned: number;
  /** Responses / planned calls, 0–1 (null when nothing was planned). */
  readonly responseRate: number | null;
  readonly followUpConsents: number;
  readonly byProduct: Readonly<Record<string, { responses: number; averageSatisfaction: number | null } & NpsFigures>>;
  readonly byLanguage: Readonly<Record<string, NpsFigures>>;
  readonly improvements: readonly string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function quarterResults(quarter: QuarterId, responses: readonly SurveyResponse[], planned: number): QuarterResults {
  const byProduct: Record<string, { responses: number; averageSatisfaction: number | null } & NpsFigures> = {};
  for (const product of PRODUCTS) {
    const rated = responses.flatMap((r) => r.products.filter((p) => p.product === product).map((p) => ({ r, p })));
    byProduct[product] = {
      ...npsOf(rated.map(({ r }) => r.overall)),
      responses: rated.length,
      averageSatisfaction: rated.length === 0 ? null : round2(rated.reduce((sum, { p }) => sum + p.satisfaction, 0) / rated.length),
    };
  }
  const byLanguage: Record<string, NpsFigures> = {};
  for (const language of [...new Set(responses.map((r) => r.language))].sort()) {
    byLanguage[language] = npsOf(responses.filter((r) => r.language === language).map((r) => r.overall));
  }
  return {
    quarter,
    ...npsOf(responses.map((r) => r.overall)),
    planned,
    responseRate: planned === 0 ? null : round2(Math.min(1, responses.length / planned)),
    followUpConsents: responses.filter((r) => r.followUpConsent).length,
    byProduct,
    byLanguage,
    improvements: responses.flatMap((r) => (r.improve ? [r.improve] : [])).slice(0, 50),
  };
}

export async function resultsFor(store: SurveyStore, quarter: QuarterId): Promise<QuarterResults> {
  const [responses, campaign] = await Promise.all([store.listResponses(quarter), store.getCampaign(quarter)]);
  return quarterResults(quarter, responses, campaign ? campaign.created + campaign.alreadyPlanned : 0);
}

/** NPS, response rate and per-product satisfaction for each quarter from `from` to `to`, with the change from the quarter before. */
export async function trends(store: SurveyStore, from: QuarterId, to: QuarterId): Promise<{ quarters: (Omit<QuarterResults, 'improvements' | 'byLanguage'> & { npsChange: number | null })[] }> {
  const ids: QuarterId[] = [];
  for (let q = from; q <= to && ids.length < 40; q = nextQuarter(q)) ids.push(q);
  if (ids.length === 0) throw new ValidationError('query.from: must not be after query.to', { field: 'from' });
  const results = await Promise.all(ids.map((q) => resultsFor(store, q)));
  return {
    quarters: results.map(({ improvements: _i, byLanguage: _l, ...r }, i) => {
      const before = i > 0 ? results[i - 1]!.nps : null;
      return { ...r, npsChange: r.nps !== null && before !== null ? Math.round((r.nps - before) * 10) / 10 : null };
    }),
  };
}

/** The quarterly campaign schedule (wired in infra/wiring/customer-service.ts): 06:00 Berlin time on the first day of each quarter. */
export const SURVEY_SCHEDULE = { name: 'quarterly-survey-campaign', cron: 'cron(0 6 1 1,4,7,10 ? *)', timeZone: 'Europe/Berlin' } as const;
