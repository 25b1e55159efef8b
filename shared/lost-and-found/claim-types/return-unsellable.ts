import { customerReturnWindowName } from '../rules.ts';
import { MAX_EVIDENCE_PER_CLAIM, SOURCES, times, type ClaimTypeRule } from './catalogue.ts';
import { refundEvidence, returnEvidence } from './customer.ts';
import { ORDER_REIMBURSEMENT_SLACK_DAYS } from './refund-not-returned.ts';

/**
 * Returns report dispositions that put an unsellable return on Amazon or its carrier, not on the customer or the
 * seller: damaged in the fulfilment centre or in transport. (`CUSTOMER_DAMAGED`, `DEFECTIVE` and `EXPIRED` are the
 * seller's risk under the customer returns policy.)
 */
const AMAZON_RESPONSIBLE_DISPOSITIONS: ReadonlySet<string> = new Set(['CARRIER_DAMAGED', 'DAMAGED', 'WAREHOUSE_DAMAGED', 'DISTRIBUTOR_DAMAGED', 'FC_DAMAGED']);

/**
 * A customer's refund stood, the unit came back damaged by Amazon or its carrier (returns report disposition) and
 * was put into the seller's unfulfillable inventory (ledger CustomerReturns) instead of being reimbursed, and no
 * `CustomerReturn` / `CustomerServiceIssue` reimbursement names the order. Amazon says it reimburses unsellable
 * returns it is responsible for and does not restock them: a restocked one is a claim.
 */
export const returnUnsellable: ClaimTypeRule = {
  type: 'return_unsellable',
  title: 'returned damaged by Amazon or its carrier, restocked as unsellable while the refund stood',
  needs: ['customer_returns', 'inventory_ledger', 'settlement', 'reimbursements'],
  window: 'customerReturn',
  cancelledBy: ['customer_return'],
  value: 'per unit: refunded principal − refund administration fee − FBA fulfilment fee, for the units returned damaged',
  candidateNoun: 'returns restocked unsellable',
  policy: [
    {
      rule: 'an unsellable return Amazon is responsible for is reimbursed and not added back to inventory; customer-damaged, defective and recalled returns are not reimbursed',
      source: SOURCES.customerReturnClaims,
      effective: '2024-10-23',
    },
    { rule: 'North America: claim 60 to 120 days after the refund; Europe and UK: 45 to 105 days', source: SOURCES.windowsEu2024, effective: '2024 (EU announcement)' },
  ],
  find(ctx) {
    ctx.facts.returns.forEach((ret, key) => {
      // Not restocked at all is `return_not_restocked`; reimbursed by Amazon's own account is settled.
      if (!ret.restocked || ret.statusSaysReimbursed) return;
      const damaged = ret.rows.filter((r) => AMAZON_RESPONSIBLE_DISPOSITIONS.has(r.disposition.toUpperCase()));
      if (damaged.length === 0) return;
      const refund = ctx.facts.refunds.get(key);
      // The refund opens the window and is the loss: without it in the settlements there is nothing to claim.
      if (refund === undefined || refund.quantity <= 0) return;
      const window = ctx.window(customerReturnWindowName(refund.currency));
      const returned = Math.min(refund.quantity, damaged.reduce((sum, r) => sum + r.quantity, 0));
      const units = returned - ctx.reimbursed.takeOrder('customer_return', ret.orderId, returned, refund.postedDay - ORDER_REIMBURSEMENT_SLACK_DAYS);
      if (units <= 0 || !ctx.claimable(refund.postedDay, window)) return;
      ctx.propose(this, {
        identityKey: `unsellable:${key}`,
        msku: ret.msku,
        fnsku: ret.fnsku,
        asin: ret.asin,
        quantity: units,
        ref: ret.orderId,
        eventDay: refund.postedDay,
        evidence: [...returnEvidence(ctx, ret), ...refundEvidence(ctx, refund)].slice(0, MAX_EVIDENCE_PER_CLAIM),
        value: times(ctx.unitValueAfterOrder(refund), units),
        // Amazon grades who damaged the unit; the report's disposition is its grading, but the case is reviewed.
        confidence: 'likely',
        window,
      });
    });
  },
};
