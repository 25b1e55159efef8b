/**
 * Amazon connections in the core table:
 * - the tenant's connection: pk TENANT#<tenantId>, sk AMAZON_CONNECTION;
 * - the seller's binding: pk SELLER#<sellerId>, sk AMAZON_BINDING (conditional put: one tenant per seller);
 * - a consent in flight: pk AMAZON_STATE#<nonce>, sk STATE (TTL expiresAt; a conditional delete takes it once).
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AmazonConnection, AmazonConnectionStore, PendingAuthorisation } from '#shared/amazon-access/ports.ts';
import type { AmazonRegion } from '#shared/amazon-access/regions.ts';

const isConditionFailure = (error: unknown) => (error as { name?: string }).name === 'ConditionalCheckFailedException';

export class DynamoAmazonConnectionStore implements AmazonConnectionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getConnection(tenantId: string): Promise<AmazonConnection | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `TENANT#${tenantId}`, sk: 'AMAZON_CONNECTION' }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...connection } = Item;
    return connection as unknown as AmazonConnection;
  }

  async putConnection(connection: AmazonConnection): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: `TENANT#${connection.tenantId}`, sk: 'AMAZON_CONNECTION', entity: 'amazon-connection', ...connection } }),
    );
  }

  async savePendingAuthorisation(pending: PendingAuthorisation): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `AMAZON_STATE#${pending.nonce}`, sk: 'STATE', entity: 'amazon-state', ...pending, expiresAt: Math.ceil(pending.expiresAtMs / 1000) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async takePendingAuthorisation(nonce: string): Promise<PendingAuthorisation | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: `AMAZON_STATE#${nonce}`, sk: 'STATE' },
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (!Attributes) return undefined;
      return {
        nonce: String(Attributes.nonce),
        tenantId: String(Attributes.tenantId),
        region: Attributes.region as AmazonRegion,
        marketplace: Attributes.marketplace as PendingAuthorisation['marketplace'],
        expiresAtMs: Number(Attributes.expiresAtMs),
      };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async tenantOfSeller(sellerId: string): Promise<{ tenantId: string; region: AmazonRegion } | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `SELLER#${sellerId}`, sk: 'AMAZON_BINDING' }, ConsistentRead: true }));
    return Item ? { tenantId: String(Item.tenantId), region: Item.region as AmazonRegion } : undefined;
  }

  async bindSeller(sellerId: string, tenantId: string, region: AmazonRegion): Promise<{ bound: true } | { bound: false; owner: string }> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `SELLER#${sellerId}`, sk: 'AMAZON_BINDING', entity: 'amazon-binding', sellerId, tenantId, region },
          ConditionExpression: 'attribute_not_exists(pk) OR tenantId = :tenant',
          ExpressionAttributeValues: { ':tenant': tenantId },
        }),
      );
      return { bound: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { bound: false, owner: (await this.tenantOfSeller(sellerId))?.tenantId ?? 'unknown' };
    }
  }
}
