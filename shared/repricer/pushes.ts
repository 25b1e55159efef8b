/** Price pushes: immediate (patchListingsItem) after a decision, and the bulk flush (JSON_LISTINGS_FEED). */
import type { HistoryEntry, StoredOffer } from './model.ts';
import type { PriceChange, PriceChangeResult, RepricerDeps } from './ports.ts';
import { SP_API_QUOTAS } from './quotas.ts';
import { PHASE_NAMES } from './types.ts';

/**
 * Pushes decided prices and marks them pushed (version-conditioned, so a redelivered decision that finds its
 * push already marked does nothing). A failed push (throttled beyond retries) stays pending for the flush:
 * slower, never dropped; its failed attempts are counted, and one that keeps failing is parked with its reason.
 */
export async function pushNow(deps: RepricerDeps, items: readonly { offer: StoredOffer; change: PriceChange }[]): Promise<number> {
  let results: readonly PriceChangeResult[];
  try {
    results = await deps.amazon.submitPriceChanges(items.map((i) => i.change), { dryRun: false });
  } catch (error) {
    // Left pending: the flush retries (a throttled SP-API degrades to slower pushes, never to dropped ones),
    // but every failed attempt is counted and a push that keeps failing is parked with its reason.
    if ((error as { code?: string }).code !== 'pushes_stopped') await countFailedAttempt(deps, items, (error as Error).message);
    return 0;
  }
  return markPushed(deps, items, results);
}

/** Failed submissions a push may have before it is parked (taken out of the pending pushes, reason in its history). */
export const MAX_PUSH_ATTEMPTS = 8;

async function countFailedAttempt(deps: RepricerDeps, items: readonly { offer: StoredOffer; change: PriceChange }[], reason: string): Promise<void> {
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
  if (history.length > 0) await deps.store.appendHistory(history);
}

async function markPushed(deps: RepricerDeps, items: readonly { offer: StoredOffer; change: PriceChange }[], results: readonly PriceChangeResult[]): Promise<number> {
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
  if (history.length > 0) await deps.store.appendHistory(history);
  return pushed;
}

/** The bulk flush (every minute): pending pushes → one JSON_LISTINGS_FEED per seller and call (≤ 25,000 messages). */
export async function flushPendingPushes(deps: RepricerDeps, options: { limit: number }): Promise<{ offers: number; pushed: number; submissions: number }> {
  const pending = await deps.store.pendingPushes(deps.now().getTime(), options.limit);
  const bySeller = new Map<string, { offer: StoredOffer; change: PriceChange }[]>();
  for (const offer of pending) {
    const p = offer.pendingPush;
    if (!p) continue;
    const list = bySeller.get(offer.sellerId) ?? [];
    list.push({
      offer,
      change: {
        sellerId: offer.sellerId,
        sku: offer.rules.sku,
        asin: offer.rules.asin,
        marketplaceId: offer.rules.marketplaceId,
        audience: offer.rules.audience,
        price: { minor: p.priceMinor, currency: offer.rules.currency },
        quantityTiers: p.tiers.map((t) => ({ minQuantity: t.minQuantity, price: { minor: t.priceMinor, currency: offer.rules.currency } })),
      },
    });
    bySeller.set(offer.sellerId, list);
  }
  let pushed = 0;
  let submissions = 0;
  for (const items of bySeller.values()) {
    for (let i = 0; i < items.length; i += SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed) {
      submissions++;
      pushed += await pushNow(deps, items.slice(i, i + SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed));
    }
  }
  return { offers: pending.length, pushed, submissions };
}
