/** The CSM task queue API: my open tasks by due time, start, complete with an outcome; a customer's tasks. */
import * as z from 'zod';
import type { Clock } from '#shared/kernel/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, VersionConflictError } from '#shared/kernel/errors.ts';
import { customerActedFor, type Caller, type CustomerRepository } from '#shared/customers/index.ts';
import type { CsmTask, TaskKind } from './tasks.ts';
import type { TaskRepository } from './ports.ts';

export const endOfTrialOutcomeSchema = z.strictObject({
  feedback: z.string().trim().min(1).max(5000),
  strategyAdjusted: z.boolean(),
  /** `split`: one strategy per segment of the recommendation (own brands → Push, other brands → Buy Box). */
  newStrategy: z.enum(['buybox', 'push', 'fixed', 'split']).optional(),
  converted: z.boolean(),
  /** The paid term a conversion starts (12 months unless agreed otherwise). */
  termMonths: z.number().int().min(1).max(60).optional(),
});

export const generalOutcomeSchema = z.strictObject({
  notes: z.string().trim().min(1).max(5000),
  reached: z.boolean().default(true),
});

/**
 * Kind-specific outcomes (e.g. survey calls: answers, no answer, reschedule) plug in here: the schema
 * validates `outcome`, `apply` returns the task to store, done or still open (a retry, a new time).
 */
export interface TaskOutcomeHandler {
  readonly schema: z.ZodType;
  apply(task: CsmTask, outcome: unknown, staffId: string): Promise<CsmTask>;
}
export type TaskOutcomeHandlers = Partial<Record<TaskKind, TaskOutcomeHandler>>;

/** The default completion: done, by this manager, with the outcome. */
export function completedTask(current: CsmTask, staffId: string, outcome: Readonly<Record<string, unknown>>, now: Date): CsmTask {
  const at = now.toISOString();
  return { ...current, status: 'done', assigneeId: staffId, startedAt: current.startedAt ?? at, completedAt: at, outcome, version: current.version + 1 };
}

async function loadOwn(tasks: TaskRepository, taskId: string, staffId: string): Promise<CsmTask> {
  const found = await tasks.get(taskId);
  if (!found) throw new NotFoundError(`task ${taskId}`);
  if (found.assigneeId !== null && found.assigneeId !== staffId) throw new ForbiddenError(`task ${taskId} is assigned to ${found.assigneeId}`);
  return found;
}

export async function startTask(deps: { tasks: TaskRepository; clock: Clock }, taskId: string, staffId: string): Promise<CsmTask> {
  const current = await loadOwn(deps.tasks, taskId, staffId);
  if (current.status === 'done') throw new ConflictError(`task ${taskId} is already done`, 'task_done');
  if (current.status === 'in-progress') return current;
  const started: CsmTask = { ...current, status: 'in-progress', assigneeId: staffId, startedAt: deps.clock.now().toISOString(), version: current.version + 1 };
  await save(deps.tasks, started);
  return started;
}

export async function completeTask(
  deps: { tasks: TaskRepository; clock: Clock; outcomeHandlers?: TaskOutcomeHandlers },
  taskId: string,
  staffId: string,
  outcome: unknown,
): Promise<CsmTask> {
  const current = await loadOwn(deps.tasks, taskId, staffId);
  if (current.status === 'done') throw new ConflictError(`task ${taskId} is already done`, 'task_done');
  const special = deps.outcomeHandlers?.[current.kind];
  const schema = special?.schema ?? (current.kind === 'end-of-trial-call' ? endOfTrialOutcomeSchema : generalOutcomeSchema);
  const parsed = schema.safeParse(outcome);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(`body.outcome.${issue?.path.join('.') ?? ''}: ${issue?.message}`, { field: 'outcome' });
  }
  const next = special
    ? await special.apply(current, parsed.data, staffId)
    : completedTask(current, staffId, parsed.data as Readonly<Record<string, unknown>>, deps.clock.now());
  await save(deps.tasks, next);
  return next;
}

async function save(tasks: TaskRepository, task: CsmTask): Promise<void> {
  try {
    await tasks.save(task);
  } catch (error) {
    if (error instanceof VersionConflictError) throw new ConflictError(`task ${task.taskId} changed meanwhile; reload it`, 'task_changed');
    throw error;
  }
}

/**
 * A customer's tasks, done calls with their outcomes included, newest created first (the 360's history of contacts):
 * for the customer's manager or a lead, like every other view staff open for a customer; any other manager 403.
 * Not logged as a staff action: the tasks are the team's own work, not the customer's data.
 */
export async function tasksOfCustomer(
  deps: { readonly customers: CustomerRepository; readonly tasks: TaskRepository },
  caller: Caller,
  customerId: string,
  limit: number,
): Promise<CsmTask[]> {
  await customerActedFor(deps.customers, caller, customerId);
  return deps.tasks.listForCustomer(customerId, limit);
}
