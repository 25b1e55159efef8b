/**
 * `npm run bench -- repricer-market-history`: what recording the what-if's market history costs (issue 21).
 * Writes market records to DynamoDB Local's history table, as the notifications Lambda does, and reads the write
 * units it reports (ReturnConsumedCapacity): for Amazon's published example notifications, ours, listings of 5,
 * 10, 15 and 20 offers, and the committed example history; and how many notifications of that recording were
 * changes (recorded) at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { must, tables } from '#infra/wiring.ts';
import { marketRecordItem } from '#shared/adapters/dynamodb/market-history.ts';
import { marketRecordOf, parseMarketHistoryFile, parseOfferChangedNotification, type MarketRecord, type OfferChangeEvent } from '#shared/repricer/index.ts';
import { dynamoDbLocalAvailable, startDynamoDbLocal } from '../local/dynamodb.ts';

if (!dynamoDbLocalAvailable()) {
  process.stdout.write('DynamoDB Local is not in .cache/dynamodb-local (scripts/fetch-dynamodb-local.sh): nothing measured\n');
  process.exit(1);
}
const dynamo = await startDynamoDbLocal();
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }));
const table = must(tables, 'repricerHistory', 'table').name;
const TENANT = 'tenant-0123456789abcdef';

async function writeUnits(record: MarketRecord): Promise<number> {
  const out = await client.send(new PutCommand({ TableName: table, Item: marketRecordItem(TENANT, record), ReturnConsumedCapacity: 'TOTAL' }));
  return out.ConsumedCapacity?.CapacityUnits ?? Number.NaN;
}

const examples: [string, OfferChangeEvent][] = [];
for (const dir of ['examples/repricer', 'examples/repricer/amazon-published']) {
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith('.rules.json') && n !== 'rules.json')) {
    examples.push([join(dir, f), parseOfferChangedNotification(JSON.parse(readFileSync(join(dir, f), 'utf8')), { receivedAt: new Date('2026-11-30T00:00:00Z') })]);
  }
}
process.stdout.write('notification                                                offers  item bytes  write units\n');
for (const [name, event] of examples) {
  const record = marketRecordOf(event);
  process.stdout.write(`${name.padEnd(60)}${String(record.offers.length).padStart(6)}${String(JSON.stringify(marketRecordItem(TENANT, record)).length).padStart(12)}${String(await writeUnits(record)).padStart(13)}\n`);
}
const [, base] = examples[0]!;
for (const n of [5, 10, 15, 20]) {
  const offers = Array.from({ length: n }, (_, i) => ({ ...base.offers[0]!, sellerId: `A${String(i).padStart(13, '0')}`, listingMinor: 1000 + i * 17, feedbackCount: 12_345 }));
  const record = marketRecordOf({ ...base, offers, timeOfOfferChange: new Date(Date.UTC(2026, 10, 30, 0, n)) });
  process.stdout.write(`${`synthetic listing, 14-character seller ids`.padEnd(60)}${String(n).padStart(6)}${String(JSON.stringify(marketRecordItem(TENANT, record)).length).padStart(12)}${String(await writeUnits(record)).padStart(13)}\n`);
}
const dir = 'examples/repricer/market-history';
for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const history = parseMarketHistoryFile(JSON.parse(readFileSync(join(dir, f), 'utf8')), f);
  let units = 0;
  for (const r of history.records) units += await writeUnits(r);
  process.stdout.write(`${join(dir, f)}: ${history.records.length} records, ${units} write units (${(units / Math.max(1, history.records.length)).toFixed(2)} per record)\n`);
}
client.destroy();
await dynamo.stop();
