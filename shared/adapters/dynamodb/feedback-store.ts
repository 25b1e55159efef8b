import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.ts';
import type { Difficulty, ProductArea, RootCause } from '#shared/service/feedback.ts';
import { putVersioned } from './conditional-write.ts';
import type { FeedbackStore } from '#shared/service/ports.ts';

/**
 * Product feedback in the core table:
 * - a difficulty: pk FEEDBACK#D#<difficultyId>, sk DIFFICULTY (its id is derived from touchpoint, customer and text)
 * - root causes of a product area: pk FEEDBACK#AREA#<area>, sk RC#<rootCauseId> (one partition per area:
 *   grouping reads the area's root causes with one Query; writes are version-conditioned)
 */
export class DynamoFeedbackStore implements FeedbackStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getDifficulty(difficultyId: string): Promise<Difficulty | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `FEEDBACK#D#${difficultyId}`, sk: 'DIFFICULTY' }, ConsistentRead: true }));
    return Item ? (strip(Item) as unknown as Difficulty) : undefined;
  }

  async putDifficulty(difficulty: Difficulty): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { pk: `FEEDBACK#D#${difficulty.difficultyId}`, sk: 'DIFFICULTY', entity: 'difficulty', ...difficulty } }));
  }

  async listRootCauses(area: ProductArea): Promise<RootCause[]> {
    const out: RootCause[] = (
      await queryAll(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `FEEDBACK#AREA#${area}`, ':prefix': 'RC#' },
        ConsistentRead: true,
      })
    ).map((i) => strip(i) as unknown as RootCause);
    return out;
  }

  async getRootCause(area: ProductArea, rootCauseId: string): Promise<RootCause | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `FEEDBACK#AREA#${area}`, sk: `RC#${rootCauseId}` }, ConsistentRead: true }));
    return Item ? (strip(Item) as unknown as RootCause) : undefined;
  }

  async saveRootCause(rc: RootCause): Promise<void> {
    const item = { pk: `FEEDBACK#AREA#${rc.productArea}`, sk: `RC#${rc.rootCauseId}`, entity: 'root-cause', ...rc };
    await putVersioned(this.client, this.tableName, item, rc.version, `RC#${rc.rootCauseId}`);
  }
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest;
}
