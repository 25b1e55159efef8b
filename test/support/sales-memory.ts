/** In-memory stand-ins for the units sold per day (issue 21 sales): the store and the report fetch's importer. */
import { gunzipSync } from 'node:zlib';
import { VersionConflictError } from '#shared/kernel/errors.ts';
import type { AmazonReportDocument, SalesReportImporter } from '#shared/lost-and-found/ports.ts';
import type { SalesStore, SkuDailySales } from '#shared/repricer/ports.ts';
import { importSalesReport } from '#shared/repricer/sales.ts';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';

export class InMemorySalesStore implements SalesStore {
  readonly items = new Map<string, SkuDailySales & { expiresAtMs: number }>();
  readonly knownUntil = new Map<string, string>();
  writes = 0;

  async listDailySales(tenantId: string, marketplaceId: string): Promise<SkuDailySales[]> {
    return [...this.items.entries()].filter(([k]) => k.startsWith(`${tenantId}|${marketplaceId}|`)).map(([, v]) => v);
  }

  async putDailySales(tenantId: string, items: readonly SkuDailySales[], expiresAtMs: number): Promise<void> {
    for (const item of items) {
      const key = `${tenantId}|${item.marketplaceId}|${item.sku}`;
      if ((this.items.get(key)?.version ?? 0) !== item.version - 1) throw new VersionConflictError(key);
      this.items.set(key, { ...item, expiresAtMs });
      this.writes++;
    }
  }

  async markKnownUntil(tenantId: string, marketplaceId: string, day: string): Promise<void> {
    const key = `${tenantId}|${marketplaceId}`;
    const current = this.knownUntil.get(key);
    if (current === undefined || current < day) this.knownUntil.set(key, day);
  }

  async readSales(tenantId: string, keys: readonly { readonly marketplaceId: string; readonly sku: string }[]) {
    const skus: SkuDailySales[] = [];
    const knownUntil = new Map<string, string>();
    for (const k of keys) {
      const item = this.items.get(`${tenantId}|${k.marketplaceId}|${k.sku}`);
      if (item && !skus.includes(item)) skus.push(item);
      const until = this.knownUntil.get(`${tenantId}|${k.marketplaceId}`);
      if (until !== undefined) knownUntil.set(k.marketplaceId, until);
    }
    return { skus, knownUntil };
  }
}

/** Records each report handed over (its text, null for a cancelled one) and imports it into an in-memory store. */
export class RecordingSalesImporter implements SalesReportImporter {
  readonly imports: { tenantId: string; marketplace: string; from: string; to: string; report: string | null }[] = [];
  readonly store = new InMemorySalesStore();

  async importSales(input: { readonly tenantId: string; readonly marketplace: string; readonly from: Date; readonly to: Date; readonly document: AmazonReportDocument | null }): Promise<void> {
    let report: string | null = null;
    if (input.document) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of input.document.body) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      report = (input.document.gzip ? gunzipSync(bytes) : bytes).toString('utf8');
    }
    this.imports.push({ tenantId: input.tenantId, marketplace: input.marketplace, from: input.from.toISOString(), to: input.to.toISOString(), report });
    const marketplaceId = MARKETPLACES[input.marketplace as keyof typeof MARKETPLACES].id;
    await importSalesReport(this.store, { tenantId: input.tenantId, marketplaceId, from: input.from, to: input.to, report });
  }
}
