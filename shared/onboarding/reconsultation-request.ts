/**
 * R-P5 on request: the customer asks for a strategy review (`POST /reconsultations` with a reason); its manager
 * gets a `re-consultation` task with the customer's current figures (the analysis and recommendation, the
 * contract, the needs assessment), like the one a market change creates, and a push (`reconsultation.requested`).
 */
import type { CustomerRecord } from '#shared/customers/index.ts';
import { notifyCsm, type CsmNotificationStore, type CsmPushPublisher, type CsmTask, type TaskRepository } from '#shared/csm/index.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { stableId } from '#shared/kernel/ids.ts';
import { cutText } from '#shared/kernel/text.ts';
import { task } from './onboarding.ts';
import type { OnboardingRepository } from './ports.ts';

export interface ReconsultationDeps {
  readonly tasks: TaskRepository;
  readonly onboarding: OnboardingRepository;
  readonly notifications: CsmNotificationStore;
  readonly push: CsmPushPublisher;
  readonly clock: Clock;
}

export async function requestReconsultation(deps: ReconsultationDeps, customer: CustomerRecord, request: { readonly reason: string; readonly requestId: string }): Promise<CsmTask> {
  const now = deps.clock.now();
  const key = `${customer.tenantId}#request#${request.requestId}`;
  const onboarding = await deps.onboarding.get(customer.tenantId);
  const contract = customer.contracts.repricer ?? customer.contracts['lost-and-found'] ?? null;
  const review = task('re-consultation', key, customer, {
    assigneeId: customer.assignment?.csmId ?? null,
    dueAt: now,
    now,
    title: `Re-consultation requested: ${customer.companyName}`,
    details: {
      requestedBy: 'customer',
      reason: request.reason,
      // The figures the review starts from, as they stand now.
      figures: {
        recommendation: onboarding ? { overall: onboarding.recommendation.overall, segments: onboarding.recommendation.segments.map((s) => ({ segment: s.segment, skus: s.skus, strategy: s.strategy })) } : null,
        profile: onboarding?.recommendation.figures ?? null,
        analysedAt: onboarding?.profile.analysedAt ?? null,
        contract: contract ? { product: contract.product, status: contract.status, plan: contract.plan, offerLimit: contract.offerLimit, endsAt: contract.endsAt } : null,
        marketplaces: [...customer.marketplaces],
        needsAssessment: customer.needsAssessment ?? null,
      },
    },
  });
  await deps.tasks.createIfAbsent(review);
  await notifyCsm(deps, {
    notificationId: stableId('n', `reconsultation#${key}`),
    eventId: `reconsultation#${key}`,
    eventType: 'reconsultation.requested',
    occurredAt: now.toISOString(),
    customerId: customer.tenantId,
    companyName: customer.companyName,
    language: customer.language,
    product: contract?.product ?? 'repricer',
    title: `Re-consultation requested: ${customer.companyName}`,
    message: cutText(`${customer.companyName} asks for a strategy review: "${request.reason}". Call to review the strategy.`, 1000),
    csmId: customer.assignment?.csmId ?? null,
    needsLeadAttention: !customer.assignment,
    createdAt: now.toISOString(),
    pushedAt: null,
  });
  return (await deps.tasks.get(review.taskId)) ?? review;
}
