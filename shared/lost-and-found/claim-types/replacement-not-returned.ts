import { customerReturnWindowName } from '../rules.ts';
import { SOURCES, times, type ClaimTypeRule } from './catalogue.ts';
import { ORDER_REIMBURSEMENT_SLACK_DAYS } from './refund-not-returned.ts';

/**
 * Amazon shipped a replacement (FBA replacements report) and the original unit never came back (no row of the
 * original order in the customer returns report) and was not reimbursed for the original order.
 */
export const replacementNotReturned: ClaimTypeRule = {
  type: 'replacement_not_returned',
  title: 'replacement sent, original never returned',
  needs: ['replacements', 'customer_returns', 'reimbursements'],
  window: 'customerReturnEu',
  cancelledBy: ['customer_return'],
  value: 'sale value of the original (fee preview price − fees, else seller cost) × units',
  candidateNoun: 'replacements',
  policy: [
    { rule: 'customer return claims cover replacements too: 60–120 days (North America), 45–105 days (Europe) after the replacement', source: SOURCES.customerReturnClaims, effective: '2024-10-23' },
    { rule: 'Europe and UK windows', source: SOURCES.windowsEu2024, effective: '2024 (EU announcement)' },
  ],
  find(ctx) {
    ctx.facts.replacements.forEach((replacement, key) => {
      const returned = ctx.facts.returns.get(key)?.quantity ?? 0;
      let missing = replacement.quantity - returned;
      if (missing <= 0) return;
      missing -= ctx.reimbursed.takeOrder('customer_return', replacement.originalOrderId, missing, replacement.day - ORDER_REIMBURSEMENT_SLACK_DAYS);
      const unit = ctx.unitSaleValue(replacement.msku, undefined);
      const window = ctx.window(customerReturnWindowName(unit.currency));
      if (missing <= 0 || !ctx.claimable(replacement.day, window)) return;
      const catalog = ctx.facts.catalogBySku.get(replacement.msku);
      ctx.propose(this, {
        identityKey: `replacement:${key}`,
        msku: replacement.msku,
        fnsku: catalog?.fnsku ?? '',
        asin: replacement.asin,
        quantity: missing,
        ref: replacement.originalOrderId,
        eventDay: replacement.day,
        evidence: [ctx.evidence('replacements', replacement.at, `replacement:${key}|${replacement.replacementOrderId}`, replacement.originalOrderId, replacement.day, replacement.quantity, { code: 'replacement_order', params: { replacementOrderId: replacement.replacementOrderId } })],
        value: times(unit, missing),
        confidence: 'likely',
        window,
      });
    });
  },
};
