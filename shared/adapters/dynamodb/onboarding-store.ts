import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Booking } from '../../onboarding/appointments.ts';
import type { OnboardingRecord } from '../../onboarding/onboarding.ts';
import type { AppointmentCalendar, OnboardingRepository } from '../../onboarding/ports.ts';
import { isConditionFailure } from './conditional-write.ts';

/** The onboarding analysis of a customer: pk TENANT#<tenantId>, sk ONBOARDING. */
export class DynamoOnboardingRepository implements OnboardingRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string): Promise<OnboardingRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `TENANT#${tenantId}`, sk: 'ONBOARDING' }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...record } = Item;
    return record as unknown as OnboardingRecord;
  }

  async put(record: OnboardingRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { pk: `TENANT#${record.tenantId}`, sk: 'ONBOARDING', entity: 'onboarding', ...record } }));
  }
}

/** A manager's calendar: one item per booked slot (pk CAL#<staffId>, sk SLOT#<start>); the conditional put is the lock. */
export class DynamoAppointmentCalendar implements AppointmentCalendar {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async book(booking: Booking): Promise<'booked' | 'mine' | 'taken'> {
    const key = { pk: `CAL#${booking.staffId}`, sk: `SLOT#${booking.start}` };
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: { ...key, entity: 'booking', ...booking }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return 'booked';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      return Item?.tenantId === booking.tenantId ? 'mine' : 'taken';
    }
  }

  async bookings(staffId: string, from: Date, to: Date): Promise<Booking[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `CAL#${staffId}`, ':from': `SLOT#${from.toISOString()}`, ':to': `SLOT#${to.toISOString()}` },
        ConsistentRead: true,
      }),
    );
    return Items.map(({ pk: _pk, sk: _sk, entity: _entity, ...booking }) => booking as unknown as Booking).filter((b) => Date.parse(b.start) < to.getTime());
  }
}
