import { SOURCES, times, type ClaimTypeRule } from './catalogue.ts';

/**
 * A closed inbound shipment line that received fewer units than were shipped (the larger of the shipment's own
 * count and the ledger's Receipts), net of `Lost_Inbound` / `Damaged_Inbound` reimbursements. Lines still
 * receiving are never claimed: the units may yet arrive.
 */
export const inboundShortage: ClaimTypeRule = {
  type: 'inbound_shortage',
  title: 'missing from a shipment to Amazon',
  needs: ['inbound_shipment_items', 'reimbursements'],
  window: 'inbound',
  cancelledBy: ['inbound'],
  value: 'unit cost (seller cost sheet, else fee preview price − fees, else reimbursement history) × units',
  candidateNoun: 'closed shipment lines short of units',
  policy: [
    { rule: 'units missing from shipments: no sooner than 15 and no later than 60 days from delivery', source: SOURCES.windows2024, effective: '2024-09-05 (EU), 2024-10-23 (US)' },
  ],
  find(ctx) {
    const window = ctx.window(this.window);
    const items = [...ctx.facts.inbound.values()].sort((a, b) => a.lastUpdatedDay - b.lastUpdatedDay || a.shipmentId.localeCompare(b.shipmentId));
    for (const item of items) {
      if (item.status !== 'closed') continue;
      const received = Math.max(item.received, item.ledgerReceived);
      let shortage = item.shipped - received;
      if (shortage <= 0) continue;
      // Inbound reimbursements may come before the shipment is closed: any date counts, each unit once.
      shortage -= ctx.reimbursed.take('inbound', item.fnsku, shortage, Number.NEGATIVE_INFINITY);
      if (shortage <= 0 || !ctx.claimable(item.lastUpdatedDay, window)) continue;
      const evidence = ctx.evidence('inbound_shipment_items', item.at, `inbound:${item.shipmentId}|${item.fnsku}`, item.shipmentId, item.lastUpdatedDay, item.shipped - item.received, { code: 'inbound_received', params: { shipped: item.shipped, received: item.received } });
      ctx.propose(this, {
        identityKey: evidence.key,
        msku: item.msku,
        fnsku: item.fnsku,
        asin: item.asin,
        quantity: shortage,
        ref: item.shipmentId,
        eventDay: item.lastUpdatedDay,
        evidence: [evidence],
        value: times(ctx.unitValueBeforeOrder(item.msku, undefined), shortage),
        confidence: 'likely',
      });
    }
  },
};
