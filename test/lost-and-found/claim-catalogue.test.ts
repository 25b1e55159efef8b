import { describe, expect, it } from 'vitest';
import { runAudit, type ReportSource } from '#shared/lost-and-found/audit.ts';
import { CLAIM_CATALOGUE } from '#shared/lost-and-found/claim-types/index.ts';
import { CLAIM_TYPES } from '#shared/lost-and-found/model.ts';
import { COSTS, ledger, memorySource, noReimbursements, reimbursements, type LedgerLine } from './helpers.ts';

const asOf = '2025-06-30';
const daysBefore = (n: number): string => new Date(Date.UTC(2025, 5, 30) - n * 86_400_000).toISOString().slice(0, 10);
const adj = (daysAgo: number, ref: string, quantity: number, reason: string, extra: Partial<LedgerLine> = {}): LedgerLine => ({ date: daysBefore(daysAgo), event: 'Adjustments', ref, quantity, reason, ...extra });
const REMOVAL_HEADER = 'request-date\torder-id\torder-type\torder-status\tlast-updated-date\tsku\tfnsku\trequested-quantity\tshipped-quantity';
const noRemovalOrders = (): ReportSource => memorySource('removal-orders-none.tsv', `${REMOVAL_HEADER}\n`);

describe('the claim-type catalogue', () => {
  it('has one rule per claim type, each with its evidence reports, window and cited policy', () => {
    expect(CLAIM_CATALOGUE.map((r) => r.type).sort()).toEqual([...CLAIM_TYPES].sort());
    for (const rule of CLAIM_CATALOGUE) {
      expect(rule.needs.length, rule.type).toBeGreaterThan(0);
      expect(rule.policy.length, rule.type).toBeGreaterThan(0);
      for (const p of rule.policy) expect(p.source, rule.type).toMatch(/Amazon/);
    }
  });
});

describe('never claim what the reports cannot prove', () => {
  it('withholds warehouse claims without the reimbursements report and says which report to upload', async () => {
    const result = await runAudit([memorySource('c.tsv', COSTS), memorySource('l.tsv', ledger([adj(40, 'R1', -3, 'M'), adj(35, 'R2', -1, 'M', { fnsku: 'X2' })]))], { asOf });
    expect(result.claims).toEqual([]);
    expect(result.withheld).toEqual([
      expect.objectContaining({ code: 'report_missing', type: 'lost_warehouse', report: 'reimbursements', candidates: 2, from: daysBefore(40), to: daysBefore(35) }),
    ]);
    expect(result.withheld[0]!.message).toBe(`upload the reimbursements report for ${daysBefore(40)} – ${daysBefore(35)} to check 2 misplaced-unit adjustments (possible lost_warehouse claims)`);
  });

  it('makes no removal_lost claim without removal shipments, and none when the shipments report stops before the order completed', async () => {
    const detail = `${REMOVAL_HEADER}\n${daysBefore(40)}\tRMV1\tReturn\tCompleted\t${daysBefore(30)}\tSKU-1\tX00TEST001\t5\t5\n`;
    const early = ['request-date\torder-id\tshipment-date\tsku\tfnsku\tshipped-quantity\tcarrier\ttracking-number', `${daysBefore(90)}\tRMV0\t${daysBefore(85)}\tSKU-1\tX00TEST001\t3\tDHL\t0034`].join('\n') + '\n';
    const without = await runAudit([noReimbursements(), memorySource('d.tsv', detail)], { asOf });
    expect(without.claims).toEqual([]);
    expect(without.withheld).toEqual([expect.objectContaining({ type: 'removal_lost', report: 'removal_shipment_detail', candidates: 1 })]);
    const stale = await runAudit([noReimbursements(), memorySource('d.tsv', detail), memorySource('s.tsv', early)], { asOf });
    expect(stale.claims).toEqual([]);
    expect(stale.withheld[0]!.message).toContain('upload a removal shipment detail report that covers');
    expect(stale.withheld[0]!.code).toBe('report_not_covering');
  });
});

describe('reimbursements bind by reason', () => {
  it('a Damaged_Warehouse reimbursement pays the damage, never an unauthorised disposal of the same FNSKU', async () => {
    const result = await runAudit(
      [
        memorySource('c.tsv', COSTS),
        noRemovalOrders(),
        memorySource('l.tsv', ledger([adj(40, 'DMG', -3, 'E'), adj(39, 'DSP', -3, 'D')])),
        memorySource('r.tsv', reimbursements([{ date: daysBefore(38), id: 'RB1', reason: 'Damaged_Warehouse', perUnit: '10.00', quantity: 3 }])),
      ],
      { asOf },
    );
    expect(result.claims.map((c) => [c.type, c.ref, c.quantity])).toEqual([['disposed_unauthorised', 'DSP', 3]]);
  });

  it('a reimbursement approved before the loss does not pay it', async () => {
    const result = await runAudit(
      [
        memorySource('c.tsv', COSTS),
        memorySource('l.tsv', ledger([adj(40, 'R1', -2, 'M')])),
        memorySource('r.tsv', reimbursements([{ date: daysBefore(100), id: 'OLD', reason: 'Lost_Warehouse', perUnit: '10.00', quantity: 2 }])),
      ],
      { asOf },
    );
    expect(result.claims.map((c) => [c.type, c.quantity])).toEqual([['lost_warehouse', 2]]);
  });

  it('claims each unauthorised disposal with the full units of its ledger row', async () => {
    const removal = `${REMOVAL_HEADER}\n${daysBefore(200)}\tRMV1\tDisposal\tCompleted\t${daysBefore(190)}\tSKU-1\tX00TEST001\t2\t0\n`;
    const result = await runAudit(
      [memorySource('c.tsv', COSTS), noReimbursements(), memorySource('rm.tsv', removal), memorySource('l.tsv', ledger([adj(195, 'AUTH', -2, 'D'), adj(45, 'D1', -5, 'D'), adj(40, 'D2', -7, 'D')]))],
      { asOf },
    );
    expect(result.claims.map((c) => [c.ref, c.quantity, c.amount.minor])).toEqual([
      ['D1', 5, 5000],
      ['D2', 7, 7000],
    ]);
  });
});

describe('values and confidence', () => {
  it('marks a claim valueUnknown with the reason when no report gives a value, never a claim worth 0', async () => {
    const result = await runAudit([noReimbursements(), memorySource('l.tsv', ledger([adj(40, 'R1', -1, 'M', { msku: 'NO-COST' })]))], { asOf });
    expect(result.claims).toHaveLength(1);
    expect(result.claims[0]).toMatchObject({ valueUnknown: true, valueBasis: 'unknown', confidence: 'likely', amount: { minor: 0 } });
    expect(result.claims[0]!.valueUnknownReason).toContain('NO-COST');
  });

  it('values a unit from the SKU’s earlier cash reimbursements when there is no cost sheet or price', async () => {
    const result = await runAudit(
      [
        memorySource('l.tsv', ledger([adj(40, 'R1', -2, 'M'), adj(100, 'R0', -1, 'M')])),
        memorySource('r.tsv', reimbursements([{ date: daysBefore(90), id: 'RB0', reason: 'Lost_Warehouse', perUnit: '8.40', quantity: 1 }])),
      ],
      { asOf },
    );
    expect(result.claims.map((c) => [c.ref, c.amount.minor, c.valueBasis, c.confidence])).toEqual([['R1', 1680, 'reimbursement_history', 'certain']]);
  });
});
