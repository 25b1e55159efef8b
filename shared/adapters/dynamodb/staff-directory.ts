import { VersionConflictError } from '#shared/kernel/errors.ts';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.ts';
import type { StaffDirectory } from '#shared/csm/ports.ts';
import type { StaffMember } from '#shared/csm/staff.ts';
import { isConditionFailure } from './conditional-write.ts';

/**
 * Staff in one partition (pk STAFF, sk STAFF#<id>): the directory is small and read whole for every
 * assignment. A manager's customers are a DynamoDB string set, so adding or removing one is idempotent.
 */
export class DynamoStaffDirectory implements StaffDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<StaffMember[]> {
    const members: StaffMember[] = (
      await queryAll(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': 'STAFF', ':prefix': 'STAFF#' },
        ConsistentRead: true,
      })
    ).map(fromItem);
    return members;
  }

  async get(staffId: string): Promise<StaffMember | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keyOf(staffId), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async save(member: StaffMember): Promise<void> {
    const { customers: _customers, staffId, version, ...profile } = member;
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':version': version, ':previous': version - 1, ':entity': 'staff', ':id': staffId };
    const sets = ['#version = :version', 'entity = :entity', 'staffId = :id'];
    for (const [field, value] of Object.entries(profile)) {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(staffId),
          // The customer set is never written here: only addCustomer/removeCustomer touch it.
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: version === 1 ? 'attribute_not_exists(#version)' : '#version = :previous',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: version === 1 ? withoutPrevious(values) : values,
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new VersionConflictError(`STAFF#${staffId}`);
      throw error;
    }
  }

  async addCustomer(staffId: string, tenantId: string, expectedCount?: number): Promise<boolean> {
    const guard =
      expectedCount === undefined
        ? {}
        : expectedCount === 0
          ? { condition: ' AND attribute_not_exists(customers)', values: {} }
          : { condition: ' AND size(customers) = :count', values: { ':count': expectedCount } };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(staffId),
          UpdateExpression: 'ADD customers :tenant',
          ConditionExpression: `attribute_exists(pk)${'condition' in guard ? guard.condition : ''}`,
          ExpressionAttributeValues: { ':tenant': new Set([tenantId]), ...('values' in guard ? guard.values : {}) },
        }),
      );
      return true;
    } catch (error) {
      if (expectedCount !== undefined && isConditionFailure(error)) return false;
      throw error;
    }
  }

  async removeCustomer(staffId: string, tenantId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(staffId),
        UpdateExpression: 'DELETE customers :tenant',
        ExpressionAttributeValues: { ':tenant': new Set([tenantId]) },
      }),
    );
  }
}

function withoutPrevious(values: Record<string, unknown>): Record<string, unknown> {
  const { ':previous': _previous, ...rest } = values;
  return rest;
}

function keyOf(staffId: string) {
  return { pk: 'STAFF', sk: `STAFF#${staffId}` };
}

function fromItem(item: Record<string, unknown>): StaffMember {
  const { pk: _pk, sk: _sk, entity: _entity, customers, ...rest } = item;
  return { ...rest, customers: customers instanceof Set ? [...(customers as Set<string>)].sort() : [] } as unknown as StaffMember;
}
