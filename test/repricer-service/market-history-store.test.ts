/** The what-if's recorded market history in the history table (issue 21), on dynalite and DynamoDB Local. */
import { describe, expect, it } from 'vitest';
import { DynamoMarketHistory } from '#shared/adapters/dynamodb/market-history.ts';
import type { MarketRecord } from '#shared/repricer/market-history.ts';
import { dynamoTargets, useDynamoTarget } from '../support/dynamodb-targets.ts';

const listing = { marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C' as const, asin: 'B07XJ8C8F5' };
const record = (at: string, price: number): MarketRecord => ({
  sellerId: 'A2SELLEROPS0DE',
  ...listing,
  currency: 'EUR',
  at,
  offers: [
    ['A1COMPETITOR01', price, 0, 0, 6, 97, 1200],
    ['A2SELLEROPS0DE', 1249, 0, 0, 11, 98, -1],
  ],
  summary: { buyBox: price, total: 2 },
});

for (const target of dynamoTargets()) {
  describe(`market history store (${target.name})`, () => {
    const client = useDynamoTarget(target);

    it("reads a window of one listing, oldest first, with the market as it stood when the window opened, and only the tenant's own", async () => {
      const store = new DynamoMarketHistory(client(), 'sellerops-repricer-history');
      await store.append('tenant-a', record('2026-10-01T00:00:00.000Z', 1200));
      await store.append('tenant-a', record('2026-10-03T00:00:00.000Z', 1190));
      await store.append('tenant-a', record('2026-10-05T00:00:00.000Z', 1180));
      await store.append('tenant-a', record('2026-10-09T00:00:00.000Z', 1170));
      await store.append('tenant-b', record('2026-10-04T00:00:00.000Z', 999));
      // A redelivered notification writes the same item again: still one record.
      await store.append('tenant-a', record('2026-10-05T00:00:00.000Z', 1180));

      const read = await store.read('tenant-a', listing, Date.parse('2026-10-02T00:00:00Z'), Date.parse('2026-10-06T00:00:00Z'), 100);
      expect(read.map((r) => [r.at, r.offers[0]?.[1]])).toEqual([
        ['2026-10-01T00:00:00.000Z', 1200],
        ['2026-10-03T00:00:00.000Z', 1190],
        ['2026-10-05T00:00:00.000Z', 1180],
      ]);
      expect(read[1]).toEqual(record('2026-10-03T00:00:00.000Z', 1190));
      expect(await store.read('tenant-b', listing, Date.parse('2026-10-02T00:00:00Z'), Date.parse('2026-10-06T00:00:00Z'), 100)).toEqual([record('2026-10-04T00:00:00.000Z', 999)]);
      expect(await store.read('tenant-c', listing, 0, Date.parse('2027-01-01T00:00:00Z'), 100)).toEqual([]);
      expect(await store.read('tenant-a', listing, Date.parse('2026-10-02T00:00:00Z'), Date.parse('2026-10-30T00:00:00Z'), 2)).toHaveLength(3);
    });
  });
}
