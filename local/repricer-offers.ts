/**
 * Offers for the local tick (bench/repricer-tick.bench.ts, test/repricer-service): minimal ones (`S1`, base rules,
 * a fresh state) or realistic ones shaped like examples/repricer/rules.json at its richest: 40-character SKUs,
 * every rule field set, a B2B offer with five quantity tiers beside each B2C one, and a full decision state
 * (learned ceiling, streak, pushed price, a rendered reason), i.e. what a seller's offer looks like after weeks.
 */
import { toOfferRules } from '#shared/repricer/rules.ts';
import { newStoredOffer, type StoredOffer } from '#shared/repricer/model.ts';
import { Phase, type Audience } from '#shared/repricer/types.ts';

export const BENCH_MARKETPLACE_ID = 'A1PA6795UKMFR9';

export interface BenchListing {
  readonly asin: string;
  readonly audience: Audience;
  readonly offer: StoredOffer;
}

/** Exactly 40 characters, unique per listing index. */
export function realisticSku(listing: number): string {
  return `KITCHEN-SCALE-DIGITAL-5KG-EU-FBA-${String(listing).padStart(7, '0')}`;
}

/**
 * Offer `i` of a catalogue. Realistic catalogues pair offers: even i is the B2C offer of listing i/2, odd i its
 * B2B offer (same SKU and ASIN) with tiers, as KITCHEN-SCALE-01 in examples/repricer/rules.json.
 */
export function benchOffer(i: number, options: { tenantId: string; sellerId: string; realistic: boolean; nowMs: number }): BenchListing {
  if (!options.realistic) {
    const asin = `B1${String(i).padStart(8, '0')}`;
    const rules = toOfferRules({ sku: `S${i}`, asin, marketplaceId: BENCH_MARKETPLACE_ID, strategy: 'buybox', currency: 'EUR', min: '8.00', max: '15.00', step: '0.05', competitors: 'buybox-eligible' }, 'bench');
    return { asin, audience: 'B2C', offer: { ...newStoredOffer(options.tenantId, options.sellerId, rules, options.nowMs - 1000), version: 1 } };
  }
  const listing = Math.floor(i / 2);
  const audience: Audience = i % 2 === 0 ? 'B2C' : 'B2B';
  const asin = `B0${String(listing).padStart(8, '0')}`;
  const rules = toOfferRules(
    {
      sku: realisticSku(listing),
      asin,
      marketplaceId: BENCH_MARKETPLACE_ID,
      audience,
      strategy: 'buybox',
      currency: 'EUR',
      min: audience === 'B2C' ? '8.00' : '7.50',
      max: audience === 'B2C' ? '15.00' : '14.00',
      step: '0.05',
      competitors: 'buybox-eligible',
      excludeSellerIds: ['A1EXCLUDED0001', 'A1EXCLUDED0002', 'A1EXCLUDED0003'],
      minSellerRating: 85,
      fallback: 'price',
      fallbackPrice: audience === 'B2C' ? '12.99' : '11.99',
      amazon: 'compete',
      amazonSellerIds: ['A1AMAZONEXTRA1'],
      dryRun: false,
      push: { targetUnits: 10, periodDays: 1, tolerancePercent: 20, keepBuyBox: true },
      tiers:
        audience === 'B2B'
          ? [
              { minQuantity: 5, discountPercent: '3' },
              { minQuantity: 10, discountPercent: '5' },
              { minQuantity: 25, discountAmount: '1.20' },
              { minQuantity: 50, discountPercent: '8.5' },
              { minQuantity: 100, discountAmount: '2.00' },
            ]
          : [],
    },
    'bench',
  );
  const fresh = newStoredOffer(options.tenantId, options.sellerId, rules, options.nowMs - 1000);
  const dayMs = 86_400_000;
  const offer: StoredOffer = {
    ...fresh,
    version: 214,
    state: {
      phase: Phase.Holding,
      pendingPriceMinor: 0,
      pendingSinceMs: options.nowMs - 3 * dayMs,
      lastWinningPriceMinor: 1249,
      lostAtPriceMinor: 1319,
      ceilingPremiumBasisPoints: 450,
      ceilingLearnedAtMs: options.nowMs - 9 * dayMs,
      ceilingReferenceLandedMinor: 1240,
      streak: 2,
      referenceLandedMinor: 1240,
      lastChangeAtMs: options.nowMs - 2 * dayMs,
    },
    currentPriceMinor: 1299,
    lastPushedPriceMinor: 1299,
    lastPushedDecisionId: `d-${'0'.repeat(24)}${String(i).padStart(8, '0')}`,
    buyBox: 'lost',
    competitorCount: 6,
    amazonOnListing: false,
    lastDecisionAtMs: options.nowMs - 2 * dayMs,
    lastReason: 'Buy Box held by A1STATICFBA001 at 12.40 EUR landed; undercut by 0.05 EUR to 12.35 EUR (streak 2, ceiling +4.5 % learned 9 days ago)',
    lostAtMinSinceMs: 0,
  };
  return { asin, audience, offer };
}
