import { customerReturnWindowName } from '../rules.ts';
import { SOURCES, times, type ClaimTypeRule } from './catalogue.ts';
import { refundEvidence } from './customer.ts';

/**
 * A customer was refunded (settlement Refund, Principal) and the units never came back (customer returns
 * report) and were not reimbursed for the order (`CustomerReturn`, `CustomerServiceIssue`). The returns report
 * is the evidence that nothing came back: without it no claim.
 */
export const refundNotReturned: ClaimTypeRule = {
  type: 'refund_not_returned',
  title: 'refunded, never returned',
  needs: ['settlement', 'customer_returns', 'reimbursements'],
  window: 'customerReturn',
  cancelledBy: ['customer_return'],
  value: 'per unit: refunded principal − refund administration fee − FBA fulfilment fee',
  candidateNoun: 'refunded orders',
  policy: [
    { rule: 'North America: file no sooner than 60 and no later than 120 days after the refund or replacement', source: SOURCES.customerReturnClaims, effective: '2024-10-23' },
    { rule: 'Europe and UK: file between 45 and 105 days after the refund or replacement', source: SOURCES.windowsEu2024, effective: '2024 (EU announcement)' },
    { rule: 'items refunded and not returned within 60 days are mostly reimbursed proactively; claim the rest', source: SOURCES.proactive2024, effective: '2024-11-01' },
  ],
  find(ctx) {
    ctx.facts.refunds.forEach((refund, key) => {
      const window = ctx.window(customerReturnWindowName(refund.currency));
      if (refund.quantity <= 0) return;
      const returned = ctx.facts.returns.get(key)?.quantity ?? 0;
      let missing = refund.quantity - returned;
      if (missing <= 0) return;
      missing -= ctx.reimbursed.takeOrder('customer_return', refund.orderId, missing, refund.postedDay - ORDER_REIMBURSEMENT_SLACK_DAYS);
      if (missing <= 0 || !ctx.claimable(refund.postedDay, window)) return;
      const catalog = ctx.facts.catalogBySku.get(refund.msku);
      ctx.propose(this, {
        identityKey: `refund:${key}`,
        msku: refund.msku,
        fnsku: catalog?.fnsku ?? '',
        asin: catalog?.asin ?? '',
        quantity: missing,
        ref: refund.orderId,
        eventDay: refund.postedDay,
        evidence: refundEvidence(ctx, refund),
        value: times(ctx.unitValueAfterOrder(refund), missing),
        confidence: 'certain',
        window,
      });
    });
  },
};

/**
 * A customer-return reimbursement may be approved a little before the refund posts in a settlement (the
 * settlement is the later of the two documents): a few days' slack, never a reimbursement of another order.
 */
export const ORDER_REIMBURSEMENT_SLACK_DAYS = 14;
