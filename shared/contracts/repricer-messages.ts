/** Repricer queue messages: versioned contracts shared by producers (tick, workers) and consumers. */
import * as z from 'zod';

const storedOffer = z.looseObject({
  tenantId: z.string().min(1),
  sellerId: z.string().min(1),
  version: z.number().int().min(1),
  rules: z.looseObject({ sku: z.string().min(1), asin: z.string().min(1), marketplaceId: z.string().min(1), audience: z.enum(['B2C', 'B2B']) }),
  state: z.looseObject({ phase: z.number().int() }),
});

/** A batch of due offers the tick fans out to a reprice worker. */
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
