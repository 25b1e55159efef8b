/**
 * One-off data migrations of the repricer tables after issue 17 (`npx sellerops migrate <name>`): each is idempotent
 * (a second run finds nothing left to do) and resumable (a run stopped anywhere is started again and goes on; its
 * progress is kept in the repricer table, pk=MIGRATION#<name>, sk=PROGRESS).
 *
 * - `push-shards`: offers with a pending push written before the `pushes` index was sharded carry the one old
 *   partition key `pushShard = PUSH` and no projected `pendingPush`: the flush reads PUSH#0…PUSH#15 only and would
 *   never push them. Each is rewritten with its current keys (the same version-conditioned whole-item put every offer
 *   write is), which moves it to its shard; an offer a worker rewrote meanwhile already has them and is left alone.
 * - `history-table`: price history rows (pk=HIST#<tenant>#<sku>) written to the offers table before the history table
 *   existed are copied to `sellerops-repricer-history` with their TTL set from the row's date (`at` + 400 days), then
 *   deleted from the offers table (PITR-backed, where they cost twice); rows already past retention are only deleted.
 *   The offers table has no index on them: this is a Scan (filtered to HIST#), page by page from a saved cursor.
 */
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { HISTORY_RETENTION_DAYS, type HistoryEntry, type StoredOffer } from '#shared/repricer/model.ts';
import { offerToItem } from './repricer-store.ts';
import { historyItem } from './price-history.ts';
import { isConditionFailure } from './conditional-write.ts';

export const REPRICER_MIGRATIONS = ['push-shards', 'history-table'] as const;
export type RepricerMigration = (typeof REPRICER_MIGRATIONS)[number];

export interface MigrationTables {
  /** The offers table (sellerops-repricer), which also keeps each migration's progress. */
  readonly repricer: string;
  readonly history: string;
}

export interface MigrationResult {
  readonly migration: RepricerMigration;
  /** Items this run looked at (index entries or scanned rows, history rows only counted once matched). */
  readonly examined: number;
  /** Offers re-keyed, or history rows copied. */
  readonly moved: number;
  /** History rows past retention: deleted, not copied. */
  readonly expired: number;
  /** Offers already on their shard (rewritten meanwhile), or rows this run left alone. */
  readonly skipped: number;
  /** Rows that cannot be read as history (kept in place, their keys named). */
  readonly unreadable: readonly string[];
  /** True when nothing is left: a run after it finds nothing. */
  readonly done: boolean;
}

interface Progress {
  /** The Scan's next start key (history-table), JSON; absent at the start and when done. */
  readonly cursor?: string;
  readonly done: boolean;
  readonly moved: number;
  readonly expired: number;
}

const OLD_PUSH_SHARD = 'PUSH';
/** Items read per page (and progress saved after each). */
const PAGE = 500;

export interface MigrationOptions {
  readonly nowMs: number;
  /** Stop after this many pages (a bounded run; the next run goes on). */
  readonly maxPages?: number;
  /** Items per page (default 500). */
  readonly pageSize?: number;
  readonly onPage?: (result: MigrationResult) => void;
}

/** Runs one migration until it is done or `maxPages` pages were handled (a bounded run, then run it again). */
export async function runRepricerMigration(
  client: DynamoDBDocumentClient,
  tables: MigrationTables,
  migration: RepricerMigration,
  options: MigrationOptions,
): Promise<MigrationResult> {
  return migration === 'push-shards' ? reKeyPendingPushes(client, tables, options) : moveHistory(client, tables, options);
}

async function reKeyPendingPushes(
  client: DynamoDBDocumentClient,
  tables: MigrationTables,
  options: MigrationOptions,
): Promise<MigrationResult> {
  const totals = { examined: 0, moved: 0, skipped: 0 };
  const saved = await loadProgress(client, tables.repricer, 'push-shards');
  const result = (done: boolean): MigrationResult => ({ migration: 'push-shards', ...totals, expired: 0, unreadable: [], done });
  // A pass reads the PUSH partition to its end; each re-keyed offer leaves it. The index is eventually consistent, so an
  // entry can outlive its re-keying for a moment: only items still on PUSH when read (consistently) are moved, and
  // the migration is done after a pass that moved nothing.
  let pages = 0;
  for (;;) {
    let movedThisPass = 0;
    let cursor: Record<string, unknown> | undefined;
    do {
      if (options.maxPages !== undefined && pages >= options.maxPages) return result(false);
      pages++;
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName: tables.repricer,
          IndexName: 'pushes',
          KeyConditionExpression: 'pushShard = :s',
          ExpressionAttributeValues: { ':s': OLD_PUSH_SHARD },
          Limit: options.pageSize ?? PAGE,
          ...(cursor ? { ExclusiveStartKey: cursor } : {}),
        }),
      );
      for (let i = 0; i < Items.length; i += 25) {
        const outcomes = await Promise.all(Items.slice(i, i + 25).map((entry) => reKeyOffer(client, tables.repricer, entry)));
        for (const outcome of outcomes) {
          totals.examined++;
          if (outcome === 'moved') {
            movedThisPass++;
            totals.moved++;
          } else totals.skipped++;
        }
      }
      cursor = LastEvaluatedKey;
      await saveProgress(client, tables.repricer, 'push-shards', { done: false, moved: saved.moved + totals.moved, expired: 0 });
      options.onPage?.(result(false));
    } while (cursor);
    if (movedThisPass === 0) {
      await saveProgress(client, tables.repricer, 'push-shards', { done: true, moved: saved.moved + totals.moved, expired: 0 });
      return result(true);
    }
  }
}

async function reKeyOffer(client: DynamoDBDocumentClient, tableName: string, entry: Record<string, unknown>): Promise<'moved' | 'skipped'> {
  const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { pk: entry.pk, sk: entry.sk }, ConsistentRead: true }));
  if (Item?.pushShard !== OLD_PUSH_SHARD || typeof Item.doc !== 'string') return 'skipped';
  const offer = JSON.parse(Item.doc) as StoredOffer;
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: offerToItem(offer),
        // Only the item as read: a worker's newer write (already on its shard) wins.
        ConditionExpression: 'version = :v AND pushShard = :old',
        ExpressionAttributeValues: { ':v': Number(Item.version), ':old': OLD_PUSH_SHARD },
      }),
    );
    return 'moved';
  } catch (error) {
    if (isConditionFailure(error)) return 'skipped';
    throw error;
  }
}

/** What a history row's document must hold to be copied (it was written by this code: anything else is named, not guessed). */
const historyDoc = z.looseObject({
  tenantId: z.string().min(1),
  sku: z.string().min(1),
  marketplaceId: z.string().min(1),
  audience: z.enum(['B2C', 'B2B']),
  at: z.iso.datetime({ offset: true }),
  kind: z.string().min(1),
  decisionId: z.string().min(1),
});

async function moveHistory(
  client: DynamoDBDocumentClient,
  tables: MigrationTables,
  options: MigrationOptions,
): Promise<MigrationResult> {
  const saved = await loadProgress(client, tables.repricer, 'history-table');
  const totals = { examined: 0, moved: 0, expired: 0, skipped: 0 };
  const unreadable: string[] = [];
  const result = (done: boolean): MigrationResult => ({ migration: 'history-table', ...totals, unreadable, done });
  if (saved.done) return result(true);
  let cursor = saved.cursor ? (JSON.parse(saved.cursor) as Record<string, unknown>) : undefined;
  const retentionMs = HISTORY_RETENTION_DAYS * 86_400_000;
  for (let page = 0; options.maxPages === undefined || page < options.maxPages; page++) {
    const { Items = [], LastEvaluatedKey } = await client.send(
      new ScanCommand({
        TableName: tables.repricer,
        FilterExpression: 'begins_with(pk, :h)',
        ExpressionAttributeValues: { ':h': 'HIST#' },
        Limit: options.pageSize ?? PAGE,
        ...(cursor ? { ExclusiveStartKey: cursor } : {}),
      }),
    );
    const copies: Record<string, unknown>[] = [];
    const deletes: Record<string, unknown>[] = [];
    for (const row of Items) {
      totals.examined++;
      const parsed = typeof row.doc === 'string' ? historyDoc.safeParse(safeJson(row.doc)) : undefined;
      if (!parsed?.success) {
        unreadable.push(`${String(row.pk)} / ${String(row.sk)}`);
        continue;
      }
      const entry = parsed.data as unknown as HistoryEntry;
      if (Date.parse(entry.at) + retentionMs <= options.nowMs) totals.expired++;
      else {
        copies.push(historyItem(entry));
        totals.moved++;
      }
      deletes.push({ pk: row.pk, sk: row.sk });
    }
    // The copies are written before their rows are deleted: a run stopped in between copies them again (same keys).
    await batchWrite(client, tables.history, copies.map((Item) => ({ PutRequest: { Item } })));
    await batchWrite(client, tables.repricer, deletes.map((Key) => ({ DeleteRequest: { Key } })));
    cursor = LastEvaluatedKey;
    const done = cursor === undefined;
    await saveProgress(client, tables.repricer, 'history-table', {
      ...(cursor ? { cursor: JSON.stringify(cursor) } : {}),
      done,
      moved: saved.moved + totals.moved,
      expired: saved.expired + totals.expired,
    });
    options.onPage?.(result(done));
    if (done) return result(true);
  }
  return result(false);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function batchWrite(client: DynamoDBDocumentClient, tableName: string, requests: readonly Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending = requests.slice(i, i + 25);
    for (let attempt = 0; pending.length > 0; attempt++) {
      const { UnprocessedItems = {} } = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = UnprocessedItems[tableName] ?? [];
      if (pending.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
    }
  }
}

const progressKey = (migration: RepricerMigration) => ({ pk: `MIGRATION#${migration}`, sk: 'PROGRESS' });

async function loadProgress(client: DynamoDBDocumentClient, tableName: string, migration: RepricerMigration): Promise<Progress> {
  const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: progressKey(migration), ConsistentRead: true }));
  return {
    ...(typeof Item?.cursor === 'string' ? { cursor: Item.cursor } : {}),
    done: Item?.done === true,
    moved: typeof Item?.moved === 'number' ? Item.moved : 0,
    expired: typeof Item?.expired === 'number' ? Item.expired : 0,
  };
}

async function saveProgress(client: DynamoDBDocumentClient, tableName: string, migration: RepricerMigration, progress: Progress): Promise<void> {
  await client.send(new PutCommand({ TableName: tableName, Item: { ...progressKey(migration), ...progress } }));
}
