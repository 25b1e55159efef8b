import { BatchWriteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './conditional-write.ts';
import type { RuleImportJob, RuleImportStore } from '#shared/repricer/ports.ts';
import type { OfferRules } from '#shared/repricer/types.ts';

/** Rule-import jobs and their chunks are kept 30 days (TTL), long enough to read the outcome. */
const RETENTION_SECONDS = 30 * 86_400;

/**
 * Large bulk rule uploads in the repricer table: the job pk=TENANT#<t>, sk=RULESIMPORT#<jobId> (counts);
 * its chunks sk=RULESIMPORT#<jobId>#CHUNK#<n> (the offers until the chunk is done). Both expire by TTL. A chunk is
 * counted with one conditional update of the job (its number joins the job's `doneChunks` set).
 */
export class DynamoRuleImportStore implements RuleImportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private jobKey(tenantId: string, jobId: string) {
    return { pk: `TENANT#${tenantId}`, sk: `RULESIMPORT#${jobId}` };
  }

  private chunkKey(tenantId: string, jobId: string, chunk: number) {
    return { pk: `TENANT#${tenantId}`, sk: `RULESIMPORT#${jobId}#CHUNK#${String(chunk).padStart(5, '0')}` };
  }

  async createRuleImport(job: RuleImportJob, chunks: readonly (readonly OfferRules[])[]): Promise<void> {
    const expiresAt = Math.floor(job.requestedAtMs / 1000) + RETENTION_SECONDS;
    let pending = chunks.map((offers, chunk) => ({
      PutRequest: { Item: { ...this.chunkKey(job.tenantId, job.jobId, chunk), entity: 'rules-import-chunk', done: false, offers, expiresAt } },
    }));
    // The chunks first: a job record is only ever seen with all of its chunks stored.
    while (pending.length > 0) {
      const batch = pending.slice(0, 25);
      const { UnprocessedItems = {} } = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: batch } }));
      pending = [...((UnprocessedItems[this.tableName] ?? []) as typeof pending), ...pending.slice(25)];
    }
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...this.jobKey(job.tenantId, job.jobId), entity: 'rules-import', ...job, expiresAt } }));
  }

  async getRuleImport(tenantId: string, jobId: string): Promise<RuleImportJob | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: this.jobKey(tenantId, jobId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _e, expiresAt: _x, doneChunks: _d, ...job } = Item;
    return job as unknown as RuleImportJob;
  }

  async pendingChunk(tenantId: string, jobId: string, chunk: number): Promise<readonly OfferRules[] | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: this.chunkKey(tenantId, jobId, chunk), ConsistentRead: true }));
    if (!Item || Item.done === true) return undefined;
    return Item.offers as OfferRules[];
  }

  async completeChunk(tenantId: string, jobId: string, chunk: number, counts: { created: number; updated: number }, atMs: number): Promise<boolean> {
    try {
      // One conditional write on the job: the chunk's number joins the set of done chunks together with its counts,
      // so a second delivery of the chunk (even a concurrent one) cannot count it again.
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.jobKey(tenantId, jobId),
          UpdateExpression: 'ADD chunksDone :one, created :created, updated :updated, doneChunks :chunk SET finishedAtMs = :at',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(doneChunks, :number)',
          ExpressionAttributeValues: { ':one': 1, ':created': counts.created, ':updated': counts.updated, ':chunk': new Set([chunk]), ':number': chunk, ':at': atMs },
        }),
      );
    } catch (error) {
      // Another delivery of the same chunk completed it first: its counts are in the job already.
      if (isConditionFailure(error)) return false;
      throw error;
    }
    // The chunk's offers are no longer needed; a delivery that finds the chunk done does nothing.
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.chunkKey(tenantId, jobId, chunk),
        UpdateExpression: 'SET done = :true REMOVE offers',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
    return true;
  }
}
