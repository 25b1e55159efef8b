/** An in-memory stand-in for the own-stock store (issue 21 stock), with the DynamoDB adapter's conditions. */
import type { SkuStock, StockReadMark, StockStore } from '#shared/repricer/ports.ts';

export class InMemoryStockStore implements StockStore {
  readonly items = new Map<string, SkuStock & { expiresAtMs: number }>();
  readonly marks = new Map<string, StockReadMark>();
  writes = 0;

  async listStock(tenantId: string, marketplaceId: string): Promise<SkuStock[]> {
    return [...this.items.entries()].filter(([k]) => k.startsWith(`${tenantId}|${marketplaceId}|`)).map(([, v]) => v);
  }

  async putStock(tenantId: string, items: readonly SkuStock[], expiresAtMs: number): Promise<void> {
    for (const item of items) {
      const key = `${tenantId}|${item.marketplaceId}|${item.sku}`;
      if ((this.items.get(key)?.knownAtMs ?? -1) > item.knownAtMs) continue;
      this.items.set(key, { ...item, expiresAtMs });
      this.writes++;
    }
  }

  async deleteStock(tenantId: string, items: readonly SkuStock[]): Promise<void> {
    for (const item of items) {
      const key = `${tenantId}|${item.marketplaceId}|${item.sku}`;
      if ((this.items.get(key)?.knownAtMs ?? Infinity) <= item.knownAtMs) this.items.delete(key);
    }
  }

  async markStockRead(tenantId: string, mark: StockReadMark): Promise<void> {
    const key = `${tenantId}|${mark.marketplaceId}|${mark.source}`;
    if ((this.marks.get(key)?.atMs ?? -1) < mark.atMs) this.marks.set(key, mark);
  }

  async stockMarks(tenantId: string, marketplaceId: string): Promise<StockReadMark[]> {
    return [...this.marks.entries()].filter(([k]) => k.startsWith(`${tenantId}|${marketplaceId}|`)).map(([, v]) => v);
  }

  async readStock(tenantId: string, keys: readonly { readonly marketplaceId: string; readonly sku: string }[]) {
    const skus = keys.flatMap((k) => {
      const item = this.items.get(`${tenantId}|${k.marketplaceId}|${k.sku}`);
      return item ? [item] : [];
    });
    const marketplaces = new Set(keys.map((k) => k.marketplaceId));
    const marks = [...this.marks.entries()].filter(([k]) => k.startsWith(`${tenantId}|`) && marketplaces.has(k.split('|')[1]!)).map(([, v]) => v);
    return { skus, marks };
  }
}
