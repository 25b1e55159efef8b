/**
 * Token-bucket and circuit-breaker arithmetic, pure: the adapters store a bucket's state (DynamoDB item,
 * or memory in tests and the CLI) and apply these functions inside a conditional write, so several containers
 * spending one seller's quota never exceed it together.
 */
import type { QuotaRate } from './ports.ts';

export interface BucketState {
  readonly tokens: number;
  readonly updatedAtMs: number;
  /** Amazon's current rate for this key when it told us one (`x-amzn-RateLimit-Limit`), else the documented one. */
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly failures: number;
  readonly openUntilMs: number;
}

export type TakeResult = { readonly granted: true; readonly next: BucketState } | { readonly granted: false; readonly waitMs: number; readonly circuitOpen: boolean };

export function newBucket(rate: QuotaRate, nowMs: number): BucketState {
  return { tokens: rate.burst, updatedAtMs: nowMs, ratePerSecond: rate.ratePerSecond, burst: rate.burst, failures: 0, openUntilMs: 0 };
}

/** Takes one token if there is one (after refilling since the last update), else says how long to wait. */
export function takeToken(state: BucketState, nowMs: number): TakeResult {
  if (state.openUntilMs > nowMs) return { granted: false, waitMs: state.openUntilMs - nowMs, circuitOpen: true };
  const elapsed = Math.max(0, nowMs - state.updatedAtMs);
  const tokens = Math.min(state.burst, state.tokens + (elapsed / 1000) * state.ratePerSecond);
  if (tokens >= 1) return { granted: true, next: { ...state, tokens: tokens - 1, updatedAtMs: Math.max(nowMs, state.updatedAtMs) } };
  return { granted: false, waitMs: Math.ceil(((1 - tokens) / state.ratePerSecond) * 1000), circuitOpen: false };
}

/** Consecutive failures (after retries) before the circuit opens, and how long it stays open at most. */
export const CIRCUIT_OPENS_AFTER = 5;
export const CIRCUIT_MAX_OPEN_MS = 5 * 60_000;

/** After a failure: counted; from the 5th on the circuit opens for 10 s, 20 s, … up to 5 minutes. */
export function afterFailure(state: BucketState, nowMs: number): BucketState {
  const failures = state.failures + 1;
  const openUntilMs = failures >= CIRCUIT_OPENS_AFTER ? nowMs + Math.min(CIRCUIT_MAX_OPEN_MS, 10_000 * 2 ** (failures - CIRCUIT_OPENS_AFTER)) : state.openUntilMs;
  return { ...state, failures, openUntilMs };
}

export function afterSuccess(state: BucketState): BucketState {
  return { ...state, failures: 0, openUntilMs: 0 };
}

/** Documented SP-API usage plans (per selling partner and application) of the operations we call. */
export const SP_API_OPERATION_RATES: Readonly<Record<string, QuotaRate>> = {
  getItemOffersBatch: { ratePerSecond: 0.1, burst: 1 },
  // Product Fees API (productFeesV0.json, getMyFeesEstimates' usage plan): issue 21's min from economics.
  getMyFeesEstimates: { ratePerSecond: 0.5, burst: 1 },
  // FBA Inventory API (fbaInventory.json, getInventorySummaries' usage plan): the offers' own stock (low-stock rule).
  getInventorySummaries: { ratePerSecond: 2, burst: 2 },
  patchListingsItem: { ratePerSecond: 5, burst: 5 },
  createFeedDocument: { ratePerSecond: 0.5, burst: 15 },
  createFeed: { ratePerSecond: 0.0083, burst: 15 },
  getMarketplaceParticipations: { ratePerSecond: 0.016, burst: 15 },
  searchListingsItems: { ratePerSecond: 5, burst: 5 },
  searchCatalogItems: { ratePerSecond: 2, burst: 2 },
  getOrderMetrics: { ratePerSecond: 0.5, burst: 15 },
  createReport: { ratePerSecond: 0.0167, burst: 15 },
  getReport: { ratePerSecond: 2, burst: 15 },
  getReportDocument: { ratePerSecond: 0.0167, burst: 15 },
  getReports: { ratePerSecond: 0.0222, burst: 10 },
  getShipments: { ratePerSecond: 2, burst: 30 },
  getShipmentItemsByShipmentId: { ratePerSecond: 2, burst: 30 },
  // Notifications API (notifications.json, "Usage plan" of each operation).
  getSubscription: { ratePerSecond: 1, burst: 5 },
  createSubscription: { ratePerSecond: 1, burst: 5 },
  getDestinations: { ratePerSecond: 1, burst: 5 },
  createDestination: { ratePerSecond: 1, burst: 5 },
  deleteSubscriptionById: { ratePerSecond: 1, burst: 5 },
};
const DEFAULT_RATE: QuotaRate = { ratePerSecond: 1, burst: 1 };

export function rateOf(operation: string): QuotaRate {
  return SP_API_OPERATION_RATES[operation] ?? DEFAULT_RATE;
}

/** Per-application limit of JSON_LISTINGS_FEED submissions per region (5 feeds per 5 minutes). */
export const FEEDS_PER_REGION: QuotaRate = { ratePerSecond: 5 / 300, burst: 5 };
