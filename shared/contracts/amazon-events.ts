/**
 * Amazon connection events on the customer-events topic (attribute eventType): the profile analysis consumer
 * waits for `amazon.connected` before it asks Amazon anything about a tenant's seller.
 */
import * as z from 'zod';

export const amazonConnectedV1 = z.object({
  eventType: z.literal('amazon.connected'),
  version: z.literal(1),
  eventId: z.string().min(1),
  occurredAt: z.iso.datetime(),
  tenantId: z.string().min(1),
  sellerId: z.string().min(1),
  region: z.enum(['na', 'eu', 'fe']),
});
export type AmazonConnectedV1 = z.infer<typeof amazonConnectedV1>;

/**
 * Amazon's REPORT_PROCESSING_FINISHED notification (notificationVersion 2020-09-04), as
 * `test/fixtures/amazon/schemas/notifications/ReportProcessingFinishedNotification.json` defines it; the metadata
 * and `accountId` are not read (a sample without them still parses). `sellerId` is absent for vendors: nothing of
 * ours then.
 */
export const reportProcessingFinishedNotification = z.object({
  notificationType: z.literal('REPORT_PROCESSING_FINISHED'),
  eventTime: z.string().optional(),
  payload: z.object({
    reportProcessingFinishedNotification: z.object({
      sellerId: z.string().optional(),
      reportId: z.string(),
      reportType: z.string(),
      processingStatus: z.enum(['CANCELLED', 'DONE', 'FATAL', 'IN_PROGRESS', 'IN_QUEUE']),
      reportDocumentId: z.string().optional(),
    }),
  }),
});
export type ReportProcessingFinishedNotification = z.infer<typeof reportProcessingFinishedNotification>;
