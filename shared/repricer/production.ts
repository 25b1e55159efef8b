/**
 * Repricing in production (R-P4, R-P5): scheduled ticks per marketplace, event-driven repricing from Amazon's
 * offer notifications, idempotent price pushes, the confirmation loop, price history and market-change
 * detection. Pure: the store, the marketplace, the fan-out queue and the market-change sink are ports.
 */
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { stableId } from '../kernel/ids.ts';
import type { AmazonMarketplace, PriceChange, PriceChangeResult } from '../ports/amazon-marketplace.ts';
import { isAmazonRetailSeller } from './amazon-retail.ts';
import { compileRules, decide } from './engine.ts';
import { toMarketSnapshot } from './notification.ts';
import { renderReason } from './reasons.ts';
import { PHASE_NAMES, Phase } from './types.ts';
import type { Audience, OfferChangeEvent, OfferRules, OfferState, RepriceDecision } from './types.ts';

// ---------------------------------------------------------------------------------------------------------
// Model

export type BuyBoxStatus = 'won' | 'lost' | 'unknown';

export interface PendingPush {
  /** stableId of offer id + the version that decided it: a redelivered decision has the same id. */
  readonly decisionId: string;
  readonly priceMinor: number;
  readonly tiers: readonly { readonly minQuantity: number; readonly priceMinor: number }[];
  readonly decidedAtMs: number;
  /** `now`: pushed by the deciding worker (patchListingsItem); `bulk`: left to the push flush (JSON_LISTINGS_FEED). */
  readonly via: 'now' | 'bulk';
  readonly attempts: number;
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
  /** Since when the offer is at its min and still loses the Buy Box (0 = not). */
  readonly lostAtMinSinceMs: number;
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
  readonly kind: 'decision' | 'push';
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
}

export interface CachedSnapshot {
  readonly event: OfferChangeEvent;
  readonly receivedAtMs: number;
}

export interface DueOffersPage {
  readonly offers: readonly StoredOffer[];
  readonly cursor: string | null;
}

export interface RepricerStore {
  getSettings(tenantId: string): Promise<RepricerSettings | undefined>;
  /** Conditional on `settings.version - 1` (0 = create). Also maps the seller id to the tenant. */
  saveSettings(settings: RepricerSettings): Promise<void>;
  tenantOfSeller(sellerId: string): Promise<string | undefined>;
  listOffers(tenantId: string): Promise<StoredOffer[]>;
  offersForListing(tenantId: string, marketplaceId: string, audience: Audience, asin: string): Promise<StoredOffer[]>;
  /** Active (not paused) offers of a marketplace shard with nextRepriceAt <= dueBefore, earliest first. */
  dueOffers(marketplaceId: string, shard: number, dueBeforeMs: number, limit: number, cursor: string | null): Promise<DueOffersPage>;
  /** Writes `offer` if the stored version is `offer.version - 1` (or absent when 1); false on a lost race. */
  putOffer(offer: StoredOffer): Promise<boolean>;
  getOffer(tenantId: string, marketplaceId: string, audience: Audience, asin: string, sku: string): Promise<StoredOffer | undefined>;
  appendHistory(entries: readonly HistoryEntry[]): Promise<void>;
  history(tenantId: string, sku: string, fromMs: number, toMs: number, limit: number): Promise<HistoryEntry[]>;
  getSnapshots(sellerId: string, marketplaceId: string, audience: Audience, asins: readonly string[]): Promise<Map<string, CachedSnapshot>>;
  /** Stores the snapshot unless a newer one (by timeOfOfferChange) is stored; returns the previous one when replaced. */
  putSnapshot(snapshot: CachedSnapshot): Promise<{ stored: boolean; previous: CachedSnapshot | undefined }>;
  /** Offers with a pending push due for the flush (bulk ones at once, immediate ones left over for a minute), oldest first. */
  pendingPushes(nowMs: number, limit: number): Promise<StoredOffer[]>;
}

/** A reprice job: what the tick fans out over the queue and the notification consumer runs at once. */
export interface RepriceJob {
  readonly marketplaceId: string;
  readonly trigger: 'tick' | 'notification';
  /** Offers as the tick read them (their version guards the write). */
  readonly offers: readonly StoredOffer[];
  /** getItemOffersBatch calls this job may make for snapshots missing from the cache. */
  readonly fetchBudget: number;
  /** Leave pushes to the bulk flush (JSON_LISTINGS_FEED) instead of patching each listing now. */
  readonly bulk: boolean;
}

export interface MarketChange {
  readonly kind: 'new-competitor' | 'amazon-appeared' | 'amazon-left' | 'buybox-lost-at-min';
  readonly tenantId: string;
  readonly sellerId: string;
  readonly marketplaceId: string;
  readonly asin: string;
  readonly audience: Audience;
  readonly detail: string;
  readonly occurredAt: string;
}

export interface MarketChangeSink {
  publish(changes: readonly MarketChange[]): Promise<void>;
}

export interface RepricerDeps {
  readonly store: RepricerStore;
  readonly amazon: AmazonMarketplace;
  readonly marketChanges: MarketChangeSink;
  readonly now: () => Date;
}

// ---------------------------------------------------------------------------------------------------------
// Constants and keys

export const DUE_SHARDS = 8;
/** After a push we wait this long for Amazon (1–2 min) before a tick looks at the offer again. */
export const AWAIT_AFTER_PUSH_MS = 2 * 60_000;
/** A cached snapshot older than this is refreshed through getItemOffersBatch when the quota allows. */
export const SNAPSHOT_MAX_AGE_MS = 6 * 60 * 60_000;
export const LOST_AT_MIN_LASTING_MS = 24 * 60 * 60_000;
export const HISTORY_RETENTION_DAYS = 400;
/** SP-API quotas (per selling partner and application). */
export const SP_API_QUOTAS = {
  getItemOffersBatch: { itemsPerCall: 20, ratePerSecond: 0.1, burst: 1 },
  getListingOffersBatch: { itemsPerCall: 20, ratePerSecond: 0.5, burst: 1 },
  patchListingsItem: { ratePerSecond: 5, burst: 5 },
  jsonListingsFeed: { messagesPerFeed: 25_000, feedsPerFiveMinutes: 5 },
} as const;

export function offerId(o: { tenantId: string; rules: { marketplaceId: string; audience: Audience; asin: string; sku: string } }): string {
  return `${o.tenantId}|${o.rules.marketplaceId}|${o.rules.audience}|${o.rules.asin}|${o.rules.sku}`;
}

export function dueShardOf(tenantId: string, sku: string): number {
  let h = 0;
  const key = `${tenantId}|${sku}`;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(h) % DUE_SHARDS;
}

/** ISO week (dedup window of market-change tasks and pushes): 2025-W07. */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
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

// ---------------------------------------------------------------------------------------------------------
// The tick (R-P4): due offers of one marketplace → jobs over the queue, planned against SP-API quotas

export interface TickPlan {
  readonly marketplaceId: string;
  readonly dueOffers: number;
  readonly jobs: number;
  readonly sellers: number;
  /** getItemOffersBatch calls the tick may spend (per seller, over the tick interval), and the ones the jobs may plan. */
  readonly fetchCallsAllowed: number;
  readonly bulkSellers: number;
}

export interface JobSender {
  send(jobs: readonly RepriceJob[]): Promise<void>;
}

/** Above this many due offers for one seller in one tick, prices go out as JSON_LISTINGS_FEED (bulk) instead of one patch each. */
export const BULK_THRESHOLD = 300;
export const OFFERS_PER_JOB = 100;

export async function runTick(
  deps: { store: RepricerStore; jobs: JobSender; now: () => Date },
  input: { marketplaceId: string; tickMinutes: number; maxOffers?: number },
): Promise<TickPlan> {
  const nowMs = deps.now().getTime();
  const bySeller = new Map<string, StoredOffer[]>();
  let due = 0;
  const max = input.maxOffers ?? 1_000_000;
  for (let shard = 0; shard < DUE_SHARDS && due < max; shard++) {
    let cursor: string | null = null;
    do {
      const page: DueOffersPage = await deps.store.dueOffers(input.marketplaceId, shard, nowMs, 2_000, cursor);
      for (const offer of page.offers) {
        const list = bySeller.get(offer.sellerId) ?? [];
        list.push(offer);
        bySeller.set(offer.sellerId, list);
        due++;
      }
      cursor = page.cursor;
    } while (cursor && due < max);
  }
  // getItemOffersBatch: 0.1 req/s per seller → calls per tick interval; spread over the seller's jobs.
  const callsPerTick = Math.max(1, Math.floor(SP_API_QUOTAS.getItemOffersBatch.ratePerSecond * input.tickMinutes * 60));
  const jobs: RepriceJob[] = [];
  let bulkSellers = 0;
  for (const offers of bySeller.values()) {
    // Offers of one listing (ASIN × audience) stay in one job: one snapshot serves them all.
    offers.sort((a, b) => (a.rules.audience + a.rules.asin < b.rules.audience + b.rules.asin ? -1 : 1));
    const bulk = offers.length > BULK_THRESHOLD;
    if (bulk) bulkSellers++;
    const chunks: StoredOffer[][] = [];
    let current: StoredOffer[] = [];
    for (let i = 0; i < offers.length; i++) {
      const o = offers[i]!;
      const prev = offers[i - 1];
      const sameListing = prev !== undefined && prev.rules.asin === o.rules.asin && prev.rules.audience === o.rules.audience;
      if (current.length >= OFFERS_PER_JOB && !sameListing) {
        chunks.push(current);
        current = [];
      }
      current.push(o);
    }
    if (current.length > 0) chunks.push(current);
    let budget = callsPerTick;
    for (const chunk of chunks) {
      const share = Math.min(budget, Math.ceil(callsPerTick / chunks.length));
      budget -= share;
      jobs.push({ marketplaceId: input.marketplaceId, trigger: 'tick', offers: chunk, fetchBudget: share, bulk });
    }
  }
  await deps.jobs.send(jobs);
  return {
    marketplaceId: input.marketplaceId,
    dueOffers: due,
    jobs: jobs.length,
    sellers: bySeller.size,
    fetchCallsAllowed: callsPerTick * bySeller.size,
    bulkSellers,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Repricing a job

export interface JobResult {
  decided: number;
  changed: number;
  pushed: number;
  pendingBulk: number;
  deferred: number;
  conflicts: number;
  snapshotCalls: number;
  marketChanges: number;
}

const emptyResult = (): JobResult => ({ decided: 0, changed: 0, pushed: 0, pendingBulk: 0, deferred: 0, conflicts: 0, snapshotCalls: 0, marketChanges: 0 });

function listingKey(o: StoredOffer): string {
  return `${o.sellerId}|${o.rules.marketplaceId}|${o.rules.audience}|${o.rules.asin}`;
}

/** Reprices the offers of a job: snapshots from the cache first, then getItemOffersBatch within the job's budget. */
export async function repriceJob(deps: RepricerDeps, job: RepriceJob, given?: ReadonlyMap<string, OfferChangeEvent>): Promise<JobResult> {
  const result = emptyResult();
  const nowMs = deps.now().getTime();
  const groups = new Map<string, StoredOffer[]>();
  for (const o of job.offers) {
    const k = listingKey(o);
    const list = groups.get(k) ?? [];
    list.push(o);
    groups.set(k, list);
  }
  const markets = new Map<string, OfferChangeEvent>(given ?? []);
  // Cached snapshots, grouped by seller × audience (the cache key carries both).
  const missing = new Map<string, { sellerId: string; audience: Audience; asins: string[] }>();
  const bySellerAudience = new Map<string, { sellerId: string; audience: Audience; asins: string[] }>();
  for (const [k, offers] of groups) {
    if (markets.has(k)) continue;
    const o = offers[0]!;
    const sa = `${o.sellerId}|${o.rules.audience}`;
    const entry = bySellerAudience.get(sa) ?? { sellerId: o.sellerId, audience: o.rules.audience, asins: [] };
    entry.asins.push(o.rules.asin);
    bySellerAudience.set(sa, entry);
  }
  for (const [sa, entry] of bySellerAudience) {
    const cached = await deps.store.getSnapshots(entry.sellerId, job.marketplaceId, entry.audience, entry.asins);
    for (const asin of entry.asins) {
      const snap = cached.get(asin);
      const k = `${entry.sellerId}|${job.marketplaceId}|${entry.audience}|${asin}`;
      if (snap && nowMs - snap.receivedAtMs <= SNAPSHOT_MAX_AGE_MS) markets.set(k, snap.event);
      else {
        if (snap) markets.set(k, snap.event); // stale but usable if the quota refuses a refresh
        const m = missing.get(sa) ?? { sellerId: entry.sellerId, audience: entry.audience, asins: [] };
        m.asins.push(asin);
        missing.set(sa, m);
      }
    }
  }
  let budget = job.fetchBudget;
  for (const entry of missing.values()) {
    for (let i = 0; i < entry.asins.length && budget > 0; i += SP_API_QUOTAS.getItemOffersBatch.itemsPerCall) {
      budget--;
      result.snapshotCalls++;
      const asins = entry.asins.slice(i, i + SP_API_QUOTAS.getItemOffersBatch.itemsPerCall);
      const fetched = await deps.amazon.getMarketSnapshots({ sellerId: entry.sellerId, marketplaceId: job.marketplaceId, audience: entry.audience, asins });
      for (const r of fetched) {
        if (!r.ok) continue;
        markets.set(`${entry.sellerId}|${job.marketplaceId}|${entry.audience}|${r.asin}`, r.market);
        const { previous } = await deps.store.putSnapshot({ event: r.market, receivedAtMs: nowMs });
        const tenantId = groups.get(`${entry.sellerId}|${job.marketplaceId}|${entry.audience}|${r.asin}`)?.[0]?.tenantId;
        if (tenantId && previous) {
          const changes = detectListingChanges(tenantId, previous.event, r.market);
          result.marketChanges += changes.length;
          if (changes.length > 0) await deps.marketChanges.publish(changes);
        }
      }
    }
  }
  const settingsCache = new Map<string, RepricerSettings | undefined>();
  const immediate: { offer: StoredOffer; change: PriceChange }[] = [];
  const history: HistoryEntry[] = [];
  const atMin: MarketChange[] = [];
  for (const [k, offers] of groups) {
    const market = markets.get(k);
    if (!market) {
      result.deferred += offers.length;
      continue;
    }
    for (const offer of offers) {
      if (!settingsCache.has(offer.tenantId)) settingsCache.set(offer.tenantId, await deps.store.getSettings(offer.tenantId));
      const settings = settingsCache.get(offer.tenantId);
      const outcome = await decideAndStore(deps, offer, market, settings, job.bulk, nowMs);
      result.decided++;
      if (outcome.conflict) result.conflicts++;
      if (!outcome.stored) continue;
      result.changed++;
      history.push(...outcome.history);
      if (outcome.lostAtMin) atMin.push(outcome.lostAtMin);
      if (outcome.push) {
        if (job.bulk) result.pendingBulk++;
        else immediate.push({ offer: outcome.stored, change: outcome.push });
      }
    }
  }
  if (history.length > 0) await deps.store.appendHistory(history);
  if (atMin.length > 0) {
    result.marketChanges += atMin.length;
    await deps.marketChanges.publish(atMin);
  }
  if (immediate.length > 0) result.pushed += await pushNow(deps, immediate);
  return result;
}

interface DecideOutcome {
  stored: StoredOffer | null;
  conflict: boolean;
  push: PriceChange | null;
  history: HistoryEntry[];
  lostAtMin: MarketChange | null;
}

function buyBoxOf(market: OfferChangeEvent, sellerId: string): { status: BuyBoxStatus; own: number | null; competitors: number; amazon: boolean } {
  let own: number | null = null;
  let won = false;
  let competitors = 0;
  let amazon = false;
  for (const o of market.offers) {
    if (o.sellerId === sellerId) {
      own = o.listingMinor;
      won = o.isBuyBoxWinner;
    } else {
      competitors++;
      if (isAmazonRetailSeller(o.sellerId)) amazon = true;
    }
  }
  return { status: own === null ? 'unknown' : won ? 'won' : 'lost', own, competitors, amazon };
}

/**
 * Decides one offer on a market snapshot and stores the result with a version-conditioned write. A lost race
 * re-reads the offer once and decides again (the other worker's state is the truth). Nothing is written when
 * neither the state nor what we know about the offer changed (a steady hold costs no write).
 */
async function decideAndStore(
  deps: RepricerDeps,
  read: StoredOffer,
  market: OfferChangeEvent,
  settings: RepricerSettings | undefined,
  bulk: boolean,
  nowMs: number,
): Promise<DecideOutcome> {
  let offer = read;
  for (let attempt = 0; attempt < 3; attempt++) {
    const outcome = decideOffer(offer, market, settings, bulk, nowMs);
    if (!outcome.next) return { stored: null, conflict: attempt > 0, push: null, history: [], lostAtMin: null };
    if (await deps.store.putOffer(outcome.next)) {
      return { stored: outcome.next, conflict: attempt > 0, push: outcome.push, history: outcome.history, lostAtMin: outcome.lostAtMin };
    }
    const fresh = await deps.store.getOffer(offer.tenantId, offer.rules.marketplaceId, offer.rules.audience, offer.rules.asin, offer.rules.sku);
    if (!fresh) return { stored: null, conflict: true, push: null, history: [], lostAtMin: null };
    offer = fresh;
  }
  throw new ConflictError(`offer ${offerId(read)}: too many concurrent writers`, 'version_conflict');
}

/** The pure decision step: the next stored offer (or null when nothing changed), the push and the history rows. */
export function decideOffer(
  offer: StoredOffer,
  market: OfferChangeEvent,
  settings: RepricerSettings | undefined,
  bulk: boolean,
  nowMs: number,
): { next: StoredOffer | null; push: PriceChange | null; history: HistoryEntry[]; lostAtMin: MarketChange | null } {
  const none = { next: null, push: null, history: [], lostAtMin: null };
  if (offer.paused || settings?.paused) return none;
  const dryRun = offer.rules.dryRun || (settings?.dryRun ?? false);
  const rules = dryRun === offer.rules.dryRun ? offer.rules : { ...offer.rules, dryRun };
  const compiled = compileRules(rules, offer.sellerId);
  const decision = decide(compiled, toMarketSnapshot(market), offer.state, nowMs, null);
  const seen = buyBoxOf(market, offer.sellerId);
  const nextState = dryRun ? offer.state : decision.nextState;
  const reason = renderReason(decision.reasonCode, decision.reasonParams, decision.currency) + (dryRun ? ' [dry run: not pushed]' : '');
  const pushes = !dryRun && decision.action !== 'hold' && decision.newPriceMinor !== offer.lastPushedPriceMinor;
  const atMinLosing = decision.reasonCode === 'AtMinCannotWin' || (seen.status === 'lost' && seen.own !== null && seen.own <= offer.rules.minMinor);
  const lostAtMinSinceMs = atMinLosing ? offer.lostAtMinSinceMs || nowMs : 0;
  const stateChanged = !sameState(nextState, offer.state);
  const knowledgeChanged =
    seen.status !== offer.buyBox || seen.own !== offer.currentPriceMinor || seen.competitors !== offer.competitorCount || seen.amazon !== offer.amazonOnListing;
  const lostAtMinChanged = lostAtMinSinceMs !== offer.lostAtMinSinceMs;
  if (!pushes && !stateChanged && !knowledgeChanged && !lostAtMinChanged && !(dryRun && decision.action !== 'hold' && offer.lastReason !== reason)) {
    return none;
  }
  const version = offer.version + 1;
  const decisionId = stableId('d', `${offerId(offer)}#${version}`);
  const push: PriceChange | null = pushes
    ? {
        sellerId: offer.sellerId,
        sku: offer.rules.sku,
        asin: offer.rules.asin,
        marketplaceId: offer.rules.marketplaceId,
        audience: offer.rules.audience,
        price: { minor: decision.newPriceMinor, currency: offer.rules.currency },
        quantityTiers: decision.tiers.map((t) => ({ minQuantity: t.minQuantity, price: { minor: t.priceMinor, currency: offer.rules.currency } })),
      }
    : null;
  const next: StoredOffer = {
    ...offer,
    state: nextState,
    version,
    nextRepriceAtMs: push ? nowMs + AWAIT_AFTER_PUSH_MS : nowMs,
    currentPriceMinor: seen.own,
    buyBox: seen.status,
    competitorCount: seen.competitors,
    amazonOnListing: seen.amazon,
    lastDecisionAtMs: nowMs,
    lastReason: reason,
    lostAtMinSinceMs,
    pendingPush: push
      ? { decisionId, priceMinor: push.price.minor, tiers: decision.tiers, decidedAtMs: nowMs, via: bulk ? 'bulk' : 'now', attempts: 0 }
      : offer.pendingPush,
  };
  const history: HistoryEntry[] =
    decision.action !== 'hold' || stateChanged || seen.status !== offer.buyBox
      ? [historyOf(next, decision, decisionId, reason, nowMs, dryRun)]
      : [];
  const lasting = lostAtMinSinceMs > 0 && nowMs - lostAtMinSinceMs >= LOST_AT_MIN_LASTING_MS;
  const lostAtMin: MarketChange | null = lasting
    ? {
        kind: 'buybox-lost-at-min',
        tenantId: offer.tenantId,
        sellerId: offer.sellerId,
        marketplaceId: offer.rules.marketplaceId,
        asin: offer.rules.asin,
        audience: offer.rules.audience,
        detail: `${offer.rules.sku} has lost the Buy Box at its minimum price since ${new Date(lostAtMinSinceMs).toISOString()}`,
        occurredAt: new Date(nowMs).toISOString(),
      }
    : null;
  return { next, push, history, lostAtMin };
}

function sameState(a: OfferState, b: OfferState): boolean {
  for (const k of Object.keys(a) as (keyof OfferState)[]) if (a[k] !== b[k]) return false;
  return true;
}

function historyOf(offer: StoredOffer, d: RepriceDecision, decisionId: string, reason: string, nowMs: number, dryRun: boolean): HistoryEntry {
  return {
    tenantId: offer.tenantId,
    sku: offer.rules.sku,
    marketplaceId: offer.rules.marketplaceId,
    audience: offer.rules.audience,
    at: new Date(nowMs).toISOString(),
    kind: 'decision',
    decisionId,
    action: d.action,
    priceMinor: d.newPriceMinor,
    previousPriceMinor: d.currentPriceMinor,
    currency: offer.rules.currency,
    reasonCode: d.reasonCode,
    reason,
    state: PHASE_NAMES[offer.state.phase],
    buyBox: offer.buyBox,
    competitorCount: offer.competitorCount,
    dryRun,
  };
}

/**
 * Pushes decided prices and marks them pushed (version-conditioned, so a redelivered decision that finds its
 * push already marked does nothing). A failed push (throttled beyond retries) stays pending for the flush:
 * slower, never dropped.
 */
export async function pushNow(deps: RepricerDeps, items: readonly { offer: StoredOffer; change: PriceChange }[]): Promise<number> {
  let results: readonly PriceChangeResult[];
  try {
    results = await deps.amazon.submitPriceChanges(items.map((i) => i.change), { dryRun: false });
  } catch {
    // Left pending: the flush retries (a throttled SP-API degrades to slower pushes, never to dropped ones).
    return 0;
  }
  return markPushed(deps, items, results);
}

async function markPushed(deps: RepricerDeps, items: readonly { offer: StoredOffer; change: PriceChange }[], results: readonly PriceChangeResult[]): Promise<number> {
  let pushed = 0;
  const history: HistoryEntry[] = [];
  const nowMs = deps.now().getTime();
  for (let i = 0; i < items.length; i++) {
    const { offer, change } = items[i]!;
    const r = results[i];
    const pending = offer.pendingPush;
    if (!r || !pending) continue;
    const accepted = r.status === 'ACCEPTED' || r.status === 'VALIDATED';
    let current: StoredOffer | undefined = offer;
    for (let attempt = 0; attempt < 3 && current; attempt++) {
      if (current.pendingPush?.decisionId !== pending.decisionId) break; // superseded or already marked
      const next: StoredOffer = {
        ...current,
        version: current.version + 1,
        pendingPush: null,
        ...(accepted ? { lastPushedPriceMinor: change.price.minor, lastPushedDecisionId: pending.decisionId } : {}),
      };
      if (await deps.store.putOffer(next)) {
        if (accepted) pushed++;
        history.push({
          tenantId: offer.tenantId,
          sku: offer.rules.sku,
          marketplaceId: offer.rules.marketplaceId,
          audience: offer.rules.audience,
          at: new Date(nowMs).toISOString(),
          kind: 'push',
          decisionId: pending.decisionId,
          action: 'push',
          priceMinor: change.price.minor,
          previousPriceMinor: offer.currentPriceMinor,
          currency: offer.rules.currency,
          reasonCode: r.status,
          reason: r.issues.length > 0 ? r.issues.join('; ') : `${r.status} (${r.submissionId})`,
          state: PHASE_NAMES[offer.state.phase],
          buyBox: offer.buyBox,
          competitorCount: offer.competitorCount,
          dryRun: false,
          pushStatus: r.status,
        });
        break;
      }
      current = await deps.store.getOffer(offer.tenantId, offer.rules.marketplaceId, offer.rules.audience, offer.rules.asin, offer.rules.sku);
    }
  }
  if (history.length > 0) await deps.store.appendHistory(history);
  return pushed;
}

/** The bulk flush (every minute): pending pushes → one JSON_LISTINGS_FEED per seller and call (≤ 25,000 messages). */
export async function flushPendingPushes(deps: RepricerDeps, options: { limit: number }): Promise<{ offers: number; pushed: number; submissions: number }> {
  const pending = await deps.store.pendingPushes(deps.now().getTime(), options.limit);
  const bySeller = new Map<string, { offer: StoredOffer; change: PriceChange }[]>();
  for (const offer of pending) {
    const p = offer.pendingPush;
    if (!p) continue;
    const list = bySeller.get(offer.sellerId) ?? [];
    list.push({
      offer,
      change: {
        sellerId: offer.sellerId,
        sku: offer.rules.sku,
        asin: offer.rules.asin,
        marketplaceId: offer.rules.marketplaceId,
        audience: offer.rules.audience,
        price: { minor: p.priceMinor, currency: offer.rules.currency },
        quantityTiers: p.tiers.map((t) => ({ minQuantity: t.minQuantity, price: { minor: t.priceMinor, currency: offer.rules.currency } })),
      },
    });
    bySeller.set(offer.sellerId, list);
  }
  let pushed = 0;
  let submissions = 0;
  for (const items of bySeller.values()) {
    for (let i = 0; i < items.length; i += SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed) {
      submissions++;
      pushed += await pushNow(deps, items.slice(i, i + SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed));
    }
  }
  return { offers: pending.length, pushed, submissions };
}

// ---------------------------------------------------------------------------------------------------------
// Notifications: snapshot update + immediate repricing + market-change detection

/**
 * A batch of parsed notifications: bursts for the same listing are coalesced to the newest; each stored
 * snapshot is compared with the previous one (R-P5) and the listing's offers are repriced at once.
 */
export async function handleOfferChanges(deps: RepricerDeps, events: readonly OfferChangeEvent[]): Promise<JobResult & { coalesced: number; stale: number; unknownSeller: number }> {
  const nowMs = deps.now().getTime();
  const latest = new Map<string, OfferChangeEvent>();
  for (const e of events) {
    const k = `${e.sellerId}|${e.marketplaceId}|${e.audience}|${e.asin}`;
    const prev = latest.get(k);
    if (!prev || prev.timeOfOfferChange.getTime() <= e.timeOfOfferChange.getTime()) latest.set(k, e);
  }
  const total = { ...emptyResult(), coalesced: events.length - latest.size, stale: 0, unknownSeller: 0 };
  for (const [k, event] of latest) {
    const tenantId = await deps.store.tenantOfSeller(event.sellerId);
    if (!tenantId) {
      total.unknownSeller++;
      continue;
    }
    const { stored, previous } = await deps.store.putSnapshot({ event, receivedAtMs: nowMs });
    if (!stored) {
      // Reordered: a newer snapshot is already stored and was acted on.
      total.stale++;
      continue;
    }
    if (previous) {
      const changes = detectListingChanges(tenantId, previous.event, event);
      if (changes.length > 0) {
        total.marketChanges += changes.length;
        await deps.marketChanges.publish(changes);
      }
    }
    const offers = await deps.store.offersForListing(tenantId, event.marketplaceId, event.audience, event.asin);
    if (offers.length === 0) continue;
    const r = await repriceJob(deps, { marketplaceId: event.marketplaceId, trigger: 'notification', offers, fetchBudget: 0, bulk: false }, new Map([[k, event]]));
    for (const key of Object.keys(r) as (keyof JobResult)[]) total[key] += r[key];
  }
  return total;
}

/** R-P5: a new competitor on the listing, Amazon retail appearing or leaving. */
export function detectListingChanges(tenantId: string, before: OfferChangeEvent, after: OfferChangeEvent): MarketChange[] {
  const own = after.sellerId;
  const beforeIds = new Set(before.offers.map((o) => o.sellerId));
  const afterIds = new Set(after.offers.map((o) => o.sellerId));
  const amazonBefore = before.offers.some((o) => isAmazonRetailSeller(o.sellerId));
  const amazonAfter = after.offers.some((o) => isAmazonRetailSeller(o.sellerId));
  const base = { tenantId, sellerId: own, marketplaceId: after.marketplaceId, asin: after.asin, audience: after.audience, occurredAt: after.timeOfOfferChange.toISOString() };
  const changes: MarketChange[] = [];
  if (amazonAfter && !amazonBefore) changes.push({ ...base, kind: 'amazon-appeared', detail: `Amazon retail started selling ${after.asin} in ${after.marketplaceId}` });
  if (amazonBefore && !amazonAfter) changes.push({ ...base, kind: 'amazon-left', detail: `Amazon retail stopped selling ${after.asin} in ${after.marketplaceId}` });
  // Amazon shows the top 20 offers: only count a newcomer when the list was not full (else it may just have moved up).
  const newcomers = [...afterIds].filter((id) => id !== own && !beforeIds.has(id) && !isAmazonRetailSeller(id));
  if (newcomers.length > 0 && before.offers.length < 20) {
    changes.push({ ...base, kind: 'new-competitor', detail: `${newcomers.length} new competitor(s) on ${after.asin} in ${after.marketplaceId}: ${newcomers.join(', ')}` });
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------------------
// Customer API use cases

export async function requireSettings(store: RepricerStore, tenantId: string): Promise<RepricerSettings> {
  const settings = await store.getSettings(tenantId);
  if (!settings) throw new NotFoundError('repricer account (upload rules first)');
  return settings;
}

/** Bulk rule upload: creates or updates offers (state kept); the seller id binds the tenant to notifications. */
export async function upsertRules(
  store: RepricerStore,
  tenantId: string,
  sellerId: string,
  offers: readonly OfferRules[],
  nowMs: number,
): Promise<{ created: number; updated: number }> {
  const owner = await store.tenantOfSeller(sellerId);
  if (owner && owner !== tenantId) throw new ConflictError(`seller ${sellerId} belongs to another account`, 'seller_taken');
  const settings = await store.getSettings(tenantId);
  if (!settings) await store.saveSettings({ tenantId, sellerId, dryRun: false, paused: false, version: 1 });
  else if (settings.sellerId !== sellerId) throw new ValidationError(`sellerId: this account reprices seller ${settings.sellerId}`, { field: 'sellerId' });
  let created = 0;
  let updated = 0;
  for (const rules of offers) {
    for (let attempt = 0; ; attempt++) {
      const existing = await store.getOffer(tenantId, rules.marketplaceId, rules.audience, rules.asin, rules.sku);
      const next: StoredOffer = existing
        ? { ...existing, rules, version: existing.version + 1, nextRepriceAtMs: Math.min(existing.nextRepriceAtMs, nowMs) }
        : { ...newStoredOffer(tenantId, sellerId, rules, nowMs), version: 1 };
      if (await store.putOffer(next)) {
        if (existing) updated++;
        else created++;
        break;
      }
      if (attempt >= 3) throw new ConflictError(`offer ${rules.sku}: changed concurrently, try again`, 'version_conflict');
    }
  }
  return { created, updated };
}

/** Changes offers of a tenant (pause/resume, strategy, dry run) with version-conditioned writes. */
export async function updateOffers(
  store: RepricerStore,
  tenantId: string,
  match: { sku?: string; marketplaceId?: string; audience?: Audience },
  change: (offer: StoredOffer) => StoredOffer,
): Promise<number> {
  const offers = (await store.listOffers(tenantId)).filter(
    (o) => (!match.sku || o.rules.sku === match.sku) && (!match.marketplaceId || o.rules.marketplaceId === match.marketplaceId) && (!match.audience || o.rules.audience === match.audience),
  );
  if (offers.length === 0) throw new NotFoundError(`offer ${match.sku ?? ''}`.trim());
  let n = 0;
  for (const offer of offers) {
    let current: StoredOffer | undefined = offer;
    for (let attempt = 0; attempt < 3 && current; attempt++) {
      if (await store.putOffer({ ...change(current), version: current.version + 1 })) {
        n++;
        break;
      }
      current = await store.getOffer(tenantId, offer.rules.marketplaceId, offer.rules.audience, offer.rules.asin, offer.rules.sku);
    }
  }
  return n;
}

export const HISTORY_CSV_COLUMNS = ['at', 'sku', 'marketplace_id', 'audience', 'kind', 'action', 'price', 'previous_price', 'currency', 'reason_code', 'reason', 'state', 'buy_box', 'competitors', 'dry_run'] as const;

export function historyToCsv(entries: readonly HistoryEntry[], format: (minor: number, currency: string) => string): string {
  const esc = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = entries.map((e) =>
    [
      e.at,
      e.sku,
      e.marketplaceId,
      e.audience,
      e.kind,
      e.action,
      format(e.priceMinor, e.currency),
      e.previousPriceMinor === null ? '' : format(e.previousPriceMinor, e.currency),
      e.currency,
      e.reasonCode,
      e.reason,
      e.state,
      e.buyBox,
      String(e.competitorCount),
      String(e.dryRun),
    ]
      .map(esc)
      .join(','),
  );
  return [HISTORY_CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}
