import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { ConflictError } from '#shared/kernel/errors.ts';
import {
  DUE_SHARDS,
  PUSH_SHARDS,
  dueShardOf,
  pushShardOf,
  type CachedSnapshot,
  type DueOffersPage,
  type OfferKey,
  type PendingPush,
  type PendingPushRef,
  type RepricerSettings,
  type StoredOffer,
} from '#shared/repricer/model.ts';
import type { RepricerStore } from '#shared/repricer/ports.ts';
import type { Audience, OfferChangeEvent } from '#shared/repricer/types.ts';
import { isConditionFailure } from './conditional-write.ts';

/**
 * The repricer table (sellerops-repricer). Access patterns (see infra/wiring/repricer.ts):
 * - settings: Get pk=TENANT#<t>, sk=REPRICER; seller → tenant: Get pk=SELLER#<sellerId>, sk=TENANT
 * - offers of a tenant: Query pk=TENANT#<t>, sk begins_with OFFER#; of one listing: begins_with OFFER#<mkt>#<aud>#<asin>#
 * - due offers (ticks): Query index due (KEYS_ONLY), dueShard=MKT#<mkt>#SHARD#<n>, dueOrder <= <now> (sparse: paused
 *   offers carry no key); the worker BatchGets the offers its job names
 * - pending pushes (flush): Query index pushes (INCLUDE pendingPush), pushShard=PUSH#<0..15>, pushOrder <= <now> (sparse)
 * - market snapshot cache: BatchGet pk=SNAP#<seller>#<mkt>#<aud>#<asin>, conditional put keeps the newest
 * Price history lives in its own table (price-history.ts).
 *
 * An offer is written whole (version-conditioned Put), but the index keys it carries only change when their
 * values do: a decision that keeps the offer due rewrites no `due` entry (DynamoDB writes an index only when its
 * key or projected attributes change).
 */
export class DynamoRepricerStore implements RepricerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getSettings(tenantId: string): Promise<RepricerSettings | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `TENANT#${tenantId}`, sk: 'REPRICER' }, ConsistentRead: true }));
    return Item ? (JSON.parse(String(Item.doc)) as RepricerSettings) : undefined;
  }

  async saveSettings(settings: RepricerSettings): Promise<void> {
    // The seller is claimed first (idempotent for its owner): a claim that fails leaves no settings behind, so
    // neither a 409 that was applied nor a loser of two concurrent first claims wedged on a seller it lacks.
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `SELLER#${settings.sellerId}`, sk: 'TENANT', tenantId: settings.tenantId },
          ConditionExpression: 'attribute_not_exists(pk) OR tenantId = :t',
          ExpressionAttributeValues: { ':t': settings.tenantId },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`seller ${settings.sellerId} belongs to another account`, 'seller_taken');
      throw error;
    }
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `TENANT#${settings.tenantId}`, sk: 'REPRICER', version: settings.version, doc: JSON.stringify(settings) },
          ...(settings.version === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: '#v = :p', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':p': settings.version - 1 } }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError('repricer settings changed concurrently; nothing was changed, try again', 'version_conflict');
      throw error;
    }
  }

  async tenantOfSeller(sellerId: string): Promise<string | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `SELLER#${sellerId}`, sk: 'TENANT' } }));
    return Item ? String(Item.tenantId) : undefined;
  }

  async listOffers(tenantId: string): Promise<StoredOffer[]> {
    return this.queryOffers(`TENANT#${tenantId}`, 'OFFER#');
  }

  async offersForListing(tenantId: string, marketplaceId: string, audience: Audience, asin: string): Promise<StoredOffer[]> {
    return this.queryOffers(`TENANT#${tenantId}`, `OFFER#${marketplaceId}#${audience}#${asin}#`);
  }

  async getOffer(tenantId: string, marketplaceId: string, audience: Audience, asin: string, sku: string): Promise<StoredOffer | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: offerTableKey({ tenantId, marketplaceId, audience, asin, sku }), ConsistentRead: true }),
    );
    return Item ? offerFromItem(Item) : undefined;
  }

  async dueOffers(marketplaceId: string, shard: number, dueBeforeMs: number, limit: number, cursor: string | null): Promise<DueOffersPage> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'due',
        KeyConditionExpression: 'dueShard = :s AND dueOrder < :upper',
        ExpressionAttributeValues: { ':s': `MKT#${marketplaceId}#SHARD#${shard}`, ':upper': `${new Date(dueBeforeMs).toISOString()}#\uffff` },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, (k) => k.dueShard === `MKT#${marketplaceId}#SHARD#${shard}`) } : {}),
      }),
    );
    return {
      keys: Items.map(offerKeyFromItem),
      cursor: encodeCursor(LastEvaluatedKey),
    };
  }

  async getOffers(keys: readonly OfferKey[], options: { readonly consistent?: boolean } = {}): Promise<StoredOffer[]> {
    const out: StoredOffer[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + 100).map(offerTableKey);
      for (let attempt = 0; pending.length > 0; attempt++) {
        const { Responses = {}, UnprocessedKeys = {} } = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) } } }),
        );
        for (const item of Responses[this.tableName] ?? []) out.push(offerFromItem(item));
        pending = (UnprocessedKeys[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
        if (pending.length > 0) await backoff(attempt);
      }
    }
    return out;
  }

  async putOffer(offer: StoredOffer): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: offerToItem(offer),
          ...(offer.version === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: '#v = :p', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':p': offer.version - 1 } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getSnapshots(sellerId: string, marketplaceId: string, audience: Audience, asins: readonly string[]): Promise<Map<string, CachedSnapshot>> {
    const out = new Map<string, CachedSnapshot>();
    const unique = [...new Set(asins)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + 100).map((asin) => ({ pk: snapshotPk(sellerId, marketplaceId, audience, asin), sk: 'SNAPSHOT' }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        const { Responses = {}, UnprocessedKeys = {} } = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }));
        for (const item of Responses[this.tableName] ?? []) {
          const snap = snapshotFromItem(item);
          out.set(snap.event.asin, snap);
        }
        keys = (UnprocessedKeys[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
        if (keys.length > 0) await backoff(attempt);
      }
    }
    return out;
  }

  async putSnapshot(snapshot: CachedSnapshot): Promise<{ stored: boolean; previous: CachedSnapshot | undefined }> {
    const e = snapshot.event;
    try {
      const { Attributes } = await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: snapshotPk(e.sellerId, e.marketplaceId, e.audience, e.asin),
            sk: 'SNAPSHOT',
            changedAt: e.timeOfOfferChange.getTime(),
            receivedAt: snapshot.receivedAtMs,
            doc: JSON.stringify(e),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR changedAt <= :t',
          ExpressionAttributeValues: { ':t': e.timeOfOfferChange.getTime() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return { stored: true, previous: Attributes ? snapshotFromItem(Attributes) : undefined };
    } catch (error) {
      if (isConditionFailure(error)) return { stored: false, previous: undefined };
      throw error;
    }
  }

  async pendingPushes(nowMs: number, limit: number): Promise<PendingPushRef[]> {
    // Each shard gets an equal share of the limit (the shards fill evenly by hash), oldest first within it.
    const perShard = Math.ceil(limit / PUSH_SHARDS);
    const out: PendingPushRef[] = [];
    for (let shard = 0; shard < PUSH_SHARDS && out.length < limit; shard++) {
      const items = await queryAll(
        this.client,
        {
          TableName: this.tableName,
          IndexName: 'pushes',
          KeyConditionExpression: 'pushShard = :s AND pushOrder <= :t',
          ExpressionAttributeValues: { ':s': `PUSH#${shard}`, ':t': `${new Date(nowMs).toISOString()}#\uffff` },
        },
        { max: Math.min(perShard, limit - out.length), pageSize: 5000 },
      );
      for (const item of items) out.push(pendingPushFromItem(item));
    }
    return out;
  }

  private async queryOffers(pk: string, prefix: string): Promise<StoredOffer[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ConsistentRead: true,
    });
    return items.map(offerFromItem);
  }

}

const MINUTE_MS = 60_000;

/** The stored item of an offer (exported for bulk loads: seeding, benchmarks). */
export function offerToItem(offer: StoredOffer): Record<string, unknown> {
  const r = offer.rules;
  const active = !offer.paused;
  const p = offer.pendingPush;
  return {
    ...offerTableKey({ tenantId: offer.tenantId, marketplaceId: r.marketplaceId, audience: r.audience, asin: r.asin, sku: r.sku }),
    version: offer.version,
    doc: JSON.stringify(offer),
    ...(active
      ? {
          dueShard: `MKT#${r.marketplaceId}#SHARD#${dueShardOf(offer.tenantId, r.sku)}`,
          dueOrder: `${new Date(offer.nextRepriceAtMs).toISOString()}#${offer.tenantId}#${r.sku}#${r.audience}`,
        }
      : {}),
    ...(p
      ? {
          pushShard: `PUSH#${pushShardOf(offer.tenantId, r.sku)}`,
          // What the flush reads through the index (projected with INCLUDE): the change, without the offer.
          pendingPush: JSON.stringify({ sellerId: offer.sellerId, currency: r.currency, push: p } satisfies PendingPushDoc),
          // Bulk pushes are due for the flush at once; immediate ones only if their worker left them for a minute.
          pushOrder: `${new Date(p.via === 'bulk' ? p.decidedAtMs - MINUTE_MS : p.decidedAtMs + MINUTE_MS).toISOString()}#${offer.tenantId}#${r.sku}#${r.audience}`,
        }
      : {}),
  };
}

function offerFromItem(item: Record<string, unknown>): StoredOffer {
  return JSON.parse(String(item.doc)) as StoredOffer;
}

interface PendingPushDoc {
  readonly sellerId: string;
  readonly currency: PendingPushRef['currency'];
  readonly push: PendingPush;
}

function offerTableKey(k: OfferKey): { pk: string; sk: string } {
  return { pk: `TENANT#${k.tenantId}`, sk: `OFFER#${k.marketplaceId}#${k.audience}#${k.asin}#${k.sku}` };
}

/** The key of an offer from its table key (all a KEYS_ONLY index gives): sk = OFFER#<mkt>#<audience>#<asin>#<sku…>. */
function offerKeyFromItem(item: Record<string, unknown>): OfferKey {
  const [, marketplaceId = '', audience, asin = '', ...sku] = String(item.sk).split('#');
  return { tenantId: String(item.pk).slice('TENANT#'.length), marketplaceId, audience: audience === 'B2B' ? 'B2B' : 'B2C', asin, sku: sku.join('#') };
}

function pendingPushFromItem(item: Record<string, unknown>): PendingPushRef {
  const doc = JSON.parse(String(item.pendingPush)) as PendingPushDoc;
  return { key: offerKeyFromItem(item), sellerId: doc.sellerId, currency: doc.currency, push: doc.push };
}

function snapshotPk(sellerId: string, marketplaceId: string, audience: Audience, asin: string): string {
  return `SNAP#${sellerId}#${marketplaceId}#${audience}#${asin}`;
}

function snapshotFromItem(item: Record<string, unknown>): CachedSnapshot {
  const raw = JSON.parse(String(item.doc)) as OfferChangeEvent & { timeOfOfferChange: string };
  return { event: { ...raw, timeOfOfferChange: new Date(raw.timeOfOfferChange) }, receivedAtMs: Number(item.receivedAt) };
}


async function backoff(attempt: number): Promise<void> {
  await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random() / 2)));
}

export { DUE_SHARDS };

/** The stored item of a cached snapshot (bulk loads). */
export function snapshotToItem(snapshot: CachedSnapshot): Record<string, unknown> {
  const e = snapshot.event;
  return { pk: snapshotPk(e.sellerId, e.marketplaceId, e.audience, e.asin), sk: 'SNAPSHOT', changedAt: e.timeOfOfferChange.getTime(), receivedAt: snapshot.receivedAtMs, doc: JSON.stringify(e) };
}
