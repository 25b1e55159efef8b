/**
 * Conditional writes, the one way: every adapter that writes with a ConditionExpression recognises a refused
 * condition with `isConditionFailure` and stores versioned items with `putVersioned`. What a refusal means
 * (a lost race, a duplicate, a full rate window) stays with each adapter.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { VersionConflictError } from '#shared/kernel/errors.ts';

/** DynamoDB refused the write because its condition did not hold (by class, or by name across SDK copies and DynamoDB Local). */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/** Runs one conditional write: true when written, false when its condition did not hold; any other error propagates. */
export async function writeIfCondition(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Stores `item` whose `version` is the new version, only if the stored version is `version - 1` (nothing stored
 * when `version` is 1). Throws `VersionConflictError(conflictKey)` otherwise: nothing is written.
 */
export async function putVersioned(
  client: DynamoDBDocumentClient,
  tableName: string,
  item: Readonly<Record<string, unknown>>,
  version: number,
  conflictKey: string,
): Promise<void> {
  const condition =
    version === 1
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: '#version = :previous', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':previous': version - 1 } };
  const written = await writeIfCondition(() => client.send(new PutCommand({ TableName: tableName, Item: item, ...condition })));
  if (!written) throw new VersionConflictError(conflictKey);
}
