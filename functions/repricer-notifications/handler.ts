import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { queueConsumer } from '#shared/adapters/sqs/queue-consumer.ts';
import type { DeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import type { RetryLater } from '#shared/adapters/sqs/retry-later.ts';
import { parseOfferChangedNotification } from '#shared/repricer/notification.ts';
import { handleOfferChanges } from '#shared/repricer/offer-change-handling.ts';
import type { RepricerDeps } from '#shared/repricer/ports.ts';
import type { OfferChangeEvent } from '#shared/repricer/types.ts';
import { reportProcessingFinishedNotification } from '#shared/contracts/amazon-events.ts';
import { lostAndFoundAdapters } from '#shared/adapters/lost-and-found-factories.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { logger } from '#shared/adapters/observability.ts';
import { reportProcessingFinished, type StepDeps } from '#shared/lost-and-found/report-fetch.ts';
import type { AmazonConnectionStore } from '#shared/amazon-access/index.ts';

/**
 * Amazon's envelope (PascalCase, or camelCase as the B2B schema had it until 2026); the body is checked by the
 * notification parser (a ValidationError there is poison → DLQ).
 */
const offerNotificationType = z.enum(['ANY_OFFER_CHANGED', 'B2B_ANY_OFFER_CHANGED']);
const offerNotification = z.union([z.object({ NotificationType: offerNotificationType }).loose(), z.object({ notificationType: offerNotificationType }).loose()]);
/** The queue is our one Notifications API destination: Amazon's REPORT_PROCESSING_FINISHED arrives here too. */
const notification = z.union([offerNotification, reportProcessingFinishedNotification]);

/** When SQS received the message: the decision time of a notification that carries no time of its own. */
const receivedAt = (record: SQSRecord): Date => new Date(Number(record.attributes.SentTimestamp));

const listing = (e: OfferChangeEvent) => `${e.sellerId}|${e.marketplaceId}|${e.audience}|${e.asin}`;

export interface Deps extends RepricerDeps {
  readonly deadLetters: DeadLetterQueue;
  /** Re-queues a unit of work the SP-API quota had no token for (with the quota's delay). */
  readonly retryLater: RetryLater;
  /** Where a REPORT_PROCESSING_FINISHED moves the waiting report fetch chain of the seller's tenant on. */
  readonly reportFetches: Pick<StepDeps, 'statuses' | 'queue'> & { readonly connections: Pick<AmazonConnectionStore, 'tenantOfSeller'> };
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = repricerAdapters(env, overrides);
  const lostAndFound = lostAndFoundAdapters(env, { ...overrides, aws: adapters.aws });
  return {
    ...adapters.deps(),
    deadLetters: adapters.deadLetterQueue('repricerNotifications'),
    retryLater: adapters.retryLater('repricerNotifications'),
    reportFetches: {
      statuses: lostAndFound.fetchStatuses(),
      queue: lostAndFound.reportFetchQueue(),
      connections: amazonAccessAdapters(env, { ...overrides, aws: adapters.aws }).connections(),
    },
  };
}

export function createHandler({ deadLetters, retryLater, reportFetches, ...deps }: Deps) {
  let newestInBatch = new Map<string, { at: number; messageId: string }>();

  const consumer = queueConsumer({
    deadLetters,
    retryLater,
    message: notification,
    handle: async (raw, record) => {
      const finished = reportProcessingFinishedNotification.safeParse(raw);
      if (finished.success) {
        const report = finished.data.payload.reportProcessingFinishedNotification;
        const owner = report.sellerId === undefined ? undefined : await reportFetches.connections.tenantOfSeller(report.sellerId);
        if (!owner) {
          logger.info('REPORT_PROCESSING_FINISHED for no seller of ours', { reportId: report.reportId });
          return { ignored: 'no tenant' };
        }
        return { report: await reportProcessingFinished(reportFetches, owner.tenantId, report) };
      }
      const event = parseOfferChangedNotification(raw, { receivedAt: receivedAt(record) });
      // A burst for one listing in one batch is coalesced: only its newest notification reprices.
      const newest = newestInBatch.get(listing(event));
      if (newest && newest.messageId !== record.messageId) return { coalesced: true };
      return handleOfferChanges(deps, [event]);
    },
  });

  return async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const newest = new Map<string, { at: number; messageId: string }>();
    for (const record of event.Records) {
      try {
        const e = parseOfferChangedNotification(JSON.parse(record.body), { receivedAt: receivedAt(record) });
        const prev = newest.get(listing(e));
        if (!prev || prev.at <= e.timeOfOfferChange.getTime()) newest.set(listing(e), { at: e.timeOfOfferChange.getTime(), messageId: record.messageId });
      } catch {
        // the consumer sends it to the DLQ with its reason
      }
    }
    newestInBatch = newest;
    return consumer(event, context);
  };
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
