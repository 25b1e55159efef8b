/**
 * The reasons of a strategy recommendation as codes with parameters (what an app words in the reader's language,
 * web/src/i18n-reasons.ts) and the English sentence API and CLI clients read, rendered from the same code and
 * parameters here so the two never say different things.
 */
/** Who the seller is, stated in the overall reasons: `experience` and the figures it was judged on. */
// (A type, not an interface: plain data an app reads as a record of parameters.)
export type SellerExperienceParams = {
  readonly experience: 'new' | 'experienced';
  readonly accountAgeMonths: number;
  readonly unitsSold12Months: number;
  /** The thresholds of "experienced" (both must be reached). */
  readonly minMonths: number;
  readonly minUnits: number;
};

export type RecommendationReason =
  | { readonly code: 'no_listings'; readonly params: SellerExperienceParams }
  | { readonly code: 'revisit_when_listed'; readonly params: Record<string, never> }
  | { readonly code: 'mostly_private_label'; readonly params: SellerExperienceParams & { readonly privateLabelPercent: number } }
  | { readonly code: 'mostly_merchandise'; readonly params: SellerExperienceParams & { readonly merchandisePercent: number } }
  | { readonly code: 'mixed_catalogue'; readonly params: SellerExperienceParams & { readonly privateLabelPercent: number; readonly merchandisePercent: number } }
  | { readonly code: 'per_segment'; readonly params: Record<string, never> }
  | { readonly code: 'own_brand_skus'; readonly params: { readonly skus: number } }
  | { readonly code: 'push_explained'; readonly params: Record<string, never> }
  | { readonly code: 'new_seller_needs_velocity'; readonly params: Record<string, never> }
  | { readonly code: 'other_brand_skus'; readonly params: { readonly skus: number } }
  | { readonly code: 'buybox_explained'; readonly params: Record<string, never> }
  | { readonly code: 'new_seller_fewer_ratings'; readonly params: Record<string, never> };

export type RecommendationReasonCode = RecommendationReason['code'];

/** Every code (the web app's wording is checked against this list). */
export const RECOMMENDATION_REASON_CODES = [
  'no_listings',
  'revisit_when_listed',
  'mostly_private_label',
  'mostly_merchandise',
  'mixed_catalogue',
  'per_segment',
  'own_brand_skus',
  'push_explained',
  'new_seller_needs_velocity',
  'other_brand_skus',
  'buybox_explained',
  'new_seller_fewer_ratings',
] as const satisfies readonly RecommendationReasonCode[];

function experienceText(p: SellerExperienceParams): string {
  return p.experience === 'new'
    ? `new on Amazon (${p.accountAgeMonths} months, ${p.unitsSold12Months} units in 12 months; experienced means ≥ ${p.minMonths} months and ≥ ${p.minUnits} units)`
    : `experienced on Amazon (${p.accountAgeMonths} months, ${p.unitsSold12Months} units in 12 months)`;
}

/** The English sentence of a reason (the `reasons` strings of the API). */
export function recommendationReasonText(reason: RecommendationReason): string {
  switch (reason.code) {
    case 'no_listings':
      return `no listings found yet; seller is ${experienceText(reason.params)}`;
    case 'revisit_when_listed':
      return 'revisit the recommendation once the catalogue is listed';
    case 'mostly_private_label':
      return `${reason.params.privateLabelPercent} % private label, seller is ${experienceText(reason.params)}`;
    case 'mostly_merchandise':
      return `${reason.params.merchandisePercent} % merchandise (other brands), seller is ${experienceText(reason.params)}`;
    case 'mixed_catalogue':
      return `mixed catalogue: ${reason.params.privateLabelPercent} % private label and ${reason.params.merchandisePercent} % merchandise, seller is ${experienceText(reason.params)}`;
    case 'per_segment':
      return 'recommend a strategy per segment';
    case 'own_brand_skus':
      return `${reason.params.skus} SKU(s) under the seller's own brand: usually the only offer on the listing, so there is no Buy Box to fight for`;
    case 'push_explained':
      return 'Push moves the price up through the range while a product sells well and down to the minimum when it is slow, maximising revenue';
    case 'new_seller_needs_velocity':
      return 'a new seller needs sales velocity first: Push lowers slow sellers to build rank and reviews';
    case 'other_brand_skus':
      return `${reason.params.skus} SKU(s) of other brands: shared listings where about 90 % of sales go through the Buy Box`;
    case 'buybox_explained':
      return 'Buy Box undercuts the winning offer, then raises the price as high as it can without losing the Buy Box';
    case 'new_seller_fewer_ratings':
      return 'a new seller has fewer ratings, which weighs against it in the Buy Box: set a conservative minimum price';
  }
}
