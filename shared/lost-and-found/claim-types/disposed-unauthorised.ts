import { SOURCES, byDayThenRef, type ClaimTypeRule } from './catalogue.ts';
import { warehouseDraft } from './warehouse.ts';

/**
 * Units Amazon disposed of or donated (Adjustments D, G) that the seller never ordered disposed: no disposal,
 * liquidation or donation removal order for the FNSKU requested on or before the adjustment still has units for
 * it. The removal order detail report is evidence: without it every disposal would look unauthorised.
 */
export const disposedUnauthorised: ClaimTypeRule = {
  type: 'disposed_unauthorised',
  title: 'disposed of without the seller’s order',
  needs: ['inventory_ledger', 'removal_order_detail', 'reimbursements'],
  window: 'disposal',
  cancelledBy: ['warehouse_disposed'],
  value: 'unit cost (seller cost sheet, else fee preview price − fees, else reimbursement history) × units',
  candidateNoun: 'disposal adjustments',
  policy: [
    { rule: 'not eligible when the item was disposed of at the seller’s request', source: SOURCES.lostDamagedPolicy, effective: 'current policy page' },
    { rule: 'fulfilment-centre claims within 60 days of the adjustment', source: SOURCES.windows2024, effective: '2024-09-05 (EU), 2024-10-23 (US)' },
  ],
  find(ctx) {
    const window = ctx.window(this.window);
    const orders = disposalOrders(ctx.facts.removals.values());
    ctx.facts.fnskus.forEach((state) => {
      if (state.disposed.length === 0) return;
      const authorised = (orders.get(state.fnsku) ?? []).map((o) => ({ ...o }));
      for (const event of [...state.disposed].sort(byDayThenRef)) {
        let open = event.units;
        // A disposal the seller ordered before the adjustment covers its units, oldest order first.
        for (const order of authorised) {
          if (order.requestDay > event.day || order.units <= 0 || open === 0) continue;
          const covered = Math.min(order.units, open);
          order.units -= covered;
          open -= covered;
        }
        open -= ctx.reimbursed.take('warehouse_disposed', state.fnsku, open, event.day);
        if (open > 0 && ctx.claimable(event.day, window)) ctx.propose(this, warehouseDraft(ctx, state, event, open, 'likely'));
      }
    });
  },
};

function disposalOrders(lines: Iterable<{ orderType: string; status: string; fnsku: string; requestDay: number; requested: number }>): Map<string, Array<{ requestDay: number; units: number }>> {
  const byFnsku = new Map<string, Array<{ requestDay: number; units: number }>>();
  for (const line of lines) {
    const type = line.orderType.toLowerCase();
    if (!(type.includes('dispos') || type.includes('liquidat') || type.includes('donat')) || line.status.toLowerCase().includes('cancel')) continue;
    let list = byFnsku.get(line.fnsku);
    if (list === undefined) byFnsku.set(line.fnsku, (list = []));
    list.push({ requestDay: line.requestDay, units: line.requested });
  }
  for (const list of byFnsku.values()) list.sort((a, b) => a.requestDay - b.requestDay);
  return byFnsku;
}
