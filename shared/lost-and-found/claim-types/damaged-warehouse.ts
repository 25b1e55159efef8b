import { SOURCES, byDayThenRef, type ClaimTypeRule } from './catalogue.ts';
import { warehouseDraft } from './warehouse.ts';

/** Units damaged by the fulfilment centre (Adjustments 6, 7, E, H, K, U) and not reimbursed for `Damaged_Warehouse`. */
export const damagedWarehouse: ClaimTypeRule = {
  type: 'damaged_warehouse',
  title: 'damaged in the fulfilment centre',
  needs: ['inventory_ledger', 'reimbursements'],
  window: 'warehouse',
  cancelledBy: ['warehouse_damaged'],
  value: 'unit cost (seller cost sheet, else fee preview price − fees, else reimbursement history) × units',
  candidateNoun: 'damage adjustments',
  policy: [
    { rule: "within 60 days of the date the unit is marked 'Damaged at Amazon fulfilment centres'", source: SOURCES.windows2024, effective: '2024-09-05 (EU), 2024-10-23 (US)' },
    { rule: 'warehouse damage is reimbursed proactively; claim only what was not', source: SOURCES.proactive2024, effective: '2024-11-01' },
  ],
  find(ctx) {
    const window = ctx.window(this.window);
    ctx.facts.fnskus.forEach((state) => {
      if (state.damaged.length === 0) return;
      for (const event of [...state.damaged].sort(byDayThenRef)) {
        const open = event.units - ctx.reimbursed.take('warehouse_damaged', state.fnsku, event.units, event.day);
        if (open > 0 && ctx.claimable(event.day, window)) ctx.propose(this, warehouseDraft(ctx, state, event, open, 'certain'));
      }
    });
  },
};
