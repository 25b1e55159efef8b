/** Demo repricer catalogue: simulated listings (competitor mixes of the simulator) and matching rules. */
import { COMPETITOR_MIXES } from '#shared/marketplace-sim/scenarios.ts';
import type { SimulatedMarketplace } from '#shared/marketplace-sim/simulated-marketplace.ts';
import { MARKETPLACES, type MarketplaceCode } from '#shared/kernel/marketplaces.ts';

export interface DemoCatalogueOptions {
  readonly sellerId: string;
  readonly marketplaces: readonly MarketplaceCode[];
  readonly asinsPerMarketplace: number;
  /** Which competitor mixes to cycle through (default: those without Amazon retail). */
  readonly mixes?: readonly string[];
}

export function demoAsin(i: number): string {
  return `B0DEMO${String(i).padStart(4, '0')}`;
}

/** Adds B2C and B2B listings to the simulator and returns the rules file for them. */
export function defineDemoCatalogue(sim: SimulatedMarketplace, options: DemoCatalogueOptions): { sellerId: string; offers: Record<string, unknown>[] } {
  const mixes = COMPETITOR_MIXES.filter((m) => (options.mixes ?? ['static-field', 'undercutters']).includes(m.name));
  const offers: Record<string, unknown>[] = [];
  for (const code of options.marketplaces) {
    const m = MARKETPLACES[code];
    for (let i = 0; i < options.asinsPerMarketplace; i++) {
      const asin = demoAsin(i);
      const mix = mixes[i % mixes.length]!;
      for (const audience of ['B2C', 'B2B'] as const) {
        if (sim.hasListing(m.id, asin, audience)) continue;
        sim.addListing({
          marketplaceId: m.id,
          asin,
          audience,
          currency: m.currency,
          offers: [{ sellerId: options.sellerId, sku: `SKU-${asin}`, listingMinor: 1299, shippingMinor: 0, fba: true, rating: 98 }, ...mix.competitors],
        });
        offers.push(
          audience === 'B2C'
            ? { sku: `SKU-${asin}`, asin, marketplaceId: m.id, audience, strategy: 'buybox', currency: m.currency, min: '8.00', max: '15.00', step: '0.05', competitors: 'buybox-eligible' }
            : {
                sku: `SKU-${asin}`, asin, marketplaceId: m.id, audience, strategy: 'buybox', currency: m.currency, min: '7.50', max: '14.00', step: '0.05',
                tiers: [{ minQuantity: 5, discountPercent: '3' }, { minQuantity: 10, discountPercent: '5' }],
              },
        );
      }
    }
  }
  return { sellerId: options.sellerId, offers };
}
