import type { CustomerSignedUpV1, Product } from '#shared/contracts/customer-events.ts';
import { ConflictError } from '#shared/kernel/errors.ts';
import type { Language } from '#shared/kernel/languages.ts';
import { MARKETPLACES, type MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import { DEFAULT_PLAN, PLAN_OFFER_LIMITS, TRIAL_DAYS, snapshotOf, type Contract, type CustomerRecord } from './customer.ts';
import { commitWithEvents, type CommitDeps } from './outbox.ts';

const DAY_MS = 86_400_000;

/** What a sign-up needs, already validated (the HTTP edge parses `POST /signups` into it). */
export interface SignUpCommand {
  readonly product: Product;
  readonly companyName: string;
  readonly contactEmail: string;
  readonly language: Language;
  /** At least one, no repeats. */
  readonly marketplaces: readonly [MarketplaceCode, ...MarketplaceCode[]] | readonly MarketplaceCode[];
  readonly amazonSellerId: string;
  /** IANA time zone; the first marketplace's when absent. */
  readonly timeZone?: string | undefined;
  /** Brands the seller owns: they make its private-label share. */
  readonly ownBrands?: readonly string[] | undefined;
}

/**
 * Signs a tenant up for a product: one version-conditioned single-item write stores the customer, the new
 * contract and the `customer.signed-up` event together (nothing half-written), then the event is published.
 * If publishing fails the request still succeeds: the outbox relay publishes it shortly after.
 */
export async function signUp(deps: CommitDeps, tenantId: string, request: SignUpCommand): Promise<CustomerRecord> {
  const record = await commitWithEvents(deps, tenantId, (existing) => {
    const current = existing?.contracts[request.product];
    if (current && current.status !== 'cancelled') {
      throw new ConflictError(`tenant ${tenantId} already has a ${request.product} contract`, 'already_signed_up');
    }
    const now = deps.clock.now();
    const trial = request.product === 'repricer';
    const contract: Contract = {
      product: request.product,
      status: trial ? 'trial' : 'active',
      startedAt: now.toISOString(),
      trialEndsAt: trial ? new Date(now.getTime() + TRIAL_DAYS * DAY_MS).toISOString() : null,
      plan: DEFAULT_PLAN,
      offerLimit: PLAN_OFFER_LIMITS[DEFAULT_PLAN],
      endsAt: null,
      sequence: (current?.sequence ?? 0) + 1,
    };
    const profile: CustomerRecord = existing ?? {
      tenantId,
      companyName: request.companyName,
      contactEmail: request.contactEmail,
      language: request.language,
      marketplaces: request.marketplaces,
      amazonSellerId: request.amazonSellerId,
      ...(request.ownBrands ? { ownBrands: request.ownBrands } : {}),
      timeZone: request.timeZone ?? MARKETPLACES[request.marketplaces[0]].timeZone,
      createdAt: now.toISOString(),
      contracts: {},
      pendingEvents: [],
      version: 0,
    };
    const event: CustomerSignedUpV1 = {
      eventId: `${tenantId}#customer.signed-up#${contract.product}#${contract.sequence}`,
      eventType: 'customer.signed-up',
      version: 1,
      occurredAt: contract.startedAt,
      tenantId,
      product: contract.product,
      trialEndsAt: contract.trialEndsAt,
      customer: snapshotOf(profile),
    };
    return { record: { ...profile, contracts: { ...profile.contracts, [contract.product]: contract } }, events: [event] };
  });
  deps.metrics?.count('SignUps', 1, { product: request.product });
  return record;
}
