import { PutCommand, UpdateCommand, GetCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.ts';
import { ConflictError } from '#shared/kernel/errors.ts';
import { REFRESHED_CLAIM_FIELDS, newClaim, type Claim, type ClaimStatus } from '#shared/lost-and-found/lifecycle.ts';
import type { FoundClaim } from '#shared/lost-and-found/model.ts';
import type { ClaimRepository, UpsertOutcome } from '#shared/lost-and-found/ports.ts';
import { isConditionFailure } from './conditional-write.ts';

/** Evidence rows kept on a claim item: DynamoDB items are capped at 400 KB; the reports keep the rest. */
export const MAX_STORED_EVIDENCE = 200;

/**
 * Claims in the core table: pk TENANT#<customerId>, sk CLAIM#<claimId> (one partition per customer, read by
 * Query). Creation is conditional on absence, a refresh on the claim still being `found`, every lifecycle
 * step on the version read: running an audit twice or racing a reconciliation cannot duplicate or clobber.
 */
export class DynamoClaimRepository implements ClaimRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async upsertFound(customerId: string, claims: readonly FoundClaim[], at: Date): Promise<UpsertOutcome> {
    const outcome: UpsertOutcome = { created: [], refreshed: [], untouched: [] };
    for (const found of claims) {
      const claim = capEvidence(newClaim(found, customerId, at));
      try {
        await this.client.send(new PutCommand({ TableName: this.tableName, Item: toItem(claim), ConditionExpression: 'attribute_not_exists(pk)' }));
        outcome.created.push(found.id);
        continue;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      try {
        await this.client.send(new UpdateCommand({ TableName: this.tableName, Key: keyOf(customerId, found.id), ...refreshUpdate(claim, at) }));
        outcome.refreshed.push(found.id);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        outcome.untouched.push(found.id);
      }
    }
    return outcome;
  }

  async get(customerId: string, claimId: string): Promise<Claim | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keyOf(customerId, claimId), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async list(customerId: string, filter?: { statuses?: readonly ClaimStatus[] }): Promise<Claim[]> {
    const claims: Claim[] = (
      await queryAll(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `TENANT#${customerId}`, ':prefix': 'CLAIM#' },
      })
    ).map(fromItem);
    return filter?.statuses ? claims.filter((c) => filter.statuses!.includes(c.status)) : claims;
  }

  async save(claim: Claim, expectedVersion: number): Promise<Claim> {
    const saved = capEvidence({ ...claim, version: expectedVersion + 1 });
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(saved),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`claim ${claim.id} changed since version ${expectedVersion}`, 'version_conflict');
      throw error;
    }
    return saved;
  }
}

/**
 * The conditional update of a claim still `found` with a newer audit's finding: every refreshed field the finding
 * has is set, every optional one it lacks removed (`valueUnknownReason` once a value is known).
 */
function refreshUpdate(claim: Claim, at: Date): Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  const names: Record<string, string> = { '#v': 'version', '#s': 'status', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':one': 1, ':found': 'found', ':updatedAt': at.toISOString() };
  const sets = ['#updatedAt = :updatedAt', '#v = #v + :one'];
  const removes: string[] = [];
  for (const field of REFRESHED_CLAIM_FIELDS) {
    names[`#${field}`] = field;
    if (claim[field] === undefined) removes.push(`#${field}`);
    else {
      sets.push(`#${field} = :${field}`);
      values[`:${field}`] = claim[field];
    }
  }
  return {
    UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: '#s = :found',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

function capEvidence(claim: Claim): Claim {
  return claim.evidence.length <= MAX_STORED_EVIDENCE ? claim : { ...claim, evidence: claim.evidence.slice(0, MAX_STORED_EVIDENCE) };
}

function keyOf(customerId: string, claimId: string) {
  return { pk: `TENANT#${customerId}`, sk: `CLAIM#${claimId}` };
}

function toItem(claim: Claim): Record<string, unknown> {
  return { ...keyOf(claim.customerId, claim.id), entity: 'claim', ...claim };
}

function fromItem(item: Record<string, unknown>): Claim {
  const { pk: _pk, sk: _sk, entity: _entity, ...claim } = item;
  return claim as unknown as Claim;
}
