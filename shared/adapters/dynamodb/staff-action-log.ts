import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StaffAction, StaffActionLog } from '#shared/customers/acting-for.ts';
import { isConditionFailure } from './conditional-write.ts';

/**
 * Staff actions on a customer's behalf: pk TENANT#<tenantId>, sk STAFFACTION#<actionId> (the id is derived from the
 * action, so a retry finds its entry); read with one Query of the prefix and ordered by `at`, newest first.
 */
export class DynamoStaffActionLog implements StaffActionLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(action: StaffAction): Promise<void> {
    try {
      // One entry per action id: a retried action keeps the entry of its first success.
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `TENANT#${action.tenantId}`, sk: `STAFFACTION#${action.actionId}`, entity: 'staff-action', ...action },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async list(tenantId: string, limit: number): Promise<StaffAction[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':prefix': 'STAFFACTION#' },
        ConsistentRead: true,
      }),
    );
    return Items.map(({ pk: _pk, sk: _sk, entity: _entity, ...action }) => action as unknown as StaffAction)
      .sort((a, b) => b.at.localeCompare(a.at) || b.actionId.localeCompare(a.actionId))
      .slice(0, limit);
  }
}
