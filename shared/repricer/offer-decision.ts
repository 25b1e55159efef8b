/** The pure decision step of one offer on one market snapshot: next stored offer, push, history rows, lasting loss at min. */
import { stableId } from '#shared/kernel/ids.ts';
import { isAmazonRetailSeller } from './amazon-retail.ts';
import { compileRules, decide } from './engine.ts';
import { LOST_AT_MIN_LASTING_MS, type MarketChange } from './market-changes.ts';
import { AWAIT_AFTER_PUSH_MS, historyRowOf, offerId, type BuyBoxStatus, type HistoryEntry, type RepricerSettings, type StoredOffer } from './model.ts';
import { toMarketSnapshot } from './notification.ts';
import type { PriceChange } from './ports.ts';
import { renderReason } from './reasons.ts';
import { derivationNote } from './economics.ts';
import { economicRange } from './min-from-economics.ts';
import type { OfferChangeEvent, OfferState, OwnSalesHistory, RepriceDecision } from './types.ts';

interface SeenMarket {
  status: BuyBoxStatus;
  own: number | null;
  competitors: number;
  amazon: boolean;
  /** Lowest landed price (listing + shipping) of the other offers; null when there is none. */
  lowestCompetitor: number | null;
}

function buyBoxOf(market: OfferChangeEvent, sellerId: string): SeenMarket {
  let own: number | null = null;
  let won = false;
  let competitors = 0;
  let amazon = false;
  let lowestCompetitor: number | null = null;
  for (const o of market.offers) {
    if (o.sellerId === sellerId) {
      own = o.listingMinor;
      won = o.isBuyBoxWinner;
    } else {
      competitors++;
      if (isAmazonRetailSeller(o.sellerId)) amazon = true;
      const landed = o.listingMinor + o.shippingMinor;
      if (lowestCompetitor === null || landed < lowestCompetitor) lowestCompetitor = landed;
    }
  }
  return { status: own === null ? 'unknown' : won ? 'won' : 'lost', own, competitors, amazon, lowestCompetitor };
}

/** The pure decision step: the next stored offer (or null when nothing changed), the push and the history rows. */
export function decideOffer(
  offer: StoredOffer,
  market: OfferChangeEvent,
  settings: RepricerSettings | undefined,
  bulk: boolean,
  nowMs: number,
  /** Units sold in the offer's Push window (issue 21 sales); null: none known (Push holds). */
  sales: OwnSalesHistory | null = null,
  /** Own units in stock for the low-stock rule (issue 21 stock); -1: unknown or stale (the rule waits). */
  stockUnits = -1,
): { next: StoredOffer | null; push: PriceChange | null; history: HistoryEntry[]; lostAtMin: MarketChange | null } {
  const none = { next: null, push: null, history: [], lostAtMin: null };
  if (offer.paused || settings?.paused) return none;
  const dryRun = offer.rules.dryRun || (settings?.dryRun ?? false);
  const seen = buyBoxOf(market, offer.sellerId);
  // issue 21 economics: the min from cost, fees and margin (or a hold while the fees are unknown).
  const range = economicRange(offer.rules, offer.feeEstimate, seen.own, offer.state, nowMs);
  const rules = dryRun === range.rules.dryRun ? range.rules : { ...range.rules, dryRun };
  const decision = range.hold ?? decide(compileRules(rules, offer.sellerId), toMarketSnapshot(market), offer.state, nowMs, sales, undefined, stockUnits);
  const nextState = dryRun ? offer.state : decision.nextState;
  const reason =
    renderReason(decision.reasonCode, decision.reasonParams, decision.currency) +
    (range.derivation ? derivationNote(range.derivation, rules.currency, nowMs) : '') +
    (dryRun ? ' [dry run: not pushed]' : '');
  const pushes = !dryRun && decision.action !== 'hold' && decision.newPriceMinor !== offer.lastPushedPriceMinor;
  // An economics hold (fees unknown) is not "lost at min": the min is not known.
  const atMinLosing = range.hold === null && (decision.reasonCode === 'AtMinCannotWin' || (seen.status === 'lost' && seen.own !== null && seen.own <= rules.minMinor));
  const lostAtMinSinceMs = atMinLosing ? offer.lostAtMinSinceMs || nowMs : 0;
  const stateChanged = !sameState(nextState, offer.state);
  const knowledgeChanged =
    seen.status !== offer.buyBox || seen.own !== offer.currentPriceMinor || seen.competitors !== offer.competitorCount || seen.amazon !== offer.amazonOnListing;
  const lostAtMinChanged = lostAtMinSinceMs !== offer.lostAtMinSinceMs;
  // A fee estimate fetched since the last decision, or an economics hold not recorded yet, is worth a write.
  const economicsChanged =
    (offer.feeEstimate !== undefined && offer.feeEstimate.estimatedAtMs > offer.lastDecisionAtMs) || (range.hold !== null && offer.lastReason !== reason);
  if (!pushes && !stateChanged && !knowledgeChanged && !lostAtMinChanged && !economicsChanged && !(dryRun && decision.action !== 'hold' && offer.lastReason !== reason)) {
    return none;
  }
  const version = offer.version + 1;
  const decisionId = stableId('d', `${offerId(offer)}#${version}`);
  const push: PriceChange | null = pushes
    ? {
        sellerId: offer.sellerId,
        sku: offer.rules.sku,
        asin: offer.rules.asin,
        marketplaceId: offer.rules.marketplaceId,
        audience: offer.rules.audience,
        price: { minor: decision.newPriceMinor, currency: offer.rules.currency },
        quantityTiers: decision.tiers.map((t) => ({ minQuantity: t.minQuantity, price: { minor: t.priceMinor, currency: offer.rules.currency } })),
      }
    : null;
  const next: StoredOffer = {
    ...offer,
    state: nextState,
    version,
    // After a push the offer waits for Amazon; otherwise it stays due as it was (due means "at or before now"),
    // so its `due` index entry is not rewritten on every decision.
    nextRepriceAtMs: push ? nowMs + AWAIT_AFTER_PUSH_MS : Math.min(offer.nextRepriceAtMs, nowMs),
    currentPriceMinor: seen.own,
    buyBox: seen.status,
    competitorCount: seen.competitors,
    amazonOnListing: seen.amazon,
    lastDecisionAtMs: nowMs,
    lastReason: reason,
    lastReasonDetail: { code: decision.reasonCode, params: decision.reasonParams, dryRun },
    lostAtMinSinceMs,
    pendingPush: push
      ? { decisionId, priceMinor: push.price.minor, tiers: decision.tiers, decidedAtMs: nowMs, via: bulk ? 'bulk' : 'now', attempts: 0 }
      : offer.pendingPush,
  };
  const history: HistoryEntry[] =
    decision.action !== 'hold' || stateChanged || seen.status !== offer.buyBox
      ? [historyOf(next, decision, decisionId, reason, nowMs, dryRun, seen.lowestCompetitor, rules.minMinor)]
      : [];
  const lasting = lostAtMinSinceMs > 0 && nowMs - lostAtMinSinceMs >= LOST_AT_MIN_LASTING_MS;
  const lostAtMin: MarketChange | null = lasting
    ? {
        kind: 'buybox-lost-at-min',
        tenantId: offer.tenantId,
        sellerId: offer.sellerId,
        marketplaceId: offer.rules.marketplaceId,
        asin: offer.rules.asin,
        audience: offer.rules.audience,
        detail: `${offer.rules.sku} has lost the Buy Box at its minimum price since ${new Date(lostAtMinSinceMs).toISOString()}`,
        occurredAt: new Date(nowMs).toISOString(),
      }
    : null;
  return { next, push, history, lostAtMin };
}

function sameState(a: OfferState, b: OfferState): boolean {
  for (const k of Object.keys(a) as (keyof OfferState)[]) if (a[k] !== b[k]) return false;
  return true;
}

function historyOf(
  offer: StoredOffer,
  d: RepriceDecision,
  decisionId: string,
  reason: string,
  nowMs: number,
  dryRun: boolean,
  lowestCompetitorMinor: number | null,
  minMinor: number,
): HistoryEntry {
  return {
    ...historyRowOf(offer, nowMs),
    kind: 'decision',
    decisionId,
    action: d.action,
    priceMinor: d.newPriceMinor,
    previousPriceMinor: d.currentPriceMinor,
    reasonCode: d.reasonCode,
    reason,
    dryRun,
    lowestCompetitorMinor,
    minMinor,
    maxMinor: offer.rules.maxMinor,
  };
}
