/**
 * The real Amazon side of the `AmazonMarketplace` port: Selling Partner API over global fetch.
 * - Login with Amazon: refresh-token grant, access tokens cached until a minute before they expire; the
 *   credentials come from a loader (SSM SecureString parameters in AWS), never from code, never logged.
 * - Market data: getItemOffersBatch (20 ASINs a call, 0.1 req/s, burst 1), mapped onto the notification body
 *   so the same parser and engine read it.
 * - Prices: patchListingsItem on `purchasable_offer` (audience ALL for B2C, B2B with quantity_discount_plan);
 *   `mode=VALIDATION_PREVIEW` for dry runs; the bulk flush sends one JSON_LISTINGS_FEED (≤ 25,000 messages) per
 *   seller and marketplace under the application's 5 feeds / 5 min per region, answered `SUBMITTED`; the
 *   flush later reads getFeed → resultFeedDocumentId → getFeedDocument → the processing report (`feedOutcome`).
 *   patchListingsItem's issues are kept: errors reject the change, warnings ride along with an accepted one.
 * - Quotas: every call goes through the client's limiter (shared by all containers in Lambda), one bucket per
 *   seller and operation; a marketplace outside the seller's region is never called (its result says why).
 * - 429 and 5xx are retried with jittered exponential backoff: a throttled API makes pushes slower, never lost.
 */
import { ValidationError } from '#shared/kernel/errors.ts';
import { CURRENCY_DECIMALS } from '#shared/kernel/money.ts';
import type { Money } from '#shared/kernel/money.ts';
import { gunzipSync } from 'node:zlib';
import {
  FEED_SUBMISSION_PREFIX,
  MAX_ASINS_PER_SNAPSHOT_REQUEST,
  type AmazonMarketplace,
  type MarketSnapshotRequest,
  type MarketSnapshotResult,
  type FeedMessageRef,
  type PriceChange,
  type PriceChangeResult,
  type PriceFeedOutcome,
  type SubmitOptions,
} from '#shared/repricer/ports.ts';
import { checkReportFeed, readProcessingReport } from '#shared/repricer/feed-report.ts';
import { FEEDS_PER_REGION } from '#shared/amazon-access/quota.ts';
import { regionOfMarketplaceId } from '#shared/amazon-access/regions.ts';
import { parseOfferChangedNotification } from '#shared/repricer/notification.ts';
import { SpApiClient, type SpApiClientOptions } from './client.ts';

export { SpApiThrottledError, type FetchLike, type LwaCredentials } from './client.ts';

export type SpApiOptions = SpApiClientOptions;

export class SpApiMarketplace implements AmazonMarketplace {
  /** Login with Amazon, JSON calls and retries: the one SP-API client every adapter shares. */
  private readonly client: SpApiClient;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SpApiOptions) {
    this.client = new SpApiClient(options);
    this.now = this.client.now;
    this.sleep = this.client.sleep;
  }

  /** Observed calls per operation (what the benchmark and the tests read). */
  get calls(): Record<string, number> {
    return this.client.calls;
  }

  get throttles(): Record<string, number> {
    return this.client.throttles;
  }

  private call(sellerId: string, operation: string, method: string, path: string, body: unknown): Promise<unknown> {
    return this.client.call(sellerId, operation, method, path, body);
  }

  private send(operation: string, url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<string> {
    return this.client.send(operation, url, init);
  }

  async getMarketSnapshots(request: MarketSnapshotRequest): Promise<readonly MarketSnapshotResult[]> {
    if (request.asins.length === 0 || request.asins.length > MAX_ASINS_PER_SNAPSHOT_REQUEST) {
      throw new ValidationError(`asins: 1 to ${MAX_ASINS_PER_SNAPSHOT_REQUEST} ASINs per request, got ${request.asins.length}`, { field: 'asins' });
    }
    const body = {
      requests: request.asins.map((asin) => ({
        uri: `/products/pricing/v0/items/${encodeURIComponent(asin)}/offers`,
        method: 'GET',
        MarketplaceId: request.marketplaceId,
        ItemCondition: request.itemCondition ?? 'New',
        CustomerType: request.audience === 'B2B' ? 'Business' : 'Consumer',
      })),
    };
    const wrongRegion = await this.wrongRegion(request.sellerId, request.marketplaceId);
    if (wrongRegion) return request.asins.map((asin) => ({ asin, ok: false, error: wrongRegion }));
    const response = (await this.call(request.sellerId, 'getItemOffersBatch', 'POST', '/batches/products/pricing/v0/itemOffers', body)) as {
      responses?: { status?: { statusCode?: number }; body?: { payload?: ItemOffersPayload; errors?: { message?: string }[] } }[];
    };
    const at = new Date(this.now()).toISOString();
    return request.asins.map((asin, i): MarketSnapshotResult => {
      const r = response.responses?.[i];
      const payload = r?.body?.payload;
      if (!payload || (r.status?.statusCode ?? 200) >= 400) return { asin, ok: false, error: r?.body?.errors?.[0]?.message ?? 'no offers returned' };
      try {
        const notification = {
          NotificationVersion: '1.0',
          NotificationType: request.audience === 'B2B' ? 'B2B_ANY_OFFER_CHANGED' : 'ANY_OFFER_CHANGED',
          Payload: {
            [request.audience === 'B2B' ? 'B2BAnyOfferChangedNotification' : 'AnyOfferChangedNotification']: {
              SellerId: request.sellerId,
              OfferChangeTrigger: { MarketplaceId: request.marketplaceId, ASIN: asin, ItemCondition: payload.ItemCondition ?? 'new', TimeOfOfferChange: at },
              Summary: {
                NumberOfOffers: payload.Summary?.NumberOfOffers ?? [],
                LowestPrices: payload.Summary?.LowestPrices ?? [],
                BuyBoxPrices: payload.Summary?.BuyBoxPrices ?? [],
              },
              Offers: (payload.Offers ?? []).map((o) => ({ ...o, SubCondition: o.SubCondition ?? 'new' })),
            },
          },
        };
        return { asin, ok: true, market: parseOfferChangedNotification(notification) };
      } catch (error) {
        return { asin, ok: false, error: (error as Error).message };
      }
    });
  }

  async submitPriceChanges(changes: readonly PriceChange[], options: SubmitOptions): Promise<readonly PriceChangeResult[]> {
    if (!options.dryRun && options.bulk === true) return this.submitFeeds(changes);
    const results: PriceChangeResult[] = [];
    for (const change of changes) results.push(await this.patch(change, options.dryRun));
    return results;
  }

  private async patch(change: PriceChange, dryRun: boolean): Promise<PriceChangeResult> {
    const wrongRegion = await this.wrongRegion(change.sellerId, change.marketplaceId);
    if (wrongRegion) return rejected(change, wrongRegion);
    const query = `marketplaceIds=${encodeURIComponent(change.marketplaceId)}${dryRun ? '&mode=VALIDATION_PREVIEW' : ''}`;
    const path = `/listings/2021-08-01/items/${encodeURIComponent(change.sellerId)}/${encodeURIComponent(change.sku)}?${query}`;
    const response = (await this.call(change.sellerId, 'patchListingsItem', 'PATCH', path, { productType: 'PRODUCT', patches: purchasableOfferPatches(change) })) as {
      status?: string;
      submissionId?: string;
      issues?: { code?: string; message?: string; severity?: string }[];
    };
    const issues = response.issues ?? [];
    const errors = issues.filter((i) => i.severity === 'ERROR').map(issueText);
    // Amazon answers ACCEPTED / VALID, or INVALID with its errors; an error issue never counts as accepted.
    const status = errors.length > 0 ? 'REJECTED' : response.status === 'ACCEPTED' ? 'ACCEPTED' : response.status === 'VALID' ? 'VALIDATED' : 'REJECTED';
    return {
      sku: change.sku,
      marketplaceId: change.marketplaceId,
      audience: change.audience,
      status,
      submissionId: response.submissionId ?? '',
      ...(status === 'ACCEPTED' ? { expectedEffectiveAt: new Date(this.now() + 120_000) } : {}),
      issues: status === 'REJECTED' && errors.length === 0 ? [`patchListingsItem answered ${response.status ?? 'nothing'}`] : errors,
      warnings: issues.filter((i) => i.severity === 'WARNING').map(issueText),
    };
  }

  private async submitFeeds(changes: readonly PriceChange[]): Promise<PriceChangeResult[]> {
    const results: PriceChangeResult[] = [];
    const groups = new Map<string, PriceChange[]>();
    for (const c of changes) {
      const k = `${c.sellerId}|${c.marketplaceId}`;
      let group = groups.get(k);
      if (group === undefined) groups.set(k, (group = []));
      group.push(c); // not a copy per change: a flush holds up to 25,000 of them
    }
    const byKey = new Map<PriceChange, PriceChangeResult>();
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i += 25_000) {
        const part = group.slice(i, i + 25_000);
        const first = part[0]!;
        const wrongRegion = await this.wrongRegion(first.sellerId, first.marketplaceId);
        if (wrongRegion) {
          for (const c of part) byKey.set(c, rejected(c, wrongRegion));
          continue;
        }
        await this.client.takeToken({ sellerId: `app#${await this.client.regionOf(first.sellerId)}`, operation: 'jsonListingsFeed' }, FEEDS_PER_REGION);
        const document = (await this.call(first.sellerId, 'createFeedDocument', 'POST', '/feeds/2021-06-30/documents', {
          contentType: 'application/json; charset=UTF-8',
        })) as { feedDocumentId: string; url: string };
        await this.send('uploadFeedDocument', document.url, { method: 'PUT', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: listingsFeedBody(first.sellerId, part) });
        const feed = (await this.call(first.sellerId, 'createFeed', 'POST', '/feeds/2021-06-30/feeds', {
          feedType: 'JSON_LISTINGS_FEED',
          marketplaceIds: [first.marketplaceId],
          inputFeedDocumentId: document.feedDocumentId,
        })) as { feedId: string };

        part.forEach((c, k) => {
          // Not accepted yet: only the feed's processing report says that (feedOutcome).
          byKey.set(c, { sku: c.sku, marketplaceId: c.marketplaceId, audience: c.audience, status: 'SUBMITTED', submissionId: `${FEED_SUBMISSION_PREFIX}${feed.feedId}`, feedMessageId: k + 1, issues: [] });
        });
      }
    }
    for (const c of changes) results.push(byKey.get(c)!);
    return results;
  }

  async feedOutcome(sellerId: string, feedId: string, messages: readonly FeedMessageRef[]): Promise<PriceFeedOutcome> {
    const feed = (await this.call(sellerId, 'getFeed', 'GET', `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`, undefined)) as {
      processingStatus?: string;
      resultFeedDocumentId?: string;
    };
    const status = feed.processingStatus;
    if (status === 'IN_QUEUE' || status === 'IN_PROGRESS') return { status: 'IN_PROGRESS' };
    if (!feed.resultFeedDocumentId) {
      return { status: 'FAILED', message: `feed ${feedId} ${status === 'CANCELLED' ? 'was cancelled' : `ended ${status ?? 'without a status'}`} with no processing report` };
    }
    const document = (await this.call(sellerId, 'getFeedDocument', 'GET', `/feeds/2021-06-30/documents/${encodeURIComponent(feed.resultFeedDocumentId)}`, undefined)) as {
      url?: string;
      compressionAlgorithm?: string;
    };
    if (!document.url) throw new Error(`getFeedDocument ${feed.resultFeedDocumentId}: no url`);
    const response = await this.client.fetch(document.url, { method: 'GET', headers: {} });
    if (response.status >= 300 || !response.arrayBuffer) throw new Error(`feed processing report download: HTTP ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    const report = JSON.parse((document.compressionAlgorithm === 'GZIP' ? gunzipSync(bytes) : bytes).toString('utf8')) as unknown;
    checkReportFeed(report, feedId);
    const outcome = readProcessingReport(report, messages);
    if (status === 'FATAL' && outcome.status === 'DONE') return { status: 'FAILED', message: `feed ${feedId} ended FATAL` };
    return outcome;
  }

  /** Why this seller must not be called for this marketplace (another region), or undefined. */
  private async wrongRegion(sellerId: string, marketplaceId: string): Promise<string | undefined> {
    const sellerRegion = await this.client.regionOf(sellerId);
    const marketplaceRegion = regionOfMarketplaceId(marketplaceId);
    if (marketplaceRegion === sellerRegion) return undefined;
    return `marketplace ${marketplaceId} is ${marketplaceRegion ? `in region ${marketplaceRegion}` : 'not served'}; seller ${sellerId} authorised us in ${sellerRegion}`;
  }
}

function issueText(issue: { code?: string; message?: string }): string {
  return `${issue.code ?? ''} ${issue.message ?? ''}`.trim();
}

/**
 * The JSON_LISTINGS_FEED document (schemas/feeds/listings-feed-schema-v2.json) as the text uploaded: message n + 1 is
 * the n-th change. Written message by message, so a feed is held as its text only, never also as an object tree: at
 * 25,000 messages with 40-character SKUs and B2B tiers 16.5 MB of heap, against 29 MB for the tree (18.5) and its
 * JSON (10.5) (measured with `--expose-gc`, 2026-12-01).
 */
export function listingsFeedBody(sellerId: string, changes: readonly PriceChange[]): string {
  let body = `{"header":${JSON.stringify({ sellerId, version: '2.0', issueLocale: 'en_US' })},"messages":[`;
  changes.forEach((c, k) => {
    body += `${k === 0 ? '' : ','}${JSON.stringify({ messageId: k + 1, sku: c.sku, operationType: 'PATCH', productType: 'PRODUCT', patches: purchasableOfferPatches(c) })}`;
  });
  return `${body}]}`;
}

function rejected(change: PriceChange, issue: string): PriceChangeResult {
  return { sku: change.sku, marketplaceId: change.marketplaceId, audience: change.audience, status: 'REJECTED', submissionId: '', issues: [issue] };
}

interface ItemOffersPayload {
  ASIN?: string;
  ItemCondition?: string;
  Summary?: { NumberOfOffers?: unknown[]; LowestPrices?: unknown[]; BuyBoxPrices?: unknown[] };
  Offers?: Record<string, unknown>[] & { SubCondition?: string }[];
}

function decimal(m: Money): number {
  return m.minor / 10 ** CURRENCY_DECIMALS[m.currency];
}

/** The `purchasable_offer` patch: audience ALL (B2C) or B2B with its quantity discount plan. */
export function purchasableOfferPatches(change: PriceChange): unknown[] {
  const value: Record<string, unknown> = {
    marketplace_id: change.marketplaceId,
    currency: change.price.currency,
    audience: change.audience === 'B2B' ? 'B2B' : 'ALL',
    our_price: [{ schedule: [{ value_with_tax: decimal(change.price) }] }],
  };
  if (change.audience === 'B2B' && change.quantityTiers.length > 0) {
    value.quantity_discount_plan = [
      {
        schedule: [
          {
            discount_type: 'fixed',
            levels: change.quantityTiers.slice(0, 5).map((t) => ({ lower_bound: t.minQuantity, value: decimal(t.price) })),
          },
        ],
      },
    ];
  }
  return [{ op: 'replace', path: '/attributes/purchasable_offer', value: [value] }];
}
