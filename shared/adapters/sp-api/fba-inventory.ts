/**
 * The real Amazon side of the `FbaInventoryApi` port (issue 21 stock): FBA Inventory API v1 `getInventorySummaries`
 * (models/fba-inventory-api-model/fbaInventory.json), `GET /fba/inventory/v1/summaries?details=true&granularityType=
 * Marketplace&granularityId=<mp>&marketplaceIds=<mp>`, with `startDateTime` for "changed since" and `nextToken` for
 * the next page. The fulfillable units are `inventoryDetails.fulfillableQuantity` (what can be picked, packed and
 * shipped now: not inbound, reserved or unfulfillable units).
 * - Quota: through the shared SP-API client and its limiter (the model's usage plan: 2 requests a second, burst 2,
 *   per seller). A first page without a token throws QuotaExhaustedError (the reading is re-queued with the delay).
 *   A later page waits for its token instead (at most NEXT_PAGE_MAX_WAIT_MS in all): Amazon's nextToken expires
 *   30 seconds after it was made, so a reading cannot be re-queued half way.
 * - Retries of 429/5xx with backoff are the client's.
 */
import * as z from 'zod';
import { ValidationError } from '#shared/kernel/errors.ts';
import { QuotaExhaustedError } from '#shared/kernel/upstream.ts';
import type { FbaInventoryApi, FbaInventoryPage } from '#shared/repricer/ports.ts';
import { SpApiClient, type SpApiClientOptions } from './client.ts';

/** GetInventorySummariesResponse (the fields we read; Amazon's others are let through). */
export const getInventorySummariesResponseSchema = z.object({
  payload: z
    .object({
      inventorySummaries: z.array(
        z.object({
          sellerSku: z.string().optional(),
          inventoryDetails: z.object({ fulfillableQuantity: z.number().int().min(0).optional() }).optional(),
        }),
      ),
    })
    .optional(),
  pagination: z.object({ nextToken: z.string().optional() }).optional(),
  errors: z.array(z.object({ code: z.string(), message: z.string().optional() })).optional(),
});

/** A later page waits for its quota token at most this long in all (nextToken lives 30 seconds). */
export const NEXT_PAGE_MAX_WAIT_MS = 20_000;

/** The request path of one page (query parameters as the model names them). */
export function inventorySummariesPath(request: { marketplaceId: string; changedSince?: Date; nextToken?: string }): string {
  const query = new URLSearchParams({ details: 'true', granularityType: 'Marketplace', granularityId: request.marketplaceId, marketplaceIds: request.marketplaceId });
  if (request.changedSince) query.set('startDateTime', request.changedSince.toISOString());
  if (request.nextToken) query.set('nextToken', request.nextToken);
  return `/fba/inventory/v1/summaries?${query.toString()}`;
}

/** One answer as a page: SKUs without fulfillable units in the answer are left out (unknown, never 0). */
export function inventoryPageOf(raw: unknown): FbaInventoryPage {
  const parsed = getInventorySummariesResponseSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(`getInventorySummaries: unexpected response: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`, { field: 'response' });
  const { payload, pagination, errors } = parsed.data;
  if (!payload) throw new ValidationError(`getInventorySummaries: no payload${errors?.[0] ? ` (${errors[0].code} ${errors[0].message ?? ''})` : ''}`, { field: 'response' });
  const summaries: { sku: string; fulfillableUnits: number }[] = [];
  for (const s of payload.inventorySummaries) {
    const units = s.inventoryDetails?.fulfillableQuantity;
    if (s.sellerSku && units !== undefined) summaries.push({ sku: s.sellerSku, fulfillableUnits: units });
  }
  return { summaries, ...(pagination?.nextToken ? { nextToken: pagination.nextToken } : {}) };
}

export class SpApiFbaInventory implements FbaInventoryApi {
  private readonly client: SpApiClient;

  constructor(options: SpApiClientOptions) {
    this.client = new SpApiClient(options);
  }

  get calls(): Record<string, number> {
    return this.client.calls;
  }

  async inventorySummaries(request: { sellerId: string; marketplaceId: string; changedSince?: Date; nextToken?: string }): Promise<FbaInventoryPage> {
    const path = inventorySummariesPath(request);
    const call = () => this.client.call(request.sellerId, 'getInventorySummaries', 'GET', path);
    if (request.nextToken === undefined) return inventoryPageOf(await call());
    let waited = 0;
    for (;;) {
      try {
        return inventoryPageOf(await call());
      } catch (error) {
        if (!(error instanceof QuotaExhaustedError) || waited + error.retryAfterMs > NEXT_PAGE_MAX_WAIT_MS) throw error;
        waited += error.retryAfterMs;
        await this.client.sleep(error.retryAfterMs);
      }
    }
  }
}
