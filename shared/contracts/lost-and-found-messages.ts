import * as z from 'zod';

/** Message on the audit queue: audit a tenant's uploaded reports as of a date. */
export const auditRequestedV1 = z.object({
  version: z.literal(1),
  customerId: z.string().min(1).max(128),
  auditId: z.string().regex(/^audit-[a-z0-9-]{1,60}$/),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

const isoInstant = z.iso.datetime();

/**
 * Message on the report fetch queue: one step of the chain that fetches one report for one customer (see
 * shared/lost-and-found/report-fetch.ts). `reportId` is set once the report is requested; `polls` counts the looks.
 */
export const reportFetchStepV1 = z.object({
  version: z.literal(1),
  customerId: z.string().min(1).max(128),
  sellerId: z.string().regex(/^[A-Z0-9]{8,20}$/),
  marketplaces: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1).max(30),
  reportType: z.string().regex(/^[A-Z0-9_]{3,80}$/),
  runDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  chunkStart: isoInstant,
  windowEnd: isoInstant,
  reportId: z.string().min(1).max(128).optional(),
  polls: z.number().int().min(0).max(10_000),
});
