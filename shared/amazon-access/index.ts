/** Amazon access: what other domains may use (the seller binding, the connection, sources of Amazon data). */
export { AmazonNotConnectedError, assertActsForSeller, connectionView, markRevoked, requireAuthorisedSeller, type AmazonSource, type AuthorisedSeller, type ConnectionView } from './authorisation.ts';
export type { AmazonConnection, AmazonConnectionStore, ConnectionStatus, PushKillSwitch, QuotaGrant, QuotaKey, QuotaLimiter, QuotaRate } from './ports.ts';
export { AMAZON_REGIONS, regionOfMarketplace, regionOfMarketplaceId, type AmazonRegion } from './regions.ts';
