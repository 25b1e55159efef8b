/** Amazon can deliver its notifications (issue 15): the queue's key lets Amazon's account encrypt, silence alarms. */
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '#infra/app.ts';
import { cdkTestContext } from '../support/cdk-context.ts';
import { NOTIFICATIONS_SILENT_ALARM } from '#infra/stacks/operations-stack.ts';
import { SP_API_NOTIFICATION_ACCOUNT } from '#infra/wiring/repricer.ts';

const base = cdkTestContext();

describe("delivery of Amazon's notifications", () => {
  let stateful: Template;
  let operations: Template;
  beforeAll(() => {
    const built = buildApp(new App({ context: { ...base, stage: 'prod', amazon: 'sp-api' } }));
    stateful = Template.fromStack(built.stateful);
    operations = Template.fromStack(built.operations);
  }, 120_000);

  it("is Amazon's documented notification account, 437568002678", () => {
    expect(SP_API_NOTIFICATION_ACCOUNT).toBe('437568002678');
  });

  it("lets Amazon's notification account use the notifications queue's KMS key, only through SQS", () => {
    const keys = stateful.findResources('AWS::KMS::Key');
    const statements = Object.values(keys).flatMap((k) => (k as { Properties: { KeyPolicy: { Statement: Record<string, unknown>[] } } }).Properties.KeyPolicy.Statement);
    const amazon = statements.filter((s) => JSON.stringify(s['Principal']).includes(`:iam::${SP_API_NOTIFICATION_ACCOUNT}:root`));
    expect(amazon).toHaveLength(1);
    expect([...(amazon[0]!.Action as string[])].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(amazon[0]).toMatchObject({ Effect: 'Allow', Condition: { StringEquals: { 'kms:ViaService': expect.stringMatching(/^sqs\.[a-z0-9-]+\.amazonaws\.com$/) } } });
    // …and the queue itself is encrypted with that key and lets the account send (actions sorted by @aws-cdk/aws-iam:minimizePolicies).
    stateful.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'sellerops-repricer-notifications', KmsMasterKeyId: Match.anyValue() });
    stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['sqs:GetQueueAttributes', 'sqs:SendMessage'], Principal: { AWS: Match.anyValue() } })]) },
    });
  });

  it('alarms the operators when the notifications queue is silent while repricing jobs run', () => {
    const alarms = operations.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: NOTIFICATIONS_SILENT_ALARM } });
    expect(Object.keys(alarms)).toHaveLength(1);
    const alarm = Object.values(alarms)[0] as { Properties: { Metrics: { Expression?: string; MetricStat?: { Metric: { MetricName: string; Dimensions: { Value: unknown }[] } } }[]; AlarmActions: unknown[] } };
    const expression = alarm.Properties.Metrics.find((m) => m.Expression !== undefined)!.Expression!;
    expect(expression).toContain('FILL(received, 0) == 0');
    expect(expression).toContain('FILL(jobs, 0) > 0');
    const metrics = alarm.Properties.Metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric);
    expect(metrics.map((m) => m.MetricName)).toEqual(['NumberOfMessagesSent', 'NumberOfMessagesSent']);
    expect(metrics.flatMap((m) => m.Dimensions.map((d) => d.Value))).toEqual(['sellerops-repricer-jobs', 'sellerops-repricer-notifications']);
    expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain('OperatorAlarmsTopic');
  });
});
