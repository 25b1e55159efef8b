/**
 * The one-off migrations of issue 17 on rows in the old shapes: pending pushes on the single `PUSH` key move to their
 * shards, history rows in the offers table move to the history table with their TTL; both idempotent and resumable.
 */
import { describe, expect, it } from 'vitest';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoRepricerStore, offerToItem } from '#shared/adapters/dynamodb/repricer-store.ts';
import { DynamoPriceHistory } from '#shared/adapters/dynamodb/price-history.ts';
import { runRepricerMigration } from '#shared/adapters/dynamodb/repricer-migrations.ts';
import { HISTORY_RETENTION_DAYS, PUSH_SHARDS, type HistoryEntry, type StoredOffer } from '#shared/repricer/model.ts';
import { tables } from '#infra/wiring.ts';
import { BENCH_MARKETPLACE_ID, benchOffer } from '../../local/repricer-offers.ts';
import { dynamoTargets, useDynamoTarget } from '../support/dynamodb-targets.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const TABLES = { repricer: tables.repricer!.name, history: tables.repricerHistory!.name };

describe.each(dynamoTargets())('repricer migrations on $name', (target) => {
  const dynamo = useDynamoTarget(target);

  it('push-shards: moves pending pushes from the old PUSH key to their shards, resumably, once, leaving newer writes alone', async () => {
    const tenantId = `mig-push-${target.name.replace(/\W/g, '')}`;
    const store = new DynamoRepricerStore(dynamo(), TABLES.repricer);
    const withPush = (i: number): StoredOffer => {
      const { offer } = benchOffer(i, { tenantId, sellerId: 'A1MIGRATE00001', realistic: true, nowMs: NOW });
      return { ...offer, pendingPush: { decisionId: `d-${i}`, priceMinor: 1234, tiers: [], decidedAtMs: NOW - 600_000, via: 'bulk' } };
    };
    // 25 offers written before the sharding (one partition key, no projected pendingPush), 3 already on their shards.
    const old = Array.from({ length: 25 }, (_, i) => withPush(i));
    for (const offer of old) {
      const { pendingPush: _projected, ...item } = offerToItem(offer);
      await dynamo().send(new PutCommand({ TableName: TABLES.repricer, Item: { ...item, pushShard: 'PUSH' } }));
    }
    for (let i = 25; i < 28; i++) await dynamo().send(new PutCommand({ TableName: TABLES.repricer, Item: offerToItem(withPush(i)) }));
    // The flush reads PUSH#0…PUSH#15 only: the old ones are invisible to it.
    expect((await store.pendingPushes(NOW, 1_000)).filter((p) => p.key.tenantId === tenantId)).toHaveLength(3);

    // A worker rewrites one old offer meanwhile (its own keys): the migration leaves it alone.
    expect(await store.putOffer({ ...old[0]!, version: old[0]!.version + 1, lastReason: 'decided again' })).toBe(true);

    const first = await runRepricerMigration(dynamo(), TABLES, 'push-shards', { nowMs: NOW, pageSize: 10, maxPages: 1 });
    expect(first).toMatchObject({ done: false, examined: 10 });
    const rest = await runRepricerMigration(dynamo(), TABLES, 'push-shards', { nowMs: NOW, pageSize: 10 });
    expect(rest.done).toBe(true);
    expect(first.moved + rest.moved).toBe(24);

    const pending = (await store.pendingPushes(NOW, 1_000)).filter((p) => p.key.tenantId === tenantId);
    expect(pending).toHaveLength(28);
    expect(pending.every((p) => p.push.priceMinor === 1234)).toBe(true);
    const { pk, sk } = offerToItem(old[5]!);
    const item = await dynamo().send(new GetCommand({ TableName: TABLES.repricer, Key: { pk, sk } }));
    expect(String(item.Item?.pushShard)).toMatch(new RegExp(`^PUSH#([0-9]|1[0-5])$`));
    expect(PUSH_SHARDS).toBe(16);
    expect((await store.getOffer(tenantId, BENCH_MARKETPLACE_ID, old[0]!.rules.audience, old[0]!.rules.asin, old[0]!.rules.sku))?.lastReason).toBe('decided again');

    // Idempotent: nothing is left on PUSH, a second run moves nothing.
    expect(await runRepricerMigration(dynamo(), TABLES, 'push-shards', { nowMs: NOW })).toMatchObject({ done: true, moved: 0 });
  });

  it('history-table: copies history rows to the history table with their TTL, deletes them from the offers table, resumably, once', async () => {
    const tenantId = `mig-hist-${target.name.replace(/\W/g, '')}`;
    const entry = (n: number, at: string): HistoryEntry => ({
      tenantId, sku: `SKU-${n % 3}`, marketplaceId: BENCH_MARKETPLACE_ID, audience: 'B2C', at, kind: n % 2 === 0 ? 'decision' : 'push', decisionId: `dec-${n}`,
      action: 'lower', priceMinor: 1000 + n, previousPriceMinor: 1100, currency: 'EUR', reasonCode: 'UndercutBuyBox', reason: 'undercut', state: 'trying-to-win',
      buyBox: 'lost', competitorCount: 3, dryRun: false,
    });
    const recent = Array.from({ length: 30 }, (_, n) => entry(n, new Date(NOW - (n + 1) * 3_600_000).toISOString()));
    const expired = Array.from({ length: 3 }, (_, n) => entry(100 + n, new Date(NOW - (HISTORY_RETENTION_DAYS + 5) * 86_400_000).toISOString()));
    // The old rows: the offers table, the same keys, some written before rows had a TTL.
    for (const [k, e] of [...recent, ...expired].entries()) {
      const row = { pk: `HIST#${e.tenantId}#${e.sku}`, sk: `${e.at}#${e.marketplaceId}#${e.audience}#${e.kind}#${e.decisionId}`, doc: JSON.stringify(e) };
      await dynamo().send(new PutCommand({ TableName: TABLES.repricer, Item: k % 4 === 0 ? row : { ...row, expiresAt: 1 } }));
    }
    await dynamo().send(new PutCommand({ TableName: TABLES.repricer, Item: { pk: `HIST#${tenantId}#BROKEN`, sk: '2026-11-29T00:00:00.000Z#x', doc: '{not json' } }));
    // Offers live in the same table: the scan passes them by.
    await new DynamoRepricerStore(dynamo(), TABLES.repricer).putOffer(benchOffer(0, { tenantId, sellerId: 'A1MIGRATE00001', realistic: true, nowMs: NOW }).offer);

    const bounded = await runRepricerMigration(dynamo(), TABLES, 'history-table', { nowMs: NOW, pageSize: 7, maxPages: 2 });
    expect(bounded.done).toBe(false);
    const rest = await runRepricerMigration(dynamo(), TABLES, 'history-table', { nowMs: NOW, pageSize: 7 });
    expect(rest.done).toBe(true);
    expect(bounded.moved + rest.moved).toBeGreaterThanOrEqual(30);
    expect(bounded.expired + rest.expired).toBeGreaterThanOrEqual(3);
    expect([...bounded.unreadable, ...rest.unreadable]).toContain(`HIST#${tenantId}#BROKEN / 2026-11-29T00:00:00.000Z#x`);

    // Readable through the history port, each with its TTL from its own date; the expired ones not copied.
    const history = new DynamoPriceHistory(dynamo(), TABLES.history);
    const read = (sku: string) => history.read(tenantId, sku, NOW - 500 * 86_400_000, NOW, 1_000);
    const copied = [...(await read('SKU-0')), ...(await read('SKU-1')), ...(await read('SKU-2'))];
    expect(copied.map((e) => e.decisionId).sort()).toEqual(recent.map((e) => e.decisionId).sort());
    const { Items: rows = [] } = await dynamo().send(new ScanCommand({ TableName: TABLES.history, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': `HIST#${tenantId}#` } }));
    for (const row of rows) {
      const doc = JSON.parse(String(row.doc)) as HistoryEntry;
      expect(row.expiresAt).toBe(Math.floor(Date.parse(doc.at) / 1000) + HISTORY_RETENTION_DAYS * 86_400);
    }
    // Gone from the offers table, but for the row that is not history (named above, kept for a person to look at).
    const { Items: left = [] } = await dynamo().send(new ScanCommand({ TableName: TABLES.repricer, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': `HIST#${tenantId}#` } }));
    expect(left.map((r) => r.pk)).toEqual([`HIST#${tenantId}#BROKEN`]);
    await dynamo().send(new DeleteCommand({ TableName: TABLES.repricer, Key: { pk: `HIST#${tenantId}#BROKEN`, sk: '2026-11-29T00:00:00.000Z#x' } }));

    // Idempotent: done is remembered, a second run scans nothing.
    expect(await runRepricerMigration(dynamo(), TABLES, 'history-table', { nowMs: NOW })).toMatchObject({ done: true, examined: 0, moved: 0 });
  });
});
