/** The customer API's use cases: the repricer account, bulk rule upload and offer changes (pause, strategy, dry run). */
import { ConflictError, NotFoundError, ValidationError } from '#shared/kernel/errors.ts';
import { newStoredOffer, type RepricerSettings, type StoredOffer } from './model.ts';
import type { RepricerStore } from './ports.ts';
import type { Audience, OfferRules } from './types.ts';

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
