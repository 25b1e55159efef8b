import * as z from 'zod';
import { queueConsumer } from '#shared/adapters/sqs/queue-consumer.ts';
import type { DeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import type { RetryLater } from '#shared/adapters/sqs/retry-later.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import { amazonConnectedV1 } from '#shared/contracts/amazon-events.ts';
import { customerSignedUpV1 } from '#shared/contracts/customer-events.ts';
import { AmazonAuthorisationRevokedError, UpstreamError } from '#shared/kernel/upstream.ts';
import { parkProfileAnalysis, runProfileAnalysis, type ProfileAnalysisDeps } from '#shared/onboarding/profile-analysis.ts';

export interface Deps extends ProfileAnalysisDeps {
  readonly deadLetters: DeadLetterQueue;
  readonly retryLater: RetryLater;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const core = coreAdapters(env, overrides);
  const amazon = amazonAccessAdapters(env, overrides);
  return {
    customers: core.customerRepository(),
    connections: amazon.connections(),
    profiles: core.sellerProfiles(),
    onboarding: core.onboardingRepository(),
    statuses: amazon.analysisStatuses(),
    clock: core.clock,
    source: amazon.source(),
    deadLetters: core.deadLetterQueue('amazonProfileAnalysis'),
    retryLater: core.retryLater('amazonProfileAnalysis'),
  };
}

/** Runs on a Repricer sign-up and on amazon.connected: whichever comes last finds both and analyses. */
export function createHandler({ deadLetters, retryLater, ...deps }: Deps) {
  return queueConsumer({
    deadLetters,
    retryLater,
    message: z.union([customerSignedUpV1, amazonConnectedV1]),
    handle: async (event, record) => {
      try {
        await runProfileAnalysis(deps, event.tenantId);
      } catch (error) {
        // A revoked seller will not answer however often we ask: park at once (the CSM already has a task).
        if (error instanceof AmazonAuthorisationRevokedError) return parkProfileAnalysis(deps, event.tenantId, error.message);
        if (error instanceof UpstreamError) {
          // The onboarding view says why it is still pending while the consumer retries with backoff.
          const previous = await deps.statuses.get(event.tenantId);
          await deps.statuses.put({
            tenantId: event.tenantId,
            status: 'pending',
            reason: `Amazon refused (attempt ${record.attributes.ApproximateReceiveCount}, retrying): ${error.message}`,
            source: deps.source,
            sellerId: previous?.sellerId ?? null,
            updatedAt: deps.clock.now().toISOString(),
          });
        }
        throw error;
      }
    },
    park: (event, error) => parkProfileAnalysis(deps, event.tenantId, error.message),
  });
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
