/**
 * The customer 360's health figures, from the staff routes (`GET /customers/{customerId}/repricer/offers` and
 * `GET /customers/{customerId}/lost-and-found/claims`): counted here, without DOM, so a unit test pins them
 * (test/unit/web-csm-health.test.ts). The buckets are the server's dashboard's (shared/lost-and-found/dashboard.ts):
 * found = found or reversed (not filed again), filed = filed or info requested, paid = paid or partially paid.
 */
import type { MinorMoney } from './format.ts';
import type { CustomerClaim, CustomerOffer } from './views/csm-types.ts';

export interface RepricerHealth {
  readonly offers: number;
  readonly paused: number;
  /** Offers whose Buy Box is known (won or lost): the share's base. */
  readonly buyBoxKnown: number;
  readonly buyBoxWon: number;
  /** Won / known in basis points; null when no offer's Buy Box is known yet. */
  readonly buyBoxShareBasisPoints: number | null;
  readonly pendingPushes: number;
  /** SKUs whose last push Amazon refused. */
  readonly failedPushes: readonly string[];
}

export function repricerHealth(offers: readonly CustomerOffer[]): RepricerHealth {
  const known = offers.filter((o) => o.buyBox === 'won' || o.buyBox === 'lost');
  const won = known.filter((o) => o.buyBox === 'won').length;
  return {
    offers: offers.length,
    paused: offers.filter((o) => o.paused).length,
    buyBoxKnown: known.length,
    buyBoxWon: won,
    buyBoxShareBasisPoints: known.length === 0 ? null : Math.round((won / known.length) * 10_000),
    pendingPushes: offers.filter((o) => o.pendingPush !== null).length,
    failedPushes: [...new Set(offers.filter((o) => o.lastPush?.status.startsWith('failed') === true).map((o) => o.sku))],
  };
}

export interface ClaimFigure {
  readonly count: number;
  /** One sum per currency, in minor units. */
  readonly value: readonly MinorMoney[];
}

export interface LostAndFoundHealth {
  readonly found: ClaimFigure;
  readonly filed: ClaimFigure;
  readonly paid: ClaimFigure;
  /** Found and not filed, with a deadline within `withinDays` of `today` (not past). */
  readonly expiringSoon: ClaimFigure;
  readonly recovered: readonly MinorMoney[];
}

/** How close a deadline counts as "expiring soon" (the dashboard's default `expiringWithinDays`). */
export const EXPIRING_WITHIN_DAYS = 14;

function figure(claims: readonly CustomerClaim[], money: (c: CustomerClaim) => MinorMoney | null | undefined = (c) => c.amount): ClaimFigure {
  const sums = new Map<string, number>();
  for (const claim of claims) {
    const m = money(claim);
    if (m && m.minor !== 0) sums.set(m.currency, (sums.get(m.currency) ?? 0) + m.minor);
  }
  return { count: claims.length, value: [...sums].map(([currency, minor]) => ({ minor, currency })) };
}

const DAY_MS = 86_400_000;

/** `today`: the user's calendar day (YYYY-MM-DD); deadlines are days too. */
export function lostAndFoundHealth(claims: readonly CustomerClaim[], today: string, withinDays = EXPIRING_WITHIN_DAYS): LostAndFoundHealth {
  const of = (...statuses: string[]) => claims.filter((c) => statuses.includes(c.status));
  const found = of('found', 'reversed');
  const dayOf = (isoDay: string) => Date.parse(`${isoDay.slice(0, 10)}T00:00:00Z`) / DAY_MS;
  const todayNumber = dayOf(today);
  const expiring = found.filter((c) => dayOf(c.deadline) >= todayNumber && dayOf(c.deadline) - todayNumber <= withinDays);
  return {
    found: figure(found),
    filed: figure(of('filed', 'info_requested')),
    paid: figure(of('paid', 'partially_paid')),
    expiringSoon: figure(expiring),
    recovered: figure(claims, (c) => c.recovered).value,
  };
}
