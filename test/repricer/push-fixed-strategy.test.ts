import { describe, expect, it } from 'vitest';
import { decide } from '#shared/repricer/engine.ts';
import { INITIAL_OFFER_STATE } from '#shared/repricer/types.ts';
import { NOW, SELLER, market, offer, rules } from './fixtures.ts';

const DAY = 86_400_000;
const push = (extra: Record<string, unknown> = {}) =>
  rules({ strategy: 'push', step: '0.50', push: { targetUnits: 10, periodDays: 1, tolerancePercent: 20, ...extra } });

describe('Push strategy', () => {
  const m = market(offer('A1', 1400), offer(SELLER, 1200, { isBuyBoxWinner: true }));

  it('raises the price by one step when selling above target', () => {
    expect(decide(push(), m, INITIAL_OFFER_STATE, NOW, { unitsInWindow: 30, windowMs: 2 * DAY })).toMatchObject({ action: 'raise', newPriceMinor: 1250, reasonCode: 'PushRaise' });
  });

  it('lowers the price by one step when selling slowly, never below the minimum', () => {
    expect(decide(push(), m, INITIAL_OFFER_STATE, NOW, { unitsInWindow: 2, windowMs: DAY })).toMatchObject({ action: 'lower', newPriceMinor: 1150, reasonCode: 'PushLower' });
    const atMin = market(offer('A1', 1400), offer(SELLER, 820));
    expect(decide(push(), atMin, INITIAL_OFFER_STATE, NOW, { unitsInWindow: 0, windowMs: DAY }).newPriceMinor).toBe(800);
  });

  it('holds inside the tolerance band and without sales data', () => {
    expect(decide(push(), m, INITIAL_OFFER_STATE, NOW, { unitsInWindow: 11, windowMs: DAY })).toMatchObject({ action: 'hold', reasonCode: 'PushOnTarget' });
    expect(decide(push(), m, INITIAL_OFFER_STATE, NOW, null)).toMatchObject({ action: 'hold', reasonCode: 'PushNoSalesData' });
  });

  it('waits one period between moves so each step can show in the sales', () => {
    const moved = decide(push(), m, INITIAL_OFFER_STATE, NOW, { unitsInWindow: 30, windowMs: DAY });
    const soon = decide(push(), market(offer('A1', 1400), offer(SELLER, 1250)), moved.nextState, NOW + DAY / 2, { unitsInWindow: 30, windowMs: DAY });
    expect(soon).toMatchObject({ action: 'hold', reasonCode: 'PushCooldown' });
    const later = decide(push(), market(offer('A1', 1400), offer(SELLER, 1250)), moved.nextState, NOW + DAY, { unitsInWindow: 30, windowMs: DAY });
    expect(later).toMatchObject({ action: 'raise', newPriceMinor: 1300 });
  });

  it('with the keep-Buy-Box guard, stays one step below the cheapest competitor', () => {
    const d = decide(push({ keepBuyBox: true }), market(offer('A1', 1220), offer(SELLER, 1200)), INITIAL_OFFER_STATE, NOW, { unitsInWindow: 30, windowMs: DAY });
    expect(d).toMatchObject({ newPriceMinor: 1170, reasonCode: 'PushBuyBoxGuard' });
  });
});

describe('Fixed strategy and dry run', () => {
  it('sets the fixed price whatever the market does', () => {
    const d = decide(rules({ strategy: 'fixed', fixedPrice: '12.99' }), market(offer('A1', 900, { isBuyBoxWinner: true }), offer(SELLER, 1100)), INITIAL_OFFER_STATE, NOW, null);
    expect(d).toMatchObject({ newPriceMinor: 1299, action: 'raise', reasonCode: 'Fixed' });
  });

  it('marks dry-run decisions so they are recorded but never pushed', () => {
    const d = decide(rules({ dryRun: true }), market(offer('A1', 1199, { isBuyBoxWinner: true }), offer(SELLER, 1249)), INITIAL_OFFER_STATE, NOW, null);
    expect(d).toMatchObject({ dryRun: true, action: 'lower', newPriceMinor: 1194 });
  });
});
