import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.ts';
import type { PlannedCallRecord, QuarterId, SurveyCampaign, SurveyResponse, SurveySettings } from '#shared/service/surveys.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { isConditionFailure } from './conditional-write.ts';
import type { SurveyStore } from '#shared/service/ports.ts';

/**
 * Surveys in the core table:
 * - settings: pk SURVEY#SETTINGS, sk SETTINGS
 * - a quarter's campaign summary: pk SURVEY#<quarter>, sk CAMPAIGN
 * - planned calls (one per customer and quarter): pk SURVEY#<quarter>, sk CALL#<tenantId>
 * - answers (one per customer and quarter, conditional put): pk SURVEY#<quarter>, sk RESPONSE#<tenantId>
 */
export class DynamoSurveyStore implements SurveyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getSettings(): Promise<SurveySettings | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: 'SURVEY#SETTINGS', sk: 'SETTINGS' } }));
    return Item ? (strip(Item) as unknown as SurveySettings) : undefined;
  }

  async saveSettings(settings: SurveySettings): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { pk: 'SURVEY#SETTINGS', sk: 'SETTINGS', entity: 'survey-settings', ...settings } }));
  }

  async getCampaign(quarter: QuarterId): Promise<SurveyCampaign | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `SURVEY#${quarter}`, sk: 'CAMPAIGN' }, ConsistentRead: true }));
    return Item ? (strip(Item) as unknown as SurveyCampaign) : undefined;
  }

  async saveCampaign(campaign: SurveyCampaign): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { pk: `SURVEY#${campaign.quarter}`, sk: 'CAMPAIGN', entity: 'survey-campaign', ...campaign } }));
  }

  async putPlannedCalls(calls: readonly PlannedCallRecord[]): Promise<void> {
    const chunks: PlannedCallRecord[][] = [];
    for (let i = 0; i < calls.length; i += 25) chunks.push(calls.slice(i, i + 25));
    await Promise.all(
      chunks.map(async (chunk) => {
        let requests = chunk.map((c) => ({ PutRequest: { Item: { pk: `SURVEY#${c.quarter}`, sk: `CALL#${c.tenantId}`, entity: 'survey-call', ...c } } }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          const result = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
          requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
          if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
        }
      }),
    );
  }

  async listPlannedCalls(quarter: QuarterId, cursor: string | undefined, limit: number): Promise<{ items: PlannedCallRecord[]; nextCursor: string | null }> {
    const pk = `SURVEY#${quarter}`;
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'CALL#' },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, (k) => k.pk === pk && String(k.sk).startsWith('CALL#')) } : {}),
      }),
    );
    return { items: (page.Items ?? []).map((i) => strip(i) as unknown as PlannedCallRecord), nextCursor: encodeCursor(page.LastEvaluatedKey) };
  }

  async putResponse(response: SurveyResponse): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `SURVEY#${response.quarter}`, sk: `RESPONSE#${response.tenantId}`, entity: 'survey-response', ...response },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getResponse(quarter: QuarterId, tenantId: string): Promise<SurveyResponse | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `SURVEY#${quarter}`, sk: `RESPONSE#${tenantId}` }, ConsistentRead: true }));
    return Item ? (strip(Item) as unknown as SurveyResponse) : undefined;
  }

  async listResponses(quarter: QuarterId): Promise<SurveyResponse[]> {
    const out: SurveyResponse[] = (
      await queryAll(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `SURVEY#${quarter}`, ':prefix': 'RESPONSE#' },
      })
    ).map((i) => strip(i) as unknown as SurveyResponse);
    return out;
  }
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest;
}
