/**
 * The simulated marketplace's seller profiles (the default SellerProfileSource locally and in tests). Known
 * demo sellers have fixed profiles; any other seller id gets a deterministic profile generated from it, and
 * the local stack can define more (PUT /_local/sim/sellers/{sellerId}).
 */
import type { MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import type { RawSellerData } from '#shared/onboarding/profile.ts';
import type { SellerProfileSource } from '#shared/onboarding/ports.ts';

const CATEGORIES = ['Home & Kitchen', 'Sports & Outdoors', 'Toys & Games', 'Beauty', 'Electronics', 'Garden', 'Pet Supplies', 'Office Products'];
const OTHER_BRANDS = ['Bosch', 'Philips', 'LEGO', 'Nivea', 'Tefal', 'Adidas', 'Ravensburger', 'Gardena', 'Braun', 'Leitz'];

export function generatedSeller(
  sellerId: string,
  spec: { marketplaces: readonly MarketplaceCode[]; skus: number; privateLabelShare: number; monthsSelling: number; unitsSold12Months: number; ownBrand?: string },
  now: Date,
): RawSellerData {
  const ownBrand = spec.ownBrand ?? `${sellerId.slice(0, 6)} Originals`;
  const ownCount = Math.round(spec.skus * spec.privateLabelShare);
  const since = new Date(now.getTime() - spec.monthsSelling * 30.44 * 86_400_000).toISOString();
  return {
    sellerId,
    participations: spec.marketplaces.map((marketplace) => ({ marketplace, since })),
    listings: Array.from({ length: spec.skus }, (_, i) => ({
      sku: `${sellerId}-SKU-${String(i + 1).padStart(5, '0')}`,
      marketplace: spec.marketplaces[i % spec.marketplaces.length]!,
      brand: i < ownCount ? ownBrand : OTHER_BRANDS[i % OTHER_BRANDS.length]!,
      category: CATEGORIES[(i * 7) % CATEGORIES.length]!,
    })),
    ownBrands: spec.privateLabelShare > 0 ? [ownBrand] : [],
    unitsSold12Months: spec.unitsSold12Months,
  };
}

/** Demo sellers with the three textbook profiles of R-O2. */
export const DEMO_SELLER_SPECS = {
  A3NEWBRAND0003: { marketplaces: ['DE'], skus: 24, privateLabelShare: 1, monthsSelling: 3, unitsSold12Months: 180, ownBrand: 'Lumora' },
  A1MUELLER00001: { marketplaces: ['DE', 'FR', 'IT'], skus: 640, privateLabelShare: 0, monthsSelling: 70, unitsSold12Months: 48_000 },
  A2DUPONT000002: { marketplaces: ['FR', 'ES'], skus: 120, privateLabelShare: 0.45, monthsSelling: 30, unitsSold12Months: 9_500, ownBrand: 'Atelier Dupont' },
} as const;

export class SimulatedSellerProfiles implements SellerProfileSource {
  private readonly defined = new Map<string, RawSellerData>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  define(data: RawSellerData): void {
    this.defined.set(data.sellerId, data);
  }

  async fetch(amazonSellerId: string, marketplaces: readonly MarketplaceCode[]): Promise<RawSellerData> {
    const defined = this.defined.get(amazonSellerId);
    if (defined) return defined;
    const demo = DEMO_SELLER_SPECS[amazonSellerId as keyof typeof DEMO_SELLER_SPECS];
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- any seller id comes in here; the cast above only lets it index the demo table
    if (demo) return generatedSeller(amazonSellerId, demo, this.now());
    // Anyone else: a stable pseudo-random profile derived from the seller id.
    let h = 2166136261;
    for (const c of amazonSellerId) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    const pick = (n: number) => ((h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0) % n);
    return generatedSeller(
      amazonSellerId,
      {
        marketplaces: marketplaces.length > 0 ? marketplaces : ['DE'],
        skus: 10 + pick(400),
        privateLabelShare: [0, 0.1, 0.5, 0.9, 1][pick(5)]!,
        monthsSelling: 1 + pick(96),
        unitsSold12Months: pick(60_000),
      },
      this.now(),
    );
  }
}
