/**
 * The SP-API adapter against Amazon's own published models (test/fixtures/amazon/SOURCES.md), not against our
 * idea of them: every request body is validated with ajv against the OpenAPI definitions of feeds 2021-06-30,
 * listings items 2021-08-01 and product pricing v0 (and the feed document against listings-feed-schema-v2); the
 * fake answers with the models' sandbox responses, Amazon's sample responses and its example processing report,
 * each checked against the model first.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { SpApiMarketplace, type FetchLike } from '#shared/adapters/sp-api/sp-api-marketplace.ts';
import type { PriceChange } from '#shared/repricer/ports.ts';

const FIXTURES = 'test/fixtures/amazon';
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(`${FIXTURES}/${path}`, 'utf8')) as Record<string, unknown>;

/** A validator for one definition of a Swagger 2.0 model (its `#/definitions/...` refs resolve inside it). */
function definition(model: string, name: string): ValidateFunction {
  const doc = readJson(`models/${model}`);
  return new Ajv({ strict: false, allErrors: true, logger: false }).compile({ $ref: `#/definitions/${name}`, definitions: doc['definitions'] });
}

function expectValid(validate: ValidateFunction, value: unknown): void {
  expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
}

const feeds = {
  createFeedDocument: definition('feeds_2021-06-30.json', 'CreateFeedDocumentSpecification'),
  createFeedDocumentResponse: definition('feeds_2021-06-30.json', 'CreateFeedDocumentResponse'),
  createFeed: definition('feeds_2021-06-30.json', 'CreateFeedSpecification'),
  createFeedResponse: definition('feeds_2021-06-30.json', 'CreateFeedResponse'),
  feed: definition('feeds_2021-06-30.json', 'Feed'),
  feedDocument: definition('feeds_2021-06-30.json', 'FeedDocument'),
};
const listingsPatch = definition('listingsItems_2021-08-01.json', 'ListingsItemPatchRequest');
const listingsResponse = definition('listingsItems_2021-08-01.json', 'ListingsItemSubmissionResponse');
const itemOffersBatch = definition('productPricingV0.json', 'GetItemOffersBatchRequest');
const feedDocumentSchema = new Ajv({ strict: false, allErrors: true, logger: false }).compile(readJson('schemas/feeds/listings-feed-schema-v2.json'));
const processingReportSchema = new Ajv({ strict: false, allErrors: true, logger: false }).compile(readJson('schemas/feeds/listings-feed-processing-report-schema-v2.json'));

/** The sandbox response a model publishes for an operation (`x-amzn-api-sandbox.static[0].response`). */
function sandboxResponse(model: string, path: string, method: string, status: string): Record<string, unknown> {
  const doc = readJson(`models/${model}`) as { paths: Record<string, Record<string, { responses: Record<string, { 'x-amzn-api-sandbox'?: { static: { response: Record<string, unknown> }[] } }> }>> };
  const response = doc.paths[path]![method]!.responses[status]!['x-amzn-api-sandbox']!.static[0]!.response;
  return response;
}

const change = (sku: string, over: Partial<PriceChange> = {}): PriceChange => ({
  sellerId: 'A2SELLER00001', sku, asin: 'B000000001', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2C', price: { minor: 1249, currency: 'EUR' }, quantityTiers: [], ...over,
});

type Answer = { status: number; body?: unknown; bytes?: Uint8Array };

function fakeAmazon(script: (url: string, method: string, body: string | undefined) => Answer) {
  const calls: { url: string; method: string; body?: string }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, method: init.method, ...(init.body !== undefined ? { body: init.body } : {}) });
    const r: Answer = url.includes('api.amazon.com/auth') ? { status: 200, body: { access_token: 'Atza|token', expires_in: 3600 } } : script(url, init.method, init.body);
    const text = r.body === undefined ? '' : JSON.stringify(r.body);
    return {
      status: r.status,
      headers: { get: () => null },
      text: async () => text,
      arrayBuffer: async () => {
        const bytes = r.bytes ?? new TextEncoder().encode(text);
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      },
    };
  };
  let now = 1_000_000;
  const adapter = new SpApiMarketplace({
    credentials: async () => ({ clientId: 'amzn1.app', clientSecret: 'secret', refreshToken: 'Atzr|refresh', region: 'eu' }),
    fetch, now: () => now, sleep: async (ms) => void (now += ms), random: () => 0.5,
  });
  return { adapter, calls };
}

describe("the SP-API adapter's requests conform to Amazon's models", () => {
  it('patchListingsItem: ListingsItemPatchRequest for B2C and B2B with quantity tiers; errors reject, warnings ride along', async () => {
    const accepted = readJson('responses/pricing-patchListingsItem.json');
    expectValid(listingsResponse, accepted);
    const invalid = { sku: 'B2B-1', status: 'INVALID', submissionId: 'sub-2', issues: [{ code: '90244', message: "The price of 'purchasable_offer' is outside the allowed range.", severity: 'ERROR', categories: ['INVALID_PRICE'] }] };
    const warned = { sku: 'W-1', status: 'ACCEPTED', submissionId: 'sub-3', issues: [{ code: '18448', message: 'Attributes tagged as relevant_attributes are incomplete.', severity: 'WARNING', categories: ['MISSING_ATTRIBUTE'] }] };
    expectValid(listingsResponse, invalid);
    expectValid(listingsResponse, warned);
    const { adapter, calls } = fakeAmazon((url) => ({ status: 200, body: url.includes('/B2B-1') ? invalid : url.includes('/W-1') ? warned : accepted }));
    const results = await adapter.submitPriceChanges(
      [change('TEST-SKU-001'), change('B2B-1', { audience: 'B2B', quantityTiers: [{ minQuantity: 5, price: { minor: 1199, currency: 'EUR' } }, { minQuantity: 10, price: { minor: 1149, currency: 'EUR' } }] }), change('W-1')],
      { dryRun: false },
    );
    for (const call of calls.filter((c) => c.url.includes('/listings/2021-08-01/items/'))) expectValid(listingsPatch, JSON.parse(call.body!));
    expect(results.map((r) => r.status)).toEqual(['ACCEPTED', 'REJECTED', 'ACCEPTED']);
    expect(results[1]!.issues).toEqual(["90244 The price of 'purchasable_offer' is outside the allowed range."]);
    expect(results[2]!.warnings).toEqual(['18448 Attributes tagged as relevant_attributes are incomplete.']);
  });

  it('getItemOffersBatch: GetItemOffersBatchRequest', async () => {
    const { adapter, calls } = fakeAmazon(() => ({ status: 200, body: { responses: [] } }));
    await adapter.getMarketSnapshots({ sellerId: 'A2SELLER00001', marketplaceId: 'A1PA6795UKMFR9', audience: 'B2B', asins: ['B000000001', 'B000000002'] });
    expectValid(itemOffersBatch, JSON.parse(calls.find((c) => c.url.includes('/batches/products/pricing/v0/itemOffers'))!.body!));
  });
});

describe('JSON_LISTINGS_FEED: createFeed, then getFeed → resultFeedDocumentId → the processing report', () => {
  const skus = ['My-SKU-1', 'My-SKU-2', 'My-SKU-3', 'My-SKU-B', 'My-SKU-C'];
  // Amazon's example report: errors for messages 4 (My-SKU-B) and 5 (My-SKU-C).
  const report = { ...readJson('schemas/feeds/listings-feed-processing-report-schema-v2.example.json') };
  (report['header'] as Record<string, unknown>)['feedId'] = 'FEED-1';

  function amazon(feedStatus: Record<string, unknown>) {
    const documentResponse = { feedDocumentId: 'amzn1.tortuga.result.3.FEED1', url: 'https://tortuga.example/result', compressionAlgorithm: 'GZIP' };
    return fakeAmazon((url, method) => {
      if (url.endsWith('/feeds/2021-06-30/documents') && method === 'POST') return { status: 201, body: { feedDocumentId: 'doc-1', url: 'https://tortuga.example/upload' } };
      if (url === 'https://tortuga.example/upload') return { status: 200 };
      if (url.endsWith('/feeds/2021-06-30/feeds') && method === 'POST') return { status: 202, body: { feedId: 'FEED-1' } };
      if (url.endsWith('/feeds/2021-06-30/feeds/FEED-1')) return { status: 200, body: feedStatus };
      if (url.includes('/feeds/2021-06-30/documents/')) return { status: 200, body: documentResponse };
      if (url === 'https://tortuga.example/result') return { status: 200, bytes: gzipSync(JSON.stringify(report)) };
      return { status: 404, body: { errors: [{ code: 'NotFound', message: url }] } };
    });
  }

  it('submits conforming requests and answers SUBMITTED, never ACCEPTED, until the report is read', async () => {
    expectValid(feeds.createFeedDocumentResponse, { feedDocumentId: 'doc-1', url: 'https://tortuga.example/upload' });
    expectValid(feeds.createFeedResponse, { feedId: 'FEED-1' });
    const { adapter, calls } = amazon({});
    const results = await adapter.submitPriceChanges(skus.map((sku) => change(sku)), { dryRun: false, bulk: true });
    expect(results.map((r) => [r.status, r.submissionId, r.feedMessageId])).toEqual(skus.map((_, k) => ['SUBMITTED', 'feed:FEED-1', k + 1]));
    expectValid(feeds.createFeedDocument, JSON.parse(calls.find((c) => c.url.endsWith('/feeds/2021-06-30/documents'))!.body!));
    expectValid(feeds.createFeed, JSON.parse(calls.find((c) => c.url.endsWith('/feeds/2021-06-30/feeds'))!.body!));
    expectValid(feedDocumentSchema, JSON.parse(calls.find((c) => c.url === 'https://tortuga.example/upload')!.body!));
  });

  it("reads the gzip processing report and fails exactly the SKUs it has errors for, with Amazon's messages", async () => {
    expectValid(processingReportSchema, report);
    const sample = readJson('responses/feeds-getFeed.json');
    const done = { ...sample, feedId: 'FEED-1', feedType: 'JSON_LISTINGS_FEED' };
    expectValid(feeds.feed, done);
    expectValid(feeds.feedDocument, { feedDocumentId: 'amzn1.tortuga.result.3.FEED1', url: 'https://tortuga.example/result', compressionAlgorithm: 'GZIP' });
    const { adapter } = amazon(done);
    const outcome = await adapter.feedOutcome('A2SELLER00001', 'FEED-1', skus.map((sku, k) => ({ messageId: k + 1, sku })));
    expect(outcome.status).toBe('DONE');
    if (outcome.status !== 'DONE') return;
    expect([...outcome.results.values()].filter((r) => r.accepted).map((r) => r.sku)).toEqual(['My-SKU-1', 'My-SKU-2', 'My-SKU-3']);
    expect(outcome.results.get('My-SKU-B')!.errors).toContain("90220 '[batteries_required]' is required but not supplied.");
  });

  it("is IN_PROGRESS while Amazon processes, and FAILED for the model's sandbox CANCELLED feed (no report)", async () => {
    const processing = { feedId: 'FEED-1', feedType: 'JSON_LISTINGS_FEED', createdTime: '2026-11-30T10:00:00Z', processingStatus: 'IN_PROGRESS' };
    expectValid(feeds.feed, processing);
    expect(await amazon(processing).adapter.feedOutcome('A2SELLER00001', 'FEED-1', [])).toEqual({ status: 'IN_PROGRESS' });
    const cancelled = { ...sandboxResponse('feeds_2021-06-30.json', '/feeds/2021-06-30/feeds/{feedId}', 'get', '200'), feedId: 'FEED-1' };
    expectValid(feeds.feed, cancelled);
    expect(await amazon(cancelled).adapter.feedOutcome('A2SELLER00001', 'FEED-1', [])).toMatchObject({ status: 'FAILED', message: expect.stringContaining('cancelled') });
  });
});
