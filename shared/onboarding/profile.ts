/**
 * Amazon profile analysis (R-O1) and the strategy recommendation for the onboarding call (R-O2).
 * Pure: the raw seller data comes through the SellerProfileSource port (SP-API or the simulated marketplace).
 */
import type { MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import { recommendationReasonText, type RecommendationReason, type SellerExperienceParams } from './recommendation-reasons.ts';

/** What the port returns: close to what SP-API offers (participations, listings with brand, brand registry, sales). */
export interface RawSellerData {
  readonly sellerId: string;
  /** Marketplaces the seller participates in, with the date it started selling there. */
  readonly participations: readonly { readonly marketplace: MarketplaceCode; readonly since: string }[];
  readonly listings: readonly { readonly sku: string; readonly marketplace: MarketplaceCode; readonly brand: string; readonly category: string }[];
  /** Brands the seller owns (Brand Registry). */
  readonly ownBrands: readonly string[];
  /** Units sold over the last 12 months. */
  readonly unitsSold12Months: number;
}

export interface SellerProfile {
  readonly sellerId: string;
  readonly analysedAt: string;
  readonly marketplaces: readonly { readonly marketplace: MarketplaceCode; readonly skus: number; readonly sellingSince: string | null }[];
  readonly totalSkus: number;
  readonly privateLabelSkus: number;
  readonly merchandiseSkus: number;
  /** 0–100, rounded: share of SKUs under the seller's own brands. */
  readonly privateLabelPercent: number;
  readonly accountAgeMonths: number;
  readonly unitsSold12Months: number;
  readonly experience: 'new' | 'experienced';
  readonly categories: readonly { readonly category: string; readonly skus: number }[];
  readonly topBrands: readonly { readonly brand: string; readonly skus: number; readonly own: boolean }[];
}

/** New on Amazon: selling for less than a year, or fewer than 1,000 units in the last 12 months. */
export const EXPERIENCE_MIN_MONTHS = 12;
export const EXPERIENCE_MIN_UNITS = 1_000;

export function analyseProfile(raw: RawSellerData, now: Date): SellerProfile {
  const own = new Set(raw.ownBrands.map((b) => b.trim().toLowerCase()));
  const perMarketplace = new Map<MarketplaceCode, number>();
  const perCategory = new Map<string, number>();
  const perBrand = new Map<string, number>();
  let privateLabel = 0;
  for (const listing of raw.listings) {
    perMarketplace.set(listing.marketplace, (perMarketplace.get(listing.marketplace) ?? 0) + 1);
    perCategory.set(listing.category, (perCategory.get(listing.category) ?? 0) + 1);
    perBrand.set(listing.brand, (perBrand.get(listing.brand) ?? 0) + 1);
    if (own.has(listing.brand.trim().toLowerCase())) privateLabel++;
  }
  const total = raw.listings.length;
  const since = raw.participations.map((p) => Date.parse(p.since)).filter(Number.isFinite);
  const firstSale = since.length > 0 ? Math.min(...since) : now.getTime();
  const accountAgeMonths = Math.max(0, Math.floor((now.getTime() - firstSale) / (30.44 * 86_400_000)));
  const experience = accountAgeMonths >= EXPERIENCE_MIN_MONTHS && raw.unitsSold12Months >= EXPERIENCE_MIN_UNITS ? 'experienced' : 'new';
  const codes = new Set<MarketplaceCode>([...raw.participations.map((p) => p.marketplace), ...perMarketplace.keys()]);
  return {
    sellerId: raw.sellerId,
    analysedAt: now.toISOString(),
    marketplaces: [...codes].sort().map((marketplace) => ({
      marketplace,
      skus: perMarketplace.get(marketplace) ?? 0,
      sellingSince: raw.participations.find((p) => p.marketplace === marketplace)?.since ?? null,
    })),
    totalSkus: total,
    privateLabelSkus: privateLabel,
    merchandiseSkus: total - privateLabel,
    privateLabelPercent: total === 0 ? 0 : Math.round((privateLabel / total) * 100),
    accountAgeMonths,
    unitsSold12Months: raw.unitsSold12Months,
    experience,
    categories: [...perCategory].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10).map(([category, skus]) => ({ category, skus })),
    topBrands: [...perBrand]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 10)
      .map(([brand, skus]) => ({ brand, skus, own: own.has(brand.trim().toLowerCase()) })),
  };
}

export type StrategyName = 'push' | 'buybox';

export interface SegmentRecommendation {
  readonly segment: 'private-label' | 'merchandise';
  readonly skus: number;
  readonly strategy: StrategyName;
  /** In English, for API and CLI readers: `reasonDetails` rendered (same order). */
  readonly reasons: readonly string[];
  /** The reasons as codes and parameters, for an app to word in its reader's language. */
  readonly reasonDetails: readonly RecommendationReason[];
}

export interface StrategyRecommendation {
  /** `split` when private label and merchandise each carry a real share of the catalogue. */
  readonly overall: StrategyName | 'split';
  readonly segments: readonly SegmentRecommendation[];
  /** In English, for API and CLI readers: `reasonDetails` rendered (same order). */
  readonly reasons: readonly string[];
  /** The reasons as codes and parameters (a recommendation stored before they existed lacks them: read `reasons`). */
  readonly reasonDetails: readonly RecommendationReason[];
  readonly figures: {
    readonly totalSkus: number;
    readonly privateLabelPercent: number;
    readonly accountAgeMonths: number;
    readonly unitsSold12Months: number;
    readonly marketplaces: number;
  };
}

/** Both the English sentences and the codes they came from. */
function explained(details: readonly RecommendationReason[]): { reasons: string[]; reasonDetails: readonly RecommendationReason[] } {
  return { reasons: details.map(recommendationReasonText), reasonDetails: details };
}

/** A segment under this share of the catalogue does not change the overall strategy. */
export const SEGMENT_THRESHOLD_PERCENT = 20;

/**
 * R-O2: new + private label → Push; experienced + merchandise → Buy Box; a catalogue with both gets one
 * recommendation per segment. Every recommendation carries its reasons and the figures behind them.
 */
export function recommendStrategy(profile: SellerProfile): StrategyRecommendation {
  const figures = {
    totalSkus: profile.totalSkus,
    privateLabelPercent: profile.privateLabelPercent,
    accountAgeMonths: profile.accountAgeMonths,
    unitsSold12Months: profile.unitsSold12Months,
    marketplaces: profile.marketplaces.length,
  };
  const seller: SellerExperienceParams = {
    experience: profile.experience,
    accountAgeMonths: profile.accountAgeMonths,
    unitsSold12Months: profile.unitsSold12Months,
    minMonths: EXPERIENCE_MIN_MONTHS,
    minUnits: EXPERIENCE_MIN_UNITS,
  };
  const isNew = profile.experience === 'new';
  const privateLabel: SegmentRecommendation = {
    segment: 'private-label',
    skus: profile.privateLabelSkus,
    strategy: 'push',
    ...explained([
      { code: 'own_brand_skus', params: { skus: profile.privateLabelSkus } },
      { code: 'push_explained', params: {} },
      ...(isNew ? [{ code: 'new_seller_needs_velocity', params: {} } as const] : []),
    ]),
  };
  const merchandise: SegmentRecommendation = {
    segment: 'merchandise',
    skus: profile.merchandiseSkus,
    strategy: 'buybox',
    ...explained([
      { code: 'other_brand_skus', params: { skus: profile.merchandiseSkus } },
      { code: 'buybox_explained', params: {} },
      ...(isNew ? [{ code: 'new_seller_fewer_ratings', params: {} } as const] : []),
    ]),
  };
  const plShare = profile.privateLabelPercent;
  if (profile.totalSkus === 0) {
    return {
      overall: isNew ? 'push' : 'buybox',
      segments: [],
      ...explained([
        { code: 'no_listings', params: seller },
        { code: 'revisit_when_listed', params: {} },
      ]),
      figures,
    };
  }
  if (plShare >= 100 - SEGMENT_THRESHOLD_PERCENT) {
    return { overall: 'push', segments: [privateLabel], ...explained([{ code: 'mostly_private_label', params: { ...seller, privateLabelPercent: plShare } }]), figures };
  }
  if (plShare <= SEGMENT_THRESHOLD_PERCENT) {
    return { overall: 'buybox', segments: [merchandise], ...explained([{ code: 'mostly_merchandise', params: { ...seller, merchandisePercent: 100 - plShare } }]), figures };
  }
  return {
    overall: 'split',
    segments: [privateLabel, merchandise],
    ...explained([
      { code: 'mixed_catalogue', params: { ...seller, privateLabelPercent: plShare, merchandisePercent: 100 - plShare } },
      { code: 'per_segment', params: {} },
    ]),
    figures,
  };
}

