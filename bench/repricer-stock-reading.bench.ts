/**
 * `npm run bench -- repricer-stock-reading [--skus 10000]`: what the hourly FBA stock reading (issue 21 stock) costs.
 * One seller's FBA inventory of `--skus` SKUs in one marketplace, served by the simulated Amazon's getInventorySummaries
 * (50 a page, through the production SP-API adapter), read into DynamoDB Local's repricer table by `readFbaStock`: the
 * first (full) reading, an hourly reading after 10 % of the SKUs changed, one after none changed, and a reprice job's
 * stock read of 100 offers. Prints pages (and their time at the quota's 2 a second), wall time, and the read and write
 * units DynamoDB Local reports (ReturnConsumedCapacity).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { must, tables } from '#infra/wiring.ts';
import { DynamoStockStore } from '#shared/adapters/dynamodb/stock-store.ts';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';
import { newStoredOffer, readFbaStock, stockForOffers, toOfferRules } from '#shared/repricer/index.ts';
import type { SimulatedStock } from '#shared/marketplace-sim/simulated-marketplace.ts';
import { dynamoDbLocalAvailable, startDynamoDbLocal } from '../local/dynamodb.ts';
import { SimulatedAmazonReports } from '../local/simulated-amazon-reports.ts';

if (!dynamoDbLocalAvailable()) {
  process.stdout.write('DynamoDB Local is not in .cache/dynamodb-local (scripts/fetch-dynamodb-local.sh): nothing measured\n');
  process.exit(1);
}
const skusArg = process.argv.indexOf('--skus');
const SKUS = skusArg > 0 ? Number(process.argv[skusArg + 1]) : 10_000;
const dynamo = await startDynamoDbLocal();
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }));
const units = { read: 0, write: 0 };
// Every request asks DynamoDB for the capacity it consumed; the sums are what a reading costs.
const READS = new Set(['QueryCommand', 'BatchGetCommand', 'BatchGetItemCommand', 'GetCommand', 'GetItemCommand', 'ScanCommand']);
client.middlewareStack.add(
  (next, context) => async (args) => {
    (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
    const sum = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((total, c) => total + (c.CapacityUnits ?? 0), 0);
    // DynamoDB Local reports CapacityUnits only: reads and writes are told apart by the command.
    if (READS.has(context.commandName ?? '')) units.read += sum;
    else units.write += sum;
    return result;
  },
  { step: 'initialize', name: 'consumedCapacity' },
);
const table = must(tables, 'repricer', 'table').name;
const store = new DynamoStockStore(client, table);
const DE = MARKETPLACES.DE.id;
const SELLER = 'A1BENCHSTOCK01';
const T0 = Date.parse('2026-12-01T06:00:00Z');
const HOUR = 3_600_000;
let now = T0;
const sim = new SimulatedAmazonReports(() => new Date(now), () => undefined, 10);
sim.authorise(SELLER);
const stock: SimulatedStock[] = Array.from({ length: SKUS }, (_, i) => ({ sku: `FBA-${String(i).padStart(6, '0')}`, asin: `B0${String(i).padStart(8, '0')}`, fba: true, units: 5 + (i % 300), updatedAtMs: T0 - 48 * HOUR }));
sim.useStock(() => stock);
const deps = { inventory: sim.inventoryApi(async () => undefined), store, clock: { now: () => new Date(now) } };
const request = { tenantId: 'tenant-bench', sellerId: SELLER, marketplace: 'DE' };

async function measure(label: string, run: () => Promise<unknown>): Promise<void> {
  units.read = 0;
  units.write = 0;
  const calls = sim.calls.getInventorySummaries ?? 0;
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  const pages = (sim.calls.getInventorySummaries ?? 0) - calls;
  process.stdout.write(
    `${label.padEnd(44)} pages ${String(pages).padStart(5)} (${(pages / 2).toFixed(1).padStart(6)} s at 2/s)  wall ${ms.toFixed(0).padStart(6)} ms  read units ${units.read.toFixed(1).padStart(8)}  write units ${units.write.toFixed(1).padStart(8)}  ${JSON.stringify(result)}\n`,
  );
}

process.stdout.write(`${SKUS} FBA SKUs of one seller in DE, DynamoDB Local\n`);
await measure('first reading (every SKU)', () => readFbaStock(deps, request));
now = T0 + HOUR;
for (let i = 0; i < SKUS; i += 10) stock[i] = { ...stock[i]!, units: stock[i]!.units - 1, updatedAtMs: now - 10 * 60_000 };
await measure('an hour later, 10 % of the SKUs changed', () => readFbaStock(deps, request));
now = T0 + 2 * HOUR;
await measure('an hour later, nothing new since (overlap re-read)', () => readFbaStock(deps, request));
const offers = Array.from({ length: 100 }, (_, i) => {
  const rules = toOfferRules({ sku: stock[i]!.sku, asin: stock[i]!.asin, marketplaceId: DE, strategy: 'buybox', currency: 'EUR', min: '10.00', max: '16.00', lowStockUnits: 5 }, `offers[${i}]`);
  return { ...newStoredOffer('tenant-bench', SELLER, rules, now), version: 1 };
});
await measure('a reprice job reads 100 offers\u2019 stock', async () => (await stockForOffers(store, offers, now)).size);
client.destroy();
await dynamo.stop();
