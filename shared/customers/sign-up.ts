import type { CustomerSignedUpV1 } from '../contracts/customer-events.ts';
import type { SignupRequest } from '../api/schemas.ts';
import { ConflictError } from '../kernel/errors.ts';
import type { Clock } from '../kernel/clock.ts';
import { MARKETPLACES } from '../kernel/marketplaces.ts';
import { TRIAL_DAYS, type Contract, type CustomerRecord } from './customer.ts';
import { publishPendingEvents } from './outbox.ts';
import { VersionConflictError, type CustomerEventPublisher, type CustomerRepository } from './ports.ts';

export interface SignUpDeps {
  readonly customers: CustomerRepository;
  readonly events: CustomerEventPublisher;
  readonly clock: Clock;
  readonly onPublishFailure?: (error: unknown) => void;
}

const DAY_MS = 86_400_000;

/**
 * Signs a tenant up for a product: one version-conditioned single-item write stores the customer, the new
 * contract and the `customer.signed-up` event together (nothing half-written), then the event is published.
 * If publishing fails the request still succeeds: the outbox relay publishes it shortly after.
 */
export async function signUp(deps: SignUpDeps, tenantId: string, request: SignupRequest): Promise<CustomerRecord> {
  for (let attempt = 0; ; attempt++) {
    const existing = await deps.customers.get(tenantId);
    const current = existing?.contracts[request.product];
    if (current && current.status !== 'cancelled') {
      throw new ConflictError(`tenant ${tenantId} already has a ${request.product} contract`, 'already_signed_up');
    }
    const now = deps.clock.now();
    const contract: Contract = {
      product: request.product,
      status: request.product === 'repricer' ? 'trial' : 'active',
      startedAt: now.toISOString(),
      trialEndsAt: request.product === 'repricer' ? new Date(now.getTime() + TRIAL_DAYS * DAY_MS).toISOString() : null,
      sequence: (current?.sequence ?? 0) + 1,
    };
    const profile = existing ?? {
      tenantId,
      companyName: request.companyName,
      contactEmail: request.contactEmail,
      language: request.language,
      marketplaces: request.marketplaces,
      amazonSellerId: request.amazonSellerId,
      timeZone: request.timeZone ?? MARKETPLACES[request.marketplaces[0]!].timeZone,
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
      customer: {
        customerId: tenantId,
        companyName: profile.companyName,
        language: profile.language,
        marketplaces: [...profile.marketplaces],
        amazonSellerId: profile.amazonSellerId,
        timeZone: profile.timeZone,
      },
    };
    const record: CustomerRecord = {
      ...profile,
      contracts: { ...profile.contracts, [contract.product]: contract },
      pendingEvents: [...profile.pendingEvents, event],
      version: profile.version + 1,
    };
    try {
      await deps.customers.save(record);
    } catch (error) {
      // Two sign-ups of one tenant raced: re-read and decide again (the loser then sees the contract: 409).
      if (error instanceof VersionConflictError && attempt < 3) continue;
      throw error;
    }
    return publishPendingEvents(deps, record);
  }
}
