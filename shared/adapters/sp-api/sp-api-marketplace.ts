/**
 * The real Amazon side of the `AmazonMarketplace` port: Selling Partner API over global fetch.
 * - Login with Amazon: refresh-token grant, access tokens cached until a minute before they expire; the
 *   credentials come from a loader (SSM SecureString parameters in AWS), never from code, never logged.
 * - Market data: getItemOffersBatch (20 ASINs a call, 0.1 req/s, burst 1), mapped onto the notification body
 *   so the same parser and engine read it.
 * - Prices: patchListingsItem on `purchasable_offer` (audience ALL for B2C, B2B with quantity_discount_plan);
 *   `mode=VALIDATION_PREVIEW` for dry runs; many changes at once go as one JSON_LISTINGS_FEED (≤ 25,000
 *   messages) under the application's 5 feeds / 5 min per region.
 * - Quotas: every call goes through the client's limiter (shared by all containers in Lambda), one bucket per
 *   seller and operation; a marketplace outside the seller's region is never called (its result says why).
 * - 429 and 5xx are retried with jittered exponential backoff: a throttled API makes pushes slower, never lost.
 */
import { ValidationError } from '#shared/kernel/errors.ts';
import { CURRENCY_DECIMALS } from '#shared/kernel/money.ts';
import type { Money } from '#shared/kernel/money.ts';
import { MAX_ASINS_PER_SNAPSHOT_REQUEST, type AmazonMarketplace, type MarketSnapshotRequest, type MarketSnapshotResult, type PriceChange, type PriceChangeResult, type SubmitOptions } from '#shared/repricer/ports.ts';
import { FEEDS_PER_REGION } from '#shared/amazon-access/quota.ts';
import { regionOfMarketplaceId } from '#shared/amazon-access/regions.ts';
import { parseOfferChangedNotification } from '#shared/repricer/notification.ts';
import { SpApiClient, type SpApiClientOptions } from './client.ts';

export { SpApiThrottledError, type FetchLike, type LwaCredentials } from './client.ts';

export interface SpApiOptions extends SpApiClientOptions {
  /** More changes than this in one call go as a JSON_LISTINGS_FEED. */
  readonly feedThreshold?: number;
}

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
    if (!options.dryRun && changes.length > (this.options.feedThreshold ?? 20)) return this.submitFeeds(changes);
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
    const status = response.status === 'ACCEPTED' ? 'ACCEPTED' : response.status === 'VALID' ? 'VALIDATED' : 'REJECTED';
    return {
      sku: change.sku,
      marketplaceId: change.marketplaceId,
      audience: change.audience,
      status,
      submissionId: response.submissionId ?? '',
      ...(status === 'ACCEPTED' ? { expectedEffectiveAt: new Date(this.now() + 120_000) } : {}),
      issues: (response.issues ?? []).filter((i) => i.severity !== 'WARNING').map((i) => `${i.code ?? ''} ${i.message ?? ''}`.trim()),
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
        await this.client.limiter.acquire({ sellerId: `app#${await this.client.regionOf(first.sellerId)}`, operation: 'jsonListingsFeed' }, FEEDS_PER_REGION);
        const document = (await this.call(first.sellerId, 'createFeedDocument', 'POST', '/feeds/2021-06-30/documents', {
          contentType: 'application/json; charset=UTF-8',
        })) as { feedDocumentId: string; url: string };
        const content = {
          header: { sellerId: first.sellerId, version: '2.0', issueLocale: 'en_US' },
          messages: part.map((c, k) => ({ messageId: k + 1, sku: c.sku, operationType: 'PATCH', productType: 'PRODUCT', patches: purchasableOfferPatches(c) })),
        };
        await this.send('uploadFeedDocument', document.url, { method: 'PUT', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(content) });
        const feed = (await this.call(first.sellerId, 'createFeed', 'POST', '/feeds/2021-06-30/feeds', {
          feedType: 'JSON_LISTINGS_FEED',
          marketplaceIds: [first.marketplaceId],
          inputFeedDocumentId: document.feedDocumentId,
        })) as { feedId: string };
        for (const c of part) {
          byKey.set(c, {
            sku: c.sku,
            marketplaceId: c.marketplaceId,
            audience: c.audience,
            status: 'ACCEPTED',
            submissionId: `feed:${feed.feedId}`,
            expectedEffectiveAt: new Date(this.now() + 15 * 60_000),
            issues: [],
          });
        }
      }
    }
    for (const c of changes) results.push(byKey.get(c)!);
    return results;
  }

  /** Why this seller must not be called for this marketplace (another region), or undefined. */
  private async wrongRegion(sellerId: string, marketplaceId: string): Promise<string | undefined> {
    const sellerRegion = await this.client.regionOf(sellerId);
    const marketplaceRegion = regionOfMarketplaceId(marketplaceId);
    if (marketplaceRegion === sellerRegion) return undefined;
    return `marketplace ${marketplaceId} is ${marketplaceRegion ? `in region ${marketplaceRegion}` : 'not served'}; seller ${sellerId} authorised us in ${sellerRegion}`;
  }
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
