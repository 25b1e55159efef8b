/**
 * Feedback to product development (R-S3): a difficulty mentioned at any touchpoint (onboarding call,
 * end-of-trial call, survey, support request) is recorded with its product area, severity and verbatim;
 * similar difficulties are grouped into root causes (same product area, similar normalised text) with their
 * counts and affected customers; a root cause that is new (reaches NEW_ROOT_CAUSE_CUSTOMERS customers) or
 * grows (reaches the next level) is published once per level to product development.
 */
import * as z from 'zod';
import type { Clock } from '#shared/kernel/clock.ts';
import { ConflictError, NotFoundError } from '#shared/kernel/errors.ts';
import { stableId } from '#shared/kernel/ids.ts';
import type { FeedbackStore, ProductFeedbackPublisher } from './ports.ts';
import type { RootCauseStatus, RootCauseStatusChange } from './root-cause-lifecycle.ts';
import { cutText } from '#shared/kernel/text.ts';

export const PRODUCT_AREAS = ['repricer', 'lost-and-found', 'dashboard', 'onboarding', 'billing', 'account', 'api', 'other'] as const;
export type ProductArea = (typeof PRODUCT_AREAS)[number];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_WEIGHT: Record<Severity, number> = { low: 1, medium: 2, high: 4, critical: 8 };
export const TOUCHPOINTS = ['onboarding-call', 'end-of-trial-call', 'survey', 'support-request', 'other'] as const;
export type Touchpoint = (typeof TOUCHPOINTS)[number];

/** What a CSM records (also embedded in survey answers and task outcomes). */
export const difficultyInputSchema = z
  .strictObject({
    productArea: z.enum(PRODUCT_AREAS),
    severity: z.enum(SEVERITIES),
    verbatim: z.string().trim().min(3).max(2000),
  })
  .meta({ id: 'DifficultyInput' });
export type DifficultyInput = z.infer<typeof difficultyInputSchema>;

export interface Difficulty extends DifficultyInput {
  /** Derived from touchpoint, its reference, customer, area and normalised text: a repeat is a no-op. */
  readonly difficultyId: string;
  readonly tenantId: string;
  readonly touchpoint: Touchpoint;
  /** The task, survey or support request it came from, if any. */
  readonly touchpointRef: string | null;
  readonly terms: readonly string[];
  readonly recordedAt: string;
  readonly recordedBy: string | null;
  readonly rootCauseId: string;
}

export interface RootCause {
  readonly rootCauseId: string;
  readonly productArea: ProductArea;
  /** The first verbatim, as a title. */
  readonly title: string;
  /** Normalised terms of the first mention: what later mentions are compared with. */
  readonly terms: readonly string[];
  readonly customers: readonly string[];
  /** The highest severity each affected customer reported. */
  readonly customerSeverity: Readonly<Record<string, Severity>>;
  readonly difficultyIds: readonly string[];
  readonly mentions: number;
  readonly maxSeverity: Severity;
  /** Sum over affected customers of the highest severity each reported (weights 1/2/4/8). */
  readonly severityScore: number;
  readonly samples: readonly string[];
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  /** Highest publication level already claimed (0 = never published). */
  readonly publishedLevel: number;
  /** A claimed publication not yet confirmed by SNS: published by the next recording that touches it. */
  readonly publishPending: boolean;
  readonly publishedAt: string | null;
  /** Lifecycle (root-cause-lifecycle.ts); absent = `open` (root causes recorded before it existed). */
  readonly status?: RootCauseStatus;
  readonly statusHistory?: readonly RootCauseStatusChange[];
  readonly version: number;
}

/** Root-cause publication (the `product-feedback` topic): contract with a version, shared by producer and subscribers. */
export const rootCauseMessageSchema = z.object({
  version: z.literal(1),
  kind: z.enum(['root-cause.new', 'root-cause.growing']),
  rootCauseId: z.string(),
  productArea: z.enum(PRODUCT_AREAS),
  title: z.string(),
  level: z.number().int(),
  customers: z.number().int(),
  mentions: z.number().int(),
  maxSeverity: z.enum(SEVERITIES),
  impact: z.number(),
  samples: z.array(z.string()),
  firstSeenAt: z.string(),
  publishedAt: z.string(),
});
export type RootCauseMessage = z.infer<typeof rootCauseMessageSchema>;

export interface CustomerLookup {
  /** Undefined for an unknown customer. */
  exists(tenantId: string): Promise<boolean>;
}

// ---------- normalisation and grouping (pure) ----------

const STOP_WORDS = new Set(
  (
    'a an the and or but if then so of to in on at by for from with without into onto over under after before when while ' +
    'is are was were be been being am do does did doing have has had having it its this that these those there here ' +
    'i me my we our you your he she they them their his her us very too really just quite also still even much many more most ' +
    'not no any some all each every can could would should will shall may might must get gets got getting ' +
    'which who what why how where than as about up down out off again once only own same such both few other nor far until always often'
  ).split(/\s+/),
);

/** Everyday synonyms mapped to one term, so different words for the same problem meet. */
const SYNONYMS: Record<string, string> = {
  slowly: 'slow', sluggish: 'slow', lag: 'slow', laggy: 'slow', lagging: 'slow', delay: 'slow', delayed: 'slow', long: 'slow', forever: 'slow', ages: 'slow',
  late: 'slow', latency: 'slow', takes: '', take: '', taking: '', took: '',
  repricing: 'price', repricer: 'price', reprice: 'price', repriced: 'price', prices: 'price', pricing: 'price', priced: 'price',
  competitors: 'competitor', competition: 'competitor', rival: 'competitor', rivals: 'competitor',
  crash: 'error', crashes: 'error', crashed: 'error', bug: 'error', bugs: 'error', broken: 'error', fails: 'error', failed: 'error', failure: 'error', errors: 'error',
  confusing: 'unclear', confused: 'unclear', unclear: 'unclear', understand: 'unclear', hard: 'difficult', difficult: 'difficult',
  updated: 'update', updates: 'update', updating: 'update', refresh: 'update', refreshes: 'update', react: 'update', reacts: 'update', reacting: 'update', adjust: 'update', adjusts: 'update',
  modified: 'change', changed: 'change', changes: 'change', changing: 'change', modifies: 'change', moves: 'change', move: 'change',
  invoice: 'billing', invoices: 'billing', bill: 'billing', charged: 'billing', charge: 'billing',
  reimbursement: 'claim', reimbursements: 'claim', claims: 'claim', refund: 'claim', refunds: 'claim',
};

/** A light suffix stripper (enough to meet "filed", "filing" and "file"); applied to synonyms' targets too. */
function stem(word: string): string {
  let w = word;
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'edly', 'ed', 'ly', 'es', 's']) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w.length > 3 && w.endsWith('e') ? w.slice(0, -1) : w;
}

/** Lower case, accents and punctuation removed, stop words dropped, synonyms merged, light stemming; sorted unique terms. */
export function normaliseDifficulty(text: string): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter(Boolean);
  const terms = new Set<string>();
  for (const word of words) {
    if (STOP_WORDS.has(word) || word.length < 2) continue;
    const mapped = word in SYNONYMS ? SYNONYMS[word]! : word;
    if (mapped) terms.add(stem(mapped));
  }
  return [...terms].sort();
}

/** Jaccard similarity of two term sets. */
export function similarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const setB = new Set(b);
  const shared = a.filter((t) => setB.has(t)).length;
  return shared / (a.length + b.length - shared);
}

export const SIMILARITY_THRESHOLD = 0.5;

/** The root cause of `area` a difficulty with these terms belongs to: the most similar at or above the threshold. */
export function matchRootCause(terms: readonly string[], candidates: readonly RootCause[]): RootCause | undefined {
  let best: { rc: RootCause; score: number } | undefined;
  for (const rc of candidates) {
    const score = similarity(terms, rc.terms);
    const shared = terms.filter((t) => rc.terms.includes(t)).length;
    if (score >= SIMILARITY_THRESHOLD && shared >= Math.min(2, terms.length) && (!best || score > best.score || (score === best.score && rc.rootCauseId < best.rc.rootCauseId))) {
      best = { rc, score };
    }
  }
  return best?.rc;
}

/** A root cause is "new" for product development at 3 affected customers, then "growing" at 6, 12, 25, 50, 100, 200 … */
export const PUBLICATION_LEVELS = [3, 6, 12, 25, 50, 100, 200, 400, 800, 1600, 3200, 6400] as const;
export function publicationLevel(customers: number): number {
  return PUBLICATION_LEVELS.filter((threshold) => customers >= threshold).length;
}

export function impactOf(rc: Pick<RootCause, 'severityScore' | 'mentions'>): number {
  // Customers weighted by severity dominate; repeated mentions break ties.
  return rc.severityScore * 10 + rc.mentions;
}

function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_WEIGHT[a] >= SEVERITY_WEIGHT[b] ? a : b;
}

/** Adds a mention to a root cause (idempotent per difficulty id). */
export function withMention(rc: RootCause, d: Pick<Difficulty, 'difficultyId' | 'tenantId' | 'severity' | 'verbatim' | 'recordedAt'>): RootCause {
  if (rc.difficultyIds.includes(d.difficultyId)) return rc;
  const known = rc.customers.includes(d.tenantId);
  const before = rc.customerSeverity[d.tenantId];
  const customerSeverity = { ...rc.customerSeverity, [d.tenantId]: before ? maxSeverity(before, d.severity) : d.severity };
  const severityScore = Object.values(customerSeverity).reduce((sum, s) => sum + SEVERITY_WEIGHT[s], 0);
  return {
    ...rc,
    customers: known ? rc.customers : [...rc.customers, d.tenantId],
    customerSeverity,
    difficultyIds: [...rc.difficultyIds, d.difficultyId],
    mentions: rc.mentions + 1,
    maxSeverity: maxSeverity(rc.maxSeverity, d.severity),
    severityScore,
    samples: rc.samples.length < 5 && !rc.samples.includes(d.verbatim) ? [...rc.samples, d.verbatim] : rc.samples,
    lastSeenAt: d.recordedAt > rc.lastSeenAt ? d.recordedAt : rc.lastSeenAt,
  };
}

export function newRootCause(area: ProductArea, terms: readonly string[], d: Pick<Difficulty, 'verbatim' | 'recordedAt'>): RootCause {
  return {
    rootCauseId: stableId('rc', `${area}|${terms.join(' ')}`),
    productArea: area,
    title: cutText(d.verbatim, 200),
    terms,
    customers: [],
    customerSeverity: {},
    difficultyIds: [],
    mentions: 0,
    maxSeverity: 'low',
    severityScore: 0,
    samples: [],
    firstSeenAt: d.recordedAt,
    lastSeenAt: d.recordedAt,
    publishedLevel: 0,
    publishPending: false,
    publishedAt: null,
    version: 0,
  };
}

// ---------- use cases ----------

export interface FeedbackDeps {
  readonly store: FeedbackStore;
  readonly publisher: ProductFeedbackPublisher;
  readonly customers: CustomerLookup;
  readonly clock: Clock;
  readonly isVersionConflict: (error: unknown) => boolean;
}

export interface RecordDifficultyRequest extends DifficultyInput {
  readonly tenantId: string;
  readonly touchpoint: Touchpoint;
  readonly touchpointRef?: string | null;
  readonly recordedBy?: string | null;
}

export interface RecordDifficultyResult {
  readonly difficulty: Difficulty;
  readonly rootCause: RootCause;
  /** False when this exact difficulty had been recorded before (a duplicate submission: nothing changed). */
  readonly created: boolean;
  readonly published: boolean;
}

/**
 * Records a difficulty and groups it. Order makes it safe to retry: the root cause takes the difficulty id
 * first (version-conditioned, idempotent per id), then the difficulty is stored; a publication is claimed
 * in that same write and confirmed after SNS accepted it, so a crash in between leaves it pending for the
 * next recording (or a retry) to publish.
 */
export async function recordDifficulty(deps: FeedbackDeps, request: RecordDifficultyRequest): Promise<RecordDifficultyResult> {
  if (!(await deps.customers.exists(request.tenantId))) throw new NotFoundError(`customer ${request.tenantId}`);
  const terms = normaliseDifficulty(request.verbatim);
  const ref = request.touchpointRef ?? null;
  const difficultyId = stableId('d', `${request.touchpoint}|${ref ?? ''}|${request.tenantId}|${request.productArea}|${terms.join(' ')}`);
  const existing = await deps.store.getDifficulty(difficultyId);
  if (existing) {
    const rc = await deps.store.getRootCause(existing.productArea, existing.rootCauseId);
    if (!rc) throw new ConflictError(`difficulty ${difficultyId} lost its root cause`, 'feedback_inconsistent');
    const published = rc.publishPending ? await confirmPublication(deps, rc) : false;
    return { difficulty: existing, rootCause: rc, created: false, published };
  }
  const recordedAt = deps.clock.now().toISOString();
  for (let attempt = 0; attempt < 8; attempt++) {
    const candidates = await deps.store.listRootCauses(request.productArea);
    const matched = candidates.find((rc) => rc.difficultyIds.includes(difficultyId)) ?? matchRootCause(terms, candidates);
    const base = matched ?? newRootCause(request.productArea, terms, { verbatim: request.verbatim, recordedAt });
    const difficulty: Difficulty = {
      difficultyId,
      tenantId: request.tenantId,
      touchpoint: request.touchpoint,
      touchpointRef: ref,
      productArea: request.productArea,
      severity: request.severity,
      verbatim: request.verbatim,
      terms,
      recordedAt,
      recordedBy: request.recordedBy ?? null,
      rootCauseId: base.rootCauseId,
    };
    const grown = withMention(base, difficulty);
    const level = publicationLevel(grown.customers.length);
    const claim = level > grown.publishedLevel;
    const next: RootCause = { ...grown, publishedLevel: Math.max(level, grown.publishedLevel), publishPending: grown.publishPending || claim, version: base.version + 1 };
    if (grown !== base) {
      try {
        await deps.store.saveRootCause(next);
      } catch (error) {
        if (deps.isVersionConflict(error)) continue;
        throw error;
      }
    }
    await deps.store.putDifficulty(difficulty);
    const published = next.publishPending ? await confirmPublication(deps, next) : false;
    return { difficulty, rootCause: published ? { ...next, publishPending: false } : next, created: true, published };
  }
  throw new ConflictError('feedback for this product area is being recorded concurrently; try again', 'feedback_busy');
}

async function confirmPublication(deps: FeedbackDeps, rc: RootCause): Promise<boolean> {
  const publishedAt = deps.clock.now().toISOString();
  await deps.publisher.publish(messageFor(rc, publishedAt));
  for (let current: RootCause | undefined = rc, attempt = 0; current && attempt < 5; attempt++) {
    if (!current.publishPending) return true;
    try {
      await deps.store.saveRootCause({ ...current, publishPending: false, publishedAt, version: current.version + 1 });
      return true;
    } catch (error) {
      if (!deps.isVersionConflict(error)) throw error;
      current = await deps.store.getRootCause(rc.productArea, rc.rootCauseId);
    }
  }
  return true;
}

export function messageFor(rc: RootCause, publishedAt: string): RootCauseMessage {
  return {
    version: 1,
    kind: rc.publishedLevel <= 1 ? 'root-cause.new' : 'root-cause.growing',
    rootCauseId: rc.rootCauseId,
    productArea: rc.productArea,
    title: rc.title,
    level: rc.publishedLevel,
    customers: rc.customers.length,
    mentions: rc.mentions,
    maxSeverity: rc.maxSeverity,
    impact: impactOf(rc),
    samples: [...rc.samples],
    firstSeenAt: rc.firstSeenAt,
    publishedAt,
  };
}

export interface RootCauseView {
  readonly rootCauseId: string;
  readonly productArea: ProductArea;
  readonly title: string;
  readonly customers: number;
  readonly affectedCustomers: readonly string[];
  readonly mentions: number;
  readonly maxSeverity: Severity;
  readonly impact: number;
  readonly samples: readonly string[];
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly publishedLevel: number;
  readonly publishedAt: string | null;
  readonly status: RootCauseStatus;
  readonly statusHistory: readonly RootCauseStatusChange[];
}

export function viewOf(rc: RootCause): RootCauseView {
  return {
    rootCauseId: rc.rootCauseId,
    productArea: rc.productArea,
    title: rc.title,
    customers: rc.customers.length,
    affectedCustomers: rc.customers,
    mentions: rc.mentions,
    maxSeverity: rc.maxSeverity,
    impact: impactOf(rc),
    samples: rc.samples,
    firstSeenAt: rc.firstSeenAt,
    lastSeenAt: rc.lastSeenAt,
    publishedLevel: rc.publishedLevel,
    publishedAt: rc.publishedAt,
    status: rc.status ?? 'open',
    statusHistory: rc.statusHistory ?? [],
  };
}

/** Root causes ordered by impact (highest first), optionally of one area, with at least `minCustomers`. */
export async function listRootCauses(store: FeedbackStore, options: { area?: ProductArea; minCustomers: number; limit: number }): Promise<RootCauseView[]> {
  const areas = options.area ? [options.area] : PRODUCT_AREAS;
  const all = (await Promise.all(areas.map((a) => store.listRootCauses(a)))).flat();
  return all
    .filter((rc) => rc.customers.length >= options.minCustomers)
    .map(viewOf)
    .sort((a, b) => b.impact - a.impact || b.customers - a.customers || a.rootCauseId.localeCompare(b.rootCauseId))
    .slice(0, options.limit);
}
