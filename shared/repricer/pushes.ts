/** Price pushes: immediate (patchListingsItem) after a decision, and the bulk flush (JSON_LISTINGS_FEED). */
import { offerId, type HistoryEntry, type PendingPushRef, type StoredOffer } from './model.ts';
import type { PriceChange, PriceChangeResult, RepricerDeps } from './ports.ts';
import { SP_API_QUOTAS } from './quotas.ts';
import { PHASE_NAMES } from './types.ts';

/**
 * Pushes decided prices and marks them pushed (version-conditioned, so a redelivered decision that finds its
 * push already marked does nothing). A failed push (throttled beyond retries) stays pending for the flush:
 * slower, never dropped; its failed attempts are counted, and one that keeps failing is parked with its reason.
 */
export async function pushNow(deps: RepricerDeps, items: readonly PushItem[]): Promise<number> {
  return recordOutcome(deps, items, await submit(deps, items.map((i) => i.change)));
}

interface PushItem {
  readonly offer: StoredOffer;
  readonly change: PriceChange;
}

type SubmitOutcome = { readonly ok: true; readonly results: readonly PriceChangeResult[] } | { readonly ok: false; readonly reason: string; readonly stopped: boolean };

async function submit(deps: RepricerDeps, changes: readonly PriceChange[]): Promise<SubmitOutcome> {
  try {
    return { ok: true, results: await deps.amazon.submitPriceChanges(changes, { dryRun: false }) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message, stopped: (error as { code?: string }).code === 'pushes_stopped' };
  }
}

/** `results` are the submission's results for `items`, in the same order. */
async function recordOutcome(deps: RepricerDeps, items: readonly PushItem[], outcome: SubmitOutcome): Promise<number> {
  if (outcome.ok) return markPushed(deps, items, outcome.results);
  // Left pending: the flush retries (a throttled SP-API degrades to slower pushes, never to dropped ones),
  // but every failed attempt is counted and a push that keeps failing is parked with its reason.
  if (!outcome.stopped) await countFailedAttempt(deps, items, outcome.reason);
  return 0;
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
      ...(parked ? { lastReason: `push of ${change.price.minor} parked after ${attempts} failed attempts: ${reason}` } : {}),
    };
    // A lost race means someone else changed the offer (a newer decision, a success): nothing to count.
    if (!(await deps.store.putOffer(next)) || !parked) continue;
    history.push({
      tenantId: offer.tenantId,
      sku: offer.rules.sku,
      marketplaceId: offer.rules.marketplaceId,
      audience: offer.rules.audience,
      at: new Date(nowMs).toISOString(),
      kind: 'push',
      decisionId: pending.decisionId,
      action: 'parked',
      priceMinor: change.price.minor,
      previousPriceMinor: offer.currentPriceMinor,
      currency: offer.rules.currency,
      reasonCode: 'PARKED',
      reason: `parked after ${attempts} failed attempts: ${reason}`,
      state: PHASE_NAMES[offer.state.phase],
      buyBox: offer.buyBox,
      competitorCount: offer.competitorCount,
      dryRun: false,
      pushStatus: 'PARKED',
    });
  }
  if (history.length > 0) await deps.history.append(history);
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
    const accepted = r.status === 'ACCEPTED' || r.status === 'VALIDATED';
    let current: StoredOffer | undefined = offer;
    for (let attempt = 0; attempt < 3 && current; attempt++) {
      if (current.pendingPush?.decisionId !== pending.decisionId) break; // superseded or already marked
      const next: StoredOffer = {
        ...current,
        version: current.version + 1,
        pendingPush: null,
        ...(accepted ? { lastPushedPriceMinor: change.price.minor, lastPushedDecisionId: pending.decisionId } : {}),
      };
      if (await deps.store.putOffer(next)) {
        if (accepted) pushed++;
        history.push({
          tenantId: offer.tenantId,
          sku: offer.rules.sku,
          marketplaceId: offer.rules.marketplaceId,
          audience: offer.rules.audience,
          at: new Date(nowMs).toISOString(),
          kind: 'push',
          decisionId: pending.decisionId,
          action: 'push',
          priceMinor: change.price.minor,
          previousPriceMinor: offer.currentPriceMinor,
          currency: offer.rules.currency,
          reasonCode: r.status,
          reason: r.issues.length > 0 ? r.issues.join('; ') : `${r.status} (${r.submissionId})`,
          state: PHASE_NAMES[offer.state.phase],
          buyBox: offer.buyBox,
          competitorCount: offer.competitorCount,
          dryRun: false,
          pushStatus: r.status,
        });
        break;
      }
      current = await deps.store.getOffer(offer.tenantId, offer.rules.marketplaceId, offer.rules.audience, offer.rules.asin, offer.rules.sku);
    }
  }
  if (history.length > 0) await deps.history.append(history);
  return pushed;
}

/** Offers read at a time when the flush records a feed's results (a BatchGet holds 100 keys). */
const RECORD_CHUNK = 100;

/**
 * The bulk flush (every minute): pending pushes → one JSON_LISTINGS_FEED per seller and call (≤ 25,000 messages).
 * The changes come from the `pushes` index alone; the offers are read 100 at a time only to record the results,
 * so the flush holds the feed's changes, never its offers.
 */
export async function flushPendingPushes(deps: RepricerDeps, options: { limit: number }): Promise<{ offers: number; pushed: number; submissions: number }> {
  const pending = await deps.store.pendingPushes(deps.now().getTime(), options.limit);
  const bySeller = new Map<string, { ref: PendingPushRef; change: PriceChange }[]>();
  for (const ref of pending) {
    const list = bySeller.get(ref.sellerId) ?? [];
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
    bySeller.set(ref.sellerId, list);
  }
  let pushed = 0;
  let submissions = 0;
  for (const items of bySeller.values()) {
    for (let i = 0; i < items.length; i += SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed) {
      const feed = items.slice(i, i + SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed);
      submissions++;
      const outcome = await submit(deps, feed.map((f) => f.change));
      for (let j = 0; j < feed.length; j += RECORD_CHUNK) {
        const chunk = feed.slice(j, j + RECORD_CHUNK);
        // Consistent: a stale offer that does not show this push yet would leave it pending, to be pushed again.
        const offers = new Map((await deps.store.getOffers(chunk.map((c) => c.ref.key), { consistent: true })).map((o) => [offerId(o), o]));
        // Only offers still waiting for this very push are recorded (a newer decision supersedes it).
        const recorded: PushItem[] = [];
        const results: PriceChangeResult[] = [];
        chunk.forEach((c, k) => {
          const offer = offers.get(offerId({ tenantId: c.ref.key.tenantId, rules: c.ref.key }));
          if (offer?.pendingPush?.decisionId !== c.ref.push.decisionId) return;
          recorded.push({ offer, change: c.change });
          if (outcome.ok) results.push(outcome.results[j + k]!);
        });
        pushed += await recordOutcome(deps, recorded, outcome.ok ? { ok: true, results } : outcome);
      }
    }
  }
  return { offers: pending.length, pushed, submissions };
}
