/**
 * The EventBridge one-time scheduler (the trial-end call): the schedule it asks for, its retries and the dead-letter
 * queue that keeps an event the Scheduler could not deliver, a second create of the same name as a no-op, and the
 * correlation id that travels in the schedule's input to the scheduled edge.
 */
import { describe, expect, it } from 'vitest';
import type { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Context } from 'aws-lambda';
import { EventBridgeOneTimeScheduler, oneTimeScheduleInput } from '#shared/adapters/scheduler/eventbridge-one-time-scheduler.ts';
import { currentCorrelationId, withCorrelationId } from '#shared/adapters/observability.ts';
import { scheduledHandler } from '#shared/adapters/lambda-edge.ts';

function recordingClient(fail?: Error): { client: SchedulerClient; sent: CreateScheduleCommand[] } {
  const sent: CreateScheduleCommand[] = [];
  const client = {
    send: async (command: CreateScheduleCommand) => {
      sent.push(command);
      if (fail) throw fail;
      return {};
    },
  } as unknown as SchedulerClient;
  return { client, sent };
}

const config = {
  groupName: 'sellerops-schedules',
  roleArn: 'arn:aws:iam::123456789012:role/schedule-role',
  targetArn: (target: string) => `arn:aws:lambda:eu-central-1:123456789012:function:sellerops-${target}:live`,
  deadLetterArn: (target: string) => `arn:aws:sqs:eu-central-1:123456789012:sellerops-${target}-failed`,
};
const schedule = { name: 'trial-end-t-1', at: new Date('2026-12-14T09:00:00Z'), timeZone: 'Europe/Berlin', target: 'trialEndCall', payload: { tenantId: 't-1' } };

describe('EventBridgeOneTimeScheduler', () => {
  it("asks for an at() schedule in the customer's zone, retried, with the target's on-failure queue as dead-letter queue", async () => {
    const { client, sent } = recordingClient();
    expect(await new EventBridgeOneTimeScheduler(client, config).scheduleOnce(schedule)).toBe('created');
    expect(sent).toHaveLength(1);
    const input = sent[0]!.input;
    expect(input).toMatchObject({ Name: 'trial-end-t-1', GroupName: 'sellerops-schedules', ScheduleExpression: 'at(2026-12-14T10:00:00)', ScheduleExpressionTimezone: 'Europe/Berlin', ActionAfterCompletion: 'DELETE' });
    expect(input.Target).toMatchObject({
      Arn: config.targetArn('trialEndCall'),
      RoleArn: config.roleArn,
      RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 86_400 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-central-1:123456789012:sellerops-trialEndCall-failed' },
    });
    expect(JSON.parse(input.Target!.Input!)).toEqual({ schedule: 'trial-end-t-1', scheduledTime: '<aws.scheduler.scheduled-time>', payload: { tenantId: 't-1' } });
  });

  it('carries the correlation id of the work that creates the schedule in its input, for the scheduled edge to restore', async () => {
    const { client, sent } = recordingClient();
    const scheduler = new EventBridgeOneTimeScheduler(client, config);
    await withCorrelationId('signup-request-1', () => scheduler.scheduleOnce(schedule));
    await scheduler.scheduleOnce(schedule);
    const inputs = sent.map((command) => JSON.parse(command.input.Target!.Input!) as Record<string, unknown>);
    expect(inputs[0]).toEqual({ schedule: 'trial-end-t-1', scheduledTime: '<aws.scheduler.scheduled-time>', payload: { tenantId: 't-1' }, correlationId: 'signup-request-1' });
    // Outside any piece of work (a script) there is none to carry: the run starts its own.
    expect(inputs[1]).not.toHaveProperty('correlationId');
  });

  it('answers exists when the schedule is already there (idempotent producers)', async () => {
    const conflict = Object.assign(new Error('exists'), { name: 'ConflictException' });
    const { client } = recordingClient(conflict);
    expect(await new EventBridgeOneTimeScheduler(client, config).scheduleOnce(schedule)).toBe('exists');
  });
});

describe('scheduledHandler (the edge of scheduled functions)', () => {
  const context = (awsRequestId: string) => ({ functionName: 'sellerops-trialEndCall', awsRequestId, getRemainingTimeInMillis: () => 30_000 }) as unknown as Context;
  const seen = scheduledHandler(async () => currentCorrelationId());

  it("restores the correlation id a one-time schedule's input carries", async () => {
    const input = oneTimeScheduleInput(schedule, '2026-12-14T09:00:00Z', 'signup-request-1');
    expect(await seen(input, context('invocation-1'))).toBe('signup-request-1');
  });

  it('starts its own with the invocation request id when the input has none (a recurring schedule)', async () => {
    expect(await seen({ schedule: 'repricer-tick-de', scheduledTime: '2026-12-14T09:00:00Z' }, context('invocation-2'))).toBe('invocation-2');
    expect(await seen({ schedule: 's', scheduledTime: 't', correlationId: 'x'.repeat(129) }, context('invocation-3'))).toBe('invocation-3');
  });
});
