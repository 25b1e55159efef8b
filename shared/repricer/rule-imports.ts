/**
 * Bulk rule uploads too large to write within the API's timeout become jobs. The API validates the whole file and
 * binds the seller first (so every refusal is still a 4xx before anything is written), stores the offers in chunks
 * with the job, queues one message per chunk and answers `202` with the job id. The rule-import consumer writes a
 * chunk's offers and marks the chunk done together with the job's counts in one transaction, so a redelivered chunk
 * is counted into the job once (offers are written with version-conditioned writes either way). `GET /repricer/rules/jobs/{jobId}` shows the progress.
 */
import { NotFoundError } from '#shared/kernel/errors.ts';
import { inputId } from '#shared/kernel/ids.ts';
import { claimSellerForRules, writeOfferRules } from './offer-management.ts';
import type { RepricerStore, RuleImportJob, RuleImportQueue, RuleImportStore } from './ports.ts';
import type { OfferRules } from './types.ts';

/**
 * Uploads up to this many offers are written while the caller waits (`200` with the counts): measured locally, 500
 * offers take well under a second of the API's 29 s. Larger ones (the schema allows 10,000) are jobs.
 */
export const RULES_WRITTEN_AT_ONCE = 500;
/** Offers per stored chunk and queued message (a chunk item stays far below DynamoDB's 400 KB). */
export const RULE_IMPORT_CHUNK = 250;

export type RuleImportView = RuleImportJob & { readonly status: 'queued' | 'running' | 'done' };

export function ruleImportView(job: RuleImportJob): RuleImportView {
  const status = job.chunksDone >= job.chunks ? 'done' : job.chunksDone > 0 ? 'running' : 'queued';
  return { ...job, status };
}

export async function startRuleImport(
  deps: { store: RepricerStore; imports: RuleImportStore; queue: RuleImportQueue },
  tenantId: string,
  sellerId: string,
  offers: readonly OfferRules[],
  requestId: string,
  nowMs: number,
): Promise<RuleImportView> {
  await claimSellerForRules(deps.store, tenantId, sellerId);
  const jobId = inputId('rules', `${tenantId}#${requestId}`);
  const existing = await deps.imports.getRuleImport(tenantId, jobId);
  if (existing) {
    // A retried request (same Idempotency-Key): its chunks are stored; queue them again in case the first answer was
    // lost before they were all queued (a chunk already done is skipped by the consumer).
    await deps.queue.enqueue(Array.from({ length: existing.chunks }, (_, chunk) => ({ tenantId, sellerId: existing.sellerId, jobId, chunk })));
    return ruleImportView(existing);
  }
  const chunks: OfferRules[][] = [];
  for (let i = 0; i < offers.length; i += RULE_IMPORT_CHUNK) chunks.push(offers.slice(i, i + RULE_IMPORT_CHUNK));
  const job: RuleImportJob = {
    jobId,
    tenantId,
    sellerId,
    offers: offers.length,
    chunks: chunks.length,
    chunksDone: 0,
    created: 0,
    updated: 0,
    requestedAtMs: nowMs,
  };
  await deps.imports.createRuleImport(job, chunks);
  await deps.queue.enqueue(chunks.map((_, chunk) => ({ tenantId, sellerId, jobId: job.jobId, chunk })));
  return ruleImportView(job);
}

/** The consumer: writes one chunk's offers once (a done chunk is skipped), then counts it into the job. */
export async function runRuleImportChunk(
  deps: { store: RepricerStore; imports: RuleImportStore; now: () => Date },
  message: { tenantId: string; sellerId: string; jobId: string; chunk: number },
): Promise<void> {
  const offers = await deps.imports.pendingChunk(message.tenantId, message.jobId, message.chunk);
  if (!offers) return;
  const counts = await writeOfferRules(deps.store, message.tenantId, message.sellerId, offers, deps.now().getTime());
  await deps.imports.completeChunk(message.tenantId, message.jobId, message.chunk, counts, deps.now().getTime());
}

export async function getRuleImport(imports: RuleImportStore, tenantId: string, jobId: string): Promise<RuleImportView> {
  const job = await imports.getRuleImport(tenantId, jobId);
  if (!job) throw new NotFoundError(`rules job ${jobId}`);
  return ruleImportView(job);
}
