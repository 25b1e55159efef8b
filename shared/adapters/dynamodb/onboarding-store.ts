import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BookedBy, Booking } from '#shared/onboarding/appointments.ts';
import type { OnboardingRecord } from '#shared/onboarding/onboarding.ts';
import type { AppointmentCalendar, OnboardingRepository } from '#shared/onboarding/ports.ts';
import { isConditionFailure, writeIfCondition } from './conditional-write.ts';

/** The onboarding analysis of a customer: pk TENANT#<tenantId>, sk ONBOARDING. */
export class DynamoOnboardingRepository implements OnboardingRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string): Promise<OnboardingRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `TENANT#${tenantId}`, sk: 'ONBOARDING' }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, appointmentStarts: _starts, ...record } = Item;
    return record as unknown as OnboardingRecord;
  }

  async addAppointment(tenantId: string, appointment: OnboardingRecord['appointments'][number]): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `TENANT#${tenantId}`, sk: 'ONBOARDING' },
          // The set of starts is the condition: a list of maps cannot be searched in a condition expression.
          UpdateExpression: 'SET appointments = list_append(if_not_exists(appointments, :none), :one) ADD appointmentStarts :start',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(appointmentStarts, :startText)',
          ExpressionAttributeValues: { ':none': [], ':one': [appointment], ':start': new Set([appointment.start]), ':startText': appointment.start },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async create(record: OnboardingRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `TENANT#${record.tenantId}`, sk: 'ONBOARDING', entity: 'onboarding', ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/** A manager's calendar: one item per booked slot (pk CAL#<staffId>, sk SLOT#<start>); the conditional put is the lock. */
export class DynamoAppointmentCalendar implements AppointmentCalendar {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async book(booking: Booking, maxPerCustomerPerDay: number): Promise<'booked' | 'mine' | 'taken' | 'limit'> {
    const key = { pk: `CAL#${booking.staffId}`, sk: `SLOT#${booking.start}` };
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: { ...key, entity: 'booking', ...booking }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      return Item?.tenantId === booking.tenantId ? 'mine' : 'taken';
    }
    // The slot is ours; now the customer's count of this manager's slots that day, with a conditional increment
    // (no transactions needed): over the cap, the slot is given back at once.
    const count = { pk: `CAL#${booking.staffId}`, sk: `COUNT#${booking.start.slice(0, 10)}#${booking.tenantId}` };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: count,
          UpdateExpression: 'SET entity = :entity ADD bookings :one',
          ConditionExpression: 'attribute_not_exists(bookings) OR bookings < :max',
          ExpressionAttributeValues: { ':entity': 'booking-count', ':one': 1, ':max': maxPerCustomerPerDay },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: key, ConditionExpression: 'tenantId = :tenant', ExpressionAttributeValues: { ':tenant': booking.tenantId } }),
      );
      return 'limit';
    }
    // The customer's copy (pk TENANT#<tenantId>, sk APPT#<start>): what the customer's views list, without a scan of calendars.
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { pk: `TENANT#${booking.tenantId}`, sk: `APPT#${booking.start}`, entity: 'appointment', ...booking } }));
    return 'booked';
  }

  async reschedule(from: Booking, to: Booking, change: { readonly by: BookedBy; readonly at: string }, maxPerCustomerPerDay: number): Promise<'moved' | 'taken' | 'limit' | 'changed'> {
    // Ordered conditional writes, like a booking (dynalite, the local DynamoDB, has no transactions): the
    // conditional put of the new slot is the lock, so no slot is ever held twice; each refusal gives back what
    // this request took before it, and the old slot is freed only once the change is on the customer's record.
    if (!(await writeIfCondition(() => this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...this.slotKey(to), entity: 'booking', ...to }, ConditionExpression: 'attribute_not_exists(pk)' }))))) {
      return 'taken';
    }
    const giveBackSlot = () => this.client.send(new DeleteCommand({ TableName: this.tableName, Key: this.slotKey(to), ConditionExpression: 'tenantId = :tenant', ExpressionAttributeValues: { ':tenant': to.tenantId } }));
    // The daily cap counts per manager, day and customer: a move within one day leaves both counts as they are.
    const sameDay = from.start.slice(0, 10) === to.start.slice(0, 10) && from.staffId === to.staffId;
    if (!sameDay && !(await this.countOne(to, maxPerCustomerPerDay))) {
      await giveBackSlot();
      return 'limit';
    }
    // Marking the old booking is what serialises two changes of one appointment: only one finds it still booked.
    if (!(await writeIfCondition(() => this.client.send(this.markChanged(from, { status: 'rescheduled', ...change, rescheduledTo: to.start }))))) {
      if (!sameDay) await this.uncount(to);
      await giveBackSlot();
      return 'changed';
    }
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...this.copyKey(to), entity: 'appointment', ...to } }));
    await this.freeSlot(from);
    if (!sameDay) await this.uncount(from);
    return 'moved';
  }

  async cancel(booking: Booking, change: { readonly by: BookedBy; readonly at: string }): Promise<'cancelled' | 'changed'> {
    if (!(await writeIfCondition(() => this.client.send(this.markChanged(booking, { status: 'cancelled', ...change }))))) return 'changed';
    await this.freeSlot(booking);
    await this.uncount(booking);
    return 'cancelled';
  }

  /** Frees a slot this customer holds (a slot somebody else holds meanwhile is theirs and stays). */
  private async freeSlot(booking: Booking): Promise<void> {
    await writeIfCondition(() =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: this.slotKey(booking), ConditionExpression: 'tenantId = :tenant', ExpressionAttributeValues: { ':tenant': booking.tenantId } })),
    );
  }

  private countOne(booking: Booking, max: number): Promise<boolean> {
    return writeIfCondition(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.countKey(booking),
          UpdateExpression: 'SET entity = :entity ADD bookings :one',
          ConditionExpression: 'attribute_not_exists(bookings) OR bookings < :max',
          ExpressionAttributeValues: { ':entity': 'booking-count', ':one': 1, ':max': max },
        }),
      ),
    );
  }

  private async uncount(booking: Booking): Promise<void> {
    await writeIfCondition(() =>
      this.client.send(
        new UpdateCommand({ TableName: this.tableName, Key: this.countKey(booking), UpdateExpression: 'ADD bookings :minus', ConditionExpression: 'bookings > :zero', ExpressionAttributeValues: { ':minus': -1, ':zero': 0 } }),
      ),
    );
  }

  private slotKey(booking: Booking) {
    return { pk: `CAL#${booking.staffId}`, sk: `SLOT#${booking.start}` };
  }

  private copyKey(booking: Booking) {
    return { pk: `TENANT#${booking.tenantId}`, sk: `APPT#${booking.start}` };
  }

  private countKey(booking: Booking) {
    return { pk: `CAL#${booking.staffId}`, sk: `COUNT#${booking.start.slice(0, 10)}#${booking.tenantId}` };
  }

  /** Marks the customer's copy changed, only while it is booked (copies from before `status` existed have none). */
  private markChanged(booking: Booking, change: { status: 'rescheduled' | 'cancelled'; by: BookedBy; at: string; rescheduledTo?: string }) {
    return new UpdateCommand({
        TableName: this.tableName,
        Key: this.copyKey(booking),
        UpdateExpression: `SET #status = :status, changedBy = :by, changedAt = :at${change.rescheduledTo ? ', rescheduledTo = :to' : ''}`,
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#status) OR #status = :booked)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': change.status, ':by': change.by, ':at': change.at, ':booked': 'booked', ...(change.rescheduledTo ? { ':to': change.rescheduledTo } : {}) },
    });
  }

  async ofCustomer(tenantId: string): Promise<Booking[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':prefix': 'APPT#' },
        ConsistentRead: true,
      }),
    );
    return Items.map(({ pk: _pk, sk: _sk, entity: _entity, ...booking }) => booking as unknown as Booking);
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
