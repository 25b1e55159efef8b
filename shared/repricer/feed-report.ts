/**
 * Amazon's JSON_LISTINGS_FEED processing report (schemas/feeds/listings-feed-processing-report-schema-v2.json in
 * amzn/selling-partner-api-models): `{header, issues: [{messageId?, sku?, code, severity, message}], summary}`.
 * A message with an ERROR issue was not applied; an issue without a messageId concerns the whole feed (every
 * message failed). Everything else the feed carried was accepted, with its warnings. Pure: the SP-API adapter and
 * the simulated Amazon both read their reports through it.
 */
import * as z from 'zod';
import { ValidationError } from '#shared/kernel/errors.ts';
import type { FeedMessageRef, FeedMessageResult, PriceFeedOutcome } from './ports.ts';
import { zodToValidationError } from './validation.ts';

const issueSchema = z.object({
  messageId: z.number().int().positive().optional(),
  sku: z.string().optional(),
  code: z.string().optional(),
  severity: z.enum(['ERROR', 'WARNING', 'INFO']),
  message: z.string(),
});

export const processingReportSchema = z.object({
  header: z.object({ sellerId: z.string(), version: z.string(), feedId: z.string() }).loose(),
  issues: z.array(issueSchema),
  summary: z.object({ errors: z.number().int(), warnings: z.number().int(), messagesProcessed: z.number().int(), messagesAccepted: z.number().int(), messagesInvalid: z.number().int() }).loose(),
});

function text(issue: z.infer<typeof issueSchema>): string {
  return issue.code ? `${issue.code} ${issue.message}` : issue.message;
}

/** Reads a processing report into one result per SKU of the feed; throws ValidationError for a document that is not one. */
export function readProcessingReport(raw: unknown, messages: readonly FeedMessageRef[]): PriceFeedOutcome {
  const parsed = processingReportSchema.safeParse(raw);
  if (!parsed.success) throw zodToValidationError(parsed.error, 'processing report');
  const report = parsed.data;
  const feedLevel = report.issues.filter((i) => i.messageId === undefined && i.sku === undefined && i.severity === 'ERROR');
  if (feedLevel.length > 0) return { status: 'FAILED', message: feedLevel.map(text).join('; ') };
  const skuOfMessage = new Map(messages.map((m) => [m.messageId, m.sku]));
  const results = new Map<string, { errors: string[]; warnings: string[] }>(messages.map((m) => [m.sku, { errors: [], warnings: [] }]));
  for (const issue of report.issues) {
    const sku = issue.sku ?? (issue.messageId === undefined ? undefined : skuOfMessage.get(issue.messageId));
    const entry = sku === undefined ? undefined : results.get(sku);
    if (!entry) continue; // about a message we did not send: nothing of ours to mark
    if (issue.severity === 'ERROR') entry.errors.push(text(issue));
    else if (issue.severity === 'WARNING') entry.warnings.push(text(issue));
  }
  const out = new Map<string, FeedMessageResult>();
  for (const [sku, { errors, warnings }] of results) out.set(sku, { sku, accepted: errors.length === 0, errors, warnings });
  return { status: 'DONE', results: out };
}

/** Message ids of our feed documents: the n-th change of a feed is message n + 1. */
export function feedMessageRefs(skus: readonly string[]): FeedMessageRef[] {
  return skus.map((sku, k) => ({ messageId: k + 1, sku }));
}

/** Guards against a report of another feed being read as this one's. */
export function checkReportFeed(raw: unknown, feedId: string): void {
  const reported = (raw as { header?: { feedId?: unknown } } | null)?.header?.feedId;
  if ((typeof reported === 'string' || typeof reported === 'number') && String(reported) !== feedId) {
    throw new ValidationError(`processing report: header.feedId ${String(reported)} is not feed ${feedId}`, { field: 'header.feedId' });
  }
}
