import { describe, expect, it } from 'vitest';
import { ManualClock } from '#shared/kernel/clock.ts';
import { DEFAULT_AWARD_MODEL, awardBuyBox, highestWinningLanded } from '#shared/marketplace-sim/buy-box-award.ts';
import { nextCompetitorPrice } from '#shared/marketplace-sim/competitors.ts';
import { Prng } from '#shared/marketplace-sim/prng.ts';
import { SimulatedMarketplace } from '#shared/marketplace-sim/simulated-marketplace.ts';
import type { SimOfferSpec } from '#shared/marketplace-sim/simulated-marketplace.ts';
import type { AmazonMarketplace } from '#shared/repricer/ports.ts';
import { parseOfferChangedNotification } from '#shared/repricer/notification.ts';

const MKT = 'A1PA6795UKMFR9';
const ASIN = 'B07XJ8C8F5';
const ME = 'A2SELLEROPS0DE';

function setup(competitors: SimOfferSpec[], audience: 'B2C' | 'B2B' = 'B2C') {
  const clock = new ManualClock(new Date('2025-03-03T00:00:00Z'));
  const market = new SimulatedMarketplace({ clock, seed: 7 });
  market.addListing({ marketplaceId: MKT, asin: ASIN, audience, currency: 'EUR', offers: [...competitors, { sellerId: ME, sku: 'MINE', listingMinor: 1300, shippingMinor: 0, fba: true, rating: 98 }] });
  return { clock, market };
}
const fbaStatic = (id: string, price: number): SimOfferSpec => ({ sellerId: id, sku: id, listingMinor: price, shippingMinor: 0, fba: true, rating: 98, behaviour: { kind: 'static' } });

describe('Buy Box award model', () => {
  it('awards the lowest landed price, weighting merchant fulfilment and rating, with up to two winners', () => {
    const offers = [
      { landedMinor: 1150, fba: false, rating: 95, amazonRetail: false }, // merchant: weight 10 800
      { landedMinor: 1200, fba: true, rating: 98, amazonRetail: false }, // FBA: weight 10 080
    ];
    expect(awardBuyBox(DEFAULT_AWARD_MODEL, offers)).toEqual({ overall: 1, prime: 1 });
    const cheaperMerchant = [{ ...offers[0]!, landedMinor: 1100 }, offers[1]!];
    expect(awardBuyBox(DEFAULT_AWARD_MODEL, cheaperMerchant)).toEqual({ overall: 0, prime: 1 });
  });

  it('never awards an offer below the eligibility rating, and gives the oracle price', () => {
    const offers = [
      { landedMinor: 500, fba: true, rating: 60, amazonRetail: false },
      { landedMinor: 1200, fba: true, rating: 100, amazonRetail: false },
      { landedMinor: 9999, fba: true, rating: 100, amazonRetail: false },
    ];
    expect(awardBuyBox(DEFAULT_AWARD_MODEL, offers).overall).toBe(1);
    // Offer 2 (same weight as offer 1) wins strictly below 12.00.
    expect(highestWinningLanded(DEFAULT_AWARD_MODEL, offers, 2)).toBe(1199);
  });
});

describe('Competitor behaviours', () => {
  const view = { ownListingMinor: 1300, ownShippingMinor: 0, lowestOtherLanded: 1200, otherWinnerLanded: 1200, isWinner: false };
  it('naive undercutter goes one cent below the cheapest other offer, within its floor', () => {
    const naive = { kind: 'naive-undercutter', floorMinor: 1000, ceilingMinor: 1500, undercutMinor: 1, reactionMinMs: 0, reactionMaxMs: 0 } as const;
    expect(nextCompetitorPrice(naive, view)).toBe(1199);
    expect(nextCompetitorPrice(naive, { ...view, lowestOtherLanded: 900 })).toBe(1000);
  });
  it('Buy Box bot undercuts the winner when losing and raises while winning', () => {
    const bot = { kind: 'buybox-bot', floorMinor: 1000, ceilingMinor: 1500, stepMinor: 10, reactionMinMs: 0, reactionMaxMs: 0 } as const;
    expect(nextCompetitorPrice(bot, view)).toBe(1190);
    expect(nextCompetitorPrice(bot, { ...view, isWinner: true })).toBe(1310);
  });
  it('Amazon retail matches the cheapest offer down to its floor', () => {
    const amazon = { kind: 'amazon-retail', floorMinor: 1150, listPriceMinor: 1399, repriceEveryMs: 1 } as const;
    expect(nextCompetitorPrice(amazon, { ...view, ownListingMinor: 1399 })).toBe(1200);
    expect(nextCompetitorPrice(amazon, { ...view, ownListingMinor: 1399, lowestOtherLanded: 1000 })).toBe(1150);
  });
});

describe('Simulated marketplace (AmazonMarketplace port)', () => {
  it('returns market snapshots for up to 20 ASINs and refuses more', async () => {
    const { market } = setup([fbaStatic('A1', 1250)]);
    const port: AmazonMarketplace = market;
    const [result] = await port.getMarketSnapshots({ sellerId: ME, marketplaceId: MKT, audience: 'B2C', asins: [ASIN] });
    expect(result?.ok && result.market.offers.map((o) => [o.sellerId, o.listingMinor, o.isBuyBoxWinner])).toEqual([
      ['A1', 1250, true],
      [ME, 1300, false],
    ]);
    await expect(port.getMarketSnapshots({ sellerId: ME, marketplaceId: MKT, audience: 'B2C', asins: Array.from({ length: 21 }, (_, i) => `B0000000${String(i).padStart(2, '0')}`) })).rejects.toThrow(/asins: 1 to 20/);
  });

  it('applies a submitted price after 1–2 minutes, then notifies in the ANY_OFFER_CHANGED format', async () => {
    const { clock, market } = setup([fbaStatic('A1', 1250)]);
    const [accepted] = await market.submitPriceChanges([{ sellerId: ME, sku: 'MINE', asin: ASIN, marketplaceId: MKT, audience: 'B2C', price: { minor: 1240, currency: 'EUR' }, quantityTiers: [] }], { dryRun: false });
    expect(accepted?.status).toBe('ACCEPTED');
    const delay = (accepted?.expectedEffectiveAt?.getTime() ?? 0) - clock.now().getTime();
    expect(delay).toBeGreaterThanOrEqual(60_000);
    expect(delay).toBeLessThanOrEqual(120_000);
    clock.advance(59_000);
    expect(market.drainNotifications(ME)).toEqual([]);
    clock.advance(62_000);
    const notes = market.drainNotifications(ME);
    expect(notes).toHaveLength(1);
    const event = parseOfferChangedNotification(notes[0]);
    expect(event.offers.find((o) => o.sellerId === ME)).toMatchObject({ listingMinor: 1240, isBuyBoxWinner: true });
  });

  it('validates without changing anything in dry-run mode, and rejects bad changes', async () => {
    const { clock, market } = setup([fbaStatic('A1', 1250)]);
    const results = await market.submitPriceChanges(
      [
        { sellerId: ME, sku: 'MINE', asin: ASIN, marketplaceId: MKT, audience: 'B2C', price: { minor: 1000, currency: 'EUR' }, quantityTiers: [] },
        { sellerId: ME, sku: 'NOPE', asin: ASIN, marketplaceId: MKT, audience: 'B2C', price: { minor: 1000, currency: 'EUR' }, quantityTiers: [] },
      ],
      { dryRun: true },
    );
    expect(results.map((r) => r.status)).toEqual(['VALIDATED', 'REJECTED']);
    clock.advance(600_000);
    expect(market.listingPrices(MKT, ASIN, 'B2C').find((p) => p.sellerId === ME)?.listingMinor).toBe(1300);
  });

  it('emits B2B notifications with quantity tiers that the same parser reads', async () => {
    const { clock, market } = setup([fbaStatic('A1', 1250)], 'B2B');
    await market.submitPriceChanges(
      [{ sellerId: ME, sku: 'MINE', asin: ASIN, marketplaceId: MKT, audience: 'B2B', price: { minor: 1200, currency: 'EUR' }, quantityTiers: [{ minQuantity: 10, price: { minor: 1150, currency: 'EUR' } }] }],
      { dryRun: false },
    );
    clock.advance(121_000);
    const [note] = market.drainNotifications(ME);
    expect(note?.NotificationType).toBe('B2B_ANY_OFFER_CHANGED');
    const event = parseOfferChangedNotification(note);
    expect(event.audience).toBe('B2B');
    expect(event.offers.find((o) => o.sellerId === ME)?.quantityDiscounts).toEqual([{ quantityTier: 10, listingMinor: 1150 }]);
  });

  it('sells more to the Buy Box winner, and lets the clock jump days ahead deterministically', () => {
    const run = () => {
      const { clock, market } = setup([fbaStatic('A1', 1350)]);
      clock.advance(5 * 86_400_000);
      market.sync();
      return [market.offerStats(MKT, ASIN, 'B2C', ME), market.offerStats(MKT, ASIN, 'B2C', 'A1')] as const;
    };
    const [mine, theirs] = run();
    expect(mine.buyBoxShare).toBe(1);
    expect(mine.units).toBeGreaterThan(theirs.units * 4);
    expect(mine.minutes).toBe(5 * 1440);
    expect(run()[0]).toEqual(mine);
  });

  it('has a seeded random source: same seed, same sequence', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const drawsA = Array.from({ length: 5 }, () => a.poisson(3));
    expect(Array.from({ length: 5 }, () => b.poisson(3))).toEqual(drawsA);
  });
});
