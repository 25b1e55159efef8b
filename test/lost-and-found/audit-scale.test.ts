import { describe, expect, it } from 'vitest';
import { ManualClock } from '#shared/kernel/clock.ts';
import { InMemoryClaimRepository } from '../support/lost-and-found-memory.ts';
import type { FoundClaim } from '#shared/lost-and-found/model.ts';
import { AUDIT_LOOKBACK_DAYS, reportsToAudit } from '#shared/lost-and-found/report-period.ts';
import { auditCustomerReports } from '#shared/lost-and-found/use-cases.ts';
import { COSTS, ledger, memorySource, noReimbursements } from './helpers.ts';

/** Counts the repository's writes: what a daily audit costs in DynamoDB requests. */
class CountingClaims extends InMemoryClaimRepository {
  readonly batches: number[] = [];
  override async upsertFound(customerId: string, claims: readonly FoundClaim[], at: Date) {
    this.batches.push(claims.length);
    return super.upsertFound(customerId, claims, at);
  }
}

const lostUnits = (count: number, firstQuantity: number) =>
  ledger(Array.from({ length: count }, (_, i) => ({ date: '2025-05-20', event: 'Adjustments', ref: `R${i}`, quantity: i === 0 ? -firstQuantity : -1, reason: 'M', fnsku: `X${i}` })));

describe('the daily audit at scale', () => {
  it('writes only the claims that changed, in batches', async () => {
    const clock = new ManualClock(new Date('2025-06-30T06:00:00Z'));
    const claims = new CountingClaims();
    const run = (ledgerText: string) =>
      auditCustomerReports({ claims }, clock, { customerId: 'c1', sources: [memorySource('c.tsv', COSTS), memorySource('l.tsv', ledgerText), noReimbursements()] });
    const first = await run(lostUnits(60, 1));
    expect(first.upsert.created).toHaveLength(60);
    expect(claims.batches).toEqual([25, 25, 10]);
    const again = await run(lostUnits(60, 1));
    expect(claims.batches).toHaveLength(3); // nothing changed: no write at all
    expect(again.upsert).toMatchObject({ created: [], refreshed: [] });
    expect(again.upsert.untouched).toHaveLength(60);
    const changed = await run(lostUnits(60, 3));
    expect(claims.batches.slice(3)).toEqual([1]);
    expect(changed.upsert.refreshed).toHaveLength(1);
    expect((await claims.list('c1')).find((c) => c.ref === 'R0')!.quantity).toBe(3);
  });

  it('refreshes a found claim\'s value, value basis, valueUnknown and confidence when a re-audit knows better', async () => {
    const clock = new ManualClock(new Date('2025-06-30T06:00:00Z'));
    const claims = new InMemoryClaimRepository();
    const lost = ledger([{ date: '2025-05-20', event: 'Adjustments', ref: 'R1', quantity: -2, reason: 'M', fnsku: 'X1' }]);
    const run = (extra: ReturnType<typeof memorySource>[]) =>
      auditCustomerReports({ claims }, clock, { customerId: 'c1', sources: [memorySource('l.tsv', lost), noReimbursements(), ...extra] });
    // No cost sheet: the manufacturing cost (Amazon's basis) is in no report, so the claim's value is unknown.
    const first = await run([]);
    expect(first.upsert.created).toHaveLength(1);
    const before = (await claims.list('c1'))[0]!;
    expect(before).toMatchObject({ valueUnknown: true, valueBasis: 'unknown', confidence: 'likely', amount: { minor: 0 } });
    expect(before.valueUnknownReason).toContain('SKU-1');
    // The seller uploads the cost sheet: the same claim now has a value, its basis and full confidence.
    const second = await run([memorySource('c.tsv', COSTS)]);
    expect(second.upsert).toMatchObject({ created: [], refreshed: [before.id] });
    const after = (await claims.get('c1', before.id))!;
    expect(after).toMatchObject({ amount: { minor: 2000, currency: 'EUR' }, valueBasis: 'seller_cost', confidence: 'certain', version: before.version + 1 });
    expect(after.valueUnknown).toBeUndefined();
    expect(after.valueUnknownReason).toBeUndefined();
    // Nothing new: no write.
    const third = await run([memorySource('c.tsv', COSTS)]);
    expect(third.upsert).toMatchObject({ created: [], refreshed: [], untouched: [before.id] });
  });

  it('leaves daily event reports too old to change any claim unread, and reads snapshots and uploads', () => {
    const names = [
      'GET_LEDGER_DETAIL_VIEW_DATA-2024-01-10.tsv.gz',
      'GET_LEDGER_DETAIL_VIEW_DATA-2025-06-29.tsv.gz',
      'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2-2024-02-01.tsv',
      'GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA-2024-01-10.tsv',
      'my-upload-2024-01-10.tsv',
    ];
    const { read, tooOld } = reportsToAudit(names.map((name) => ({ name })), '2025-06-30');
    expect(tooOld).toEqual(['GET_LEDGER_DETAIL_VIEW_DATA-2024-01-10.tsv.gz', 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2-2024-02-01.tsv']);
    expect(read.map((s) => s.name)).toEqual([names[1], names[3], names[4]]);
    expect(AUDIT_LOOKBACK_DAYS).toBe(210);
  });
});

describe('the order charges table', () => {
  it('sums the logged charges of the collected order lines, in log order, across growth', async () => {
    const { OrderCharges } = await import('#shared/lost-and-found/order-charges.ts');
    const table = new OrderCharges();
    const key = (i: number): number => 2 + i * 7919 + 0x200000 * (i % 13);
    for (let i = 0; i < 20_000; i++) table.add(key(i), 100 + i);
    table.add(0, 5);
    table.add(0, 6);
    table.add(key(1), 1);
    table.add(key(2), 0x7fffffff); // a running total clamped to ±2^31 − 1, then lowered again
    table.add(key(2), -1000);
    expect(table.rows).toBe(20_005);
    expect(() => table.get(0)).toThrow(/before they were collected/);
    table.collect([0, key(1), key(2), key(19_999), 123_456_789_012]);
    expect(table.get(0)).toBe(11);
    expect(table.get(key(1))).toBe(102);
    expect(table.get(key(2))).toBe(0x7fffffff - 1000);
    expect(table.get(key(19_999))).toBe(100 + 19_999);
    expect(table.get(123_456_789_012)).toBeUndefined();
    expect(() => table.get(key(3))).toThrow(/not collected/);
    table.add(key(1), 1);
    expect(() => table.get(key(1))).toThrow(/before they were collected/);
  });
});
