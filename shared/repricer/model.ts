/**
 * The repricer's stored model (R-P4): one offer (SKU × marketplace × audience) with its rules, decision state
 * and what we know about its listing; the tenant's settings, the price history rows, cached snapshots and the
 * reprice job the tick fans out. Plus the keys and timings every use case shares.
 */
import { PHASE_NAMES, Phase } from './types.ts';
import type { Currency } from '#shared/kernel/money.ts';
import type { Audience, OfferChangeEvent, OfferRules, OfferState, ReasonCodeName } from './types.ts';
import type { FeeEstimate } from './economics.ts';

/** A decision's reason as the engine states it: `renderReason` makes the English `lastReason` from it. */
export interface ReasonDetail {
  readonly code: ReasonCodeName;
  readonly params: readonly [number, number, number];
  /** Decided in dry run: recorded, not pushed. */
  readonly dryRun: boolean;
}

export type BuyBoxStatus = 'won' | 'lost' | 'unknown';

export interface PendingPush {
  /** stableId of offer id + the version that decided it: a redelivered decision has the same id. */
  readonly decisionId: string;
  readonly priceMinor: number;
  readonly tiers: readonly { readonly minQuantity: number; readonly priceMinor: number }[];
  readonly decidedAtMs: number;
  /** `now`: pushed by the deciding worker (patchListingsItem); `bulk`: left to the push flush (JSON_LISTINGS_FEED). */
  readonly via: 'now' | 'bulk';
  /** Absent on pushes stored before attempts were counted: read as 0. */
  readonly attempts?: number;
  /** Set once the push went in a JSON_LISTINGS_FEED: the flush reads its processing report, it never re-submits. */
  readonly feed?: { readonly feedId: string; readonly messageId: number; readonly submittedAtMs: number };
}

/** What became of the offer's last push, as Amazon answered it (shown in the offers view). */
export interface LastPush {
  readonly decisionId: string;
  readonly priceMinor: number;
  /** `submitted`: in a feed whose report is not read yet; `pushed`: Amazon accepted it; `failed`: Amazon refused it. */
  readonly status: 'submitted' | 'pushed' | 'failed';
  /** Amazon's errors (failed) or warnings (pushed), joined; empty when there were none. */
  readonly message: string;
  readonly atMs: number;
}

/** One offer (SKU × marketplace × audience) of a tenant as stored: rules, decision state and what we know. */
export interface StoredOffer {
  readonly tenantId: string;
  readonly sellerId: string;
  readonly rules: OfferRules;
  readonly state: OfferState;
  /** Version-conditioned writes: every write expects the version it read. */
  readonly version: number;
  readonly paused: boolean;
  /** Earliest time a tick reprices it again (the `due` index sorts on it). */
  readonly nextRepriceAtMs: number;
  readonly currentPriceMinor: number | null;
  readonly lastPushedPriceMinor: number | null;
  readonly lastPushedDecisionId: string | null;
  readonly pendingPush: PendingPush | null;
  readonly buyBox: BuyBoxStatus;
  readonly competitorCount: number;
  readonly amazonOnListing: boolean;
  readonly lastDecisionAtMs: number;
  readonly lastReason: string;
  /**
   * The same as the engine's code and integer parameters (prices in minor units, seconds, minutes, units), for a
   * reader in another language; null when the reason is not a decision's (a parked push), absent on offers stored before.
   */
  readonly lastReasonDetail?: ReasonDetail | null;
  /** Since when the offer is at its min and still loses the Buy Box (0 = not). */
  readonly lostAtMinSinceMs: number;
  /** Absent on offers never pushed (and on those stored before it was recorded). */
  readonly lastPush?: LastPush;
  // issue 21 economics
  /** Amazon's fees for this offer near its derived min (rules with cost and margin and no fees of their own). */
  readonly feeEstimate?: FeeEstimate;
}

export interface RepricerSettings {
  readonly tenantId: string;
  readonly sellerId: string;
  /** Tenant-wide dry run: decide and record, push nothing. */
  readonly dryRun: boolean;
  readonly paused: boolean;
  readonly version: number;
}

export interface HistoryEntry {
  readonly tenantId: string;
  readonly sku: string;
  readonly marketplaceId: string;
  readonly audience: Audience;
  readonly at: string;
  /** `strategy`: the offer's strategy was switched (by the end-of-trial call); the price did not move. */
  readonly kind: 'decision' | 'push' | 'strategy';
  readonly decisionId: string;
  readonly action: string;
  readonly priceMinor: number;
  readonly previousPriceMinor: number | null;
  readonly currency: string;
  readonly reasonCode: string;
  readonly reason: string;
  readonly state: string;
  readonly buyBox: BuyBoxStatus;
  readonly competitorCount: number;
  readonly dryRun: boolean;
  readonly pushStatus?: string;
  /**
   * What the price chart draws beside our price: the lowest landed price (listing + shipping) among the other
   * offers (null: no competitor), and the rule's band at the time. Decision rows only; rows written before these
   * fields existed lack them.
   */
  readonly lowestCompetitorMinor?: number | null;
  readonly minMinor?: number;
  readonly maxMinor?: number;
}

export interface CachedSnapshot {
  readonly event: OfferChangeEvent;
  readonly receivedAtMs: number;
}

/** Names one offer (the table key): what the `due` and `pushes` indexes give and what tick jobs carry. */
export interface OfferKey {
  readonly tenantId: string;
  readonly marketplaceId: string;
  readonly audience: Audience;
  readonly asin: string;
  readonly sku: string;
}

/** One page of the `due` index: keys only (the tick never needs more than who is due). */
export interface DueOffersPage {
  readonly keys: readonly OfferKey[];
  readonly cursor: string | null;
}

/**
 * What the tick sends over the jobs queue: the keys of up to OFFERS_PER_JOB due offers of one tenant, never the
 * offers themselves (a realistic offer is 2–3 KB: 100 of them overflow SQS's 256 KiB message), so a job's size
 * does not depend on how rich the rules are. The worker reads the offers when it runs.
 */
export interface TickJob {
  readonly marketplaceId: string;
  readonly keys: readonly OfferKey[];
  readonly fetchBudget: number;
  readonly bulk: boolean;
}

/** A pending push as the `pushes` index projects it: enough to build the price change without reading the offer. */
export interface PendingPushRef {
  readonly key: OfferKey;
  readonly sellerId: string;
  readonly currency: Currency;
  readonly push: PendingPush;
}

/** A reprice job as decided: offers read just before (by the worker, or by the notification consumer). */
export interface RepriceJob {
  readonly marketplaceId: string;
  readonly trigger: 'tick' | 'notification';
  /** Offers as read before deciding (their version guards the write). */
  readonly offers: readonly StoredOffer[];
  /** getItemOffersBatch calls this job may make for snapshots missing from the cache. */
  readonly fetchBudget: number;
  /** Leave pushes to the bulk flush (JSON_LISTINGS_FEED) instead of patching each listing now. */
  readonly bulk: boolean;
}

export const DUE_SHARDS = 8;
/**
 * Partitions of the `pushes` index (pushShard = PUSH#<0..15>). One DynamoDB partition takes at most 1,000 write
 * units a second; at 1 M offers with every price moving at once the index takes ≈ 1,330 writes a second, and 10×
 * that in the plan of docs/repricer.md: 16 shards keep each partition below ≈ 850 at 10× (KEYS_ONLY-sized items
 * cost 1 unit each), while the flush reads only 16 short partitions a minute.
 */
export const PUSH_SHARDS = 16;
/** After a push we wait this long for Amazon (1–2 min) before a tick looks at the offer again. */
export const AWAIT_AFTER_PUSH_MS = 2 * 60_000;
/** A cached snapshot older than this is refreshed through getItemOffersBatch when the quota allows. */
export const SNAPSHOT_MAX_AGE_MS = 6 * 60 * 60_000;
export const HISTORY_RETENTION_DAYS = 400;

export function offerId(o: { tenantId: string; rules: { marketplaceId: string; audience: Audience; asin: string; sku: string } }): string {
  return `${o.tenantId}|${o.rules.marketplaceId}|${o.rules.audience}|${o.rules.asin}|${o.rules.sku}`;
}

export function offerKeyOf(o: { tenantId: string; rules: { marketplaceId: string; audience: Audience; asin: string; sku: string } }): OfferKey {
  return { tenantId: o.tenantId, marketplaceId: o.rules.marketplaceId, audience: o.rules.audience, asin: o.rules.asin, sku: o.rules.sku };
}

/** The push shard of an offer: spread by tenant and SKU like the due shards, over PUSH_SHARDS partitions. */
export function pushShardOf(tenantId: string, sku: string): number {
  return hashOf(`${tenantId}|${sku}`) % PUSH_SHARDS;
}

function hashOf(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(h);
}

export function dueShardOf(tenantId: string, sku: string): number {
  return hashOf(`${tenantId}|${sku}`) % DUE_SHARDS;
}

export function newStoredOffer(tenantId: string, sellerId: string, rules: OfferRules, nowMs: number): StoredOffer {
  return {
    tenantId,
    sellerId,
    rules,
    state: {
      phase: Phase.Seeking,
      pendingPriceMinor: 0,
      pendingSinceMs: 0,
      lastWinningPriceMinor: 0,
      lostAtPriceMinor: 0,
      ceilingPremiumBasisPoints: 2_000_000_000,
      ceilingLearnedAtMs: 0,
      ceilingReferenceLandedMinor: 0,
      streak: 0,
      referenceLandedMinor: 0,
      lastChangeAtMs: 0,
    },
    version: 0,
    paused: false,
    nextRepriceAtMs: nowMs,
    currentPriceMinor: null,
    lastPushedPriceMinor: null,
    lastPushedDecisionId: null,
    pendingPush: null,
    buyBox: 'unknown',
    competitorCount: 0,
    amazonOnListing: false,
    lastDecisionAtMs: 0,
    lastReason: '',
    lostAtMinSinceMs: 0,
  };
}

/** What every price-history row of `offer` says of it (decision or push): whose offer, when, and its state as it stood. */
export function historyRowOf(
  offer: StoredOffer,
  nowMs: number,
): Pick<HistoryEntry, 'tenantId' | 'sku' | 'marketplaceId' | 'audience' | 'at' | 'currency' | 'state' | 'buyBox' | 'competitorCount'> {
  return {
    tenantId: offer.tenantId,
    sku: offer.rules.sku,
    marketplaceId: offer.rules.marketplaceId,
    audience: offer.rules.audience,
    at: new Date(nowMs).toISOString(),
    currency: offer.rules.currency,
    state: PHASE_NAMES[offer.state.phase],
    buyBox: offer.buyBox,
    competitorCount: offer.competitorCount,
  };
}
