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
