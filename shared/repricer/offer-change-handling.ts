/** Amazon's offer notifications (R-P5): snapshot update, market-change detection and immediate repricing. */
import { detectListingChanges } from './market-changes.ts';
import { recordMarketChange } from './market-history.ts';
import type { RepricerDeps } from './ports.ts';
import { emptyResult, repriceJob, type JobResult } from './reprice-job.ts';
import type { OfferChangeEvent } from './types.ts';

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
    // The what-if's market history: one record per change of what a decision reads.
    if (deps.marketHistory) await recordMarketChange(deps.marketHistory, tenantId, previous?.event, event);
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
