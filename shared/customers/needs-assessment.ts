/**
 * The needs assessment of the welcome call (R-O3), structured: the customer's goals, its catalogue, the
 * marketplaces it wants to serve, its pain points and the strategy chosen with it. Recorded with the welcome
 * call's outcome and shown in the customer 360 (`GET /customers/{customerId}`); a later call's assessment
 * replaces it.
 */
import * as z from 'zod';
import { NotFoundError } from '#shared/kernel/errors.ts';
import { MARKETPLACE_CODES } from '#shared/kernel/marketplaces.ts';
import type { CustomerRecord } from './customer.ts';
import { commitWithEvents, type CommitDeps } from './outbox.ts';

const phrase = z.string().trim().min(1).max(300);

export const needsAssessmentSchema = z.strictObject({
  goals: z.array(phrase).min(1).max(10),
  catalogue: z.strictObject({
    skus: z.number().int().min(0).max(10_000_000).optional(),
    privateLabelPercent: z.number().min(0).max(100).optional(),
    categories: z.array(phrase).max(20).default([]),
    notes: z.string().trim().max(2000).optional(),
  }),
  marketplaces: z.array(z.enum(MARKETPLACE_CODES)).max(MARKETPLACE_CODES.length).default([]),
  painPoints: z.array(phrase).max(20).default([]),
  chosenStrategy: z.enum(['buybox', 'push', 'fixed', 'split']),
});
export type NeedsAssessmentInput = z.infer<typeof needsAssessmentSchema>;

export interface NeedsAssessment extends NeedsAssessmentInput {
  readonly recordedBy: string;
  readonly recordedAt: string;
  /** The task whose outcome carried it. */
  readonly taskId: string;
}

/** Stores the assessment on the customer (one version-conditioned write; no event: nothing outside needs it). */
export async function recordNeedsAssessment(
  deps: CommitDeps,
  tenantId: string,
  assessment: NeedsAssessmentInput,
  by: { readonly staffId: string; readonly taskId: string },
): Promise<CustomerRecord> {
  return commitWithEvents(deps, tenantId, (current) => {
    if (!current) throw new NotFoundError(`customer ${tenantId} of task ${by.taskId}`);
    const needsAssessment: NeedsAssessment = { ...assessment, recordedBy: by.staffId, recordedAt: deps.clock.now().toISOString(), taskId: by.taskId };
    return { record: { ...current, needsAssessment }, events: [] };
  });
}
