/**
 * The Amazon profile analysis as its own piece of work, apart from the sign-up's CSM push: it runs when a
 * Repricer customer has signed up **and** authorised a seller on Amazon (whichever comes last), asks Amazon
 * for that seller only, and records where it stands so the onboarding view can say "pending" or why it failed.
 * A refusal from Amazon is retried by the consumer and, once its budget is spent, parked here with the reason.
 */
import type { AmazonConnectionStore, AmazonSource } from '#shared/amazon-access/index.ts';
import type { CustomerRepository } from '#shared/customers/index.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { analyseCustomer } from './onboarding.ts';
import type { AnalysisState, AnalysisStatusStore, OnboardingRepository, SellerProfileSource } from './ports.ts';

export interface ProfileAnalysisDeps {
  readonly customers: CustomerRepository;
  readonly connections: AmazonConnectionStore;
  readonly profiles: SellerProfileSource;
  readonly onboarding: OnboardingRepository;
  readonly statuses: AnalysisStatusStore;
  readonly clock: Clock;
  readonly source: AmazonSource;
}

export const WAITING_FOR_AUTHORISATION = 'waiting for the seller to authorise sellerops on Amazon (POST /amazon/authorizations)';

/** Idempotent: a done analysis is never repeated; a customer without a Repricer contract has none. */
export async function runProfileAnalysis(deps: ProfileAnalysisDeps, tenantId: string): Promise<AnalysisState | 'not-repricer'> {
  const customer = await deps.customers.get(tenantId);
  if (!customer?.contracts.repricer) return 'not-repricer';
  if (await deps.onboarding.get(tenantId)) return 'done';
  const connection = await deps.connections.getConnection(tenantId);
  const at = deps.clock.now().toISOString();
  if (!connection || connection.status !== 'authorised' || !connection.sellerId) {
    const reason = connection?.status === 'revoked' ? `the seller revoked our access on Amazon (${connection.revokedReason ?? 'revoked'})` : WAITING_FOR_AUTHORISATION;
    await deps.statuses.put({ tenantId, status: 'waiting-for-amazon', reason, source: deps.source, sellerId: connection?.sellerId ?? null, updatedAt: at });
    return 'waiting-for-amazon';
  }
  await deps.statuses.put({ tenantId, status: 'pending', reason: null, source: deps.source, sellerId: connection.sellerId, updatedAt: at });
  await analyseCustomer(deps, customer, { sellerId: connection.sellerId });
  await deps.statuses.put({ tenantId, status: 'done', reason: null, source: deps.source, sellerId: connection.sellerId, updatedAt: deps.clock.now().toISOString() });
  return 'done';
}

/** Amazon kept refusing (retry budget spent): the analysis is parked with the reason; the CSM push went long ago. */
export async function parkProfileAnalysis(deps: Pick<ProfileAnalysisDeps, 'statuses' | 'clock' | 'source'>, tenantId: string, reason: string): Promise<void> {
  const previous = await deps.statuses.get(tenantId);
  await deps.statuses.put({
    tenantId,
    status: 'failed',
    reason: `Amazon refused the profile analysis: ${reason}`,
    source: deps.source,
    sellerId: previous?.sellerId ?? null,
    updatedAt: deps.clock.now().toISOString(),
  });
}
