/** Repricer queue messages: versioned contracts shared by producers (tick, workers) and consumers. */
import * as z from 'zod';

const storedOffer = z.looseObject({
  tenantId: z.string().min(1),
  sellerId: z.string().min(1),
  version: z.number().int().min(1),
  rules: z.looseObject({ sku: z.string().min(1), asin: z.string().min(1), marketplaceId: z.string().min(1), audience: z.enum(['B2C', 'B2B']) }),
  state: z.looseObject({ phase: z.number().int() }),
});

/**
 * A batch of due offers the tick fans out to a reprice worker, carrying the offers themselves. Superseded by
 * V2 (a job of 100 realistic offers overflowed SQS's limits); still accepted, as keys, for jobs queued before.
 */
export const repriceJobV1 = z.object({
  version: z.literal(1),
  marketplaceId: z.string().min(1),
  trigger: z.enum(['tick', 'notification']),
  fetchBudget: z.number().int().min(0),
  bulk: z.boolean(),
  offers: z.array(storedOffer).min(1).max(500),
});
export type RepriceJobV1 = z.infer<typeof repriceJobV1>;

/** One chunk of a large bulk rule upload, written to the offers by the rule-import consumer. */
export const ruleImportChunkV1 = z.object({
  version: z.literal(1),
  tenantId: z.string().min(1),
  sellerId: z.string().min(1),
  jobId: z.string().regex(/^rules-[a-z0-9-]{1,60}$/),
  chunk: z.number().int().min(0),
});
export type RuleImportChunkV1 = z.infer<typeof ruleImportChunkV1>;

/** The key of one offer in a job (the marketplace is the job's). */
const offerKey = z.object({
  tenantId: z.string().min(1),
  audience: z.enum(['B2C', 'B2B']),
  asin: z.string().min(1),
  sku: z.string().min(1).max(200),
});

/**
 * A batch of due offers the tick fans out to a reprice worker, by key: the worker reads the offers. 500 keys
 * of 200-character SKUs stay below 160 KiB, so a job always fits SQS's 256 KiB message.
 */
export const repriceJobV2 = z.object({
  version: z.literal(2),
  marketplaceId: z.string().min(1),
  fetchBudget: z.number().int().min(0),
  bulk: z.boolean(),
  offers: z.array(offerKey).min(1).max(500),
});
export type RepriceJobV2 = z.infer<typeof repriceJobV2>;

/**
 * One shard of a marketplace's scheduled tick: the shard-tick consumer streams the due offers of `due` shard `shard`
 * into reprice jobs (the scheduled tick sends one per shard, so no single run reads the whole marketplace).
 */
export const shardTickV1 = z.object({
  version: z.literal(1),
  marketplaceId: z.string().min(1),
  shard: z.number().int().min(0).max(63),
  tickMinutes: z.number().int().min(1).max(1440),
  scheduledTime: z.iso.datetime({ offset: true }),
  /** A continuation of the shard tick: the `due` cursor where the previous part stopped. */
  resumeFrom: z.string().min(1).max(4096).optional(),
});
export type ShardTickV1 = z.infer<typeof shardTickV1>;

/**
 * One hourly reading of a tenant's FBA stock in one marketplace (issue 21 stock): the stock reader calls
 * getInventorySummaries for the seller and stores the fulfillable units per SKU.
 */
export const stockReadV1 = z.object({
  version: z.literal(1),
  tenantId: z.string().min(1),
  sellerId: z.string().min(1),
  /** Marketplace code (`DE`). */
  marketplace: z.string().regex(/^[A-Z]{2}$/),
});
export type StockReadV1 = z.infer<typeof stockReadV1>;

/** What the jobs queue may hold: V2, and V1 jobs queued before V2 was deployed. */
export const repriceJobMessage = z.discriminatedUnion('version', [repriceJobV1, repriceJobV2]);
export type RepriceJobMessage = z.infer<typeof repriceJobMessage>;

export const MARKET_CHANGE_KINDS = ['new-competitor', 'amazon-appeared', 'amazon-left', 'buybox-lost-at-min'] as const;

/** R-P5: the market of a listing changed in a way that calls for a new consultation. */
export const marketChangedV1 = z.object({
  eventType: z.literal('market.changed'),
  version: z.literal(1),
  kind: z.enum(MARKET_CHANGE_KINDS),
  tenantId: z.string().min(1),
  sellerId: z.string().min(1),
  marketplaceId: z.string().min(1),
  asin: z.string().min(1),
  audience: z.enum(['B2C', 'B2B']),
  detail: z.string().max(2000),
  occurredAt: z.iso.datetime(),
});
export type MarketChangedV1 = z.infer<typeof marketChangedV1>;
