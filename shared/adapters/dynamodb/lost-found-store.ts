import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.ts';
import type { AuditJob } from '#shared/lost-and-found/jobs.ts';
import type { DailyCount } from '#shared/lost-and-found/model.ts';
import { isConditionFailure } from './conditional-write.ts';
import type { LostFoundStore, ReportFetchStatusStore } from '#shared/lost-and-found/ports.ts';
import type { ReportFetchStatus } from '#shared/lost-and-found/report-fetch.ts';

/**
 * Lost & Found service records in the core table:
 * audit jobs pk TENANT#<id> sk AUDIT#<auditId>; the customer's audit slots pk TENANT#<id> sk AUDITSLOT#<n> (auditId, heldUntil); damage history pk TENANT#<id> sk LFDAMAGE (a map day → count);
 * the registry of Lost & Found customers pk LF#CUSTOMERS sk <id> (read with one Query by the daily check);
 * the report fetch status pk TENANT#<id> sk REPORTFETCH#<reportType> (read strongly consistent).
 */
export class DynamoLostFoundStore implements LostFoundStore, ReportFetchStatusStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putJob(job: AuditJob): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { pk: `TENANT#${job.customerId}`, sk: `AUDIT#${job.auditId}`, entity: 'audit', ...job } }));
  }

  async createJob(job: AuditJob): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `TENANT#${job.customerId}`, sk: `AUDIT#${job.auditId}`, entity: 'audit', ...job },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getJob(customerId: string, auditId: string): Promise<AuditJob | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `TENANT#${customerId}`, sk: `AUDIT#${auditId}` }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _e, ...job } = Item;
    return job as unknown as AuditJob;
  }

  async claimAuditSlot(customerId: string, auditId: string, slots: number, now: Date, heldUntil: Date): Promise<{ claimed: boolean; heldBy: readonly string[] }> {
    for (let slot = 0; slot < slots; slot++) {
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: `TENANT#${customerId}`, sk: `AUDITSLOT#${slot}`, entity: 'audit-slot', auditId, heldUntil: heldUntil.toISOString() },
            // Free, left behind by an audit whose last attempt died, or already this audit's (a retried start).
            ConditionExpression: 'attribute_not_exists(pk) OR heldUntil < :now OR auditId = :auditId',
            ExpressionAttributeValues: { ':now': now.toISOString(), ':auditId': auditId },
          }),
        );
        return { claimed: true, heldBy: [] };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return { claimed: false, heldBy: (await this.auditSlots(customerId)).map((s) => s.auditId) };
  }

  async releaseAuditSlot(customerId: string, auditId: string): Promise<void> {
    for (const slot of await this.auditSlots(customerId)) {
      if (slot.auditId !== auditId) continue;
      try {
        await this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: `TENANT#${customerId}`, sk: slot.sk },
            ConditionExpression: 'auditId = :auditId',
            ExpressionAttributeValues: { ':auditId': auditId },
          }),
        );
      } catch (error) {
        // Taken over meanwhile (this audit's hold had run out): the slot is no longer ours to free.
        if (!isConditionFailure(error)) throw error;
      }
    }
  }

  private async auditSlots(customerId: string): Promise<{ sk: string; auditId: string }[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :slot)',
      ExpressionAttributeValues: { ':pk': `TENANT#${customerId}`, ':slot': 'AUDITSLOT#' },
      ConsistentRead: true,
    });
    return items.map((i) => ({ sk: String(i.sk), auditId: String(i.auditId) }));
  }

  async mergeDamageHistory(customerId: string, days: readonly DailyCount[]): Promise<void> {
    const current = new Map((await this.damageHistory(customerId)).map((d) => [d.day, d.count]));
    for (const d of days) current.set(d.day, Math.max(current.get(d.day) ?? 0, d.count));
    // Keep about a year: the check compares a week against the trailing 90 days.
    const kept = [...current].sort((a, b) => a[0].localeCompare(b[0])).slice(-400);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `TENANT#${customerId}`, sk: 'LFDAMAGE', entity: 'damage-history', days: Object.fromEntries(kept) },
      }),
    );
  }

  async damageHistory(customerId: string): Promise<DailyCount[]> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `TENANT#${customerId}`, sk: 'LFDAMAGE' }, ConsistentRead: true }));
    const days = (Item?.days ?? {}) as Record<string, number>;
    return Object.entries(days)
      .map(([day, count]) => ({ day, count }))
      .sort((a, b) => a.day.localeCompare(b.day));
  }

  async register(customerId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: 'LF#CUSTOMERS', sk: customerId },
        UpdateExpression: 'SET entity = :e',
        ExpressionAttributeValues: { ':e': 'lost-found-customer' },
      }),
    );
  }

  async registeredCustomers(): Promise<string[]> {
    const ids: string[] = (
      await queryAll(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'LF#CUSTOMERS' },
      })
    ).map((i) => String(i.sk));
    return ids;
  }

  async getFetch(customerId: string, reportType: string): Promise<ReportFetchStatus | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `TENANT#${customerId}`, sk: `REPORTFETCH#${reportType}` }, ConsistentRead: true }),
    );
    return Item ? fetchStatusOf(Item) : undefined;
  }

  async putFetch(status: ReportFetchStatus): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: `TENANT#${status.customerId}`, sk: `REPORTFETCH#${status.reportType}`, entity: 'report-fetch', ...status } }),
    );
  }

  async claimFetch(status: ReportFetchStatus): Promise<boolean> {
    const sameReport = status.reportId === undefined ? 'attribute_not_exists(#reportId)' : '#reportId = :reportId';
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `TENANT#${status.customerId}`, sk: `REPORTFETCH#${status.reportType}`, entity: 'report-fetch', ...status },
          ConditionExpression: [
            '#state IN (:queued, :requested, :processing)',
            '#runDay = :runDay AND #chunkStart = :chunkStart AND #polls = :polls',
            sameReport,
            '(attribute_not_exists(#claimedStep) OR #claimedStep <> :claimedStep OR #claimedBy = :claimedBy)',
          ].join(' AND '),
          ExpressionAttributeNames: {
            '#state': 'state',
            '#runDay': 'runDay',
            '#chunkStart': 'chunkStart',
            '#polls': 'polls',
            '#reportId': 'reportId',
            '#claimedStep': 'claimedStep',
            '#claimedBy': 'claimedBy',
          },
          ExpressionAttributeValues: {
            ':queued': 'queued',
            ':requested': 'requested',
            ':processing': 'processing',
            ':runDay': status.runDay,
            ':chunkStart': status.chunkStart,
            ':polls': status.polls,
            ...(status.reportId === undefined ? {} : { ':reportId': status.reportId }),
            ':claimedStep': status.claimedStep,
            ':claimedBy': status.claimedBy,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listFetches(customerId: string): Promise<ReportFetchStatus[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': `TENANT#${customerId}`, ':sk': 'REPORTFETCH#' },
      ConsistentRead: true,
    });
    return items.map(fetchStatusOf);
  }
}

function fetchStatusOf(item: Record<string, unknown>): ReportFetchStatus {
  const { pk: _pk, sk: _sk, entity: _e, ...status } = item;
  return status as unknown as ReportFetchStatus;
}
