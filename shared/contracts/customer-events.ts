/**
 * Customer lifecycle events: the contract between producers (API functions, outbox relay) and consumers
 * (CSM notifier, …). One zod schema per event with a `version`; old payloads must keep parsing
 * (test/contracts keeps them as data).
 */
import * as z from 'zod';
import { LANGUAGE_CODES } from '#shared/kernel/languages.ts';
import { MARKETPLACE_CODES } from '#shared/kernel/marketplaces.ts';

export const PRODUCTS = ['repricer', 'lost-and-found'] as const;
export const productSchema = z.enum(PRODUCTS);
export type Product = z.infer<typeof productSchema>;

export const PLANS = ['starter', 'professional', 'enterprise'] as const;
export const planSchema = z.enum(PLANS);
export type Plan = z.infer<typeof planSchema>;

export const customerSnapshotSchema = z.object({
  customerId: z.string().min(1),
  companyName: z.string().min(1),
  language: z.enum(LANGUAGE_CODES),
  marketplaces: z.array(z.enum(MARKETPLACE_CODES)).min(1),
  amazonSellerId: z.string().min(1),
  timeZone: z.string().min(1),
});
export type CustomerSnapshot = z.infer<typeof customerSnapshotSchema>;

const envelope = {
  eventId: z.string().min(1),
  occurredAt: z.iso.datetime(),
  tenantId: z.string().min(1),
  product: productSchema,
  customer: customerSnapshotSchema,
  /**
   * The id of the request (or message) whose work caused the event, for tracing it across functions' logs.
   * Optional: events written before it existed have none.
   */
  correlationId: z.string().min(1).max(128).optional(),
};

export const customerSignedUpV1 = z.object({
  ...envelope,
  eventType: z.literal('customer.signed-up'),
  version: z.literal(1),
  /** Repricer sign-ups start a trial that ends at this instant. */
  trialEndsAt: z.iso.datetime().nullable(),
});
export type CustomerSignedUpV1 = z.infer<typeof customerSignedUpV1>;

export const contractCancelledV1 = z.object({
  ...envelope,
  eventType: z.literal('contract.cancelled'),
  version: z.literal(1),
  reason: z.string().max(2000).nullable(),
  effectiveAt: z.iso.datetime(),
});

export const contractExtendedV1 = z.object({
  ...envelope,
  eventType: z.literal('contract.extended'),
  version: z.literal(1),
  months: z.number().int().min(1).max(60),
  previousEndsAt: z.iso.datetime().nullable(),
  endsAt: z.iso.datetime(),
});

export const contractChangedV1 = z.object({
  ...envelope,
  eventType: z.literal('contract.changed'),
  version: z.literal(1),
  changes: z.object({
    plan: z.object({ from: planSchema, to: planSchema }).optional(),
    offerLimit: z.object({ from: z.number().int(), to: z.number().int() }).optional(),
    marketplaces: z.object({ from: z.array(z.enum(MARKETPLACE_CODES)), to: z.array(z.enum(MARKETPLACE_CODES)) }).optional(),
  }),
});

/**
 * A trial became a paid term because the customer said so on the end-of-trial call (R-O4): the CSM manager who
 * made the call recorded `converted: true`. `contract.extended` stays what the customer does from the API.
 */
export const contractConvertedV1 = z.object({
  ...envelope,
  eventType: z.literal('contract.converted'),
  version: z.literal(1),
  trialEndsAt: z.iso.datetime().nullable(),
  termMonths: z.number().int().min(1).max(60),
  endsAt: z.iso.datetime(),
  /** The manager who recorded the conversion. */
  convertedBy: z.string().min(1),
});

/** Every customer event a consumer may receive, discriminated by `eventType`. */
export const customerEventSchema = z.discriminatedUnion('eventType', [
  customerSignedUpV1,
  contractCancelledV1,
  contractExtendedV1,
  contractChangedV1,
  contractConvertedV1,
]);
export type CustomerEvent = z.infer<typeof customerEventSchema>;
export type CustomerEventType = CustomerEvent['eventType'];
export const CUSTOMER_EVENT_TYPES = ['customer.signed-up', 'contract.cancelled', 'contract.extended', 'contract.changed', 'contract.converted'] as const satisfies readonly CustomerEventType[];
