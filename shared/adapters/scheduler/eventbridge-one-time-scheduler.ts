import { CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { OneTimeSchedule, OneTimeScheduler } from '#shared/kernel/scheduler.ts';
import { localIsoWithoutZone } from '#shared/kernel/time-zones.ts';
import { currentCorrelationId } from '../observability.ts';

/** What the target of a one-time schedule is invoked with, in AWS and on the local stack alike. */
export interface OneTimeScheduleInput {
  readonly schedule: string;
  readonly scheduledTime: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /**
   * The correlation id of the work that created the schedule (e.g. the sign-up whose trial ends): the scheduled edge
   * (`scheduledHandler`) restores it, so the call made days later logs and pushes under the same id.
   */
  readonly correlationId?: string;
}

/**
 * The input of a one-time schedule. The correlation id is taken from the work in progress when the schedule is
 * created, as the SNS and SQS clients stamp it on every message: no producer can forget it.
 */
export function oneTimeScheduleInput(schedule: Pick<OneTimeSchedule, 'name' | 'payload'>, scheduledTime: string, correlationId = currentCorrelationId()): OneTimeScheduleInput {
  return { schedule: schedule.name, scheduledTime, payload: schedule.payload, ...(correlationId ? { correlationId } : {}) };
}

/**
 * One-time EventBridge Scheduler schedules: `at(<local time>)` in the customer's time zone, deleted after they
 * fire. The target gets `{"schedule", "scheduledTime", "payload", "correlationId"}` (oneTimeScheduleInput), the same
 * input the local scheduler sends.
 */
export class EventBridgeOneTimeScheduler implements OneTimeScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly config: {
      readonly groupName: string;
      readonly roleArn: string;
      readonly targetArn: (target: string) => string;
      /** The target's on-failure queue: an event the Scheduler could not deliver after its retries is kept there. */
      readonly deadLetterArn: (target: string) => string;
    },
  ) {}

  async scheduleOnce(schedule: OneTimeSchedule): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: schedule.name,
          GroupName: this.config.groupName,
          ScheduleExpression: `at(${localIsoWithoutZone(schedule.at, schedule.timeZone)})`,
          ScheduleExpressionTimezone: schedule.timeZone,
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.config.targetArn(schedule.target),
            RoleArn: this.config.roleArn,
            Input: JSON.stringify(oneTimeScheduleInput(schedule, '<aws.scheduler.scheduled-time>')),
            RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 86_400 },
            DeadLetterConfig: { Arn: this.config.deadLetterArn(schedule.target) },
          },
        }),
      );
      return 'created';
    } catch (error) {
      if ((error as { name?: string }).name === 'ConflictException') return 'exists';
      throw error;
    }
  }
}
