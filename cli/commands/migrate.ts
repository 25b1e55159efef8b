import type { Command } from 'commander';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REPRICER_MIGRATIONS, runRepricerMigration, type RepricerMigration } from '#shared/adapters/dynamodb/repricer-migrations.ts';
import { tables } from '#infra/wiring.ts';

interface MigrateCliOptions {
  table: string;
  historyTable: string;
  endpoint?: string;
  maxPages?: string;
}

/**
 * `sellerops migrate <name>`: a one-off data migration (idempotent, resumable: run it again until it says done).
 * AWS credentials and region from the standard chain; `--endpoint` for DynamoDB Local.
 */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description(`one-off data migration of the repricer tables: ${REPRICER_MIGRATIONS.join(', ')} (idempotent and resumable)`)
    .argument('<name>', REPRICER_MIGRATIONS.join(' | '))
    .option('--table <name>', 'the offers table', tables.repricer?.name)
    .option('--history-table <name>', 'the price history table', tables.repricerHistory?.name)
    .option('--endpoint <url>', 'DynamoDB endpoint (e.g. DynamoDB Local); default: AWS')
    .option('--max-pages <n>', 'stop after this many pages (a bounded run; run again to go on)')
    .action(async (name: string, opts: MigrateCliOptions) => {
      process.exitCode = await runMigrateCommand(name, opts);
    });
}

async function runMigrateCommand(name: string, opts: MigrateCliOptions): Promise<number> {
  const migration = REPRICER_MIGRATIONS.find((m) => m === name);
  if (!migration) {
    process.stderr.write(`sellerops migrate: unknown migration "${name}" (one of: ${REPRICER_MIGRATIONS.join(', ')})\n`);
    return 2;
  }
  const maxPages = opts.maxPages === undefined ? undefined : Number(opts.maxPages);
  if (maxPages !== undefined && (!Number.isInteger(maxPages) || maxPages < 1)) {
    process.stderr.write(`sellerops migrate: --max-pages "${opts.maxPages ?? ''}" is not a positive integer\n`);
    return 2;
  }
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(opts.endpoint ? { endpoint: opts.endpoint } : {}), { marshallOptions: { removeUndefinedValues: true } });
  try {
    const result = await runRepricerMigration(client, { repricer: opts.table, history: opts.historyTable }, migration satisfies RepricerMigration, {
      nowMs: Date.now(),
      ...(maxPages === undefined ? {} : { maxPages }),
      onPage: (r) => process.stderr.write(`${migration}: ${r.examined} examined, ${r.moved} moved, ${r.expired} expired, ${r.skipped} skipped\n`),
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (result.unreadable.length > 0) process.stderr.write(`${migration}: ${result.unreadable.length} rows left in place, not readable as history: ${result.unreadable.slice(0, 10).join(', ')}\n`);
    return result.done ? 0 : 3;
  } finally {
    client.destroy();
  }
}
