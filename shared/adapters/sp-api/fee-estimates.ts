/**
 * The real Amazon side of the `FeeEstimates` port (issue 21 economics): Product Fees API v0 `getMyFeesEstimates`
 * (models/product-fees-api-model/productFeesV0.json), up to 20 estimates a call, by SellerSKU, FBA or merchant-fulfilled.
 * - Quotas: through the shared SP-API client and its limiter (0.5 requests a second, burst 1, per seller); a refused
 *   token or an exhausted retry throws, and the caller keeps the offers' last estimates.
 * - Cache: per seller, marketplace, SKU, fulfilment and price band (the request's price is its band's lower edge),
 *   for FEE_ESTIMATE_TTL_MS, so the offers of one SKU (B2C and B2B) and repeated jobs cost one estimate a day.
 * - Amounts arrive as JSON numbers: they are read from their decimal digits into minor units, rounded up (a fee read
 *   too high only raises the min).
 */
import * as z from 'zod';
import { ValidationError } from '#shared/kernel/errors.ts';
import { CURRENCY_DECIMALS, formatMinor, type Currency } from '#shared/kernel/money.ts';
import { FEE_ESTIMATE_TTL_MS, type FeeEstimate } from '#shared/repricer/economics.ts';
import { MAX_FEE_ESTIMATES_PER_REQUEST, type FeeEstimateRequest, type FeeEstimateResult, type FeeEstimates } from '#shared/repricer/ports.ts';
import { SpApiClient, type SpApiClientOptions } from './client.ts';

const moneySchema = z.object({ CurrencyCode: z.string(), Amount: z.number() });
const feeDetailSchema = z.object({ FeeType: z.string(), FeeAmount: moneySchema.optional(), FinalFee: moneySchema.optional() });
/** GetMyFeesEstimatesResponse: an array of FeesEstimateResult (the fields we read; Amazon's others are let through). */
export const getMyFeesEstimatesResponseSchema = z.array(
  z.object({
    Status: z.string().optional(),
    FeesEstimateIdentifier: z.object({ SellerInputIdentifier: z.string().optional(), IdValue: z.string().optional() }).optional(),
    FeesEstimate: z
      .object({
        TimeOfFeesEstimation: z.string().optional(),
        TotalFeesEstimate: moneySchema.optional(),
        FeeDetailList: z.array(feeDetailSchema).optional(),
      })
      .optional(),
    Error: z.object({ Code: z.string().optional(), Message: z.string().optional() }).optional(),
  }),
);
type FeesEstimateResult = z.infer<typeof getMyFeesEstimatesResponseSchema>[number];

/** A JSON number of Amazon's into minor units, from its decimal digits, rounded up past the currency's decimals. */
export function amountToMinorRoundedUp(amount: number, currency: Currency): number {
  if (!Number.isFinite(amount) || amount < 0) throw new ValidationError(`Amount: ${amount} is not a fee amount`, { field: 'Amount' });
  const decimals = CURRENCY_DECIMALS[currency];
  const text = /e/i.test(String(amount)) ? amount.toFixed(12) : String(amount);
  const [whole = '0', fraction = ''] = text.split('.');
  const kept = fraction.slice(0, decimals).padEnd(decimals, '0');
  const roundUp = /[1-9]/.test(fraction.slice(decimals)) ? 1 : 0;
  return Number(whole) * 10 ** decimals + Number(kept || '0') + roundUp;
}

/** One FeesEstimateResult as our estimate, or why there is none. */
export function feeEstimateOf(result: FeesEstimateResult, request: FeeEstimateRequest, atMs: number): FeeEstimateResult {
  if (result.Status !== 'Success' || !result.FeesEstimate?.TotalFeesEstimate) {
    const code = result.Error?.Code ?? result.Status ?? 'no status';
    return { ok: false, error: `getMyFeesEstimates ${request.sku}: ${code}${result.Error?.Message ? ` ${result.Error.Message}` : ''}` };
  }
  const total = result.FeesEstimate.TotalFeesEstimate;
  if (total.CurrencyCode !== request.currency) {
    return { ok: false, error: `getMyFeesEstimates ${request.sku}: fees in ${total.CurrencyCode}, the offer prices in ${request.currency}` };
  }
  const totalMinor = amountToMinorRoundedUp(total.Amount, request.currency);
  const referral = result.FeesEstimate.FeeDetailList?.find((d) => d.FeeType === 'ReferralFee');
  const referralAmount = referral?.FinalFee ?? referral?.FeeAmount;
  // Without a breakdown (Amazon's own example has an empty FeeDetailList) the whole total counts as price-dependent.
  const referralMinor = referralAmount && referralAmount.CurrencyCode === request.currency ? Math.min(amountToMinorRoundedUp(referralAmount.Amount, request.currency), totalMinor) : totalMinor;
  const estimate: FeeEstimate = { priceMinor: request.priceMinor, totalMinor, referralMinor, fulfilment: request.fulfilment, source: 'sp-api', estimatedAtMs: atMs };
  return { ok: true, estimate };
}

export class SpApiFeeEstimates implements FeeEstimates {
  private readonly client: SpApiClient;
  private readonly cache = new Map<string, FeeEstimate>();

  constructor(options: SpApiClientOptions) {
    this.client = new SpApiClient(options);
  }

  get calls(): Record<string, number> {
    return this.client.calls;
  }

  async estimate(requests: readonly FeeEstimateRequest[]): Promise<readonly FeeEstimateResult[]> {
    if (requests.length === 0 || requests.length > MAX_FEE_ESTIMATES_PER_REQUEST) {
      throw new ValidationError(`requests: 1 to ${MAX_FEE_ESTIMATES_PER_REQUEST} per call, got ${requests.length}`, { field: 'requests' });
    }
    const sellerId = requests[0]!.sellerId;
    if (requests.some((r) => r.sellerId !== sellerId)) throw new ValidationError('requests: one seller per call', { field: 'requests' });
    const nowMs = this.client.now();
    const results: (FeeEstimateResult | undefined)[] = requests.map((r) => {
      const cached = this.cache.get(cacheKey(r));
      return cached && nowMs - cached.estimatedAtMs <= FEE_ESTIMATE_TTL_MS ? { ok: true, estimate: cached } : undefined;
    });
    const missing = requests.map((request, index) => ({ request, index })).filter(({ index }) => results[index] === undefined);
    if (missing.length > 0) {
      const body = missing.map(({ request, index }) => ({
        FeesEstimateRequest: {
          MarketplaceId: request.marketplaceId,
          IsAmazonFulfilled: request.fulfilment === 'FBA',
          PriceToEstimateFees: {
            ListingPrice: { CurrencyCode: request.currency, Amount: Number(formatMinor(request.priceMinor, request.currency)) },
            Shipping: { CurrencyCode: request.currency, Amount: 0 },
          },
          Identifier: `sellerops-${index}`,
        },
        IdType: 'SellerSKU',
        IdValue: request.sku,
      }));
      const raw = await this.client.call(sellerId, 'getMyFeesEstimates', 'POST', '/products/fees/v0/feesEstimate', body);
      const parsed = getMyFeesEstimatesResponseSchema.safeParse(raw);
      if (!parsed.success) throw new ValidationError(`getMyFeesEstimates: unexpected response: ${parsed.error.issues[0]?.message ?? ''}`, { field: 'response' });
      const byIdentifier = new Map(parsed.data.map((r, i) => [r.FeesEstimateIdentifier?.SellerInputIdentifier ?? `#${i}`, r]));
      missing.forEach(({ request, index }, i) => {
        const result = byIdentifier.get(`sellerops-${index}`) ?? parsed.data[i];
        const mapped: FeeEstimateResult = result ? feeEstimateOf(result, request, nowMs) : { ok: false, error: `getMyFeesEstimates ${request.sku}: no result` };
        if (mapped.ok) this.cache.set(cacheKey(request), mapped.estimate);
        results[index] = mapped;
      });
    }
    return results.map((r) => r ?? { ok: false, error: 'no result' });
  }
}

function cacheKey(r: FeeEstimateRequest): string {
  return `${r.sellerId}|${r.marketplaceId}|${r.sku}|${r.fulfilment}|${r.priceMinor}`;
}
