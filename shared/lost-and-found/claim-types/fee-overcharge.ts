import type { FeeOverchargeRow } from '../audit-facts.ts';
import { SOURCES, type ClaimTypeRule } from './catalogue.ts';

/**
 * FBA fulfilment fees (settlement `FBAPerUnitFulfillmentFee`) charged above the fee preview's expected
 * fulfilment fee for the SKU, per SKU and settlement, for charges of the last 90 days. The preview is Amazon's
 * own figure for the product's current dimensions and size tier: a charge above it is a size-tier or weight
 * error worth a case, but Amazon may have re-measured in between (`likely`).
 */
export const feeOvercharge: ClaimTypeRule = {
  type: 'fee_overcharge',
  title: 'fulfilment fee above the fee preview',
  needs: ['settlement', 'fee_preview'],
  window: 'fee',
  cancelledBy: ['fee'],
  value: 'sum over the orders of (fee charged − expected fee per unit × units)',
  candidateNoun: 'overcharged SKU settlements',
  policy: [
    { rule: 'fees follow the product size tier from unit weight and dimensions; a wrong measurement is reimbursed on request', source: SOURCES.sizeTiers, effective: '2024-02-05' },
  ],
  find(ctx) {
    const window = ctx.window(this.window);
    for (const entry of ctx.facts.feeOvercharges.values()) {
      if (!ctx.claimable(entry.firstDay, window)) continue;
      const preview = ctx.facts.feePreview.get(entry.msku);
      ctx.propose(this, {
        identityKey: `fee:${entry.msku}|${entry.settlementId}`,
        msku: entry.msku,
        fnsku: preview?.fnsku ?? '',
        asin: preview?.asin ?? '',
        quantity: entry.units,
        ref: entry.settlementId,
        eventDay: entry.firstDay,
        evidence: entry.rows.map((r: FeeOverchargeRow) =>
          ctx.evidence('settlement', r, `fee:${entry.settlementId}|${r.orderId}|${entry.msku}`, r.orderId, r.day, r.quantity, `FBAPerUnitFulfillmentFee ${entry.msku} charged ${r.charged} vs expected ${r.expected} (minor units)`),
        ),
        value: { minor: entry.overchargeMinor, currency: entry.currency, basis: 'fee_difference' },
        confidence: 'likely',
      });
    }
  },
};
