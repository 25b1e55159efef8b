/**
 * Fee estimates for a job's offers (issue 21 economics): before deciding, the offers whose rules derive min from cost
 * and margin and whose estimate is missing, a day old or taken at another price band get a new one, batched 20 a
 * call per seller and marketplace, within a per-job budget. A failed or refused call (quota, Amazon down) leaves the
 * offers with their last estimate: the decision then uses it with its age in the reason, or holds when there is none.
 */
import { needsFeeEstimate, wantedEstimatePrice, type FeeEstimate } from './economics.ts';
import { offerId, type StoredOffer } from './model.ts';
import { MAX_FEE_ESTIMATES_PER_REQUEST, type FeeEstimateRequest, type FeeEstimateResult, type FeeEstimates } from './ports.ts';
import type { OfferChangeEvent } from './types.ts';

/** getMyFeesEstimates is 0.5 requests a second per seller: a job of 100 offers needs at most 5 calls. */
export const FEE_CALLS_PER_JOB = 5;

/** New estimates by `offerId`, for the offers of `offers` that needed one and got it. */
export async function refreshFeeEstimates(
  fees: FeeEstimates | undefined,
  offers: readonly { readonly offer: StoredOffer; readonly market: OfferChangeEvent }[],
  nowMs: number,
): Promise<Map<string, FeeEstimate>> {
  const fresh = new Map<string, FeeEstimate>();
  if (!fees) return fresh;
  const bySeller = new Map<string, { id: string; request: FeeEstimateRequest }[]>();
  for (const { offer, market } of offers) {
    const economics = offer.rules.economics;
    if (!economics || !needsFeeEstimate(economics, offer.rules.maxMinor, offer.feeEstimate, nowMs)) continue;
    const own = market.offers.find((o) => o.sellerId === offer.sellerId);
    const request: FeeEstimateRequest = {
      sellerId: offer.sellerId,
      marketplaceId: offer.rules.marketplaceId,
      sku: offer.rules.sku,
      asin: offer.rules.asin,
      currency: offer.rules.currency,
      priceMinor: wantedEstimatePrice(economics, offer.rules.maxMinor, offer.feeEstimate, nowMs),
      // Not on the listing (yet): FBA, whose fees are the higher, so the min errs upwards.
      fulfilment: own === undefined || own.isFulfilledByAmazon ? 'FBA' : 'MFN',
    };
    const k = `${offer.sellerId}|${offer.rules.marketplaceId}`;
    const list = bySeller.get(k) ?? [];
    list.push({ id: offerId(offer), request });
    bySeller.set(k, list);
  }
  let calls = 0;
  for (const list of bySeller.values()) {
    for (let i = 0; i < list.length && calls < FEE_CALLS_PER_JOB; i += MAX_FEE_ESTIMATES_PER_REQUEST) {
      calls++;
      const batch = list.slice(i, i + MAX_FEE_ESTIMATES_PER_REQUEST);
      let results: readonly FeeEstimateResult[];
      try {
        results = await fees.estimate(batch.map((b) => b.request));
      } catch {
        // Quota exhausted or Amazon unavailable: the offers keep their last estimate (the reason shows its age).
        continue;
      }
      results.forEach((r, j) => {
        const entry = batch[j];
        if (entry && r.ok) fresh.set(entry.id, r.estimate);
      });
    }
  }
  return fresh;
}
