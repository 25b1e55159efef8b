import { customerReturnWindowName } from '../rules.ts';
import { MAX_EVIDENCE_PER_CLAIM, SOURCES, times, type ClaimTypeRule } from './catalogue.ts';
import { refundEvidence, returnEvidence } from './customer.ts';
import { ORDER_REIMBURSEMENT_SLACK_DAYS } from './refund-not-returned.ts';

/** Days after a return within which its CustomerReturns ledger row must appear. */
const RESTOCK_DAYS = 7;

/**
 * A return the returns report shows received, with no CustomerReturns ledger row for the order (never put back
 * into inventory, sellable or not) and no reimbursement for it. Only decidable while the ledger covers the
 * return day and the days after it.
 */
export const returnNotRestocked: ClaimTypeRule = {
  type: 'return_not_restocked',
  title: 'returned, never put back in stock',
  needs: ['customer_returns', 'inventory_ledger', 'settlement', 'reimbursements'],
  window: 'customerReturn',
  cancelledBy: ['customer_return'],
  value: 'per unit: refunded principal − refund administration fee − FBA fulfilment fee',
  candidateNoun: 'returns',
  policy: [
    { rule: 'customer return claims 60 to 120 days after the refund (North America); a return not credited back to inventory is claimable', source: SOURCES.customerReturnClaims, effective: '2024-10-23' },
    { rule: 'Europe and UK: 45 to 105 days after the refund', source: SOURCES.windowsEu2024, effective: '2024 (EU announcement)' },
  ],
  find(ctx) {
    ctx.facts.returns.forEach((ret, key) => {
      if (ret.restocked || ret.statusSaysReimbursed) return;
      // Returns graded damaged by the customer are the seller's risk (FBA customer returns policy).
      if (ret.rows.every((r) => r.disposition.toUpperCase() === 'CUSTOMER_DAMAGED')) return;
      const refund = ctx.facts.refunds.get(key);
      // The refund opens the window: a return whose refund is not in the settlements cannot be dated.
      if (refund === undefined || refund.quantity <= 0) return;
      const window = ctx.window(customerReturnWindowName(refund.currency));
      const baseDay = refund.postedDay;
      const units = ret.quantity - ctx.reimbursed.takeOrder('customer_return', ret.orderId, ret.quantity, baseDay - ORDER_REIMBURSEMENT_SLACK_DAYS);
      if (units <= 0 || !ctx.claimable(baseDay, window)) return;
      const unit = ctx.unitValueAfterOrder(refund);
      ctx.propose(this, {
        identityKey: `return:${key}`,
        msku: ret.msku,
        fnsku: ret.fnsku,
        asin: ret.asin,
        quantity: units,
        ref: ret.orderId,
        eventDay: baseDay,
        evidence: [...returnEvidence(ctx, ret), ...refundEvidence(ctx, refund)].slice(0, MAX_EVIDENCE_PER_CLAIM),
        value: times(unit, units),
        confidence: 'likely',
        window,
        covers: [{ report: 'inventory_ledger', fromDay: ret.returnDay, toDay: ret.returnDay + RESTOCK_DAYS }],
      });
    });
  },
};
