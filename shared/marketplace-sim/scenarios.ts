import type { SimOfferSpec } from './simulated-marketplace.ts';

/**
 * Competitor mixes the simulation runs against. The seller under test is an FBA seller with 98 % positive
 * feedback; the mixes differ in who else sells and how they price. Prices in euro cents.
 */

export const SIM_MARKETPLACE_ID = 'A1PA6795UKMFR9';
export const SIM_ASIN = 'B07XJ8C8F5';
export const SIM_SELLER_ID = 'A2SELLEROPS0DE';
export const SIM_SKU = 'KITCHEN-SCALE-01';
export const SIM_AMAZON_RETAIL_ID = 'A3JWKAKR8XB7XF';

export interface CompetitorMix {
  readonly name: string;
  readonly description: string;
  readonly competitors: readonly SimOfferSpec[];
}

const MIN = 60_000;

export const COMPETITOR_MIXES: readonly CompetitorMix[] = [
  {
    name: 'static-field',
    description: 'six sellers with fixed prices: two FBA, three merchant-fulfilled, one not Buy Box eligible',
    competitors: [
      { sellerId: 'A1STATICFBA001', sku: 's1', listingMinor: 1240, shippingMinor: 0, fba: true, rating: 95, behaviour: { kind: 'static' } },
      { sellerId: 'A1STATICFBA002', sku: 's2', listingMinor: 1290, shippingMinor: 0, fba: true, rating: 97, behaviour: { kind: 'static' } },
      { sellerId: 'A1STATICMFN003', sku: 's3', listingMinor: 1160, shippingMinor: 0, fba: false, rating: 92, behaviour: { kind: 'static' } },
      { sellerId: 'A1STATICMFN004', sku: 's4', listingMinor: 1099, shippingMinor: 150, fba: false, rating: 90, behaviour: { kind: 'static' } },
      { sellerId: 'A1STATICMFN005', sku: 's5', listingMinor: 1120, shippingMinor: 99, fba: false, rating: 88, behaviour: { kind: 'static' } },
      { sellerId: 'A1LOWRATED0006', sku: 's6', listingMinor: 950, shippingMinor: 0, fba: false, rating: 72, behaviour: { kind: 'static' } },
    ],
  },
  {
    name: 'undercutters',
    description: 'two naive 1-cent undercutters (merchant-fulfilled) plus an FBA and a merchant seller with fixed prices',
    competitors: [
      {
        sellerId: 'A2UNDERCUT0001',
        sku: 'u1',
        listingMinor: 1250,
        shippingMinor: 0,
        fba: false,
        rating: 93,
        behaviour: { kind: 'naive-undercutter', floorMinor: 980, ceilingMinor: 1400, undercutMinor: 1, reactionMinMs: 5 * MIN, reactionMaxMs: 15 * MIN, repriceEveryMs: 60 * MIN },
      },
      {
        sellerId: 'A2UNDERCUT0002',
        sku: 'u2',
        listingMinor: 1190,
        shippingMinor: 99,
        fba: false,
        rating: 90,
        behaviour: { kind: 'naive-undercutter', floorMinor: 1050, ceilingMinor: 1450, undercutMinor: 1, reactionMinMs: 5 * MIN, reactionMaxMs: 15 * MIN, repriceEveryMs: 60 * MIN },
      },
      { sellerId: 'A2STATICFBA003', sku: 'u3', listingMinor: 1320, shippingMinor: 0, fba: true, rating: 96, behaviour: { kind: 'static' } },
      { sellerId: 'A2STATICMFN004', sku: 'u4', listingMinor: 1250, shippingMinor: 0, fba: false, rating: 95, behaviour: { kind: 'static' } },
    ],
  },
  {
    name: 'bot-and-amazon',
    description: 'another Buy Box repricer (FBA), Amazon retail matching the cheapest offer every 6 h, and a fixed-price merchant',
    competitors: [
      {
        sellerId: 'A3BUYBOXBOT001',
        sku: 'b1',
        listingMinor: 1299,
        shippingMinor: 0,
        fba: true,
        rating: 94,
        behaviour: { kind: 'buybox-bot', floorMinor: 1020, ceilingMinor: 1450, stepMinor: 10, reactionMinMs: 2 * MIN, reactionMaxMs: 6 * MIN, repriceEveryMs: 30 * MIN },
      },
      {
        sellerId: SIM_AMAZON_RETAIL_ID,
        sku: 'amzn',
        listingMinor: 1399,
        shippingMinor: 0,
        fba: true,
        rating: 100,
        amazonRetail: true,
        behaviour: { kind: 'amazon-retail', floorMinor: 1150, listPriceMinor: 1399, repriceEveryMs: 360 * MIN },
      },
      { sellerId: 'A3STATICMFN003', sku: 'b3', listingMinor: 1220, shippingMinor: 0, fba: false, rating: 95, behaviour: { kind: 'static' } },
    ],
  },
  {
    name: 'crowded',
    description: 'everything at once: an undercutter, a Buy Box bot, Amazon retail, and four fixed-price sellers',
    competitors: [
      {
        sellerId: 'A4UNDERCUT0001',
        sku: 'c1',
        listingMinor: 1210,
        shippingMinor: 0,
        fba: false,
        rating: 91,
        behaviour: { kind: 'naive-undercutter', floorMinor: 990, ceilingMinor: 1400, undercutMinor: 1, reactionMinMs: 5 * MIN, reactionMaxMs: 15 * MIN, repriceEveryMs: 60 * MIN },
      },
      {
        sellerId: 'A4BUYBOXBOT002',
        sku: 'c2',
        listingMinor: 1330,
        shippingMinor: 0,
        fba: true,
        rating: 93,
        behaviour: { kind: 'buybox-bot', floorMinor: 1060, ceilingMinor: 1480, stepMinor: 5, reactionMinMs: 2 * MIN, reactionMaxMs: 6 * MIN, repriceEveryMs: 30 * MIN },
      },
      {
        sellerId: SIM_AMAZON_RETAIL_ID,
        sku: 'amzn',
        listingMinor: 1449,
        shippingMinor: 0,
        fba: true,
        rating: 100,
        amazonRetail: true,
        behaviour: { kind: 'amazon-retail', floorMinor: 1190, listPriceMinor: 1449, repriceEveryMs: 360 * MIN },
      },
      { sellerId: 'A4STATICFBA004', sku: 'c4', listingMinor: 1350, shippingMinor: 0, fba: true, rating: 99, behaviour: { kind: 'static' } },
      { sellerId: 'A4STATICMFN005', sku: 'c5', listingMinor: 1180, shippingMinor: 120, fba: false, rating: 96, behaviour: { kind: 'static' } },
      { sellerId: 'A4STATICMFN006', sku: 'c6', listingMinor: 1150, shippingMinor: 0, fba: false, rating: 89, behaviour: { kind: 'static' } },
      { sellerId: 'A4LOWRATED0007', sku: 'c7', listingMinor: 899, shippingMinor: 0, fba: false, rating: 65, behaviour: { kind: 'static' } },
    ],
  },
];

export function findMix(name: string): CompetitorMix | undefined {
  return COMPETITOR_MIXES.find((m) => m.name === name);
}
