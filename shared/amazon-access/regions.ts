/**
 * Amazon's regions as the Selling Partner API sees them: a seller authorises our app in one region (its
 * Seller Central), gets one refresh token for it, and every call for that seller goes to that region's
 * endpoint. Marketplaces map to regions (shared/kernel/marketplaces.ts); a marketplace of another region is
 * never called with this seller's token.
 */
import { MARKETPLACES, type MarketplaceCode } from '#shared/kernel/marketplaces.ts';

export const AMAZON_REGIONS = ['na', 'eu', 'fe'] as const;
export type AmazonRegion = (typeof AMAZON_REGIONS)[number];

/** SP-API endpoint per region. */
export const SP_API_ENDPOINTS: Readonly<Record<AmazonRegion, string>> = {
  na: 'https://sellingpartnerapi-na.amazon.com',
  eu: 'https://sellingpartnerapi-eu.amazon.com',
  fe: 'https://sellingpartnerapi-fe.amazon.com',
};

/** Login with Amazon's token endpoint (authorization_code and refresh_token grants); one for every region. */
export const LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';

/** Seller Central of each marketplace: where the seller signs in and consents (website authorisation workflow). */
export const SELLER_CENTRAL: Readonly<Record<MarketplaceCode, string>> = {
  DE: 'https://sellercentral.amazon.de',
  FR: 'https://sellercentral.amazon.fr',
  UK: 'https://sellercentral.amazon.co.uk',
  IT: 'https://sellercentral.amazon.it',
  ES: 'https://sellercentral.amazon.es',
  NL: 'https://sellercentral.amazon.nl',
  PL: 'https://sellercentral.amazon.pl',
  SE: 'https://sellercentral.amazon.se',
  TR: 'https://sellercentral.amazon.com.tr',
  US: 'https://sellercentral.amazon.com',
  CA: 'https://sellercentral.amazon.ca',
  MX: 'https://sellercentral.amazon.com.mx',
  JP: 'https://sellercentral.amazon.co.jp',
};

export function regionOfMarketplace(code: MarketplaceCode): AmazonRegion {
  return MARKETPLACES[code].region;
}

const REGION_BY_MARKETPLACE_ID = new Map<string, AmazonRegion>(Object.values(MARKETPLACES).map((m) => [m.id, m.region]));

/** The region of an SP-API marketplace id (`A1PA6795UKMFR9` → `eu`); undefined for one we do not serve. */
export function regionOfMarketplaceId(marketplaceId: string): AmazonRegion | undefined {
  return REGION_BY_MARKETPLACE_ID.get(marketplaceId);
}

export function isAmazonRegion(value: string): value is AmazonRegion {
  return (AMAZON_REGIONS as readonly string[]).includes(value);
}

/** The real consent page of a marketplace's Seller Central (website authorisation workflow). */
export function sellerCentralConsentPage(marketplace: MarketplaceCode): string {
  return `${SELLER_CENTRAL[marketplace]}/apps/authorize/consent`;
}
