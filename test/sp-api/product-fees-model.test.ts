/**
 * The fee adapter (issue 21 economics) against Amazon's Product Fees API model (productFeesV0.json, copied in
 * test/fixtures/amazon/models, see SOURCES.md): its getMyFeesEstimates request validates against
 * GetMyFeesEstimatesRequest, Amazon's sandbox answer validates against GetMyFeesEstimatesResponse and maps to an
 * estimate; the referral fee of a breakdown is kept apart; results are cached per SKU and price band; calls go
 * through the seller's quota.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { amountToMinorRoundedUp, SpApiFeeEstimates } from '#shared/adapters/sp-api/fee-estimates.ts';
import type { FetchLike } from '#shared/adapters/sp-api/client.ts';
import { rateOf } from '#shared/amazon-access/quota.ts';
import type { FeeEstimateRequest } from '#shared/repricer/ports.ts';

type Model = { definitions: Record<string, unknown>; paths: Record<string, Record<string, { description: string; responses: Record<string, { 'x-amzn-api-sandbox': { static: { request: { parameters: { body: { value: unknown } } }; response: unknown }[] } }> }>> };
const model = JSON.parse(readFileSync('test/fixtures/amazon/models/productFeesV0.json', 'utf8')) as Model;
const definition = (name: string): ValidateFunction => new Ajv({ strict: false, allErrors: true, logger: false }).compile({ $ref: `#/definitions/${name}`, definitions: model.definitions });
const requestSchema = definition('GetMyFeesEstimatesRequest');
const responseSchema = definition('GetMyFeesEstimatesResponse');
const operation = model.paths['/products/fees/v0/feesEstimate']!['post']!;
const sandbox = operation.responses['200']!['x-amzn-api-sandbox'].static[0]!;

function fakeAmazon(answer: (body: unknown) => unknown) {
  const calls: { url: string; body?: string }[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, ...(init.body !== undefined ? { body: init.body } : {}) });
    const body = url.includes('api.amazon.com/auth') ? { access_token: 'Atza|token', expires_in: 3600 } : answer(JSON.parse(init.body ?? 'null'));
    return Promise.resolve({ status: 200, headers: { get: () => null }, text: () => Promise.resolve(JSON.stringify(body)) });
  };
  let now = Date.parse('2026-11-30T08:00:00Z');
  const adapter = new SpApiFeeEstimates({
    credentials: () => Promise.resolve({ clientId: 'amzn1.app', clientSecret: 'secret', refreshToken: 'Atzr|refresh', region: 'na' }),
    fetch, now: () => now, sleep: (ms) => Promise.resolve(void (now += ms)), random: () => 0.5,
  });
  return { adapter, calls, advance: (ms: number) => void (now += ms) };
}

const request = (sku: string, over: Partial<FeeEstimateRequest> = {}): FeeEstimateRequest => ({
  sellerId: 'A2SELLER00001', marketplaceId: 'ATVPDKIKX0DER', sku, asin: 'B000000001', currency: 'USD', priceMinor: 1_056, fulfilment: 'FBA', ...over,
});

describe("getMyFeesEstimates against Amazon's Product Fees model", () => {
  it("sends GetMyFeesEstimatesRequest and reads the model's own example answer (3.00 USD, no breakdown)", async () => {
    expect(requestSchema(sandbox.request.parameters.body.value)).toBe(true);
    expect(responseSchema(sandbox.response), JSON.stringify(responseSchema.errors)).toBe(true);
    const { adapter, calls } = fakeAmazon(() => sandbox.response);
    const [result] = await adapter.estimate([request('sku123', { fulfilment: 'MFN' })]);
    const call = calls.find((c) => c.url.endsWith('/products/fees/v0/feesEstimate'))!;
    expect(call.url).toBe('https://sellingpartnerapi-na.amazon.com/products/fees/v0/feesEstimate');
    const body: unknown = JSON.parse(call.body!);
    expect(requestSchema(body), JSON.stringify(requestSchema.errors)).toBe(true);
    expect(body).toEqual([{
      FeesEstimateRequest: { MarketplaceId: 'ATVPDKIKX0DER', IsAmazonFulfilled: false, PriceToEstimateFees: { ListingPrice: { CurrencyCode: 'USD', Amount: 10.56 }, Shipping: { CurrencyCode: 'USD', Amount: 0 } }, Identifier: 'sellerops-0' },
      IdType: 'SellerSKU', IdValue: 'sku123',
    }]);
    expect(result).toEqual({ ok: true, estimate: { priceMinor: 1_056, totalMinor: 300, referralMinor: 300, fulfilment: 'MFN', source: 'sp-api', estimatedAtMs: Date.parse('2026-11-30T08:00:00Z') } });
  });

  it("keeps the referral fee of a breakdown apart, refuses another currency and an error status, caches per SKU and band, spends the seller's quota", async () => {
    const answer = (body: unknown) =>
      (body as { FeesEstimateRequest: { Identifier: string } }[]).map((r, i) => ({
        Status: i === 2 ? 'ClientError' : 'Success',
        FeesEstimateIdentifier: { SellerInputIdentifier: r.FeesEstimateRequest.Identifier },
        FeesEstimate: {
          TimeOfFeesEstimation: '2026-11-30T08:00:00Z',
          TotalFeesEstimate: { CurrencyCode: i === 1 ? 'EUR' : 'USD', Amount: 4.664 },
          FeeDetailList: [
            { FeeType: 'ReferralFee', FeeAmount: { CurrencyCode: 'USD', Amount: 1.584 }, FinalFee: { CurrencyCode: 'USD', Amount: 1.584 } },
            { FeeType: 'FBAFees', FeeAmount: { CurrencyCode: 'USD', Amount: 3.08 }, FinalFee: { CurrencyCode: 'USD', Amount: 3.08 } },
          ],
        },
        ...(i === 2 ? { Error: { Type: 'Sender', Code: 'InvalidParameterValue', Message: 'unknown SKU', Detail: [] } } : {}),
      }));
    const { adapter, calls, advance } = fakeAmazon((body) => {
      const response = answer(body);
      expect(responseSchema(response), JSON.stringify(responseSchema.errors)).toBe(true);
      return response;
    });
    const results = await adapter.estimate([request('A'), request('B'), request('C')]);
    expect(results[0]).toMatchObject({ ok: true, estimate: { totalMinor: 467, referralMinor: 159 } });
    expect(results[1]).toEqual({ ok: false, error: 'getMyFeesEstimates B: fees in EUR, the offer prices in USD' });
    expect(results[2]).toEqual({ ok: false, error: 'getMyFeesEstimates C: InvalidParameterValue unknown SKU' });
    const feeCalls = () => calls.filter((c) => c.url.includes('/products/fees/')).length;
    expect(feeCalls()).toBe(1);
    await adapter.estimate([request('A')]);
    expect(feeCalls()).toBe(1); // cached: same SKU, band and fulfilment
    // Another band needs a call, and the seller's quota (0.5 a second, burst 1) has no token for it yet.
    await expect(adapter.estimate([request('A', { priceMinor: 2_048 })])).rejects.toThrow(/quota spent/);
    advance(2_000);
    await adapter.estimate([request('A', { priceMinor: 2_048 })]);
    expect(feeCalls()).toBe(2);
    advance(25 * 3_600_000);
    await adapter.estimate([request('A')]);
    expect(feeCalls()).toBe(3); // a day old
    await expect(adapter.estimate([])).rejects.toThrow(/1 to 20/);
  });

  it("takes the quota of the model's usage plan, and reads amounts from their digits, rounding up", () => {
    expect(operation.description).toMatch(/\| 0\.5 \| 1 \|/);
    expect(rateOf('getMyFeesEstimates')).toEqual({ ratePerSecond: 0.5, burst: 1 });
    expect(amountToMinorRoundedUp(3, 'USD')).toBe(300);
    expect(amountToMinorRoundedUp(0.1 + 0.2, 'USD')).toBe(31);
    expect(amountToMinorRoundedUp(1.584, 'USD')).toBe(159);
    expect(amountToMinorRoundedUp(290, 'JPY')).toBe(290);
    expect(amountToMinorRoundedUp(1e-7, 'EUR')).toBe(1);
  });
});
