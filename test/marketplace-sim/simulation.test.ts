import { describe, expect, it } from 'vitest';
import { COMPETITOR_MIXES } from '#shared/marketplace-sim/scenarios.ts';
import { compareOnMix } from '#shared/marketplace-sim/simulation.ts';

/**
 * A short guard for the simulation goals (the full 30-day × all-mixes run is `npm run bench -- repricer-simulation`):
 * over 3 simulated days the Buy Box strategy keeps ≥ 90 % of the Buy Box, prices at ≥ 98 % of the oracle and
 * ≥ 5 % above the naive 1-cent undercutter, on every competitor mix.
 */
describe('Buy Box strategy in the simulated marketplace', () => {
  for (const mix of COMPETITOR_MIXES) {
    it(`holds the Buy Box near the oracle price against the ${mix.name} mix`, async () => {
      const c = await compareOnMix(mix, 'buybox', 3, 11);
      expect(c.strategy.buyBoxShare).toBeGreaterThanOrEqual(0.9);
      expect(c.priceVsOracle).toBeGreaterThanOrEqual(0.98);
      expect(c.priceVsNaive).toBeGreaterThanOrEqual(0.05);
      expect(c.strategy.units).toBeGreaterThan(0);
    });
  }

  it('is deterministic for a seed', async () => {
    const mix = COMPETITOR_MIXES[1]!;
    const a = await compareOnMix(mix, 'buybox', 1, 5);
    const b = await compareOnMix(mix, 'buybox', 1, 5);
    expect(b.strategy.revenueMinor).toBe(a.strategy.revenueMinor);
    expect(b.strategy.series).toEqual(a.strategy.series);
  });
});
