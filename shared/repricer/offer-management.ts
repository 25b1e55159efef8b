/** The customer API's use cases: the repricer account, bulk rule upload and offer changes (pause, strategy, dry run). */
import { ConflictError, NotFoundError, ValidationError } from '#shared/kernel/errors.ts';
import { stableId } from '#shared/kernel/ids.ts';
import { historyRowOf, newStoredOffer, type HistoryEntry, type RepricerSettings, type StoredOffer } from './model.ts';
import type { PriceHistory, RepricerStore } from './ports.ts';
import { offerRulesToInput, toOfferRules, type OfferRulesInput } from './rules.ts';
import type { Audience, OfferRules, StrategyName } from './types.ts';

export async function requireSettings(store: RepricerStore, tenantId: string): Promise<RepricerSettings> {
  const settings = await store.getSettings(tenantId);
  if (!settings) throw new NotFoundError('repricer account (upload rules first)');
  return settings;
}

/** Bulk rule upload: creates or updates offers (state kept); the seller id binds the tenant to notifications. */
export async function upsertRules(
  store: RepricerStore,
  tenantId: string,
  sellerId: string,
  offers: readonly OfferRules[],
  nowMs: number,
): Promise<{ created: number; updated: number }> {
  await claimSellerForRules(store, tenantId, sellerId);
  return writeOfferRules(store, tenantId, sellerId, offers, nowMs);
}

/** The first rules of a tenant bind it to the seller (settings and seller → tenant map); later ones must name that seller. */
export async function claimSellerForRules(store: RepricerStore, tenantId: string, sellerId: string): Promise<void> {
  const owner = await store.tenantOfSeller(sellerId);
  if (owner && owner !== tenantId) throw new ConflictError(`seller ${sellerId} belongs to another account`, 'seller_taken');
  const settings = await store.getSettings(tenantId);
  if (!settings) await store.saveSettings({ tenantId, sellerId, dryRun: false, paused: false, version: 1 });
  else if (settings.sellerId !== sellerId) throw new ValidationError(`sellerId: this account reprices seller ${settings.sellerId}`, { field: 'sellerId' });
}

/** Creates or updates each offer with a version-conditioned write, keeping its decision state. */
export async function writeOfferRules(
  store: RepricerStore,
  tenantId: string,
  sellerId: string,
  offers: readonly OfferRules[],
  nowMs: number,
): Promise<{ created: number; updated: number }> {
  let created = 0;
  let updated = 0;
  for (const rules of offers) {
    for (let attempt = 0; ; attempt++) {
      const existing = await store.getOffer(tenantId, rules.marketplaceId, rules.audience, rules.asin, rules.sku);
      const next: StoredOffer = existing
        ? { ...existing, rules, version: existing.version + 1, nextRepriceAtMs: Math.min(existing.nextRepriceAtMs, nowMs) }
        : { ...newStoredOffer(tenantId, sellerId, rules, nowMs), version: 1 };
      if (await store.putOffer(next)) {
        if (existing) updated++;
        else created++;
        break;
      }
      if (attempt >= 3) throw new ConflictError(`offer ${rules.sku}: changed concurrently, try again`, 'version_conflict');
    }
  }
  return { created, updated };
}

/** Changes offers of a tenant (pause/resume, strategy, dry run) with version-conditioned writes. */
export async function updateOffers(
  store: RepricerStore,
  tenantId: string,
  match: { sku?: string; marketplaceId?: string; audience?: Audience },
  change: (offer: StoredOffer) => StoredOffer,
): Promise<number> {
  const offers = (await store.listOffers(tenantId)).filter(
    (o) => (!match.sku || o.rules.sku === match.sku) && (!match.marketplaceId || o.rules.marketplaceId === match.marketplaceId) && (!match.audience || o.rules.audience === match.audience),
  );
  if (offers.length === 0) throw new NotFoundError(`offer ${match.sku ?? ''}`.trim());
  let n = 0;
  for (const offer of offers) {
    let current: StoredOffer | undefined = offer;
    for (let attempt = 0; attempt < 3 && current; attempt++) {
      if (await store.putOffer({ ...change(current), version: current.version + 1 })) {
        n++;
        break;
      }
      current = await store.getOffer(tenantId, offer.rules.marketplaceId, offer.rules.audience, offer.rules.asin, offer.rules.sku);
    }
  }
  return n;
}

/** What switching an offer's strategy may carry besides the strategy: the fixed price, the Push targets. */
export interface StrategyChange {
  readonly strategy: StrategyName;
  readonly fixedPrice?: string | undefined;
  readonly push?: OfferRulesInput['push'];
}

/**
 * The offer under another strategy, its rules validated again exactly as a customer's upload is (a `fixed`
 * strategy without a price is refused, naming the field), and due for repricing at once.
 */
export function offerWithStrategy(offer: StoredOffer, change: StrategyChange, nowMs: number, at = 'body'): StoredOffer {
  const input: Record<string, unknown> = { ...offerRulesToInput(offer.rules), strategy: change.strategy };
  if (change.fixedPrice) input.fixedPrice = change.fixedPrice;
  if (change.push) input.push = change.push;
  if (change.strategy !== 'fixed') delete input.fixedPrice;
  return { ...offer, rules: toOfferRules(input, at), nextRepriceAtMs: nowMs };
}

/**
 * A strategy chosen for the customer outside the offer API (the end-of-trial call, R-O4): each offer `strategyFor`
 * names a different strategy for is switched with a version-conditioned write, and the switch is written to the
 * price history with its reason (the history is "every price change with its reason", and the next price changes
 * follow from this one). An offer already on its strategy is left alone, so applying the same choice twice
 * changes and records nothing the second time.
 */
export async function applyStrategyChange(
  deps: { readonly store: RepricerStore; readonly history: PriceHistory },
  tenantId: string,
  strategyFor: (offer: StoredOffer) => StrategyName | undefined,
  reason: { readonly code: string; readonly text: string },
  nowMs: number,
): Promise<{ changed: number; unchanged: number }> {
  let changed = 0;
  let unchanged = 0;
  const rows: HistoryEntry[] = [];
  const offers = await deps.store.listOffers(tenantId);
  // Every switch is validated before the first is written: a refused one (a `fixed` strategy on an offer without a
  // fixed price) leaves all offers as they were.
  for (const offer of offers) {
    const strategy = strategyFor(offer);
    if (strategy && strategy !== offer.rules.strategy) offerWithStrategy(offer, { strategy, push: pushInputOf(offer) }, nowMs, `offers.${offer.rules.sku}`);
  }
  for (const offer of offers) {
    let current: StoredOffer | undefined = offer;
    for (let attempt = 0; current; attempt++) {
      const strategy = strategyFor(current);
      if (!strategy || strategy === current.rules.strategy) {
        unchanged++;
        break;
      }
      const next = offerWithStrategy(current, { strategy, push: pushInputOf(current) }, nowMs, `offers.${current.rules.sku}`);
      if (await deps.store.putOffer({ ...next, version: current.version + 1 })) {
        changed++;
        rows.push({
          ...historyRowOf(next, nowMs),
          kind: 'strategy',
          decisionId: stableId('strategy', `${tenantId}#${next.rules.marketplaceId}#${next.rules.audience}#${next.rules.sku}#${reason.code}#${nowMs}`),
          action: `strategy ${current.rules.strategy} → ${strategy}`,
          // The price does not move here: the row carries the price the offer stands at (0 before its first decision).
          priceMinor: current.currentPriceMinor ?? 0,
          previousPriceMinor: current.currentPriceMinor,
          reasonCode: reason.code,
          reason: reason.text,
          dryRun: current.rules.dryRun,
          minMinor: next.rules.minMinor,
          maxMinor: next.rules.maxMinor,
        });
        break;
      }
      if (attempt >= 3) throw new ConflictError(`offer ${offer.rules.sku}: changed concurrently, try again`, 'version_conflict');
      current = await deps.store.getOffer(tenantId, offer.rules.marketplaceId, offer.rules.audience, offer.rules.asin, offer.rules.sku);
    }
  }
  if (rows.length > 0) await deps.history.append(rows);
  return { changed, unchanged };
}

/**
 * A switch to Push keeps the offer's stored Push targets (1 unit a day unless its rules named others); the customer
 * tunes them with PUT /repricer/offers/{sku}/strategy.
 */
function pushInputOf(offer: StoredOffer): NonNullable<OfferRulesInput['push']> {
  const push = offer.rules.push;
  return { targetUnits: push.targetUnits, periodDays: push.periodMs / 86_400_000, tolerancePercent: push.toleranceBasisPoints / 100, keepBuyBox: push.keepBuyBox };
}
