/**
 * Customer lifecycle events: the contract between producers (API functions, outbox relay) and consumers
 * (CSM notifier, …). One zod schema per event with a `version`; old payloads must keep parsing
 * (test/contracts keeps them as data).
 */
import * as z from 'zod';
import { LANGUAGE_CODES } from '../kernel/languages.ts';
import { MARKETPLACE_CODES } from '../kernel/marketplaces.ts';

export const PRODUCTS = ['repricer', 'lost-and-found'] as const;
export const productSchema = z.enum(PRODUCTS);
export type Product = z.infer<typeof productSchema>;

export const customerSnapshotSchema = z.object({
  customerId: z.string().min(1),
  companyName: z.string().min(1),
  language: z.enum(LANGUAGE_CODES),
  marketplaces: z.array(z.enum(MARKETPLACE_CODES)).min(1),
  amazonSellerId: z.string().min(1),
  timeZone: z.string().min(1),
});

export const customerSignedUpV1 = z.object({
  eventId: z.string().min(1),
  eventType: z.literal('customer.signed-up'),
  version: z.literal(1),
  occurredAt: z.iso.datetime(),
  tenantId: z.string().min(1),
  product: productSchema,
  /** Repricer sign-ups start a trial that ends at this instant. */
  trialEndsAt: z.iso.datetime().nullable(),
  customer: customerSnapshotSchema,
});
export type CustomerSignedUpV1 = z.infer<typeof customerSignedUpV1>;

/** Every customer event a consumer may receive, discriminated by `eventType`. */
export const customerEventSchema = z.discriminatedUnion('eventType', [customerSignedUpV1]);
export type CustomerEvent = z.infer<typeof customerEventSchema>;
export type CustomerEventType = CustomerEvent['eventType'];
