/** The units-sold-per-day adapter (issue 21 sales) on dynalite and DynamoDB Local: merge, re-read, BatchGet, TTL, "known until". */
import { describe, expect, it } from 'vitest';
import { DynamoSalesStore } from '#shared/adapters/dynamodb/sales-store.ts';
import { DynamoRepricerStore } from '#shared/adapters/dynamodb/repricer-store.ts';
import { VersionConflictError } from '#shared/kernel/errors.ts';
import { importSalesReport, SALES_RETENTION_DAYS } from '#shared/repricer/sales.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { tables } from '#infra/wiring.ts';
import { dynamoTargets, useDynamoTarget } from '../support/dynamodb-targets.ts';

const DE = 'A1PA6795UKMFR9';
const HEADER = ['amazon-order-id', 'purchase-date', 'order-status', 'sales-channel', 'sku', 'item-status', 'quantity'].join('\t');
const line = (order: string, day: string, sku: string, quantity: number, status = 'Shipped') => [order, `${day}T10:00:00+00:00`, status, 'Amazon.de', sku, status, String(quantity)].join('\t');

describe.each(dynamoTargets())('units sold per day on $name', (target) => {
  const dynamo = useDynamoTarget(target);

  it('stores a report once however often it is read, reads a job’s SKUs in one batch, and never moves "known until" back', async () => {
    const table = tables.repricer!.name;
    const store = new DynamoSalesStore(dynamo(), table);
    const report = [HEADER, line('1', '2026-11-29', 'A', 3), line('2', '2026-11-30', 'A', 2), line('3', '2026-11-30', 'B', 5, 'Cancelled'), line('4', '2026-11-30', 'C/ä#1', 1)].join('\n');
    const period = { tenantId: 'ts1', marketplaceId: DE, from: new Date('2026-11-29T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), report };
    // B's only order was cancelled: nothing sold, nothing stored (a day not stored sold 0).
    expect((await importSalesReport(store, period)).written).toBe(2);
    expect((await importSalesReport(store, period)).written).toBe(0);
    const keys = ['A', 'B', 'C/ä#1', 'NEVER-SOLD'].map((sku) => ({ marketplaceId: DE, sku }));
    const read = await store.readSales('ts1', keys);
    expect(Object.fromEntries(read.skus.map((s) => [s.sku, s.days]))).toEqual({ A: { '2026-11-29': 3, '2026-11-30': 2 }, 'C/ä#1': { '2026-11-30': 1 } });
    expect(read.knownUntil.get(DE)).toBe('2026-12-01');
    await store.markKnownUntil('ts1', DE, '2026-11-15');
    expect((await store.readSales('ts1', keys)).knownUntil.get(DE)).toBe('2026-12-01');
    // Another tenant sees nothing of it.
    expect(await store.readSales('ts2', keys)).toEqual({ skus: [], knownUntil: new Map() });
    // The table's TTL attribute is set (seconds): SALES_RETENTION_DAYS after the period's end, beyond the longest Push window.
    const [a] = await store.listDailySales('ts1', DE);
    expect(a).toMatchObject({ sku: 'A', version: 1 });
    const { Item } = await dynamo().send(new GetCommand({ TableName: table, Key: { pk: 'TENANT#ts1', sk: `SALES#${DE}#A` } }));
    expect(Item?.[tables.repricer!.timeToLiveAttribute!]).toBe(Date.parse('2026-12-01T00:00:00Z') / 1000 + SALES_RETENTION_DAYS * 86_400);
    // A writer that read an older version loses (the import is retried whole, idempotently).
    await expect(store.putDailySales('ts1', [{ marketplaceId: DE, sku: 'A', days: {}, version: 1 }], Date.now())).rejects.toBeInstanceOf(VersionConflictError);
  });

  it('keeps the sales items out of the tenant’s offers', async () => {
    const table = tables.repricer!.name;
    await importSalesReport(new DynamoSalesStore(dynamo(), table), { tenantId: 'ts3', marketplaceId: DE, from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), report: [HEADER, line('1', '2026-11-30', 'A', 1)].join('\n') });
    expect(await new DynamoRepricerStore(dynamo(), table).listOffers('ts3')).toEqual([]);
  });

  it('reads more SKUs than one BatchGetItem takes', async () => {
    const table = tables.repricer!.name;
    const store = new DynamoSalesStore(dynamo(), table);
    const skus = Array.from({ length: 130 }, (_, i) => `SKU-${i}`);
    const report = [HEADER, ...skus.map((sku, i) => line(String(i), '2026-11-30', sku, i + 1))].join('\n');
    await importSalesReport(store, { tenantId: 'ts4', marketplaceId: DE, from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), report });
    const read = await store.readSales('ts4', skus.map((sku) => ({ marketplaceId: DE, sku })));
    expect(read.skus).toHaveLength(130);
    expect(read.skus.reduce((sum, s) => sum + (s.days['2026-11-30'] ?? 0), 0)).toBe((130 * 131) / 2);
  });
});
