import { SOURCES, type ClaimTypeRule } from './catalogue.ts';
import { refundEvidence } from './customer.ts';

/**
 * A customer refunded more than the price charged for the order line (settlement Refund Principal above Order
 * Principal): the excess came out of the seller's account. Both amounts are in the settlement report.
 */
export const refundAboveCharge: ClaimTypeRule = {
  type: 'refund_above_charge',
  title: 'refunded more than charged',
  needs: ['settlement'],
  window: 'refundAboveCharge',
  cancelledBy: ['customer_return'],
  value: 'refunded principal − charged principal of the order line',
  candidateNoun: 'refunds',
  policy: [
    { rule: 'Amazon refunds on the seller’s behalf from the order amount; a refund above it is reimbursed on request (FBA customer returns policy)', source: SOURCES.customerReturnClaims, effective: '2024-10-23' },
  ],
  find(ctx) {
    const window = ctx.window(this.window);
    ctx.facts.refunds.forEach((refund, key) => {
      // Same settlement marketplace, so the same currency as the refund.
      const charged = ctx.facts.orderCharges.get(refund.chargeKey);
      if (charged === undefined || refund.principal <= charged) return;
      if (!ctx.claimable(refund.postedDay, window)) return;
      const catalog = ctx.facts.catalogBySku.get(refund.msku);
      ctx.propose(this, {
        identityKey: `refund-above-charge:${key}`,
        msku: refund.msku,
        fnsku: catalog?.fnsku ?? '',
        asin: catalog?.asin ?? '',
        quantity: Math.max(1, refund.quantity),
        ref: refund.orderId,
        eventDay: refund.postedDay,
        evidence: refundEvidence(ctx, refund),
        value: { minor: refund.principal - charged, currency: refund.currency, basis: 'refund_difference' },
        confidence: 'certain',
      });
    });
  },
};
