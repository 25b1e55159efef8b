/**
 * R-O1 from the real Amazon: the seller's marketplaces (Sellers API getMarketplaceParticipations), its listings
 * (Listings Items searchListingsItems, with each listing's creation date), brand and category of each ASIN
 * (Catalog Items searchCatalogItems, 20 ASINs a call) and units sold over 12 months (Sales getOrderMetrics).
 * Brand Registry has no public SP-API: the brands the seller owns come from the `ownBrands` loader where one is
 * configured, and from the brands the customer declared at sign-up (merged in `analyseCustomer`).
 */
import { MARKETPLACES, type MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import type { RawSellerData } from '#shared/onboarding/profile.ts';
import type { SpApiClient } from './client.ts';
import type { SellerProfileSource } from '#shared/onboarding/ports.ts';

const CODE_BY_ID = new Map<string, MarketplaceCode>(Object.entries(MARKETPLACES).map(([code, m]) => [m.id, code as MarketplaceCode]));
const CATALOG_BATCH = 20;

interface ListingSummary {
  readonly sku: string;
  readonly asin?: string;
  readonly marketplace: MarketplaceCode;
  readonly createdDate?: string;
}

export class SpApiSellerProfileSource implements SellerProfileSource {
  constructor(
    private readonly client: SpApiClient,
    private readonly options: { readonly ownBrands?: (sellerId: string) => Promise<readonly string[]>; readonly maxListings?: number; readonly now?: () => Date } = {},
  ) {}

  async fetch(amazonSellerId: string, marketplaces: readonly MarketplaceCode[]): Promise<RawSellerData> {
    const participating = await this.participations(amazonSellerId);
    const wanted = marketplaces.filter((m) => participating.includes(m));
    const listings: ListingSummary[] = [];
    for (const marketplace of wanted) listings.push(...(await this.listings(amazonSellerId, marketplace)));
    const catalog = await this.catalog(amazonSellerId, listings);
    const firstListed = new Map<MarketplaceCode, string>();
    for (const l of listings) {
      if (l.createdDate && (!firstListed.has(l.marketplace) || l.createdDate < firstListed.get(l.marketplace)!)) firstListed.set(l.marketplace, l.createdDate);
    }
    return {
      sellerId: amazonSellerId,
      participations: wanted.map((marketplace) => ({ marketplace, since: firstListed.get(marketplace) ?? (this.options.now?.() ?? new Date()).toISOString() })),
      listings: listings.map((l) => {
        const item = l.asin ? catalog.get(`${l.marketplace}|${l.asin}`) : undefined;
        return { sku: l.sku, marketplace: l.marketplace, brand: item?.brand ?? 'unknown', category: item?.category ?? 'unknown' };
      }),
      ownBrands: [...((await this.options.ownBrands?.(amazonSellerId)) ?? [])],
      unitsSold12Months: await this.unitsSold(amazonSellerId, wanted),
    };
  }

  private async participations(sellerId: string): Promise<MarketplaceCode[]> {
    const response = (await this.client.call(sellerId, 'getMarketplaceParticipations', 'GET', '/sellers/v1/marketplaceParticipations')) as {
      payload?: { marketplace?: { id?: string }; participation?: { isParticipating?: boolean } }[];
    };
    return (response.payload ?? [])
      .filter((p) => p.participation?.isParticipating)
      .map((p) => CODE_BY_ID.get(p.marketplace?.id ?? ''))
      .filter((c): c is MarketplaceCode => c !== undefined);
  }

  private async listings(sellerId: string, marketplace: MarketplaceCode): Promise<ListingSummary[]> {
    const out: ListingSummary[] = [];
    let pageToken: string | undefined;
    const max = this.options.maxListings ?? 10_000;
    do {
      const query = new URLSearchParams({ marketplaceIds: MARKETPLACES[marketplace].id, includedData: 'summaries', pageSize: '20', ...(pageToken ? { pageToken } : {}) });
      const page = (await this.client.call(sellerId, 'searchListingsItems', 'GET', `/listings/2021-08-01/items/${encodeURIComponent(sellerId)}?${query.toString()}`)) as {
        items?: { sku?: string; summaries?: { marketplaceId?: string; asin?: string; createdDate?: string }[] }[];
        pagination?: { nextToken?: string };
      };
      for (const item of page.items ?? []) {
        const summary = item.summaries?.find((s) => s.marketplaceId === MARKETPLACES[marketplace].id) ?? item.summaries?.[0];
        if (item.sku) out.push({ sku: item.sku, marketplace, ...(summary?.asin ? { asin: summary.asin } : {}), ...(summary?.createdDate ? { createdDate: summary.createdDate } : {}) });
      }
      pageToken = page.pagination?.nextToken;
    } while (pageToken && out.length < max);
    return out;
  }

  private async catalog(sellerId: string, listings: readonly ListingSummary[]): Promise<Map<string, { brand?: string; category?: string }>> {
    const result = new Map<string, { brand?: string; category?: string }>();
    const byMarketplace = new Map<MarketplaceCode, Set<string>>();
    for (const l of listings) if (l.asin) (byMarketplace.get(l.marketplace) ?? byMarketplace.set(l.marketplace, new Set()).get(l.marketplace)!).add(l.asin);
    for (const [marketplace, asins] of byMarketplace) {
      const list = [...asins];
      for (let i = 0; i < list.length; i += CATALOG_BATCH) {
        const query = new URLSearchParams({
          identifiers: list.slice(i, i + CATALOG_BATCH).join(','),
          identifiersType: 'ASIN',
          marketplaceIds: MARKETPLACES[marketplace].id,
          includedData: 'summaries',
        });
        const page = (await this.client.call(sellerId, 'searchCatalogItems', 'GET', `/catalog/2022-04-01/items?${query.toString()}`)) as {
          items?: { asin?: string; summaries?: { brand?: string; browseClassification?: { displayName?: string } }[] }[];
        };
        for (const item of page.items ?? []) {
          const summary = item.summaries?.[0];
          if (item.asin) result.set(`${marketplace}|${item.asin}`, { ...(summary?.brand ? { brand: summary.brand } : {}), ...(summary?.browseClassification?.displayName ? { category: summary.browseClassification.displayName } : {}) });
        }
      }
    }
    return result;
  }

  private async unitsSold(sellerId: string, marketplaces: readonly MarketplaceCode[]): Promise<number> {
    const end = this.options.now?.() ?? new Date();
    const start = new Date(end.getTime() - 365 * 86_400_000);
    let units = 0;
    for (const marketplace of marketplaces) {
      const query = new URLSearchParams({
        marketplaceIds: MARKETPLACES[marketplace].id,
        interval: `${start.toISOString().slice(0, 19)}Z--${end.toISOString().slice(0, 19)}Z`,
        granularity: 'Total',
      });
      const response = (await this.client.call(sellerId, 'getOrderMetrics', 'GET', `/sales/v1/orderMetrics?${query.toString()}`)) as { payload?: { unitCount?: number }[] };
      units += (response.payload ?? []).reduce((sum, p) => sum + (p.unitCount ?? 0), 0);
    }
    return units;
  }
}
