/**
 * Price pushes: immediate (patchListingsItem) after a decision, and the bulk flush (JSON_LISTINGS_FEED, whose
 * processing report the next flushes read). An offer counts as pushed only when Amazon accepted its price:
 * patchListingsItem ACCEPTED without errors, or a feed whose processing report has no error for its message.
 * A refusal leaves it `failed: <Amazon's message>` in the history and the offers view.
 */
import { historyRowOf, offerId, type HistoryEntry, type LastPush, type PendingPush, type PendingPushRef, type StoredOffer } from './model.ts';
import { FEED_SUBMISSION_PREFIX, type FeedMessageResult, type PriceChange, type PriceChangeResult, type PriceFeedOutcome, type RepricerDeps } from './ports.ts';
import { SP_API_QUOTAS } from './quotas.ts';
import { QuotaExhaustedError } from '#shared/kernel/upstream.ts';

/**
 * Pushes decided prices and marks them pushed (version-conditioned, so a redelivered decision that finds its
 * push already marked does nothing). A failed push (throttled beyond retries) stays pending for the flush:
 * slower, never dropped; its failed attempts are counted, and one that keeps failing is parked with its reason.
 * One change per submission: when the seller's quota has no token (nothing waits for one), the pushes not sent yet
 * stay pending for the flush and those already accepted are marked, so none is sent twice.
 */
export async function pushNow(deps: RepricerDeps, items: readonly PushItem[]): Promise<number> {
  let pushed = 0;
  for (const item of items) {
    const outcome = await submit(deps, [item.change], { bulk: false });
    pushed += await recordOutcome(deps, [item], outcome);
    if (!outcome.ok && outcome.notSent) break;
  }
  return pushed;
}

interface PushItem {
  readonly offer: StoredOffer;
  readonly change: PriceChange;
}

/** `notSent`: nothing reached Amazon (the kill switch is on, or the quota had no token): not a failed attempt. */
type SubmitOutcome = { readonly ok: true; readonly results: readonly PriceChangeResult[] } | { readonly ok: false; readonly reason: string; readonly notSent: boolean };

async function submit(deps: RepricerDeps, changes: readonly PriceChange[], options: { bulk: boolean }): Promise<SubmitOutcome> {
  try {
    return { ok: true, results: await deps.amazon.submitPriceChanges(changes, { dryRun: false, ...(options.bulk ? { bulk: true } : {}) }) };
  } catch (error) {
    const notSent = error instanceof QuotaExhaustedError || (error as { code?: string }).code === 'pushes_stopped';
    return { ok: false, reason: (error as Error).message, notSent };
  }
}

/** `results` are the submission's results for `items`, in the same order. */
async function recordOutcome(deps: RepricerDeps, items: readonly PushItem[], outcome: SubmitOutcome): Promise<number> {
  if (outcome.ok) return markPushed(deps, items, outcome.results);
  // Left pending: the flush retries (a throttled SP-API degrades to slower pushes, never to dropped ones),
  // but every failed attempt is counted and a push that keeps failing is parked with its reason.
  if (!outcome.notSent) await countFailedAttempt(deps, items, outcome.reason);
  return 0;
}

/** A price-history row about a push of `offer` (parked, submitted, pushed or failed): the offer's state as it stood. */
function pushHistoryEntry(
  offer: StoredOffer,
  nowMs: number,
  push: Pick<HistoryEntry, 'decisionId' | 'action' | 'priceMinor' | 'reasonCode' | 'reason' | 'pushStatus'>,
): HistoryEntry {
  return { ...historyRowOf(offer, nowMs), kind: 'push', previousPriceMinor: offer.currentPriceMinor, dryRun: false, ...push };
}

/** Failed submissions a push may have before it is parked (taken out of the pending pushes, reason in its history). */
export const MAX_PUSH_ATTEMPTS = 8;

async function countFailedAttempt(deps: RepricerDeps, items: readonly PushItem[], reason: string): Promise<void> {
  const history: HistoryEntry[] = [];
  const nowMs = deps.now().getTime();
  for (const { offer, change } of items) {
    const pending = offer.pendingPush;
    if (!pending) continue;
    const attempts = (pending.attempts ?? 0) + 1;
    const parked = attempts >= MAX_PUSH_ATTEMPTS;
    const next: StoredOffer = {
      ...offer,
      version: offer.version + 1,
      pendingPush: parked ? null : { ...pending, attempts },
      ...(parked ? { lastReason: `push of ${change.price.minor} parked after ${attempts} failed attempts: ${reason}`, lastReasonDetail: null } : {}),
    };
    // A lost race means someone else changed the offer (a newer decision, a success): nothing to count.
    if (!(await deps.store.putOffer(next)) || !parked) continue;
    deps.metrics?.count('PricePushesFailed');
    history.push(
      pushHistoryEntry(offer, nowMs, {
        decisionId: pending.decisionId,
        action: 'parked',
        priceMinor: change.price.minor,
        reasonCode: 'PARKED',
        reason: `parked after ${attempts} failed attempts: ${reason}`,
        pushStatus: 'PARKED',
      }),
    );
  }
  if (history.length > 0) await deps.history.append(history);
}

/** How a submission result reads for the offer: the push outcome, or still waiting for a feed's report. */
function outcomeOf(r: PriceChangeResult): { status: LastPush['status']; message: string } {
  if (r.status === 'SUBMITTED') return { status: 'submitted', message: '' };
  if (r.status === 'ACCEPTED' || r.status === 'VALIDATED') return { status: 'pushed', message: (r.warnings ?? []).join('; ') };
  return { status: 'failed', message: r.issues.length > 0 ? r.issues.join('; ') : 'refused by Amazon without a message' };
}

async function markPushed(deps: RepricerDeps, items: readonly PushItem[], results: readonly PriceChangeResult[]): Promise<number> {
  let pushed = 0;
  const history: HistoryEntry[] = [];
  const nowMs = deps.now().getTime();
  for (let i = 0; i < items.length; i++) {
    const { offer, change } = items[i]!;
    const r = results[i];
    const pending = offer.pendingPush;
    if (!r || !pending) continue;
    const outcome = outcomeOf(r);
    const feedId = r.submissionId.startsWith(FEED_SUBMISSION_PREFIX) ? r.submissionId.slice(FEED_SUBMISSION_PREFIX.length) : undefined;
    const stillPending: PendingPush | null =
      outcome.status === 'submitted' && feedId !== undefined ? { ...pending, feed: { feedId, messageId: r.feedMessageId ?? 0, submittedAtMs: nowMs } } : null;
    const entry = await recordOfferOutcome(deps, offer, pending, change.price.minor, outcome, stillPending, outcome.status === 'submitted' ? `submitted in JSON_LISTINGS_FEED ${feedId ?? r.submissionId}: waiting for Amazon's processing report` : undefined, r.status, nowMs);
    if (entry) {
      history.push(entry);
      if (outcome.status === 'pushed') pushed++;
    }
  }
  if (history.length > 0) await deps.history.append(history);
  return pushed;
}

/**
 * Writes one push outcome on the offer (version-conditioned, retried on a lost race while the push is still the
 * offer's) and returns its history row, or undefined when the push was superseded or already recorded.
 */
async function recordOfferOutcome(
  deps: RepricerDeps,
  offer: StoredOffer,
  pending: PendingPush,
  priceMinor: number,
  outcome: { status: LastPush['status']; message: string },
  stillPending: PendingPush | null,
  submittedReason: string | undefined,
  amazonStatus: string,
  nowMs: number,
): Promise<HistoryEntry | undefined> {
  const lastPush: LastPush = { decisionId: pending.decisionId, priceMinor, status: outcome.status, message: outcome.message, atMs: nowMs };
  let current: StoredOffer | undefined = offer;
  for (let attempt = 0; attempt < 3 && current; attempt++) {
    if (current.pendingPush?.decisionId !== pending.decisionId) return undefined; // superseded or already marked
    const next: StoredOffer = {
      ...current,
      version: current.version + 1,
      pendingPush: stillPending,
      lastPush,
      ...(outcome.status === 'pushed' ? { lastPushedPriceMinor: priceMinor, lastPushedDecisionId: pending.decisionId } : {}),
    };
    if (await deps.store.putOffer(next)) {
      if (outcome.status === 'pushed') deps.metrics?.count('PricesPushed');
      if (outcome.status === 'failed') deps.metrics?.count('PricePushesFailed');
      const reason =
        outcome.status === 'failed'
          ? `failed: ${outcome.message}`
          : outcome.status === 'submitted'
            ? (submittedReason ?? 'submitted')
            : outcome.message.length > 0
              ? `pushed, with Amazon's warnings: ${outcome.message}`
              : `pushed (${amazonStatus})`;
      return pushHistoryEntry(offer, nowMs, {
        decisionId: pending.decisionId,
        action: outcome.status === 'submitted' ? 'submitted' : outcome.status === 'pushed' ? 'push' : 'failed',
        priceMinor,
        reasonCode: outcome.status === 'failed' ? 'FAILED' : amazonStatus,
        reason,
        pushStatus: outcome.status === 'failed' ? 'FAILED' : amazonStatus,
      });
    }
    current = await deps.store.getOffer(offer.tenantId, offer.rules.marketplaceId, offer.rules.audience, offer.rules.asin, offer.rules.sku);
  }
  return undefined;
}

/**
 * Offers the flush reads, writes and writes the history of at a time when it records a feed's results (a BatchGet
 * holds 100 keys): what it holds of the offers is this many, whatever the size of the feed.
 */
export const RECORD_CHUNK = 100;

/** The offers behind `refs` (read consistently, 100 at a time) that still wait for that very push. */
async function offersStillWaiting(deps: RepricerDeps, refs: readonly PendingPushRef[]): Promise<Map<PendingPushRef, StoredOffer>> {
  const out = new Map<PendingPushRef, StoredOffer>();
  for (let j = 0; j < refs.length; j += RECORD_CHUNK) {
    const chunk = refs.slice(j, j + RECORD_CHUNK);
    // Consistent: a stale offer that does not show this push yet would leave it pending, to be pushed again.
    const offers = new Map((await deps.store.getOffers(chunk.map((r) => r.key), { consistent: true })).map((o) => [offerId(o), o]));
    for (const ref of chunk) {
      const offer = offers.get(offerId({ tenantId: ref.key.tenantId, rules: ref.key }));
      // Only offers still waiting for this very push are recorded (a newer decision supersedes it).
      if (offer?.pendingPush?.decisionId === ref.push.decisionId) out.set(ref, offer);
    }
  }
  return out;
}

/** A feed without a processing report this long after its submission is given up: its pushes failed. */
export const FEED_REPORT_TIMEOUT_MS = 6 * 60 * 60_000;

/** Reads the processing reports of submitted feeds (one getFeed per feed, no waiting) and records each offer's outcome. */
async function collectFeedResults(deps: RepricerDeps, submitted: readonly PendingPushRef[]): Promise<{ pushed: number; failed: number; waiting: number }> {
  const byFeed = new Map<string, { feed: NonNullable<PendingPush['feed']>; refs: PendingPushRef[] }>();
  for (const ref of submitted) {
    const feed = ref.push.feed;
    if (!feed) continue;
    const key = `${ref.sellerId}|${feed.feedId}`;
    const entry = byFeed.get(key) ?? { feed, refs: [] };
    entry.refs.push(ref);
    byFeed.set(key, entry);
  }
  const nowMs = deps.now().getTime();
  const totals = { pushed: 0, failed: 0, waiting: 0 };
  for (const { feed, refs } of byFeed.values()) {
    let outcome: PriceFeedOutcome;
    try {
      outcome = await deps.amazon.feedOutcome(refs[0]!.sellerId, feed.feedId, refs.map((r) => ({ messageId: r.push.feed!.messageId, sku: r.key.sku })));
    } catch {
      // Amazon did not answer (throttled, down): the report is read on a later flush; the timeout still applies.
      outcome = { status: 'IN_PROGRESS' };
    }
    if (outcome.status === 'IN_PROGRESS' && nowMs - feed.submittedAtMs < FEED_REPORT_TIMEOUT_MS) {
      totals.waiting += refs.length;
      continue;
    }
    // Recorded RECORD_CHUNK offers at a time (read, written, their history appended), whatever the feed's size.
    for (let j = 0; j < refs.length; j += RECORD_CHUNK) {
      const history: HistoryEntry[] = [];
      for (const [ref, offer] of await offersStillWaiting(deps, refs.slice(j, j + RECORD_CHUNK))) {
        const pending = offer.pendingPush!;
        const sku = ref.key.sku;
        const result: FeedMessageResult =
          outcome.status === 'DONE'
            ? (outcome.results.get(sku) ?? { sku, accepted: true, errors: [], warnings: [] })
            : { sku, accepted: false, errors: [outcome.status === 'FAILED' ? outcome.message : `no processing report for feed ${feed.feedId} after ${FEED_REPORT_TIMEOUT_MS / 3_600_000} hours`], warnings: [] };
        const status = result.accepted ? 'pushed' : 'failed';
        const entry = await recordOfferOutcome(
          deps,
          offer,
          pending,
          pending.priceMinor,
          { status, message: (result.accepted ? result.warnings : result.errors).join('; ') },
          null,
          undefined,
          result.accepted ? 'ACCEPTED' : 'REJECTED',
          nowMs,
        );
        if (!entry) continue;
        history.push(entry);
        if (status === 'pushed') totals.pushed++;
        else totals.failed++;
      }
      if (history.length > 0) await deps.history.append(history);
    }
  }
  return totals;
}

/**
 * The bulk flush (every minute): pending pushes → one JSON_LISTINGS_FEED per seller and call (≤ 25,000 messages);
 * pushes already in a feed have its processing report read instead (never submitted twice).
 * The changes come from the `pushes` index alone; the offers are read RECORD_CHUNK at a time only to record the
 * results (each chunk written and its history appended before the next is read), so the flush holds the feed's
 * changes (≤ 25,000 small ones) and never more than RECORD_CHUNK offers.
 */
export async function flushPendingPushes(
  deps: RepricerDeps,
  options: { limit: number },
): Promise<{ offers: number; pushed: number; submissions: number; failed: number; awaitingReport: number }> {
  const pending = await deps.store.pendingPushes(deps.now().getTime(), options.limit);
  const reported = await collectFeedResults(deps, pending.filter((ref) => ref.push.feed !== undefined));
  // One feed per submission (a seller × marketplace): a feed quota without a token then leaves exactly the pushes
  // of the feeds not created pending for the next flush (nothing waits for a token, nothing is submitted twice).
  const bySeller = new Map<string, { ref: PendingPushRef; change: PriceChange }[]>();
  for (const ref of pending) {
    if (ref.push.feed) continue;
    const feedKey = `${ref.sellerId}|${ref.key.marketplaceId}`;
    const list = bySeller.get(feedKey) ?? [];
    list.push({
      ref,
      change: {
        sellerId: ref.sellerId,
        sku: ref.key.sku,
        asin: ref.key.asin,
        marketplaceId: ref.key.marketplaceId,
        audience: ref.key.audience,
        price: { minor: ref.push.priceMinor, currency: ref.currency },
        quantityTiers: ref.push.tiers.map((t) => ({ minQuantity: t.minQuantity, price: { minor: t.priceMinor, currency: ref.currency } })),
      },
    });
    bySeller.set(feedKey, list);
  }
  let pushed = reported.pushed;
  let submissions = 0;
  for (const items of bySeller.values()) {
    for (let i = 0; i < items.length; i += SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed) {
      const feed = items.slice(i, i + SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed);
      submissions++;
      const outcome = await submit(deps, feed.map((f) => f.change), { bulk: true });
      // Recorded RECORD_CHUNK offers at a time (read, written, their history appended): the flush holds the feed's
      // changes, and never more than RECORD_CHUNK of its offers or history rows.
      for (let j = 0; j < feed.length; j += RECORD_CHUNK) {
        const chunk = feed.slice(j, j + RECORD_CHUNK);
        const waiting = await offersStillWaiting(deps, chunk.map((f) => f.ref));
        const recorded: PushItem[] = [];
        const results: PriceChangeResult[] = [];
        chunk.forEach((f, k) => {
          const offer = waiting.get(f.ref);
          if (!offer) return;
          recorded.push({ offer, change: f.change });
          if (outcome.ok) results.push(outcome.results[j + k]!);
        });
        pushed += await recordOutcome(deps, recorded, outcome.ok ? { ok: true, results } : outcome);
      }
    }
  }
  return { offers: pending.length, pushed, submissions, failed: reported.failed, awaitingReport: reported.waiting };
}
