import { describe, expect, it } from 'vitest';
import { lostAndFoundHealth, repricerHealth } from '../../web/src/csm-health.ts';
import type { CustomerClaim, CustomerOffer } from '../../web/src/views/csm-types.ts';

/** The customer 360's health figures, counted from what the staff routes answer (web/src/csm-health.ts). */
const offer = (sku: string, over: Partial<CustomerOffer> = {}): CustomerOffer => ({
  sku,
  marketplaceId: 'A1PA6795UKMFR9',
  audience: 'B2C',
  rules: { strategy: 'buybox', currency: 'EUR', min: '8.00', max: '15.00' },
  paused: false,
  buyBox: 'won',
  pendingPush: null,
  lastPush: null,
  ...over,
});
const eur = (minor: number) => ({ minor, currency: 'EUR' });
const claim = (status: string, minor: number, deadline: string, recovered = 0): CustomerClaim => ({ id: `${status}-${minor}`, status, amount: eur(minor), deadline, recovered: eur(recovered) });

describe('Repricer health in the customer 360', () => {
  it('counts offers, the Buy Box share of the offers whose Buy Box is known, pending and refused pushes', () => {
    const h = repricerHealth([
      offer('A'),
      offer('A', { audience: 'B2B', buyBox: 'lost', lastPush: { status: 'failed: 90244 price too low', price: '9.00', at: '2026-12-01T00:00:00Z' } }),
      offer('B', { buyBox: 'unknown', pendingPush: { price: '10.00' }, paused: true }),
      offer('C', { lastPush: { status: 'pushed', price: '11.00', at: '2026-12-01T00:00:00Z' } }),
    ]);
    expect(h).toEqual({ offers: 4, paused: 1, buyBoxKnown: 3, buyBoxWon: 2, buyBoxShareBasisPoints: 6667, pendingPushes: 1, failedPushes: ['A'] });
  });

  it('has no share, rather than 0 %, before any Buy Box is known', () => {
    expect(repricerHealth([offer('A', { buyBox: 'unknown' })]).buyBoxShareBasisPoints).toBeNull();
    expect(repricerHealth([]).buyBoxShareBasisPoints).toBeNull();
  });
});

describe('Lost & Found health in the customer 360', () => {
  it('sums found, filed and paid value in the dashboard’s buckets, the found claims expiring within 14 days, and what was recovered', () => {
    const h = lostAndFoundHealth(
      [
        claim('found', 1000, '2026-12-10'),
        claim('reversed', 500, '2027-03-01'),
        claim('found', 200, '2026-11-30'), // past its deadline: not "expiring soon"
        claim('filed', 300, '2026-12-05'),
        claim('info_requested', 100, '2026-12-05'),
        claim('partially_paid', 700, '2026-12-05', 400),
        claim('paid', 900, '2026-12-05', 900),
        claim('expired', 50, '2026-10-01'),
      ],
      '2026-12-01',
    );
    expect(h.found).toEqual({ count: 3, value: [eur(1700)] });
    expect(h.filed).toEqual({ count: 2, value: [eur(400)] });
    expect(h.paid).toEqual({ count: 2, value: [eur(1600)] });
    expect(h.expiringSoon).toEqual({ count: 1, value: [eur(1000)] });
    expect(h.recovered).toEqual([eur(1300)]);
  });

  it('keeps currencies apart', () => {
    const h = lostAndFoundHealth([claim('found', 100, '2027-01-01'), { ...claim('found', 200, '2027-01-01'), amount: { minor: 200, currency: 'GBP' } }], '2026-12-01');
    expect(h.found.value).toEqual([eur(100), { minor: 200, currency: 'GBP' }]);
  });
});
