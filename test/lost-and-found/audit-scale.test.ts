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
  it('sums charges per order line and tells an unknown line from a charged one, across growth', async () => {
    const { OrderCharges } = await import('#shared/lost-and-found/order-charges.ts');
    const table = new OrderCharges();
    const key = (i: number): number => 2 + i * 7919 + 0x200000 * (i % 13);
    for (let i = 0; i < 20_000; i++) table.add(key(i), 100 + i);
    table.add(0, 5);
    table.add(0, 6);
    table.add(key(1), 1);
    expect(table.size).toBe(20_001);
    expect(table.get(0)).toBe(11);
    expect(table.get(key(1))).toBe(102);
    expect(table.get(key(19_999))).toBe(100 + 19_999);
    expect(table.get(123_456_789_012)).toBeUndefined();
  });
});
