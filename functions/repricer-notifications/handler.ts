import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { repricerAdapters } from '../../shared/adapters/repricer-factories.ts';
import { queueConsumer } from '../../shared/adapters/sqs/queue-consumer.ts';
import { parseOfferChangedNotification } from '../../shared/repricer/notification.ts';
import { handleOfferChanges } from '../../shared/repricer/offer-change-handling.ts';
import type { OfferChangeEvent } from '../../shared/repricer/types.ts';

const deps = repricerAdapters.deps();

/** Amazon's envelope; the body is checked by the notification parser (a ValidationError there is poison → DLQ). */
const notification = z.object({ NotificationType: z.enum(['ANY_OFFER_CHANGED', 'B2B_ANY_OFFER_CHANGED']) }).loose();

const listing = (e: OfferChangeEvent) => `${e.sellerId}|${e.marketplaceId}|${e.audience}|${e.asin}`;
let newestInBatch = new Map<string, { at: number; messageId: string }>();

const consumer = queueConsumer({
  queue: 'repricerNotifications',
  message: notification,
  handle: async (raw, record) => {
    const event = parseOfferChangedNotification(raw);
    // A burst for one listing in one batch is coalesced: only its newest notification reprices.
    const newest = newestInBatch.get(listing(event));
    if (newest && newest.messageId !== record.messageId) return { coalesced: true };
    return handleOfferChanges(deps, [event]);
  },
});

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const newest = new Map<string, { at: number; messageId: string }>();
  for (const record of event.Records) {
    try {
      const e = parseOfferChangedNotification(JSON.parse(record.body));
      const prev = newest.get(listing(e));
      if (!prev || prev.at <= e.timeOfOfferChange.getTime()) newest.set(listing(e), { at: e.timeOfOfferChange.getTime(), messageId: record.messageId });
    } catch {
      // the consumer sends it to the DLQ with its reason
    }
  }
  newestInBatch = newest;
  return consumer(event, context);
}
