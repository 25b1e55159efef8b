/**
 * One-off after the first deployment of the `active` index (issue 8, survey campaigns): gives customer items
 * written before it their index keys. Uses the standard AWS credentials/region; table name from --table.
 *   npx tsx cli/backfill-active-index.ts --table sellerops-core
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfillActiveIndex } from '#shared/adapters/dynamodb/active-customers.ts';

const at = process.argv.indexOf('--table');
const table = at >= 0 ? process.argv[at + 1] : 'sellerops-core';
if (!table) throw new Error('--table <name>');
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
const result = await backfillActiveIndex(client, table);
process.stdout.write(`${table}: ${result.scanned} customer items without index keys, ${result.indexed} indexed\n`);
client.destroy();
