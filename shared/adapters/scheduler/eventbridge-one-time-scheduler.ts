import { CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { OneTimeSchedule, OneTimeScheduler } from '#shared/kernel/scheduler.ts';
import { localIsoWithoutZone } from '#shared/kernel/time-zones.ts';

/**
 * One-time EventBridge Scheduler schedules: `at(<local time>)` in the customer's time zone, deleted after they
 * fire. The target gets `{"schedule", "scheduledTime", "payload"}`, the same input the local scheduler sends.
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
            Input: JSON.stringify({ schedule: schedule.name, scheduledTime: '<aws.scheduler.scheduled-time>', payload: schedule.payload }),
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
