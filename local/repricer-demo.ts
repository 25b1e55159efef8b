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

/**
 * A private-label seller's Push catalogue (issue 21 sales): listings where the seller is the only offer, sold to the
 * simulated buyers, with Push rules whose targets lie above and below what the listing sells, so Push is seen
 * lowering one price and raising the other once the daily orders report has brought the units sold.
 */
export function definePushCatalogue(sim: SimulatedMarketplace, options: { readonly sellerId: string; readonly marketplace: MarketplaceCode; readonly asins: readonly { readonly asin: string; readonly targetUnitsPerDay: number }[] }): { sellerId: string; offers: Record<string, unknown>[] } {
  const m = MARKETPLACES[options.marketplace];
  const offers: Record<string, unknown>[] = [];
  for (const { asin, targetUnitsPerDay } of options.asins) {
    const sku = `PL-${asin}`;
    if (!sim.hasListing(m.id, asin, 'B2C')) {
      sim.addListing({ marketplaceId: m.id, asin, audience: 'B2C', currency: m.currency, offers: [{ sellerId: options.sellerId, sku, listingMinor: 1299, shippingMinor: 0, fba: true, rating: 97 }] });
    }
    offers.push({
      sku, asin, marketplaceId: m.id, audience: 'B2C', strategy: 'push', currency: m.currency, min: '9.00', max: '19.00', step: '0.20',
      push: { targetUnits: targetUnitsPerDay, periodDays: 1, tolerancePercent: 20 },
    });
  }
  return { sellerId: options.sellerId, offers };
}
