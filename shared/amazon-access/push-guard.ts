/**
 * The Amazon side of the repricer behind the operator's kill switch and the sellers' authorisations:
 * - while the kill switch is on, no price is submitted (PushesStoppedError: the push stays pending and the
 *   flush submits it once the switch is off);
 * - a seller whose connection is not `authorised` (revoked, never connected) gets no call at all: its
 *   snapshots fail and its pushes are rejected with the reason, so its work stops and never blocks others.
 * Connection checks are cached per container for a minute (a revocation stops the work within a minute).
 */
import { DomainError } from '#shared/kernel/errors.ts';
import type { AmazonMarketplace, FeedMessageRef, MarketSnapshotRequest, MarketSnapshotResult, PriceChange, PriceChangeResult, PriceFeedOutcome, SubmitOptions } from '#shared/repricer/index.ts';
import type { AmazonConnectionStore, PushKillSwitch } from './ports.ts';

export class PushesStoppedError extends DomainError {
  readonly httpStatus = 503;
  constructor() {
    super('pushes_stopped', 'price pushes are stopped by the operator (the kill switch: SSM parameter <stage root>/repricer/pushes-stopped)');
  }
}

export const SELLER_STATUS_CACHE_MS = 60_000;

export class GuardedAmazonMarketplace implements AmazonMarketplace {
  private readonly sellerStatus = new Map<string, { refusal: string | null; until: number }>();

  constructor(
    private readonly inner: AmazonMarketplace,
    private readonly guards: { readonly killSwitch: PushKillSwitch; readonly connections: AmazonConnectionStore; readonly now: () => number },
  ) {}

  async getMarketSnapshots(request: MarketSnapshotRequest): Promise<readonly MarketSnapshotResult[]> {
    const refusal = await this.refusal(request.sellerId);
    if (refusal) return request.asins.map((asin) => ({ asin, ok: false, error: refusal }));
    return this.inner.getMarketSnapshots(request);
  }

  async submitPriceChanges(changes: readonly PriceChange[], options: SubmitOptions): Promise<readonly PriceChangeResult[]> {
    if (!options.dryRun && (await this.guards.killSwitch.pushesStopped())) throw new PushesStoppedError();
    const allowed: PriceChange[] = [];
    const refused = new Map<PriceChange, string>();
    for (const change of changes) {
      const refusal = await this.refusal(change.sellerId);
      if (refusal) refused.set(change, refusal);
      else allowed.push(change);
    }
    const results = allowed.length > 0 ? await this.inner.submitPriceChanges(allowed, options) : [];
    const byChange = new Map(allowed.map((c, i) => [c, results[i]!]));
    return changes.map(
      (c) =>
        byChange.get(c) ?? { sku: c.sku, marketplaceId: c.marketplaceId, audience: c.audience, status: 'REJECTED', submissionId: '', issues: [refused.get(c) ?? 'not submitted'] },
    );
  }

  /** Reading a feed's result pushes nothing: no kill switch; a seller no longer authorised gets no call. */
  async feedOutcome(sellerId: string, feedId: string, messages: readonly FeedMessageRef[]): Promise<PriceFeedOutcome> {
    const refusal = await this.refusal(sellerId);
    if (refusal) return { status: 'FAILED', message: refusal };
    return this.inner.feedOutcome(sellerId, feedId, messages);
  }

  /** Why this seller gets no call (not authorised, revoked), or null. */
  private async refusal(sellerId: string): Promise<string | null> {
    const nowMs = this.guards.now();
    const cached = this.sellerStatus.get(sellerId);
    if (cached && cached.until > nowMs) return cached.refusal;
    const binding = await this.guards.connections.tenantOfSeller(sellerId);
    const connection = binding ? await this.guards.connections.getConnection(binding.tenantId) : undefined;
    const refusal =
      connection?.status === 'authorised' && connection.sellerId === sellerId
        ? null
        : connection?.status === 'revoked'
          ? `seller ${sellerId} revoked our access on Amazon`
          : `seller ${sellerId} has not authorised our app on Amazon`;
    this.sellerStatus.set(sellerId, { refusal, until: nowMs + SELLER_STATUS_CACHE_MS });
    return refusal;
  }
}
