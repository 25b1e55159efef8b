import type { RemovalLine } from '../audit-facts.ts';
import type { Evidence } from '../model.ts';
import { SOURCES, times, type ClaimTypeRule, type RuleContext } from './catalogue.ts';

/**
 * A completed return-type removal order whose units left the inventory (ledger VendorReturns, or the order's
 * shipped quantity) but never appear in a removal shipment, net of `Removal_Order_*` reimbursements. The
 * removal shipment detail report is the evidence of what shipped: absent, or not reaching the order's days,
 * no claim (a missing report is not proof of loss).
 */
export const removalLost: ClaimTypeRule = {
  type: 'removal_lost',
  title: 'removed, never shipped back',
  needs: ['removal_order_detail', 'removal_shipment_detail', 'reimbursements'],
  window: 'removal',
  cancelledBy: ['removal'],
  value: 'unit cost (seller cost sheet, else fee preview price − fees, else reimbursement history) × units',
  candidateNoun: 'removal orders',
  policy: [
    { rule: 'removal claims are never reimbursed proactively: they must be filed', source: SOURCES.proactive2024, effective: '2024-11-01' },
    { rule: 'lost removal shipment: no sooner than 15 and no later than 75 days from the shipment date', source: SOURCES.windows2024, effective: '2024-09-05 (EU), 2024-10-23 (US)' },
  ],
  find(ctx) {
    const window = ctx.window(this.window);
    const lines = [...ctx.facts.removals.values()].sort((a, b) => a.lastUpdatedDay - b.lastUpdatedDay || a.orderId.localeCompare(b.orderId));
    for (const line of lines) {
      if (!line.orderType.toLowerCase().includes('return') || !line.status.toLowerCase().includes('complet')) continue;
      const removed = Math.max(line.ledgerRemoved, line.detailShipped);
      let lost = removed - line.shipmentDetailShipped;
      if (lost <= 0) continue;
      lost -= ctx.reimbursed.take('removal', line.fnsku, lost, line.requestDay);
      // The window runs from the shipment (policy: 15–75 days from the shipment date); no shipment row: completion.
      const eventDay = line.shipments.length > 0 ? Math.max(...line.shipments.map((r) => r.day)) : line.lastUpdatedDay;
      if (lost <= 0 || !ctx.claimable(eventDay, window)) continue;
      ctx.propose(this, {
        identityKey: `removal:${line.orderId}|${line.fnsku}`,
        msku: line.msku,
        fnsku: line.fnsku,
        asin: '',
        quantity: lost,
        ref: line.orderId,
        eventDay,
        evidence: removalEvidence(ctx, line),
        value: times(ctx.unitValueBeforeOrder(line.msku, undefined), lost),
        confidence: line.shipmentDetailShipped > 0 ? 'certain' : 'likely',
        // With none of the order's shipments in the report, the report's rows must span the order's completion:
        // else they may simply lie outside the download. (Some of its shipments there: the download reaches it.)
        ...(line.shipments.length === 0 ? { covers: [{ report: 'removal_shipment_detail' as const, fromDay: line.lastUpdatedDay, toDay: line.lastUpdatedDay }] } : {}),
      });
    }
  },
};

function removalEvidence(ctx: RuleContext, line: RemovalLine): Evidence[] {
  const key = `${line.orderId}|${line.fnsku}`;
  return [
    ctx.evidence('removal_order_detail', line.at, `removal:${key}`, line.orderId, line.lastUpdatedDay, line.requested, { code: 'removal_order', params: { orderType: line.orderType, status: line.status } }),
    ...line.shipments.map((r) =>
      ctx.evidence('removal_shipment_detail', r, `removal-shipment:${key}|${r.tracking}|${new Date(r.day * 86_400_000).toISOString().slice(0, 10)}`, line.orderId, r.day, r.shipped, { code: 'removal_shipped', params: { tracking: r.tracking } }),
    ),
  ];
}
