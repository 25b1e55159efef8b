/** SP-API quotas (per selling partner and application). */
export const SP_API_QUOTAS = {
  getItemOffersBatch: { itemsPerCall: 20, ratePerSecond: 0.1, burst: 1 },
  getListingOffersBatch: { itemsPerCall: 20, ratePerSecond: 0.5, burst: 1 },
  patchListingsItem: { ratePerSecond: 5, burst: 5 },
  jsonListingsFeed: { messagesPerFeed: 25_000, feedsPerFiveMinutes: 5 },
} as const;
