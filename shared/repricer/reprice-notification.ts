import { ValidationError } from '#shared/kernel/errors.ts';
import { formatMinor } from '#shared/kernel/money.ts';
import type { PriceChange } from './ports.ts';
import { compileRules, decide } from './engine.ts';
import type { CompiledOfferRules, EngineOptions } from './engine.ts';
import { parseOfferChangedNotification, toMarketSnapshot } from './notification.ts';
import { renderReason } from './reasons.ts';
import { economicRange } from './min-from-economics.ts';
import { offerKey } from './rules.ts';
import { DecisionScratch, INITIAL_OFFER_STATE, PHASE_NAMES, Phase } from './types.ts';
import type { DecisionAction, OfferChangeEvent, OfferState, OwnSalesHistory, RepriceDecision, RulesFile } from './types.ts';

/**
 * The repricing use case: one market event (an ANY_OFFER_CHANGED / B2B_ANY_OFFER_CHANGED notification, or a
 * snapshot fetched on a scheduled tick) + the seller's rules (+ per-offer state and sales) → decisions.
 * Pure: no clock, no console, no I/O. The CLI (`sellerops reprice`), the simulator and the Lambda call it.
 */

export interface RepriceInput {
  readonly event: OfferChangeEvent;
  readonly rules: RulesFile;
  readonly now: Date;
  /** State per `offerKey(offer)`; missing offers start from `INITIAL_OFFER_STATE`. */
  readonly states?: ReadonlyMap<string, OfferState>;
  /** Own sales per `offerKey(offer)` for the Push strategy. */
  readonly sales?: ReadonlyMap<string, OwnSalesHistory>;
  /** Own units in stock per `offerKey(offer)` for the low-stock rule (issue 21); missing = unknown, the rule waits. */
  readonly stock?: ReadonlyMap<string, number>;
  readonly engine?: EngineOptions;
  /** Precompiled rules per offerKey (hot callers: the simulator); compiled on the fly when absent. */
  readonly compiled?: ReadonlyMap<string, CompiledOfferRules>;
}

export interface RepriceResult {
  readonly decisions: readonly RepriceDecision[];
  /** Next state per offerKey. Dry-run offers keep their previous state: nothing was pushed. */
  readonly nextStates: ReadonlyMap<string, OfferState>;
  /** What to submit to Amazon: decisions that change a price and are not dry runs. */
  readonly priceChanges: readonly PriceChange[];
}

export function repriceOfferChange(input: RepriceInput): RepriceResult {
  const { event, rules } = input;
  if (event.sellerId !== rules.sellerId) {
    throw new ValidationError(`sellerId: the rules are for seller ${rules.sellerId} but the notification is for ${event.sellerId}`, {
      field: 'sellerId',
    });
  }
  const nowMs = input.now.getTime();
  const market = toMarketSnapshot(event);
  const scratch = new DecisionScratch();
  const decisions: RepriceDecision[] = [];
  const nextStates = new Map<string, OfferState>();
  const priceChanges: PriceChange[] = [];
  rules.offers.forEach((offer, i) => {
    if (offer.asin !== event.asin || offer.marketplaceId !== event.marketplaceId || offer.audience !== event.audience) return;
    if (offer.currency !== event.currency) {
      throw new ValidationError(
        `offers[${i}].currency: the rule prices in ${offer.currency} but the ${event.marketplaceId} listing is in ${event.currency}`,
        { field: `offers[${i}].currency` },
      );
    }
    const key = offerKey(offer);
    const compiled = input.compiled?.get(key) ?? compileRules(offer, rules.sellerId, input.engine);
    const state = input.states?.get(key) ?? INITIAL_OFFER_STATE;
    // issue 21 economics: here fees come from the rule only; without them the offer holds (never below cost).
    const hold = offer.economics ? economicRange(offer, undefined, event.offers.find((o) => o.sellerId === rules.sellerId)?.listingMinor ?? null, state, nowMs).hold : null;
    if (hold) {
      decisions.push(hold);
      nextStates.set(key, state);
      return;
    }
    const decision = decide(compiled, market, state, nowMs, input.sales?.get(key) ?? null, scratch, input.stock?.get(key) ?? -1);
    decisions.push(decision);
    nextStates.set(key, offer.dryRun ? state : decision.nextState);
    if (!offer.dryRun && decision.action !== 'hold') {
      priceChanges.push({
        sellerId: rules.sellerId,
        sku: offer.sku,
        asin: offer.asin,
        marketplaceId: offer.marketplaceId,
        audience: offer.audience,
        price: { minor: decision.newPriceMinor, currency: offer.currency },
        quantityTiers: decision.tiers.map((t) => ({ minQuantity: t.minQuantity, price: { minor: t.priceMinor, currency: offer.currency } })),
      });
    }
  });
  return { decisions, nextStates, priceChanges };
}

/** Parses the raw notification (the SQS body, JSON-decoded) and reprices: the Lambda's and the CLI's entry point. */
export function repriceNotification(input: Omit<RepriceInput, 'event'> & { readonly notification: unknown }): RepriceResult {
  return repriceOfferChange({ ...input, event: parseOfferChangedNotification(input.notification) });
}

// ---------------------------------------------------------------------------------------------------------------
// JSON views (decimal strings, rendered reasons)

export interface DecisionJson {
  sku: string;
  asin: string;
  marketplaceId: string;
  audience: 'B2C' | 'B2B';
  strategy: string;
  currency: string;
  currentPrice: string | null;
  newPrice: string;
  action: DecisionAction;
  reason: string;
  reasonCode: string;
  tiers?: { minQuantity: number; price: string }[];
  dryRun: boolean;
  amazonOnListing: boolean;
  state: string;
}

export function decisionToJson(decision: RepriceDecision): DecisionJson {
  const fmt = (minor: number): string => formatMinor(minor, decision.currency);
  const json: DecisionJson = {
    sku: decision.sku,
    asin: decision.asin,
    marketplaceId: decision.marketplaceId,
    audience: decision.audience,
    strategy: decision.strategy,
    currency: decision.currency,
    currentPrice: decision.currentPriceMinor === null ? null : fmt(decision.currentPriceMinor),
    newPrice: fmt(decision.newPriceMinor),
    action: decision.action,
    reason:
      renderReason(decision.reasonCode, decision.reasonParams, decision.currency) +
      (decision.ownOfferMissing ? ' (our offer is not among the offers: assumed at max)' : '') +
      (decision.dryRun ? ' [dry run: not pushed]' : ''),
    reasonCode: decision.reasonCode,
    dryRun: decision.dryRun,
    amazonOnListing: decision.amazonOnListing,
    state: PHASE_NAMES[decision.nextState.phase],
  };
  if (decision.tiers.length > 0) json.tiers = decision.tiers.map((t) => ({ minQuantity: t.minQuantity, price: fmt(t.priceMinor) }));
  return json;
}

export function decisionsToJson(decisions: readonly RepriceDecision[]): { decisions: DecisionJson[] } {
  return { decisions: decisions.map(decisionToJson) };
}

// ---------------------------------------------------------------------------------------------------------------
// State persistence (JSON documents keyed by offerKey; a DynamoDB item later)

const phaseByName = new Map(Object.entries(PHASE_NAMES).map(([code, name]) => [name, Number(code) as Phase]));

export function statesToJson(states: ReadonlyMap<string, OfferState>): Record<string, Record<string, number | string>> {
  const out: Record<string, Record<string, number | string>> = {};
  for (const [key, state] of states) out[key] = { ...state, phase: PHASE_NAMES[state.phase] };
  return out;
}

export function statesFromJson(raw: unknown): Map<string, OfferState> {
  const states = new Map<string, OfferState>();
  if (raw === null || typeof raw !== 'object') throw new ValidationError('state: expected an object keyed by offer', { field: 'state' });
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || typeof value !== 'object') throw new ValidationError(`state.${key}: expected an object`, { field: `state.${key}` });
    const record = value as Record<string, unknown>;
    const phase = phaseByName.get(String(record['phase']));
    if (phase === undefined) throw new ValidationError(`state.${key}.phase: unknown phase "${String(record['phase'])}"`, { field: `state.${key}.phase` });
    const num = (name: keyof OfferState): number => {
      const v = record[name] ?? INITIAL_OFFER_STATE[name];
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
        throw new ValidationError(`state.${key}.${name}: expected an integer`, { field: `state.${key}.${name}` });
      }
      return v;
    };
    states.set(key, {
      phase,
      pendingPriceMinor: num('pendingPriceMinor'),
      pendingSinceMs: num('pendingSinceMs'),
      lastWinningPriceMinor: num('lastWinningPriceMinor'),
      lostAtPriceMinor: num('lostAtPriceMinor'),
      ceilingPremiumBasisPoints: num('ceilingPremiumBasisPoints'),
      ceilingLearnedAtMs: num('ceilingLearnedAtMs'),
      ceilingReferenceLandedMinor: num('ceilingReferenceLandedMinor'),
      streak: num('streak'),
      referenceLandedMinor: num('referenceLandedMinor'),
      lastChangeAtMs: num('lastChangeAtMs'),
    });
  }
  return states;
}
