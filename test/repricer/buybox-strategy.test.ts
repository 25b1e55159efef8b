import { describe, expect, it } from 'vitest';
import { decide } from '#shared/repricer/engine.ts';
import { renderReason } from '#shared/repricer/reasons.ts';
import { INITIAL_OFFER_STATE, NO_CEILING, Phase } from '#shared/repricer/types.ts';
import type { OfferState } from '#shared/repricer/types.ts';
import { NOW, SELLER, market, offer, rules } from './fixtures.ts';

describe('Buy Box strategy', () => {
  it('undercuts the landed price of the Buy Box winner by one step when not winning', () => {
    const d = decide(rules(), market(offer('A1', 1199, { isBuyBoxWinner: true }), offer(SELLER, 1249)), INITIAL_OFFER_STATE, NOW, null);
    expect(d).toMatchObject({ newPriceMinor: 1194, action: 'lower', reasonCode: 'UndercutBuyBox', currentPriceMinor: 1249 });
    expect(renderReason(d.reasonCode, d.reasonParams, 'EUR')).toBe('Buy Box held by another offer at landed 11.99 EUR: undercutting by 0.05 EUR to 11.94 EUR');
  });

  it('compares landed prices: listing + shipping − points, and prices our own shipping in', () => {
    // Winner: 10.50 + 2.00 shipping = 12.50 landed. We ship for 1.00, so our listing must be 12.45 − 1.00.
    const d = decide(
      rules(),
      market(offer('A1', 1050, { shippingMinor: 200, isBuyBoxWinner: true, isFulfilledByAmazon: false }), offer(SELLER, 1300, { shippingMinor: 100 })),
      INITIAL_OFFER_STATE,
      NOW,
      null,
    );
    expect(d.newPriceMinor).toBe(1145);
    const withPoints = decide(rules(), market(offer('A1', 1300, { points: 100, isBuyBoxWinner: true }), offer(SELLER, 1400)), INITIAL_OFFER_STATE, NOW, null);
    expect(withPoints.newPriceMinor).toBe(1195);
  });

  it('waits for Amazon to apply the pushed price before reacting again', () => {
    const first = decide(rules(), market(offer('A1', 1199, { isBuyBoxWinner: true }), offer(SELLER, 1249)), INITIAL_OFFER_STATE, NOW, null);
    // A competitor changes before our 11.94 is live: hold, keep the pending price in the state.
    const second = decide(rules(), market(offer('A1', 1189, { isBuyBoxWinner: true }), offer(SELLER, 1249)), first.nextState, NOW + 30_000, null);
    expect(second).toMatchObject({ action: 'hold', reasonCode: 'AwaitingPrice', newPriceMinor: 1249 });
    expect(second.nextState.pendingPriceMinor).toBe(1194);
    // Amazon never applied it: after the wait the strategy acts again.
    const third = decide(rules(), market(offer('A1', 1189, { isBuyBoxWinner: true }), offer(SELLER, 1249)), second.nextState, NOW + 6 * 60_000, null);
    expect(third).toMatchObject({ action: 'lower', newPriceMinor: 1184 });
  });

  it('raises the price while the Buy Box is held, with growing steps', () => {
    let state: OfferState = INITIAL_OFFER_STATE;
    let price = 1100;
    const raises: number[] = [];
    for (let i = 0; i < 4; i++) {
      const d = decide(rules(), market(offer('A1', 1300), offer(SELLER, price, { isBuyBoxWinner: true })), state, NOW + i * 120_000, null);
      expect(d.action).toBe('raise');
      raises.push(d.newPriceMinor - price);
      price = d.newPriceMinor;
      state = d.nextState;
    }
    // First jump to one step below the next competitor (12.95), then probing steps that double: 5, 10, 20 cents.
    expect(raises).toEqual([195, 5, 10, 20]);
    expect(state.phase).toBe(Phase.Probing);
  });

  it('goes back to the last winning price after a raise lost the Buy Box, and learns the ceiling', () => {
    const winning = decide(rules(), market(offer('A1', 1300), offer(SELLER, 1295, { isBuyBoxWinner: true })), INITIAL_OFFER_STATE, NOW, null);
    expect(winning.newPriceMinor).toBe(1300);
    const lost = decide(rules(), market(offer('A1', 1300, { isBuyBoxWinner: true }), offer(SELLER, 1300)), winning.nextState, NOW + 120_000, null);
    expect(lost).toMatchObject({ action: 'lower', newPriceMinor: 1295, reasonCode: 'RevertAfterLoss' });
    expect(lost.nextState.lostAtPriceMinor).toBe(1300);
    expect(lost.nextState.ceilingPremiumBasisPoints).toBe(0);
    // Winning again at 12.95: the learned ceiling (13.00) caps any raise at 12.95, so it holds.
    const back = decide(rules(), market(offer('A1', 1300), offer(SELLER, 1295, { isBuyBoxWinner: true })), lost.nextState, NOW + 240_000, null);
    expect(back).toMatchObject({ action: 'hold', reasonCode: 'HoldAtCeiling', newPriceMinor: 1295 });
  });

  it('holds once at the optimum: same market and state give the same hold and the same state', () => {
    const state: OfferState = { ...INITIAL_OFFER_STATE, phase: Phase.Holding, ceilingPremiumBasisPoints: 0, ceilingLearnedAtMs: NOW, referenceLandedMinor: 1300, lastWinningPriceMinor: 1295 };
    const m = market(offer('A1', 1300), offer(SELLER, 1295, { isBuyBoxWinner: true }));
    const a = decide(rules(), m, state, NOW + 1000, null);
    const b = decide(rules(), m, a.nextState, NOW + 2000, null);
    expect(a.action).toBe('hold');
    expect(b.action).toBe('hold');
    expect(b.nextState).toEqual(a.nextState);
  });

  it('forgets a learned ceiling after the re-probe period and probes again', () => {
    const state: OfferState = { ...INITIAL_OFFER_STATE, phase: Phase.Holding, ceilingPremiumBasisPoints: 0, ceilingLearnedAtMs: NOW, referenceLandedMinor: 1300 };
    const d = decide(rules(), market(offer('A1', 1300), offer(SELLER, 1295, { isBuyBoxWinner: true })), state, NOW + 13 * 3600_000, null);
    expect(d).toMatchObject({ action: 'raise', reasonCode: 'RaiseProbing' });
    expect(d.nextState.ceilingPremiumBasisPoints).toBe(NO_CEILING);
  });

  it('steps down further when already below the winner and still losing (fulfilment or rating against us)', () => {
    const d = decide(rules(), market(offer('A1', 1200, { isBuyBoxWinner: true }), offer(SELLER, 1190)), INITIAL_OFFER_STATE, NOW, null);
    expect(d).toMatchObject({ action: 'lower', reasonCode: 'LowerStillLosing', newPriceMinor: 1185 });
  });

  it('treats a shared Buy Box (two winners) as not won and undercuts the other winner', () => {
    const d = decide(
      rules(),
      market(offer('A1', 1150, { isBuyBoxWinner: true, isFulfilledByAmazon: false, isPrime: false }), offer(SELLER, 1300, { isBuyBoxWinner: true })),
      INITIAL_OFFER_STATE,
      NOW,
      null,
    );
    expect(d).toMatchObject({ action: 'lower', newPriceMinor: 1145, reasonCode: 'UndercutBuyBox' });
  });

  it('stays at the minimum when the Buy Box cannot be won inside the range', () => {
    const d = decide(rules(), market(offer('A1', 700, { isBuyBoxWinner: true }), offer(SELLER, 1000)), INITIAL_OFFER_STATE, NOW, null);
    expect(d).toMatchObject({ newPriceMinor: 800, reasonCode: 'AtMinCannotWin' });
  });

  it('goes to max as the sole seller', () => {
    const d = decide(rules(), market(offer(SELLER, 1000, { isBuyBoxWinner: true })), INITIAL_OFFER_STATE, NOW, null);
    expect(d).toMatchObject({ newPriceMinor: 1500, action: 'raise', reasonCode: 'SoleSeller' });
  });

  it('applies the fallback when no competitor passes the filters', () => {
    const m = market(offer('A1', 900, { isFulfilledByAmazon: false }), offer(SELLER, 1100));
    expect(decide(rules({ competitors: 'fba' }), m, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1100, reasonCode: 'FallbackKeep', action: 'hold' });
    expect(decide(rules({ competitors: 'fba', fallback: 'max' }), m, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1500, reasonCode: 'FallbackMax' });
    expect(decide(rules({ competitors: 'fba', fallback: 'price', fallbackPrice: '12.34' }), m, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1234, reasonCode: 'FallbackPrice' });
  });

  it('filters competitors: Buy Box eligible only, minimum rating, excluded sellers', () => {
    const m = market(
      offer('NOTELIGIBLE', 900, { isFeaturedMerchant: false }),
      offer('LOWRATED', 950, { sellerPositiveFeedbackRating: 80 }),
      offer('EXCLUDED', 1000),
      offer('REAL', 1200, { isBuyBoxWinner: true }),
      offer(SELLER, 1300),
    );
    expect(decide(rules(), m, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(1195); // winner is REAL
    const filtered = rules({ competitors: 'buybox-eligible', minSellerRating: 90, excludeSellerIds: ['EXCLUDED'] });
    const noWinnerMarket = market(
      offer('NOTELIGIBLE', 900, { isFeaturedMerchant: false }),
      offer('LOWRATED', 950, { sellerPositiveFeedbackRating: 80 }),
      offer('EXCLUDED', 1000),
      offer('REAL', 1200),
      offer(SELLER, 1300),
    );
    expect(decide(filtered, noWinnerMarket, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ newPriceMinor: 1195, reasonCode: 'UndercutLowest' });
    expect(decide(rules(), noWinnerMarket, INITIAL_OFFER_STATE, NOW, null).newPriceMinor).toBe(895);
  });

  it('handles Amazon retail on the listing explicitly: flags it, and holds when the rule says so', () => {
    const m = market(offer('A3JWKAKR8XB7XF', 1199, { isBuyBoxWinner: true, sellerPositiveFeedbackRating: undefined }), offer(SELLER, 1249));
    const compete = decide(rules(), m, INITIAL_OFFER_STATE, NOW, null);
    expect(compete).toMatchObject({ amazonOnListing: true, newPriceMinor: 1194 });
    const hold = decide(rules({ amazon: 'hold' }), m, INITIAL_OFFER_STATE, NOW, null);
    expect(hold).toMatchObject({ amazonOnListing: true, action: 'hold', newPriceMinor: 1249, reasonCode: 'AmazonHold' });
    expect(decide(rules({ amazon: 'hold', amazonSellerIds: ['A9RETAILALIAS'] }), market(offer('A9RETAILALIAS', 1100), offer(SELLER, 1249)), INITIAL_OFFER_STATE, NOW, null).reasonCode).toBe('AmazonHold');
  });

  it('prices B2B quantity tiers from the base price by rule, never above the previous tier, never below min', () => {
    const b2b = rules({
      audience: 'B2B',
      min: '11.00',
      tiers: [
        { minQuantity: 5, discountPercent: '3' },
        { minQuantity: 10, discountAmount: '0.20' },
        { minQuantity: 25, discountPercent: '10' },
      ],
    });
    const d = decide(b2b, market(offer('A1', 1300, { isBuyBoxWinner: true }), offer(SELLER, 1350)), INITIAL_OFFER_STATE, NOW, null);
    expect(d.newPriceMinor).toBe(1295);
    // 3 % off 12.95 = 12.56; 0.20 off the base = 12.75 → capped at the previous tier 12.56; 10 % = 11.65.
    expect(d.tiers).toEqual([
      { minQuantity: 5, priceMinor: 1256 },
      { minQuantity: 10, priceMinor: 1256 },
      { minQuantity: 25, priceMinor: 1165 },
    ]);
    const low = decide(b2b, market(offer('A1', 1120, { isBuyBoxWinner: true }), offer(SELLER, 1350)), INITIAL_OFFER_STATE, NOW, null);
    expect(low.tiers.map((t) => t.priceMinor)).toEqual([1100, 1100, 1100]);
  });

  it('assumes max when our offer is missing from the data, and says so', () => {
    const d = decide(rules(), market(offer('A1', 1199, { isBuyBoxWinner: true })), INITIAL_OFFER_STATE, NOW, null);
    expect(d).toMatchObject({ ownOfferMissing: true, currentPriceMinor: null, newPriceMinor: 1194, action: 'lower' });
  });
});
