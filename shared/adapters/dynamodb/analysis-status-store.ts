import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AnalysisStatus, AnalysisStatusStore } from '#shared/onboarding/ports.ts';

/** Where a tenant's profile analysis stands: pk TENANT#<tenantId>, sk ONBOARDING_ANALYSIS. */
export class DynamoAnalysisStatusStore implements AnalysisStatusStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string): Promise<AnalysisStatus | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `TENANT#${tenantId}`, sk: 'ONBOARDING_ANALYSIS' }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...status } = Item;
    return status as unknown as AnalysisStatus;
  }

  async put(status: AnalysisStatus): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { pk: `TENANT#${status.tenantId}`, sk: 'ONBOARDING_ANALYSIS', entity: 'onboarding-analysis', ...status } }));
  }
}
