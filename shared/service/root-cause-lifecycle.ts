/**
 * Root causes have a lifecycle (R-S3): `open → planned → fixed → informed`, one step at a time
 * (`PATCH /feedback/root-causes/{id}`). Each step is published on the product-feedback topic
 * (`root-cause.status-changed`), and when a root cause is fixed each customer who reported it gets a task for
 * its manager to tell them, in the customer's language; `informed` closes it once they have been told.
 * A PATCH to the status a root cause already has repeats the step's effects (tasks are created once, subscribers
 * drop a repeated publication by `rootCauseId` + `status`): a request that died half way is simply sent again.
 */
import * as z from 'zod';
import type { CsmTask, TaskRepository } from '#shared/csm/index.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { ConflictError, NotFoundError } from '#shared/kernel/errors.ts';
import { stableId } from '#shared/kernel/ids.ts';
import { LANGUAGES } from '#shared/kernel/languages.ts';
import { PRODUCT_AREAS, type RootCause } from './feedback.ts';
import type { CustomerReader, FeedbackStore } from './ports.ts';

export const ROOT_CAUSE_STATUSES = ['open', 'planned', 'fixed', 'informed'] as const;
export type RootCauseStatus = (typeof ROOT_CAUSE_STATUSES)[number];

export interface RootCauseStatusChange {
  readonly status: RootCauseStatus;
  readonly at: string;
  readonly by: string;
  readonly note: string | null;
}

/** The step published on the product-feedback topic; a contract with a version like `rootCauseMessageSchema`. */
export const rootCauseStatusMessageSchema = z.object({
  version: z.literal(1),
  kind: z.literal('root-cause.status-changed'),
  rootCauseId: z.string(),
  productArea: z.enum(PRODUCT_AREAS),
  title: z.string(),
  status: z.enum(ROOT_CAUSE_STATUSES),
  previousStatus: z.enum(ROOT_CAUSE_STATUSES),
  customers: z.number().int(),
  note: z.string().nullable(),
  changedBy: z.string(),
  changedAt: z.string(),
});
export type RootCauseStatusMessage = z.infer<typeof rootCauseStatusMessageSchema>;

export interface RootCauseLifecycleDeps {
  readonly store: FeedbackStore;
  readonly publishStatus: (message: RootCauseStatusMessage) => Promise<void>;
  readonly customers: CustomerReader;
  readonly tasks: TaskRepository;
  readonly clock: Clock;
  readonly isVersionConflict: (error: unknown) => boolean;
}

export function statusOf(rootCause: RootCause): RootCauseStatus {
  return rootCause.status ?? 'open';
}

async function findRootCause(store: FeedbackStore, rootCauseId: string): Promise<RootCause> {
  for (const area of PRODUCT_AREAS) {
    const found = await store.getRootCause(area, rootCauseId);
    if (found) return found;
  }
  throw new NotFoundError(`root cause ${rootCauseId}`);
}

export async function changeRootCauseStatus(
  deps: RootCauseLifecycleDeps,
  rootCauseId: string,
  change: { readonly status: RootCauseStatus; readonly note?: string | undefined },
  staffId: string,
): Promise<{ rootCause: RootCause; tasksCreated: number }> {
  let rootCause = await findRootCause(deps.store, rootCauseId);
  let previous = statusOf(rootCause);
  for (let attempt = 0; previous !== change.status; attempt++) {
    const next = ROOT_CAUSE_STATUSES[ROOT_CAUSE_STATUSES.indexOf(previous) + 1];
    if (next !== change.status) {
      throw new ConflictError(`root cause ${rootCauseId} is ${previous}: the next status is ${next ?? 'none (informed is the last)'}, not ${change.status}`, 'invalid_transition');
    }
    const history = [...(rootCause.statusHistory ?? []), { status: change.status, at: deps.clock.now().toISOString(), by: staffId, note: change.note ?? null }];
    const saved: RootCause = { ...rootCause, status: change.status, statusHistory: history, version: rootCause.version + 1 };
    try {
      await deps.store.saveRootCause(saved);
      rootCause = saved;
      break;
    } catch (error) {
      // A mention recorded at the same moment changed the root cause: read it again and decide again.
      if (!deps.isVersionConflict(error) || attempt >= 4) throw error;
      rootCause = await findRootCause(deps.store, rootCauseId);
      previous = statusOf(rootCause);
    }
  }
  // Every root cause starts open: "open" is no step, nothing to publish.
  if (change.status === 'open') return { rootCause, tasksCreated: 0 };
  const step = (rootCause.statusHistory ?? []).findLast((h) => h.status === change.status);
  const stepPrevious = ROOT_CAUSE_STATUSES[Math.max(0, ROOT_CAUSE_STATUSES.indexOf(change.status) - 1)]!;
  const tasksCreated = change.status === 'fixed' ? await tellReporters(deps, rootCause) : 0;
  await deps.publishStatus({
    version: 1,
    kind: 'root-cause.status-changed',
    rootCauseId,
    productArea: rootCause.productArea,
    title: rootCause.title,
    status: change.status,
    previousStatus: stepPrevious,
    customers: rootCause.customers.length,
    note: step?.note ?? null,
    changedBy: step?.by ?? staffId,
    changedAt: step?.at ?? deps.clock.now().toISOString(),
  });
  return { rootCause, tasksCreated };
}

/** A task per reporting customer for its manager: tell them, in their language, that what they reported is fixed. */
async function tellReporters(deps: RootCauseLifecycleDeps, rootCause: RootCause): Promise<number> {
  let created = 0;
  const now = deps.clock.now();
  for (const tenantId of rootCause.customers) {
    const customer = await deps.customers.get(tenantId);
    if (!customer) continue;
    const task: CsmTask = {
      taskId: stableId('task', `root-cause-fixed#${rootCause.rootCauseId}#${tenantId}`),
      kind: 'root-cause-fixed',
      tenantId,
      companyName: customer.companyName,
      language: customer.language,
      assigneeId: customer.assignment?.csmId ?? null,
      status: 'open',
      dueAt: now.toISOString(),
      createdAt: now.toISOString(),
      title: `Tell ${customer.companyName} (in ${LANGUAGES[customer.language]}): fixed — ${rootCause.title}`,
      details: { rootCauseId: rootCause.rootCauseId, productArea: rootCause.productArea, title: rootCause.title, language: customer.language, samples: rootCause.samples },
      version: 1,
    };
    if (await deps.tasks.createIfAbsent(task)) created++;
  }
  return created;
}
