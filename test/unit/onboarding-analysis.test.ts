import { describe, expect, it } from 'vitest';
import { analyseCustomer, type OnboardingRecord } from '#shared/onboarding/onboarding.ts';
import { ManualClock } from '#shared/kernel/clock.ts';
import type { CustomerRecord } from '#shared/customers/customer.ts';

const customer = (ownBrands?: string[]): CustomerRecord => ({
  tenantId: 't1',
  companyName: 'Lumora GmbH',
  contactEmail: 'a@b.example',
  language: 'de',
  marketplaces: ['DE'],
  amazonSellerId: 'A3NEWBRAND0099',
  ...(ownBrands ? { ownBrands } : {}),
  timeZone: 'Europe/Berlin',
  createdAt: '2026-01-01T00:00:00.000Z',
  contracts: {},
  pendingEvents: [],
  version: 1,
});

function deps() {
  const stored = new Map<string, OnboardingRecord>();
  return {
    stored,
    profiles: {
      // What SP-API can tell: listings with their brands, but no Brand Registry ownership.
      fetch: async () => ({
        sellerId: 'A3NEWBRAND0099',
        participations: [{ marketplace: 'DE' as const, since: '2025-12-01T00:00:00.000Z' }],
        listings: [
          { sku: 'L-1', marketplace: 'DE' as const, brand: 'Lumora', category: 'Home' },
          { sku: 'L-2', marketplace: 'DE' as const, brand: 'Lumora', category: 'Home' },
        ],
        ownBrands: [],
        unitsSold12Months: 90,
      }),
    },
    onboarding: {
      get: async (id: string) => stored.get(id),
      // As DynamoDB's conditional put: the first record stands.
      create: async (r: OnboardingRecord) => {
        if (stored.has(r.tenantId)) return false;
        stored.set(r.tenantId, r);
        return true;
      },
      addAppointment: async () => {
        throw new Error('analysis books nothing');
      },
    },
    clock: new ManualClock(new Date('2026-03-01T00:00:00Z')),
  };
}

describe('onboarding analysis (R-O1, R-O2)', () => {
  it('counts the brands the seller declared at sign-up as its own: a new private-label seller gets Push', async () => {
    const record = await analyseCustomer(deps(), customer(['Lumora']), { sellerId: 'A3NEWBRAND0099' });
    expect(record.profile.privateLabelPercent).toBe(100);
    expect(record.recommendation.overall).toBe('push');
  });

  it('without declared brands, the same catalogue reads as merchandise: Buy Box, with the figures behind it', async () => {
    const record = await analyseCustomer(deps(), customer(), { sellerId: 'A3NEWBRAND0099' });
    expect(record.profile.privateLabelPercent).toBe(0);
    expect(record.recommendation.overall).toBe('buybox');
    expect(record.recommendation.reasons.join(' ')).toMatch(/new on Amazon/);
  });

  it('analyses a customer once, however often the sign-up event is delivered', async () => {
    const d = deps();
    const first = await analyseCustomer(d, customer(['Lumora']), { sellerId: 'A3NEWBRAND0099' });
    const again = await analyseCustomer(d, customer(), { sellerId: 'A3NEWBRAND0099' });
    expect(again).toBe(first);
  });

  it('keeps the first record when copies of the analysis run at once: the later ones do not overwrite it', async () => {
    const d = deps();
    // Both copies find no record before either stores one; the conditional create keeps the first.
    const [a, b] = await Promise.all([
      analyseCustomer(d, customer(['Lumora']), { sellerId: 'A3NEWBRAND0099' }),
      analyseCustomer(d, customer(), { sellerId: 'A3NEWBRAND0099' }),
    ]);
    expect(b).toBe(a);
    expect(d.stored.get('t1')).toBe(a);
  });
});
