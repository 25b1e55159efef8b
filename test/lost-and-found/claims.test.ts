import { describe, expect, it } from 'vitest';
import { runAudit, type ReportSource } from '#shared/lost-and-found/audit.ts';
import { COSTS, FEE_PREVIEW, RETURNS_HEADER, ledger, memorySource, noReimbursements, reimbursements, returnsReport, settlement, settlementRow, type LedgerLine } from './helpers.ts';

const asOf = '2025-06-30';
const daysBefore = (n: number): string => new Date(Date.UTC(2025, 5, 30) - n * 86_400_000).toISOString().slice(0, 10);
// Every audit here has the reimbursements report (empty unless the test adds rows): claims rest on it.
const audit = (sources: ReportSource[]) => runAudit([memorySource('costs.tsv', COSTS), noReimbursements(), ...sources], { asOf });
const noReturns = () => memorySource('returns-none.tsv', `${RETURNS_HEADER}\n`);
const adj = (daysAgo: number, ref: string, quantity: number, reason: string, extra: Partial<LedgerLine> = {}): LedgerLine => ({ date: daysBefore(daysAgo), event: 'Adjustments', ref, quantity, reason, ...extra });

describe('lost in warehouse claims', () => {
  it('claims misplaced units not found and not reimbursed, valued at the seller cost', async () => {
    const { claims } = await audit([memorySource('l.tsv', ledger([adj(40, 'R1', -3, 'M')]))]);
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ type: 'lost_warehouse', ref: 'R1', quantity: 3, amount: { minor: 3000, currency: 'EUR' }, deadline: daysBefore(-20), fnsku: 'X00TEST001', msku: 'SKU-1' });
    expect(claims[0]!.evidence[0]).toMatchObject({ report: 'inventory_ledger', id: 'R1', file: 'l.tsv', line: 2 });
  });

  it('never claims units that were found again', async () => {
    const { claims } = await audit([memorySource('l.tsv', ledger([adj(40, 'R1', -3, 'M'), adj(35, 'R2', 2, 'F')]))]);
    expect(claims.map((c) => c.quantity)).toEqual([1]);
  });

  it('never claims units Amazon already reimbursed', async () => {
    const { claims } = await audit([
      memorySource('l.tsv', ledger([adj(40, 'R1', -3, 'M')])),
      memorySource('r.tsv', reimbursements([{ date: daysBefore(35), id: 'RB1', reason: 'Lost_Warehouse', perUnit: '12.00', quantity: 3 }])),
    ]);
    expect(claims).toEqual([]);
  });

  it('claims a reversal nothing came back for as such, not the loss a second time', async () => {
    const { claims } = await audit([
      memorySource('l.tsv', ledger([adj(40, 'R1', -2, '5'), { date: daysBefore(1), event: 'Shipments', ref: 'x', quantity: -1 }])),
      memorySource(
        'r.tsv',
        reimbursements([
          { date: daysBefore(38), id: 'RB1', reason: 'Lost_Warehouse', perUnit: '12.00', quantity: 2 },
          { date: daysBefore(36), id: 'RB2', reason: 'Reimbursement_Reversal', perUnit: '-12.00', quantity: 2, original: 'RB1' },
        ]),
      ),
    ]);
    expect(claims.map((c) => [c.type, c.ref, c.quantity, c.amount.minor, c.valueBasis])).toEqual([['reversal_without_recovery', 'RB1', 2, 2400, 'reversed_amount']]);
  });

  it('claims nothing when the unit was found before Amazon reversed its reimbursement', async () => {
    const { claims } = await audit([
      memorySource('l.tsv', ledger([adj(40, 'R1', -1, 'M'), adj(30, 'F1', 1, 'F'), { date: daysBefore(1), event: 'Shipments', ref: 'x', quantity: -1 }])),
      memorySource(
        'r.tsv',
        reimbursements([
          { date: daysBefore(38), id: 'RB1', reason: 'Lost_Warehouse', perUnit: '12.00', quantity: 1 },
          { date: daysBefore(28), id: 'RB2', reason: 'Reimbursement_Reversal', perUnit: '-12.00', quantity: 1, original: 'RB1' },
        ]),
      ),
    ]);
    expect(claims).toEqual([]);
  });

  it('waits out Amazon’s 30-day research window and stops at the 60-day deadline', async () => {
    const lines = [adj(29, 'D29', -1, 'M', { fnsku: 'A' }), adj(30, 'D30', -1, 'M', { fnsku: 'B' }), adj(60, 'D60', -1, 'M', { fnsku: 'C' }), adj(61, 'D61', -1, 'M', { fnsku: 'D' })];
    const { claims } = await audit([memorySource('l.tsv', ledger(lines))]);
    expect(claims.map((c) => c.ref).sort()).toEqual(['D30', 'D60']);
    expect(claims.find((c) => c.ref === 'D60')!.deadline).toBe(asOf);
  });
});

describe('damaged and disposed in warehouse claims', () => {
  it('claims damage codes 6/7/E/H/K/U that were not reimbursed', async () => {
    const lines = ['6', '7', 'E', 'H', 'K', 'U'].map((code, i) => adj(40, `D${code}`, -1, code, { fnsku: `F${i}` }));
    const { claims } = await audit([memorySource('l.tsv', ledger([...lines, adj(40, 'P1', 1, 'P')]))]);
    expect(claims.map((c) => c.type)).toEqual(Array(6).fill('damaged_warehouse'));
  });

  it('never claims damage Amazon reimbursed in cash or in inventory', async () => {
    const { claims } = await audit([
      memorySource('l.tsv', ledger([adj(40, 'D1', -2, 'E')])),
      memorySource('r.tsv', reimbursements([{ date: daysBefore(30), id: 'RB1', reason: 'Damaged_Warehouse', perUnit: '12.00', quantity: 2 }])),
    ]);
    expect(claims).toEqual([]);
  });

  it('claims disposals and donations without the seller’s removal order, not those with one', async () => {
    const removal = [
      'request-date\torder-id\torder-type\torder-status\tlast-updated-date\tsku\tfnsku\trequested-quantity\tshipped-quantity',
      `${daysBefore(45)}\tRMV1\tDisposal\tCompleted\t${daysBefore(40)}\tSKU-2\tX00TEST002\t4\t0`,
    ].join('\n') + '\n';
    const { claims } = await audit([
      memorySource('l.tsv', ledger([adj(40, 'G1', -2, 'G'), adj(40, 'D2', -4, 'D', { fnsku: 'X00TEST002', msku: 'SKU-2' })])),
      memorySource('removals.tsv', removal),
    ]);
    expect(claims.map((c) => [c.type, c.ref, c.quantity])).toEqual([['disposed_unauthorised', 'G1', 2]]);
  });
});

describe('customer return claims', () => {
  const refund = (orderId: string, daysAgo: number, qty = 1) => [
    settlementRow('S1', 'Refund', orderId, 'Principal', `-${(30 * qty).toFixed(2)}`, daysBefore(daysAgo), 'SKU-1', qty),
    settlementRow('S1', 'Refund', orderId, 'Commission', (4.5 * qty).toFixed(2), daysBefore(daysAgo), 'SKU-1', qty),
  ];
  const ledgerCover = ledger([{ date: daysBefore(200), event: 'Shipments', ref: 'x', quantity: -1 }, { date: daysBefore(1), event: 'Shipments', ref: 'y', quantity: -1 }]);

  it('claims a refund never returned after the return window, valued at what the refund debited', async () => {
    const { claims } = await audit([memorySource('s.tsv', settlement('S1', 'EUR', refund('302-1', 61))), memorySource('fees.tsv', FEE_PREVIEW), noReturns()]);
    expect(claims).toHaveLength(1);
    // 30.00 refunded − referral fee given back 4.50 + admin fee kept min(20 % × 4.50, 5.00) = 0.90 → 26.40
    expect(claims[0]).toMatchObject({ type: 'refund_not_returned', ref: '302-1', quantity: 1, amount: { minor: 2640, currency: 'EUR' }, valueBasis: 'refund_debited' });
  });

  it('never claims inside the return window, after the deadline (EU: 45–105 days), or once returned or reimbursed', async () => {
    const { claims } = await audit([
      memorySource('s.tsv', settlement('S1', 'EUR', [...refund('IN-WINDOW', 44), ...refund('EXPIRED', 106), ...refund('RETURNED', 80), ...refund('REIMBURSED', 80), ...refund('EDGE', 105), ...refund('OPENS', 45)])),
      memorySource('ret.tsv', returnsReport([{ date: daysBefore(70), orderId: 'RETURNED' }])),
      memorySource('r.tsv', reimbursements([{ date: daysBefore(10), id: 'RB1', orderId: 'REIMBURSED', reason: 'CustomerReturn', perUnit: '30.00', quantity: 1 }])),
      memorySource('l.tsv', ledgerCover + ledger([{ date: daysBefore(70), event: 'CustomerReturns', ref: 'RETURNED', quantity: 1 }]).split('\n').slice(1).join('\n')),
    ]);
    expect(claims.map((c) => c.ref)).toEqual(['EDGE', 'OPENS']);
  });

  it('claims a return received but never restocked, and not one the ledger shows back in stock', async () => {
    const text = ledger([
      { date: daysBefore(200), event: 'Shipments', ref: 'x', quantity: -1 },
      { date: daysBefore(70), event: 'CustomerReturns', ref: 'BACK', quantity: 1 },
      { date: daysBefore(1), event: 'Shipments', ref: 'y', quantity: -1 },
    ]);
    const { claims } = await audit([
      memorySource('s.tsv', settlement('S1', 'EUR', [...refund('LOST', 80), ...refund('BACK', 80)])),
      memorySource('ret.tsv', returnsReport([{ date: daysBefore(70), orderId: 'LOST' }, { date: daysBefore(70), orderId: 'BACK' }])),
      memorySource('l.tsv', text),
    ]);
    expect(claims.map((c) => [c.type, c.ref])).toEqual([['return_not_restocked', 'LOST']]);
  });

  it('claims a return damaged by Amazon or its carrier and restocked unsellable while the refund stood, not a customer-damaged or reimbursed one', async () => {
    const returned = (orderId: string, disposition: string) => [daysBefore(70), orderId, 'SKU-1', 'B0TEST0001', 'X00TEST001', 'Test', 1, 'LEJ1', disposition, 'DAMAGED', 'Unit returned to inventory', `LPN-${orderId}`, ''].join('\t');
    const restocked = (orderId: string) => ({ date: daysBefore(69), event: 'CustomerReturns', ref: orderId, quantity: 1 });
    const orders = ['CARRIER', 'WAREHOUSE', 'CUSTOMER', 'PAID'];
    const { claims } = await runAudit(
      [
        memorySource('costs.tsv', COSTS),
        memorySource('r.tsv', reimbursements([{ date: daysBefore(20), id: 'RB9', orderId: 'PAID', reason: 'CustomerReturn', perUnit: '26.40', quantity: 1 }])),
        memorySource('s.tsv', settlement('S1', 'EUR', orders.flatMap((o) => refund(o, 80)))),
        memorySource('ret.tsv', [RETURNS_HEADER, returned('CARRIER', 'CARRIER_DAMAGED'), returned('WAREHOUSE', 'DAMAGED'), returned('CUSTOMER', 'CUSTOMER_DAMAGED'), returned('PAID', 'CARRIER_DAMAGED')].join('\n') + '\n'),
        memorySource('l.tsv', ledgerCover + ledger(orders.map(restocked)).split('\n').slice(1).join('\n')),
      ],
      { asOf },
    );
    expect(claims.map((c) => [c.type, c.ref, c.quantity, c.amount.minor, c.confidence]).sort()).toEqual([
      ['return_unsellable', 'CARRIER', 1, 2640, 'likely'],
      ['return_unsellable', 'WAREHOUSE', 1, 2640, 'likely'],
    ]);
  });
});

describe('inbound, removal, fee and underpaid claims', () => {
  it('claims an inbound shortage 15 days after the shipment closed, not while receiving', async () => {
    const inbound = [
      'shipment-id\tshipment-status\tlast-updated-date\tsku\tfnsku\tasin\tquantity-shipped\tquantity-received',
      `FBA1\tCLOSED\t${daysBefore(15)}\tSKU-1\tX00TEST001\tB0\t24\t20`,
      `FBA2\tRECEIVING\t${daysBefore(30)}\tSKU-1\tX00TEST001\tB0\t24\t20`,
      `FBA3\tCLOSED\t${daysBefore(14)}\tSKU-1\tX00TEST001\tB0\t24\t20`,
      `FBA4\tCLOSED\t${daysBefore(30)}\tSKU-1\tX00TEST001\tB0\t24\t24`,
    ].join('\n') + '\n';
    const { claims } = await audit([memorySource('in.tsv', inbound)]);
    expect(claims.map((c) => [c.type, c.ref, c.quantity])).toEqual([['inbound_shortage', 'FBA1', 4]]);
  });

  it('claims removal units taken from inventory but never shipped', async () => {
    const detail = ['request-date\torder-id\torder-type\torder-status\tlast-updated-date\tsku\tfnsku\trequested-quantity\tshipped-quantity', `${daysBefore(40)}\tRMV1\tReturn\tCompleted\t${daysBefore(30)}\tSKU-1\tX00TEST001\t5\t5`].join('\n') + '\n';
    const shipments = ['request-date\torder-id\tshipment-date\tsku\tfnsku\tshipped-quantity\tcarrier\ttracking-number', `${daysBefore(40)}\tRMV1\t${daysBefore(31)}\tSKU-1\tX00TEST001\t3\tDHL\t0034`].join('\n') + '\n';
    const { claims } = await audit([memorySource('d.tsv', detail), memorySource('s.tsv', shipments)]);
    expect(claims.map((c) => [c.type, c.ref, c.quantity])).toEqual([['removal_lost', 'RMV1', 2]]);
  });

  it('claims FBA fees charged above the fee preview within 90 days, not older ones', async () => {
    const rows = [
      settlementRow('S9', 'Order', 'O1', 'FBAPerUnitFulfillmentFee', '-3,50', daysBefore(10).split('-').reverse().join('.')),
      settlementRow('S9', 'Order', 'O2', 'FBAPerUnitFulfillmentFee', '-3,00', daysBefore(10).split('-').reverse().join('.')),
      settlementRow('S9', 'Order', 'O3', 'FBAPerUnitFulfillmentFee', '-4,00', daysBefore(91).split('-').reverse().join('.')),
    ];
    const { claims } = await audit([memorySource('fees.tsv', FEE_PREVIEW), memorySource('s.tsv', settlement('S9', 'EUR', rows, { eu: true }))]);
    expect(claims.map((c) => [c.type, c.ref, c.quantity, c.amount.minor])).toEqual([['fee_overcharge', 'S9', 1, 50]]);
  });

  it('claims a reimbursement paid well below the unit value, not one within tolerance', async () => {
    const { claims } = await audit([
      memorySource('r.tsv', reimbursements([
        { date: daysBefore(20), id: 'LOW', reason: 'Lost_Warehouse', perUnit: '5.00', quantity: 2 },
        { date: daysBefore(20), id: 'FAIR', reason: 'Lost_Warehouse', perUnit: '9.60', quantity: 2 },
      ])),
    ]);
    expect(claims.map((c) => [c.type, c.ref, c.quantity, c.amount.minor])).toEqual([['underpaid_reimbursement', 'LOW', 2, 1000]]);
  });
});

describe('claim identity', () => {
  it('gives the same claim ids on a second run and on a re-download with more rows', async () => {
    const first = await audit([memorySource('l.tsv', ledger([adj(40, 'R1', -3, 'M')]))]);
    const second = await audit([memorySource('other-name.tsv', ledger([adj(100, 'OLD', -1, 'M'), adj(40, 'R1', -3, 'M')]))]);
    expect(second.claims.map((c) => c.id)).toEqual(first.claims.map((c) => c.id));
  });
});
