/**
 * The repricer tick at 1 M offers a marketplace (issue 17): the scheduled tick only fans out, one shard tick per `due`
 * shard runs in a Lambda of its own; each with least privilege, the new queue with its DLQ and alarm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '#infra/app.ts';
import { cdkTestContext } from '../support/cdk-context.ts';
import { REPRICER_MARKETPLACES, repricer } from '#infra/wiring/repricer.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
let stateful: Template;
let stateless: Template;
let operations: Template;

beforeAll(() => {
  // The prod stage keeps the wiring's names (dev prefixes them: infra/deployment.ts).
  const built = buildApp(new App({ context: cdkTestContext({ stage: 'prod', amazon: 'sp-api' }) }));
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
  operations = Template.fromStack(built.operations);
}, 120_000);

/** The statements of a function's role policy, as one JSON string and as (actions, resources) pairs. */
function grantsOf(functionId: string): { json: string; statements: { actions: string[]; resources: string }[] } {
  const logical = functionId.charAt(0).toUpperCase() + functionId.slice(1);
  const policies = stateless.findResources('AWS::IAM::Policy') as Record<string, Resource>;
  const policy = Object.entries(policies).find(([id]) => id.startsWith(`${logical}Role`))?.[1];
  const document = (policy?.Properties.PolicyDocument ?? { Statement: [] }) as { Statement: { Action: string | string[]; Resource: unknown }[] };
  return {
    json: JSON.stringify(document),
    statements: document.Statement.map((s) => ({ actions: [s.Action].flat(), resources: JSON.stringify(s.Resource) })),
  };
}

const shardTicksQueue = repricer.queues.repricerShardTicks;

describe('the repricer tick, fanned out per due shard', () => {
  it('has a shard-ticks queue, KMS-encrypted, with its DLQ after 3 deliveries and an alarm on that DLQ', () => {
    stateful.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: shardTicksQueue.name,
      KmsMasterKeyId: Match.anyValue(),
      VisibilityTimeout: shardTicksQueue.visibilityTimeoutSeconds,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
    stateful.hasResourceProperties('AWS::SQS::Queue', { QueueName: `${shardTicksQueue.name}-dlq` });
    // Alarms live in the operations stack, generated from the wiring (infra/stacks/operations-stack.ts).
    const alarms = Object.values(operations.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>);
    const alarm = alarms.find((a) => a.Properties.AlarmName === `${shardTicksQueue.name}-dlq-not-empty`);
    expect(alarm).toBeDefined();
    expect(JSON.stringify(alarm?.Properties.AlarmActions)).toContain('OperatorAlarmsTopic');
  });

  it('schedules the tick of every marketplace and consumes shard ticks one per invocation in the shard-tick function', () => {
    for (const code of REPRICER_MARKETPLACES) {
      stateless.hasResourceProperties('AWS::Scheduler::Schedule', { Name: `repricer-tick-${code.toLowerCase()}`, ScheduleExpression: 'rate(5 minutes)' });
    }
    const mappings = Object.values(stateless.findResources('AWS::Lambda::EventSourceMapping') as Record<string, Resource>);
    const shardTicks = mappings.filter((m) => JSON.stringify(m.Properties.EventSourceArn).includes('RepricerShardTicksQueue') && !JSON.stringify(m.Properties.EventSourceArn).includes('Dlq'));
    expect(shardTicks).toHaveLength(1);
    expect(shardTicks[0]!.Properties).toMatchObject({ BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(JSON.stringify(shardTicks[0]!.Properties.FunctionName)).toContain('RepricerShardTick');
    stateless.hasResourceProperties('AWS::Lambda::Function', { Description: repricer.functions.repricerShardTick.description, Timeout: 120, MemorySize: 1024 });
    stateless.hasResourceProperties('AWS::Lambda::Function', { Description: repricer.functions.repricerTick.description, Timeout: 30 });
  });

  it('lets the scheduled tick send shard ticks and read the kill switch, nothing else: no table, no jobs queue', () => {
    const { json, statements } = grantsOf('repricerTick');
    expect(json).not.toContain('dynamodb:');
    const sends = statements.filter((s) => s.actions.includes('sqs:SendMessage'));
    expect(sends.map((s) => s.resources).join()).toContain('RepricerShardTicksQueue');
    expect(sends.map((s) => s.resources).join()).not.toContain('RepricerJobsQueue');
    expect(json).toContain('ssm:GetParameter');
  });

  it('lets a shard tick read the repricer table (its due index), send jobs and its continuation, never write a table or read a secret', () => {
    const { json, statements } = grantsOf('repricerShardTick');
    expect(json).toContain('dynamodb:Query');
    for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:Scan']) expect(json).not.toContain(write);
    expect(json).not.toContain('ssm:');
    const reads = statements.filter((s) => s.actions.includes('dynamodb:Query')).map((s) => s.resources).join();
    expect(reads).toContain('RepricerTable');
    expect(reads).not.toMatch(/CoreTable|RepricerHistoryTable/);
    const sends = statements.filter((s) => s.actions.includes('sqs:SendMessage')).map((s) => s.resources).join();
    expect(sends).toContain('RepricerJobsQueue');
    // …and its own queue, for the continuation of a shard that outlasts its time budget.
    expect(sends).toContain('RepricerShardTicksQueue');
    expect(sends).not.toContain('RepricerMarketChangesQueue');
  });
});
