/**
 * Support requests (R-S1): from the website form (public, abuse-protected) and the hotline (logged by
 * staff), routed to the customer's CSM manager by language, tracked with a status, and put into the
 * manager's task queue.
 */
import * as z from 'zod';
import type { Clock } from '#shared/kernel/clock.ts';
import { ConflictError, NotFoundError, RateLimitedError } from '#shared/kernel/errors.ts';
import { inputId, stableId } from '#shared/kernel/ids.ts';
import { LANGUAGE_CODES, type Language } from '#shared/kernel/languages.ts';
import type { CustomerRecord } from '#shared/customers/index.ts';
import { chooseManager, type StaffMember, type CsmTask, type TaskRepository } from '#shared/csm/index.ts';
import type { SupportStore, SupportNotifier } from './ports.ts';

export const SUPPORT_STATUSES = ['open', 'in-progress', 'resolved', 'closed'] as const;
export type SupportStatus = (typeof SUPPORT_STATUSES)[number];

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // Control characters other than newlines and tabs are never typed by a person.
    // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), { error: 'contains control characters' });

/** The website form. `website` is a honeypot: hidden from people, filled in by bots. */
export const webSupportRequestSchema = z
  .strictObject({
    name: text(200),
    email: z.email().max(254),
    language: z.enum(LANGUAGE_CODES),
    customerId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
    subject: text(200),
    message: text(5000).refine((s) => s.length >= 10, { error: 'at least 10 characters' }).refine((s) => (s.match(/https?:\/\//g) ?? []).length <= 3, {
      error: 'too many links',
    }),
    website: z.string().max(200).optional(),
  })
  .meta({ id: 'WebSupportRequest' });
export type WebSupportRequest = z.infer<typeof webSupportRequestSchema>;

export const hotlineSupportRequestSchema = z
  .strictObject({
    customerId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    subject: text(200),
    message: text(5000),
    language: z.enum(LANGUAGE_CODES).optional(),
  })
  .meta({ id: 'HotlineSupportRequest' });
export type HotlineSupportRequest = z.infer<typeof hotlineSupportRequestSchema>;

export const supportStatusUpdateSchema = z
  .strictObject({ status: z.enum(SUPPORT_STATUSES), note: z.string().trim().max(5000).optional() })
  .meta({ id: 'SupportStatusUpdate' });

export interface SupportRequest {
  readonly requestId: string;
  readonly channel: 'web' | 'hotline';
  readonly status: SupportStatus;
  /** Known only when the customer id and e-mail match (web) or staff logged it (hotline). */
  readonly tenantId: string | null;
  readonly name: string;
  readonly email: string;
  readonly language: Language;
  readonly subject: string;
  readonly message: string;
  readonly csmId: string | null;
  readonly routing: 'own-manager' | 'language' | 'english-fallback' | 'any-available' | 'unrouted';
  readonly taskId: string;
  readonly loggedBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly history: readonly { readonly at: string; readonly status: SupportStatus; readonly by: string | null; readonly note?: string }[];
  readonly version: number;
}

export interface RateLimiter {
  /**
   * Counts one hit for every key in the current window, unless one of them already has `limit` hits: then it counts
   * nothing and returns that key (a refused request leaves no write). Two requests racing past the same limit may
   * leave the earlier keys of the loser counted.
   */
  hitAll(hits: readonly { readonly key: string; readonly limit: number }[], windowSeconds: number, now: Date): Promise<string | undefined>;
}

export interface SupportDeps {
  readonly store: SupportStore;
  readonly customers: { get(tenantId: string): Promise<CustomerRecord | undefined> };
  readonly staff: { list(): Promise<StaffMember[]> };
  readonly tasks: TaskRepository;
  readonly notifier: SupportNotifier;
  readonly clock: Clock;
}

/**
 * The public form's limits per hour: per client address, per e-mail address, and over all senders together
 * (`allPerHour`), which caps what rotating addresses can create (a request, a task and a push each).
 */
export const WEB_FORM_LIMITS = { perIpPerHour: 20, perEmailPerHour: 5, allPerHour: 200 } as const;

function normalisedKey(...parts: string[]): string {
  return parts.map((p) => p.toLowerCase().replace(/\s+/g, ' ').trim()).join('|');
}

function route(customer: CustomerRecord | undefined, language: Language, staff: readonly StaffMember[]): { csmId: string | null; routing: SupportRequest['routing'] } {
  const own = customer?.assignment?.csmId ? staff.find((s) => s.staffId === customer.assignment?.csmId) : undefined;
  if (own && own.active && own.languages.includes(language)) return { csmId: own.staffId, routing: 'own-manager' };
  const choice = chooseManager(staff, language);
  if (!choice) return { csmId: null, routing: 'unrouted' };
  return { csmId: choice.staffId, routing: choice.basis };
}

async function open(deps: SupportDeps, draft: Omit<SupportRequest, 'csmId' | 'routing' | 'taskId' | 'status' | 'history' | 'version' | 'createdAt' | 'updatedAt'>, customer: CustomerRecord | undefined): Promise<{ request: SupportRequest; created: boolean }> {
  // A repeat completes what a failed first attempt may have left undone (the customer's listing of it, its task,
  // its push): every step below is idempotent, so a retry of a request that failed half-way is how it gets finished.
  const now = deps.clock.now().toISOString();
  const { csmId, routing } = route(customer, draft.language, await deps.staff.list());
  const taskId = stableId('task', `support#${draft.requestId}`);
  const request: SupportRequest = { ...draft, csmId, routing, taskId, status: 'open', createdAt: now, updatedAt: now, history: [{ at: now, status: 'open', by: draft.loggedBy }], version: 1 };
  const created = await deps.store.createIfAbsent(request);
  const stored = created ? request : ((await deps.store.get(draft.requestId)) ?? request);
  await followUp(deps, stored, customer);
  return { request: stored, created };
}

/** The request's task and its manager's notification, each created once whatever the number of attempts. */
async function followUp(deps: SupportDeps, request: SupportRequest, customer: CustomerRecord | undefined): Promise<void> {
  const task: CsmTask = {
    taskId: request.taskId,
    kind: 'support-request',
    tenantId: request.tenantId ?? `web:${request.email}`,
    companyName: customer?.companyName ?? request.name,
    language: request.language,
    assigneeId: request.csmId,
    status: 'open',
    dueAt: request.createdAt,
    createdAt: request.createdAt,
    title: `Support request (${request.channel}): ${request.subject}`,
    details: { requestId: request.requestId, channel: request.channel, email: request.email, routing: request.routing },
    version: 1,
  };
  await deps.tasks.createIfAbsent(task);
  await deps.notifier.requestRouted(request);
}

/**
 * The public website form. A filled honeypot is accepted silently and dropped (bots learn nothing); the
 * rate limits (per client IP and per e-mail, per hour) answer 429; a repeat of the same message from the
 * same address on the same day is the same request (idempotent).
 */
export async function submitWebRequest(
  deps: SupportDeps & { readonly limiter: RateLimiter },
  form: WebSupportRequest,
  clientIp: string,
): Promise<{ request: SupportRequest | null; created: boolean; dropped: boolean }> {
  if (form.website && form.website.trim().length > 0) return { request: null, created: false, dropped: true };
  const now = deps.clock.now();
  const limits = [
    { key: `ip#${clientIp}`, limit: WEB_FORM_LIMITS.perIpPerHour, refusal: 'too many support requests from this address' },
    { key: `email#${form.email.toLowerCase()}`, limit: WEB_FORM_LIMITS.perEmailPerHour, refusal: 'too many support requests for this e-mail address' },
    { key: 'all#web', limit: WEB_FORM_LIMITS.allPerHour, refusal: 'the support form is taking too many requests right now' },
  ];
  const reached = await deps.limiter.hitAll(limits, 3600, now);
  if (reached !== undefined) {
    throw new RateLimitedError(`${limits.find((l) => l.key === reached)?.refusal ?? 'too many support requests'}; try again within the hour or call the hotline`);
  }
  const candidate = form.customerId ? await deps.customers.get(form.customerId) : undefined;
  // A customer id from a public form counts only with the e-mail address on the customer's record.
  const customer = candidate && candidate.contactEmail.toLowerCase() === form.email.toLowerCase() ? candidate : undefined;
  const day = now.toISOString().slice(0, 10);
  const { request, created } = await open(
    deps,
    {
      requestId: inputId('sr', normalisedKey('web', form.email, form.subject, form.message, day)),
      channel: 'web',
      tenantId: customer?.tenantId ?? null,
      name: form.name,
      email: form.email,
      language: form.language,
      subject: form.subject,
      message: form.message,
      loggedBy: null,
    },
    customer,
  );
  return { request, created, dropped: false };
}

/** A hotline call logged by staff for a known customer. */
export async function logHotlineRequest(deps: SupportDeps, body: HotlineSupportRequest, staffId: string): Promise<{ request: SupportRequest; created: boolean }> {
  const customer = await deps.customers.get(body.customerId);
  if (!customer) throw new NotFoundError(`customer ${body.customerId}`);
  const day = deps.clock.now().toISOString().slice(0, 10);
  return open(
    deps,
    {
      requestId: inputId('sr', normalisedKey('hotline', body.customerId, body.subject, body.message, day)),
      channel: 'hotline',
      tenantId: customer.tenantId,
      name: customer.companyName,
      email: customer.contactEmail,
      language: body.language ?? customer.language,
      subject: body.subject,
      message: body.message,
      loggedBy: staffId,
    },
    customer,
  );
}

export async function getSupportRequest(store: SupportStore, requestId: string, caller: { role: 'customer' | 'csm'; tenantId: string | null }): Promise<SupportRequest> {
  const found = await store.get(requestId);
  // A customer sees only their own requests; another's is as missing as an unknown one.
  if (!found || (caller.role === 'customer' && found.tenantId !== caller.tenantId)) throw new NotFoundError(`support request ${requestId}`);
  return found;
}

/** The caller's own requests, newest first (a customer reads only those carrying its tenant id). */
export async function listCustomerSupportRequests(store: SupportStore, tenantId: string, page: { limit: number; cursor?: string | undefined }): Promise<{ items: SupportRequest[]; nextCursor: string | null }> {
  return store.listForTenant(tenantId, page.limit, page.cursor);
}

const TRANSITIONS: Record<SupportStatus, readonly SupportStatus[]> = {
  open: ['in-progress', 'resolved', 'closed'],
  'in-progress': ['resolved', 'closed', 'open'],
  resolved: ['closed', 'open'],
  closed: [],
};

export async function updateSupportStatus(
  deps: { store: SupportStore; clock: Clock; isVersionConflict: (e: unknown) => boolean },
  requestId: string,
  update: { status: SupportStatus; note?: string | undefined },
  staffId: string,
): Promise<SupportRequest> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await deps.store.get(requestId);
    if (!current) throw new NotFoundError(`support request ${requestId}`);
    if (current.status === update.status) return current;
    if (!TRANSITIONS[current.status].includes(update.status)) throw new ConflictError(`a ${current.status} request cannot become ${update.status}`, 'invalid_transition');
    const now = deps.clock.now().toISOString();
    const next: SupportRequest = {
      ...current,
      status: update.status,
      updatedAt: now,
      history: [...current.history, { at: now, status: update.status, by: staffId, ...(update.note ? { note: update.note } : {}) }],
      version: current.version + 1,
    };
    try {
      await deps.store.save(next);
      return next;
    } catch (error) {
      if (!deps.isVersionConflict(error)) throw error;
    }
  }
  throw new ConflictError(`support request ${requestId} is being changed concurrently; try again`, 'support_changed');
}
