import type { RefundLine } from '../audit-facts.ts';
import type { ClaimValue } from './catalogue.ts';
import { refundEvidence } from './customer.ts';
import { SOURCES, type ClaimTypeRule } from './catalogue.ts';
import { UNDERPAID_MIN_SHORTFALL_MINOR, UNDERPAID_TOLERANCE_BASIS_POINTS } from '../rules.ts';
import { parseDayString } from '../tsv.ts';

/**
 * A cash reimbursement paying less than 95 % of the unit's value (and at least 1.00 short in all): Amazon
 * reconsiders the amount on request with proof of value. Reversed reimbursements are not checked.
 */
export const underpaidReimbursement: ClaimTypeRule = {
  type: 'underpaid_reimbursement',
  title: 'reimbursed below value',
  needs: ['reimbursements'],
  window: 'underpaid',
  cancelledBy: [],
  value: '(unit value − paid per unit) × cash units; unit value: manufacturing cost from the seller cost sheet, or what the refund debited for customer reimbursements',
  candidateNoun: 'reimbursements',
  policy: [
    { rule: 'units lost or damaged before a customer order are reimbursed at manufacturing cost; a seller may ask for a re-evaluation with proof of cost', source: SOURCES.manufacturingCost2025, effective: '2025-03-10' },
  ],
  find(ctx) {
    const window = ctx.window(this.window);
    const records = ctx.facts.reimbursements;
    // A reimbursement id and FNSKU read twice (two downloads): the last row read is the evidence.
    const lastRowOf = new Map<string, number>();
    for (const [index, r] of records.entries()) lastRowOf.set(`${r.reimbursementId}|${r.fnsku}`, index);
    for (const r of records) {
      if (r.quantityCash <= 0 || ctx.reimbursed.isReversed(r.reimbursementId)) continue;
      let expected: ClaimValue | undefined;
      let refund: RefundLine | undefined;
      if (r.category === 'customer_return') {
        refund = ctx.facts.refunds.get(`${r.amazonOrderId}|${r.msku}`);
        if (refund !== undefined && refund.quantity > 0) expected = ctx.unitValueAfterOrder(refund);
      } else if (r.category === 'warehouse_lost' || r.category === 'warehouse_damaged' || r.category === 'warehouse_disposed' || r.category === 'inbound' || r.category === 'removal') {
        const value = ctx.unitValueBeforeOrder(r.msku, undefined);
        // Amazon pays these at manufacturing cost (since 2025-03-10): only the seller's cost sheet can show it paid
        // too little; its own earlier payments cannot.
        if (value.basis === 'seller_cost') expected = value;
      }
      if (expected === undefined || expected.currency !== r.amountPerUnit.currency || expected.minor <= 0) continue;
      const paid = r.amountPerUnit.minor;
      if (paid * 10_000 >= expected.minor * UNDERPAID_TOLERANCE_BASIS_POINTS) continue;
      const shortfall = (expected.minor - paid) * r.quantityCash;
      if (shortfall < UNDERPAID_MIN_SHORTFALL_MINOR) continue;
      const day = parseDayString(r.approvalDate);
      if (!ctx.claimable(day, window)) continue;
      const index = lastRowOf.get(`${r.reimbursementId}|${r.fnsku}`)!;
      const at = ctx.facts.reimbursementRows[index]!;
      const last = records[index]!;
      const evidence = ctx.evidence('reimbursements', at, `reimbursement:${last.reimbursementId}|${last.fnsku}`, last.reimbursementId, day, last.quantityTotal, { code: 'reimbursement_per_unit', params: { reason: last.reason, perUnit: at.perUnitText, currency: last.amountPerUnit.currency } });
      ctx.propose(this, {
        identityKey: `reimbursement:${r.reimbursementId}|${r.fnsku}`,
        msku: r.msku,
        fnsku: r.fnsku,
        asin: '',
        quantity: r.quantityCash,
        ref: r.reimbursementId,
        eventDay: day,
        // The refund is the evidence of the value for a customer reimbursement.
        evidence: refund !== undefined ? [evidence, ...refundEvidence(ctx, refund)] : [evidence],
        value: { minor: shortfall, currency: r.amountPerUnit.currency, basis: 'shortfall' },
        confidence: expected.basis === 'seller_cost' ? 'certain' : 'likely',
      });
    }
  },
};
