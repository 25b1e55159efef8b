import type { FeeOverchargeRow } from '../audit-facts.ts';
import { SOURCES, type ClaimTypeRule } from './catalogue.ts';

/**
 * FBA fulfilment fees charged at a size tier above the one the fee preview's own measurements fall into
 * (`size-tiers.ts`: Amazon's US and European tables): Amazon measured the product into a higher tier. One claim
 * per SKU, a re-measurement request, over the charges of the last 90 days the preview proves. It is `likely`:
 * the preview's rounded measurements may sit on a tier boundary Amazon's own measurement crossed, and its value
 * is unknown, since no report carries the fee of the lower tier (Amazon refunds the difference once it has
 * re-measured).
 */
export const sizeTierOvercharge: ClaimTypeRule = {
  type: 'size_tier_overcharge',
  title: 'fulfilment fees of a size tier above the measured one',
  needs: ['settlement', 'fee_preview'],
  window: 'fee',
  cancelledBy: ['fee'],
  value: 'unknown: the fee of the tier the measurements warrant is in no report (Amazon refunds the difference after re-measuring)',
  candidateNoun: 'SKU settlements with FBA fees of a tier above the measurements',
  policy: [
    { rule: 'the size tier follows from the unit weight, dimensions and (except small standard, envelopes and parcels) dimensional weight of the packaged item', source: SOURCES.sizeTiers, effective: '2024-02-05' },
    { rule: 'European size tiers in cm and g (envelopes, parcels, oversize)', source: SOURCES.sizeTiersEurope, effective: 'current (read 2026-11-30)' },
    { rule: 'a fee charged on wrong weight or dimensions is refunded on request within 90 days of the charge', source: SOURCES.feeReimbursement, effective: 'current (read 2026-11-30)' },
  ],
  find(ctx) {
    const window = ctx.window(this.window);
    for (const entry of ctx.facts.feeTierCharges.values()) {
      if (!ctx.claimable(entry.firstDay, window)) continue;
      const preview = ctx.facts.feePreview.get(entry.msku);
      const stated = preview?.tierLabel ?? '';
      const measured = preview?.measuredTier ?? '';
      ctx.propose(this, {
        identityKey: `tier:${entry.msku}`,
        msku: entry.msku,
        fnsku: preview?.fnsku ?? '',
        asin: preview?.asin ?? '',
        quantity: entry.units,
        ref: entry.msku,
        eventDay: entry.firstDay,
        evidence: entry.rows.map((r: FeeOverchargeRow) =>
          ctx.evidence('settlement', r, `tier:${r.orderId}|${entry.msku}`, r.orderId, r.day, r.quantity, { code: 'size_tier_charged', params: { msku: entry.msku, charged: r.charged, statedTier: stated, measuredTier: measured } }),
        ),
        value: {
          minor: 0,
          currency: entry.currency,
          basis: 'unknown',
          unknownReason: `no report carries the fee of the ${measured.replaceAll('_', ' ')} tier: ask Amazon to re-measure ${entry.msku} and refund the difference on the ${entry.units} unit(s) charged as "${stated}"`,
        },
        confidence: 'likely',
      });
    }
    for (const charges of ctx.facts.uncoveredFeeCharges.values()) {
      if (charges.tierAboveMeasured && ctx.claimable(charges.lastDay, window)) ctx.withhold(this, { report: 'fee_preview', fromDay: charges.firstDay, toDay: charges.lastDay });
    }
  },
};
