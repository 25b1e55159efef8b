/**
 * Market changes (R-P5): a new competitor, Amazon retail appearing or leaving, an offer losing the Buy Box at
 * its minimum for a day. Detected by the job and the notification consumer, published through the
 * `MarketChangeSink` port, turned into CSM tasks by `reconsultation.ts`.
 */
import { isAmazonRetailSeller } from './amazon-retail.ts';
import type { Audience, OfferChangeEvent } from './types.ts';

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

export const LOST_AT_MIN_LASTING_MS = 24 * 60 * 60_000;

/** ISO week (dedup window of market-change tasks and pushes): 2025-W07. */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
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
