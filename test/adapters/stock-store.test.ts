/** The own-stock adapter (issue 21 stock) on dynalite and DynamoDB Local: conditions on the reading's time, marks, BatchGet, TTL. */
import { describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoStockStore } from '#shared/adapters/dynamodb/stock-store.ts';
import { DynamoRepricerStore } from '#shared/adapters/dynamodb/repricer-store.ts';
import { DynamoSalesStore } from '#shared/adapters/dynamodb/sales-store.ts';
import { applyStockReading, STOCK_RETENTION_DAYS } from '#shared/repricer/stock.ts';
import { tables } from '#infra/wiring.ts';
import { dynamoTargets, useDynamoTarget } from '../support/dynamodb-targets.ts';

const DE = 'A1PA6795UKMFR9';
const FR = 'A13V1IB3VIYZZH';
const T0 = Date.parse('2026-12-01T06:00:00Z');
const HOUR = 3_600_000;

describe.each(dynamoTargets())('own stock on $name', (target) => {
  const dynamo = useDynamoTarget(target);

  it('stores a reading once, never puts back or deletes over a newer one, and moves marks forward only', async () => {
    const table = tables.repricer!.name;
    const store = new DynamoStockStore(dynamo(), table);
    const reading = { marketplaceId: DE, source: 'fba' as const, atMs: T0, full: true, units: new Map([['A', 3], ['B', 0], ['C/ä#1', 12]]) };
    expect(await applyStockReading(store, 'tk1', reading, 0)).toEqual({ written: 3, deleted: 0 });
    expect(await applyStockReading(store, 'tk1', reading, 0)).toEqual({ written: 0, deleted: 0 });
    // A newer reading of A, then an older one finishing late: the older units are not put back, nor deleted.
    await store.putStock('tk1', [{ marketplaceId: DE, sku: 'A', units: 1, source: 'fba', knownAtMs: T0 + 2 * HOUR }], T0);
    await store.putStock('tk1', [{ marketplaceId: DE, sku: 'A', units: 3, source: 'fba', knownAtMs: T0 + HOUR }], T0);
    await store.deleteStock('tk1', [{ marketplaceId: DE, sku: 'A', units: 3, source: 'fba', knownAtMs: T0 + HOUR }]);
    await store.markStockRead('tk1', { marketplaceId: DE, source: 'fba', atMs: T0 + 2 * HOUR, fullAtMs: T0 });
    await store.markStockRead('tk1', { marketplaceId: DE, source: 'fba', atMs: T0 + HOUR, fullAtMs: T0 + HOUR });
    const keys = ['A', 'B', 'C/ä#1', 'NEVER'].map((sku) => ({ marketplaceId: DE, sku }));
    const read = await store.readStock('tk1', keys);
    expect(Object.fromEntries(read.skus.map((s) => [s.sku, [s.units, s.knownAtMs]]))).toEqual({ A: [1, T0 + 2 * HOUR], B: [0, T0], 'C/ä#1': [12, T0] });
    expect(read.marks).toEqual([{ marketplaceId: DE, source: 'fba', atMs: T0 + 2 * HOUR, fullAtMs: T0 }]);
    expect(await store.stockMarks('tk1', DE)).toEqual(read.marks);
    // A full reading without B deletes it; another tenant and another marketplace see nothing.
    await applyStockReading(store, 'tk1', { ...reading, atMs: T0 + 3 * HOUR, units: new Map([['A', 1], ['C/ä#1', 12]]) }, T0);
    expect((await store.listStock('tk1', DE)).map((s) => s.sku).sort()).toEqual(['A', 'C/ä#1']);
    expect(await store.readStock('tk2', keys)).toEqual({ skus: [], marks: [] });
    expect(await store.listStock('tk1', FR)).toEqual([]);
    // The table's TTL attribute (seconds): STOCK_RETENTION_DAYS after the reading that wrote the item.
    const { Item } = await dynamo().send(new GetCommand({ TableName: table, Key: { pk: 'TENANT#tk1', sk: `STOCK#${DE}#C/ä#1` } }));
    expect(Item?.[tables.repricer!.timeToLiveAttribute!]).toBe(T0 / 1000 + STOCK_RETENTION_DAYS * 86_400);
  });

  it('keeps the stock items out of the tenant’s offers and out of its sales, and reads more SKUs than one BatchGetItem takes', async () => {
    const table = tables.repricer!.name;
    const store = new DynamoStockStore(dynamo(), table);
    const skus = Array.from({ length: 130 }, (_, i) => `SKU-${i}`);
    await applyStockReading(store, 'tk3', { marketplaceId: DE, source: 'mfn', atMs: T0, full: true, units: new Map(skus.map((sku, i) => [sku, i])) }, T0);
    expect(await new DynamoRepricerStore(dynamo(), table).listOffers('tk3')).toEqual([]);
    expect(await new DynamoSalesStore(dynamo(), table).listDailySales('tk3', DE)).toEqual([]);
    const read = await store.readStock('tk3', skus.map((sku) => ({ marketplaceId: DE, sku })));
    expect(read.skus).toHaveLength(130);
    expect(read.skus.reduce((sum, s) => sum + s.units, 0)).toBe((129 * 130) / 2);
    expect(read.marks).toEqual([{ marketplaceId: DE, source: 'mfn', atMs: T0, fullAtMs: T0 }]);
  });
});
