import { SOURCES, byDayThenRef, type ClaimTypeRule } from './catalogue.ts';
import { warehouseDraft } from './warehouse.ts';

/**
 * Units the fulfilment centre reported misplaced (ledger Adjustments M or 5) that were neither found again
 * (F) nor reimbursed for `Lost_Warehouse`. Since 2024-11-01 Amazon reimburses these by itself, so the
 * reimbursements report is evidence: without it a claim could ask for money already paid.
 */
export const lostWarehouse: ClaimTypeRule = {
  type: 'lost_warehouse',
  title: 'lost in the fulfilment centre',
  needs: ['inventory_ledger', 'reimbursements'],
  window: 'warehouse',
  cancelledBy: ['warehouse_lost'],
  value: 'unit cost (seller cost sheet, else fee preview price − fees, else reimbursement history) × units',
  candidateNoun: 'misplaced-unit adjustments',
  policy: [
    { rule: 'manual claim no later than 60 days after the unit was reported lost', source: SOURCES.windows2024, effective: '2024-09-05 (EU), 2024-10-23 (US)' },
    { rule: 'lost units reimbursed proactively as soon as reported lost; claim only what was not reimbursed', source: SOURCES.proactive2024, effective: '2024-11-01' },
  ],
  find(ctx) {
    const window = ctx.window(this.window);
    ctx.facts.fnskus.forEach((state) => {
      if (state.misplaced.length === 0) return;
      const events = [...state.misplaced].sort(byDayThenRef);
      // Units found again reconcile the oldest misplaced units first; reimbursements the oldest one paid after.
      let found = state.foundUnits;
      for (const event of events) {
        let open = event.units;
        const recovered = Math.min(found, open);
        found -= recovered;
        open -= recovered;
        open -= ctx.reimbursed.take('warehouse_lost', state.fnsku, open, event.day);
        if (open > 0 && ctx.claimable(event.day, window)) ctx.propose(this, warehouseDraft(ctx, state, event, open, 'certain'));
      }
    });
  },
};
