/**
 * Losses after a customer order that issue 16 (item 5) added to the catalogue and the independent sets check in bulk:
 * refunds larger than the price charged, and replacements whose original never came back. Small report sets, edges included.
 */
import { describe, expect, it } from 'vitest';
import { runAudit } from '#shared/lost-and-found/audit.ts';
import { FEE_PREVIEW, memorySource, noReimbursements, reimbursements, returnsReport, settlement, settlementRow } from './helpers.ts';

const asOf = '2025-06-30';
const daysBefore = (n: number): string => new Date(Date.UTC(2025, 5, 30) - n * 86_400_000).toISOString().slice(0, 10);
const eu = (iso: string): string => iso.split('-').reverse().join('.');

describe('refund above the charge', () => {
  it('claims what a refund paid above the principal charged for the order line, and nothing for a refund up to it', async () => {
    const rows = [
      settlementRow('S1', 'Order', 'O1', 'Principal', '20,00', eu(daysBefore(40))),
      settlementRow('S1', 'Refund', 'O1', 'Principal', '-25,00', eu(daysBefore(20))),
      settlementRow('S1', 'Order', 'O2', 'Principal', '20,00', eu(daysBefore(40))),
      settlementRow('S1', 'Refund', 'O2', 'Principal', '-20,00', eu(daysBefore(20))),
    ];
    const { claims } = await runAudit([memorySource('s.tsv', settlement('S1', 'EUR', rows, { eu: true }))], { asOf });
    expect(claims.map((c) => [c.type, c.ref, c.quantity, c.amount.minor, c.valueBasis, c.confidence])).toEqual([['refund_above_charge', 'O1', 1, 500, 'refund_difference', 'certain']]);
    expect(claims[0]!.deadline).toBe(daysBefore(20 - 90));
  });

  it('makes no claim once the 90 days after the refund are over', async () => {
    const rows = [
      settlementRow('S1', 'Order', 'O1', 'Principal', '20,00', eu(daysBefore(120))),
      settlementRow('S1', 'Refund', 'O1', 'Principal', '-25,00', eu(daysBefore(91))),
    ];
    const { claims } = await runAudit([memorySource('s.tsv', settlement('S1', 'EUR', rows, { eu: true }))], { asOf });
    expect(claims).toEqual([]);
  });
});

const REPLACEMENTS_HEADER = 'shipment-date\tsku\tasin\tfulfillment-center-id\toriginal-fulfillment-center-id\tquantity\treplacement-reason-code\treplacement-amazon-order-id\toriginal-amazon-order-id';
const replacementRow = (day: string, replacementOrder: string, originalOrder: string, quantity = 1): string =>
  [day, 'SKU-1', 'B0TEST0001', 'LEJ1', 'LEJ1', quantity, '3', replacementOrder, originalOrder].join('\t');

describe('replacement whose original never came back', () => {
  it('claims a replacement inside the European window whose original order has no return, at the sale value', async () => {
    const replacements = [
      REPLACEMENTS_HEADER,
      replacementRow(daysBefore(60), 'R1', 'O1'), // never returned: claimed
      replacementRow(daysBefore(60), 'R2', 'O2'), // returned
      replacementRow(daysBefore(30), 'R3', 'O3'), // the 45 days are not over
      replacementRow(daysBefore(110), 'R4', 'O4'), // past the 105 days
    ].join('\n') + '\n';
    const { claims } = await runAudit(
      [
        memorySource('fees.tsv', FEE_PREVIEW),
        memorySource('replacements.tsv', replacements),
        memorySource('returns.tsv', returnsReport([{ date: daysBefore(50), orderId: 'O2' }])),
        noReimbursements(),
      ],
      { asOf },
    );
    // Sale value from the fee preview: your-price 30.00 − estimated fees 7.50.
    expect(claims.map((c) => [c.type, c.ref, c.quantity, c.amount.minor, c.valueBasis, c.confidence])).toEqual([['replacement_not_returned', 'O1', 1, 2250, 'price_minus_fees', 'likely']]);
    expect(claims[0]).toMatchObject({ openFrom: daysBefore(60 - 45), deadline: daysBefore(60 - 105) });
  });

  it('makes no claim when Amazon reimbursed the original order, nor without the returns report', async () => {
    const replacements = [REPLACEMENTS_HEADER, replacementRow(daysBefore(60), 'R1', 'O1')].join('\n') + '\n';
    const paid = await runAudit(
      [
        memorySource('fees.tsv', FEE_PREVIEW),
        memorySource('replacements.tsv', replacements),
        memorySource('returns.tsv', returnsReport([])),
        memorySource('r.tsv', reimbursements([{ date: daysBefore(20), id: 'RB1', reason: 'CustomerReturn', perUnit: '22.50', quantity: 1, orderId: 'O1' }])),
      ],
      { asOf },
    );
    expect(paid.claims).toEqual([]);
    const noReturns = await runAudit([memorySource('fees.tsv', FEE_PREVIEW), memorySource('replacements.tsv', replacements), noReimbursements()], { asOf });
    expect(noReturns.claims).toEqual([]);
    expect(noReturns.withheld.map((w) => [w.type, w.report])).toEqual([['replacement_not_returned', 'customer_returns']]);
  });
});
