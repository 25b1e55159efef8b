import type { SQSRecord } from 'aws-lambda';
import { reportFetchStepV1 } from '#shared/contracts/lost-and-found-messages.ts';
import { queueConsumer, UPSTREAM_ATTEMPTS, upstreamRetryDelaySeconds } from '#shared/adapters/sqs/queue-consumer.ts';
import type { DeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import type { RetryLater } from '#shared/adapters/sqs/retry-later.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { envNames, MisconfiguredError } from '#shared/adapters/environment.ts';
import { lostAndFoundAdapters } from '#shared/adapters/lost-and-found-factories.ts';
import { UpstreamError } from '#shared/kernel/upstream.ts';
import { logger } from '#shared/adapters/observability.ts';
import { recordFetchFailure, REPORT_POLL_DELAY_SECONDS, runReportFetchStep, type StepDeps } from '#shared/lost-and-found/report-fetch.ts';

/** Without Amazon (a deployment not connected to the SP-API) the planner starts no chain and there is nothing to fetch. */
export type Deps = Omit<StepDeps, 'amazon'> & { readonly amazon: StepDeps['amazon'] | undefined; readonly deadLetters: DeadLetterQueue; readonly retryLater: RetryLater };

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = lostAndFoundAdapters(env, overrides);
  return {
    amazon: adapters.amazonReports(),
    reports: adapters.reports(),
    statuses: adapters.fetchStatuses(),
    queue: adapters.reportFetchQueue(),
    store: adapters.store(),
    auditQueue: adapters.auditQueue(),
    clock: adapters.clock,
    pollDelaySeconds: pollDelaySeconds(env),
    listings: adapters.listingsImporter(),
    sales: adapters.salesImporter(),
    deadLetters: adapters.deadLetterQueue('lostFoundReportFetches'),
    retryLater: adapters.retryLater('lostFoundReportFetches'),
  };
}

export function createHandler({ deadLetters, retryLater, amazon, ...rest }: Deps) {
  return queueConsumer({
    deadLetters,
    retryLater,
    message: reportFetchStepV1,
    handle: async ({ version: _version, ...step }, record: SQSRecord) => {
      if (!amazon) {
        logger.warn('report fetch step ignored: not connected to the SP-API', { customerId: step.customerId, reportType: step.reportType });
        return { skipped: 'not connected to the SP-API' };
      }
      const deps = { ...rest, amazon };
      try {
        return await runReportFetchStep(deps, step, record.messageId);
      } catch (error) {
        // The status shows why the step is being retried; after the last attempt the chain is failed (and the
        // message goes to the DLQ, whose alarm the operators get).
        if (error instanceof UpstreamError) {
          const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
          await recordFetchFailure(deps, step, error, attempt >= UPSTREAM_ATTEMPTS, upstreamRetryDelaySeconds(attempt));
        }
        throw error;
      }
    },
  });
}

/** REPORT_POLL_DELAY_SECONDS: 0–900 (SQS's delay range); Amazon's usual minute when unset. */
function pollDelaySeconds(env: Environment): number {
  const raw = env[envNames.reportPollDelaySeconds];
  if (raw === undefined || raw === '') return REPORT_POLL_DELAY_SECONDS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 900) throw new MisconfiguredError(envNames.reportPollDelaySeconds, 'is not a whole number of seconds from 0 to 900');
  return value;
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
