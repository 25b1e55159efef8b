import * as z from 'zod';

/** Message on the audit queue: audit a tenant's uploaded reports as of a date. */
export const auditRequestedV1 = z.object({
  version: z.literal(1),
  customerId: z.string().min(1).max(128),
  auditId: z.string().regex(/^audit-[a-z0-9-]{1,60}$/),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
