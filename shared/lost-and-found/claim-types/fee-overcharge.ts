import type { FeeOverchargeRow } from '../audit-facts.ts';
import { SOURCES, type ClaimTypeRule } from './catalogue.ts';

/**
 * FBA fulfilment fees (settlement `FBAPerUnitFulfillmentFee`) charged above the fee preview's
 * `expected-fulfillment-fee-per-unit` for the SKU, per SKU and settlement, for charges of the last 90 days.
 * Both figures are Amazon's own, so a charge above the expected fee is `certain`, but only for charges the
 * preview proves: from the start of the fee schedule the preview belongs to up to the day it was made
 * (`size-tiers.ts`, `feeScheduleStart`). Other charges are withheld and the summary asks for a preview that
 * covers them. A tier that disagrees with the preview's measurements is `size_tier_overcharge`.
 */
export const feeOvercharge: ClaimTypeRule = {
  type: 'fee_overcharge',
  title: 'fulfilment fee above the fee preview',
  needs: ['settlement', 'fee_preview'],
  window: 'fee',
  cancelledBy: ['fee'],
  value: 'sum over the orders of (fee charged − expected fee per unit × units)',
  candidateNoun: 'SKU settlements with FBA fees',
  policy: [
    { rule: 'fees follow the product size tier from unit weight and dimensions; a fee charged on wrong weight or dimensions is refunded on request within 90 days of the charge', source: SOURCES.sizeTiers, effective: '2024-02-05' },
    { rule: 'a fee preview proves the expected fee only within its fee schedule: from the last day fees fell up to the day it was made', source: SOURCES.feeChanges, effective: '2024-02-05' },
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
          ctx.evidence('settlement', r, `fee:${entry.settlementId}|${r.orderId}|${entry.msku}`, r.orderId, r.day, r.quantity, { code: 'fee_charged', params: { msku: entry.msku, charged: r.charged, expected: r.expected } }),
        ),
        value: { minor: entry.overchargeMinor, currency: entry.currency, basis: 'fee_difference' },
        confidence: 'certain',
      });
    }
    for (const charges of ctx.facts.uncoveredFeeCharges.values()) {
      if (ctx.claimable(charges.lastDay, window)) ctx.withhold(this, { report: 'fee_preview', fromDay: charges.firstDay, toDay: charges.lastDay });
    }
  },
};
