import { describe, expect, it } from 'vitest';
import { checkReportFile, runAudit, type ReportSource } from '#shared/lost-and-found/audit.ts';
import { evidenceDetailText } from '#shared/lost-and-found/evidence-detail.ts';
import { listStoredReports } from '#shared/lost-and-found/use-cases.ts';
import { COSTS, ledger, memorySource, reimbursements } from './helpers.ts';

const asOf = '2025-06-30';

describe('what an upload answers about each stored file (the audit\'s own header detection)', () => {
  it('names the report it recognised, or why the audit will skip the file: a code, its parameters and the English sentence', async () => {
    expect(await checkReportFile(memorySource('costs.tsv', COSTS))).toEqual({ type: 'seller_costs', problem: null });
    expect(await checkReportFile(memorySource('empty.tsv', ''))).toEqual({ type: 'unknown', problem: { code: 'empty', params: {}, message: 'empty file' } });
    expect(await checkReportFile(memorySource('orders.txt', 'amazon-order-id\tpurchase-date\n1\t2025-06-01\n'))).toEqual({
      type: 'unknown',
      problem: { code: 'unknown_report', params: {}, message: 'unknown report: header matches none of the FBA reports' },
    });
    const cut = ledger([]).split('\n')[0]!.split('\t').filter((c) => c !== 'Quantity').join('\t');
    const missing = await checkReportFile(memorySource('ledger.tsv', `${cut}\n`));
    expect(missing.type).toBe('inventory_ledger');
    expect(missing.problem).toMatchObject({ code: 'missing_columns', params: { columns: [expect.stringMatching(/quantity/)] } });
    expect(missing.problem!.message).toBe(`missing columns: ${(missing.problem!.params as { columns: string[] }).columns.join(', ')}`);
    const broken: ReportSource = {
      name: 'broken.tsv',
      open: () => ({
        [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('disk gone')) }),
      }),
    };
    expect(await checkReportFile(broken)).toEqual({ type: 'unknown', problem: { code: 'unreadable', params: { error: 'disk gone' }, message: 'unreadable: disk gone' } });
  });

  it('lists the tenant\'s files in order with their size and check', async () => {
    const sources = [memorySource('a-costs.tsv', COSTS), memorySource('b-empty.tsv', '')];
    const listed = await listStoredReports({ sources: async () => sources }, 't1');
    expect(listed.map((r) => [r.fileName, r.type, r.problem?.code ?? null])).toEqual([
      ['a-costs.tsv', 'seller_costs', null],
      ['b-empty.tsv', 'unknown', 'empty'],
    ]);
  });
});

describe('evidence details as codes with parameters', () => {
  it('gives every evidence row a code and parameters whose English sentence is the detail the case text quotes', async () => {
    const result = await runAudit(
      [memorySource('c.tsv', COSTS), memorySource('r.tsv', reimbursements([])), memorySource('l.tsv', ledger([{ date: '2025-05-20', event: 'Adjustments', ref: 'R1', quantity: -2, reason: 'M' }]))],
      { asOf },
    );
    const evidence = result.claims.flatMap((c) => c.evidence);
    expect(evidence.length).toBeGreaterThan(0);
    for (const e of evidence) {
      expect(e.detailCode).toBeDefined();
      expect(evidenceDetailText({ code: e.detailCode!, params: e.detailParams! } as Parameters<typeof evidenceDetailText>[0])).toBe(e.detail);
    }
    expect(evidence[0]).toMatchObject({ detailCode: 'ledger_adjustment', detailParams: { reason: 'M' }, detail: 'Adjustments reason M' });
  });
});
