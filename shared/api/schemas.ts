/** Request and response bodies of the HTTP API. The handlers validate with these and /openapi.json is generated from them. */
import * as z from 'zod';
import { LANGUAGE_CODES } from '../kernel/languages.ts';
import { MARKETPLACE_CODES } from '../kernel/marketplaces.ts';
import { productSchema } from '../contracts/customer-events.ts';

export const errorBodySchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ id: 'Error' });

export const timeZoneSchema = z.string().refine(isValidTimeZone, { message: 'unknown IANA time zone' });

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const signupRequestSchema = z
  .strictObject({
    product: productSchema,
    companyName: z.string().trim().min(1).max(200),
    contactEmail: z.email(),
    language: z.enum(LANGUAGE_CODES),
    marketplaces: z
      .array(z.enum(MARKETPLACE_CODES))
      .min(1)
      .max(MARKETPLACE_CODES.length)
      .refine((m) => new Set(m).size === m.length, { message: 'marketplaces must not repeat' }),
    amazonSellerId: z.string().regex(/^[A-Z0-9]{10,16}$/, 'an Amazon merchant token such as A2EXAMPLE12345'),
    timeZone: timeZoneSchema.optional(),
  })
  .meta({ id: 'SignupRequest' });
export type SignupRequest = z.infer<typeof signupRequestSchema>;

export const contractViewSchema = z.object({
  product: productSchema,
  status: z.enum(['trial', 'active', 'cancelled']),
  startedAt: z.iso.datetime(),
  trialEndsAt: z.iso.datetime().nullable(),
});

export const customerViewSchema = z
  .object({
    customerId: z.string(),
    companyName: z.string(),
    contactEmail: z.string(),
    language: z.enum(LANGUAGE_CODES),
    marketplaces: z.array(z.enum(MARKETPLACE_CODES)),
    amazonSellerId: z.string(),
    timeZone: z.string(),
    contracts: z.array(contractViewSchema),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Customer' });
export type CustomerView = z.infer<typeof customerViewSchema>;

export const customerPathSchema = z.strictObject({ customerId: z.string().min(1).max(128) });

export const csmNotificationSchema = z
  .object({
    notificationId: z.string(),
    eventType: z.string(),
    occurredAt: z.iso.datetime(),
    customerId: z.string(),
    companyName: z.string(),
    language: z.string(),
    product: z.string(),
    title: z.string(),
    message: z.string(),
    csmId: z.string().nullable(),
    pushedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'CsmNotification' });

export const csmNotificationsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(512).optional(),
});

export const csmNotificationsPageSchema = z
  .object({ items: z.array(csmNotificationSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'CsmNotificationPage' });

export const emptySchema = z.strictObject({});
