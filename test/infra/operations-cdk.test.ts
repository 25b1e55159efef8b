/**
 * Issue 18's operations in the CDK app: alarms and dashboards generated from the wiring, on-failure destinations,
 * retained topics, backups, budget and cost anomaly alert, stages that share an account, canary rollouts, and the
 * done-when step "npx cdk synth shows at least one alarm per function and per queue, a dashboard, a dead-letter or
 * on-failure destination for every schedule, and retained SNS topics". One dev synth (the default stage) with two
 * alarm e-mails; cdk-nag runs on it as on every synth.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '#infra/app.ts';
import { cdkJsonContext, cdkTestContext } from '../support/cdk-context.ts';
import { DeploymentContextError, deploymentFromContext, stageName } from '#infra/deployment.ts';
import { allFunctions, asynchronouslyInvoked, deadLetterQueueName, functionName, onFailureQueueName, queues, tables } from '#infra/wiring.ts';
import { PRODUCTS } from '#infra/wiring/types.ts';
import { REPRICER_TICK_FUNCTION } from '#infra/stacks/operations-stack.ts';
import { LIVE_ALIAS } from '#infra/stacks/stateless-stack.ts';
import { METRIC_NAMES } from '#shared/kernel/metrics.ts';
import { envNames } from '#shared/adapters/environment.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type AlarmProps = {
  AlarmName: string;
  AlarmActions?: unknown[];
  Threshold: number;
  TreatMissingData?: string;
  MetricName?: string;
  Namespace?: string;
  Period?: number;
  Dimensions?: { Name: string; Value: unknown }[];
  Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Namespace: string; Dimensions?: { Name: string; Value: unknown }[] } } }[];
};

const dev = (name: string) => stageName('dev', name);
const ALARM_EMAILS = ['ops@example.com', 'oncall@example.com'];

let built: ReturnType<typeof buildApp>;
let stateful: Template;
let stateless: Template;
let operations: Template;
let alarms: AlarmProps[];

beforeAll(() => {
  built = buildApp(new App({ context: cdkTestContext({ alarmEmail: ALARM_EMAILS.join(',') }) }));
  expect(built.deployment.stage).toBe('dev');
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
  operations = Template.fromStack(built.operations);
  alarms = Object.values(operations.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>).map((r) => r.Properties as unknown as AlarmProps);
}, 240_000);

/** Every metric an alarm reads, whether a single metric or inside a math expression. */
function alarmMetrics(alarm: AlarmProps): { MetricName: string; Namespace: string; Dimensions: Record<string, unknown> }[] {
  const dims = (d: { Name: string; Value: unknown }[] | undefined) => Object.fromEntries((d ?? []).map((x) => [x.Name, x.Value]));
  if (alarm.MetricName) return [{ MetricName: alarm.MetricName, Namespace: alarm.Namespace!, Dimensions: dims(alarm.Dimensions) }];
  return (alarm.Metrics ?? []).flatMap((m) => (m.MetricStat ? [{ MetricName: m.MetricStat.Metric.MetricName, Namespace: m.MetricStat.Metric.Namespace, Dimensions: dims(m.MetricStat.Metric.Dimensions) }] : []));
}

function alarmsOn(namespace: string, dimension: string, value: string): AlarmProps[] {
  return alarms.filter((a) => alarmMetrics(a).some((m) => m.Namespace === namespace && m.Dimensions[dimension] === value));
}

describe('done when: npx cdk synth shows…', () => {
  it('at least one alarm per function: errors, throttles and p99 duration above 80 % of its timeout', () => {
    for (const [id, spec] of allFunctions()) {
      const name = dev(functionName(id));
      const own = alarmsOn('AWS/Lambda', 'FunctionName', name);
      expect(own.map((a) => a.AlarmName).sort(), id).toEqual(expect.arrayContaining([`${name}-errors`, `${name}-throttles`, `${name}-duration-near-timeout`]));
      const duration = own.find((a) => a.AlarmName === `${name}-duration-near-timeout`)!;
      expect(duration.Threshold, id).toBe(spec.timeoutSeconds * 1000 * 0.8);
    }
  });

  it('at least one alarm per queue: the age of its oldest message and its DLQ depth', () => {
    for (const spec of Object.values(queues)) {
      expect(alarmsOn('AWS/SQS', 'QueueName', dev(spec.name)).map((a) => a.AlarmName), spec.name).toContain(`${dev(spec.name)}-oldest-message`);
      const dlq = alarmsOn('AWS/SQS', 'QueueName', dev(deadLetterQueueName(spec)));
      expect(dlq.map((a) => a.AlarmName), spec.name).toEqual([`${dev(deadLetterQueueName(spec))}-not-empty`]);
    }
  });

  it('a CloudWatch dashboard per product', () => {
    const dashboards = Object.values(operations.findResources('AWS::CloudWatch::Dashboard') as Record<string, Resource>).map((d) => d.Properties.DashboardName);
    expect(dashboards.sort()).toEqual(Object.keys(PRODUCTS).map((p) => `sellerops-dev-${p}`).sort());
  });

  it('a dead-letter queue on every schedule, and an on-failure destination on every asynchronously invoked function', () => {
    const schedules = Object.values(stateless.findResources('AWS::Scheduler::Schedule') as Record<string, Resource>);
    expect(schedules.length).toBeGreaterThan(5);
    for (const schedule of schedules) {
      const target = schedule.Properties.Target as { DeadLetterConfig?: { Arn?: unknown }; RetryPolicy?: { MaximumRetryAttempts?: number } };
      expect(target.DeadLetterConfig?.Arn, String(schedule.Properties.Name)).toBeDefined();
      expect(target.RetryPolicy?.MaximumRetryAttempts, String(schedule.Properties.Name)).toBe(3);
    }
    const asyncFunctions = allFunctions().filter(([, spec]) => asynchronouslyInvoked(spec));
    expect(asyncFunctions.map(([id]) => id).sort()).toEqual(['lostFoundDailyCheck', 'lostFoundReportFetch', 'outboxRelay', 'repricerPushFlush', 'repricerStockRefresh', 'repricerTick', 'surveyCampaign', 'trialEndCall']);
    const invokeConfigs = Object.values(stateless.findResources('AWS::Lambda::EventInvokeConfig') as Record<string, Resource>);
    expect(invokeConfigs).toHaveLength(asyncFunctions.length);
    for (const config of invokeConfigs) {
      expect(config.Properties).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: expect.anything() } } });
    }
    const queueNames = Object.values(stateful.findResources('AWS::SQS::Queue') as Record<string, Resource>).map((q) => q.Properties.QueueName);
    for (const [id] of asyncFunctions) {
      expect(queueNames).toContain(dev(onFailureQueueName(id)));
      expect(alarms.map((a) => a.AlarmName)).toContain(`${dev(onFailureQueueName(id))}-not-empty`);
    }
    // Schedules created at run time (the trial-end call) get the target's on-failure queue as their dead-letter queue.
    const creators = allFunctions().filter(([, spec]) => (spec.access.schedulesCreate ?? []).length > 0);
    expect(creators.length).toBeGreaterThan(0);
    const functionsByName = Object.values(stateless.findResources('AWS::Lambda::Function') as Record<string, Resource>);
    for (const [id, spec] of creators) {
      const fn = functionsByName.find((f) => f.Properties.FunctionName === dev(functionName(id)));
      const variables = (fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
      for (const target of spec.access.schedulesCreate ?? []) {
        expect(JSON.stringify(variables[envNames.scheduleDeadLetterArn(target)]), `${id} → ${target}`).toContain(`${target.charAt(0).toUpperCase()}${target.slice(1)}OnFailureQueue`);
      }
    }
  });

  it('retained SNS topics', () => {
    const topics = Object.values(stateful.findResources('AWS::SNS::Topic') as Record<string, Resource>);
    expect(topics.length).toBeGreaterThanOrEqual(4);
    for (const topic of topics) expect([topic.Properties.TopicName, topic.DeletionPolicy, topic.UpdateReplacePolicy]).toEqual([topic.Properties.TopicName, 'Retain', 'Retain']);
  });
});

describe('alarms', () => {
  it('every alarm publishes to the operator topic, which e-mails each -c alarmEmail address', () => {
    expect(alarms.length).toBeGreaterThan(100);
    for (const alarm of alarms) expect(JSON.stringify(alarm.AlarmActions), alarm.AlarmName).toContain('OperatorAlarmsTopic');
    const subscriptions = Object.values(stateful.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'email' } }) as Record<string, Resource>);
    expect(subscriptions.map((s) => s.Properties.Endpoint).sort()).toEqual([...ALARM_EMAILS].sort());
    expect(JSON.stringify(subscriptions.map((s) => s.Properties.TopicArn))).toContain('OperatorAlarmsTopic');
  });

  it('alarm names are unique (CloudWatch keys alarms by name in an account and region)', () => {
    const names = alarms.map((a) => a.AlarmName);
    expect(new Set(names).size).toBe(names.length);
  });

  it('watches DynamoDB throttles of every table and each of its indexes', () => {
    for (const spec of Object.values(tables)) {
      const onTable = alarmsOn('AWS/DynamoDB', 'TableName', dev(spec.name));
      const indexes = onTable.flatMap((a) => alarmMetrics(a).map((m) => m.Dimensions.GlobalSecondaryIndexName)).filter((i) => i !== undefined);
      expect(new Set(indexes), spec.name).toEqual(new Set(spec.globalIndexes.map((i) => i.name)));
      expect(onTable, spec.name).toHaveLength(1 + spec.globalIndexes.length);
      for (const alarm of onTable) expect(alarmMetrics(alarm).map((m) => m.MetricName).sort()).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    }
  });

  it("watches the API's 5xx rate and p99 latency", () => {
    const rate = alarms.find((a) => a.AlarmName === 'sellerops-dev-api-5xx-rate')!;
    expect(alarmMetrics(rate).map((m) => m.MetricName).sort()).toEqual(['5xx', 'Count']);
    expect(rate.Metrics!.find((m) => m.Expression)!.Expression).toMatch(/100 \* FILL\(errors, 0\) \/ requests/);
    const latency = alarms.find((a) => a.AlarmName === 'sellerops-dev-api-p99-latency')!;
    expect(latency).toMatchObject({ MetricName: 'Latency', Namespace: 'AWS/ApiGateway' });
    expect(JSON.stringify(latency.Dimensions)).toContain('ApiId');
  });

  it("watches the SP-API throttle rate from the business metrics, in the stage's own namespace", () => {
    const alarm = alarms.find((a) => a.AlarmName === 'sellerops-dev-sp-api-throttle-rate')!;
    const metrics = alarmMetrics(alarm);
    expect(metrics.map((m) => m.MetricName).sort()).toEqual([METRIC_NAMES.spApi429, METRIC_NAMES.spApiCalls].sort());
    for (const m of metrics) expect(m).toMatchObject({ Namespace: 'sellerops-dev', Dimensions: { service: 'sellerops' } });
    // …and the functions publish into that namespace.
    // (Ours: CDK's own handlers, e.g. the web app's BucketDeployment, publish no business metrics.)
    const ours = Object.values(stateless.findResources('AWS::Lambda::Function') as Record<string, Resource>).filter((fn) => fn.Properties.Environment !== undefined && JSON.stringify(fn.Properties.Environment).includes('POWERTOOLS_SERVICE_NAME'));
    expect(ours.length).toBeGreaterThanOrEqual(allFunctions().length);
    for (const fn of ours) {
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_METRICS_NAMESPACE).toBe('sellerops-dev');
    }
  });

  it("raises the repricer heartbeat when no tick ran for 15 minutes: missing data is breaching", () => {
    const heartbeat = alarms.find((a) => a.AlarmName === 'sellerops-dev-repricer-heartbeat')!;
    expect(heartbeat).toMatchObject({
      MetricName: 'Invocations',
      Namespace: 'AWS/Lambda',
      Period: 900,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Dimensions: [{ Name: 'FunctionName', Value: dev(functionName(REPRICER_TICK_FUNCTION)) }],
    });
  });
});

describe('canary rollout', () => {
  const canaries = allFunctions().filter(([, spec]) => spec.canary);

  it('is asked for by the pricing functions and the audit, each with its reason', () => {
    expect(canaries.map(([id]) => id).sort()).toEqual(['lostFoundAuditor', 'repricerNotifications', 'repricerPushFlush', 'repricerWorker']);
    for (const [, spec] of canaries) expect(spec.canary!.why.length).toBeGreaterThan(20);
  });

  it('deploys them through a version, the alias live and CodeDeploy 10 % for 5 minutes, rolling back on the alias alarms', () => {
    const aliases = Object.values(stateless.findResources('AWS::Lambda::Alias') as Record<string, Resource>);
    expect(aliases).toHaveLength(canaries.length);
    for (const alias of aliases) expect(alias.Properties.Name).toBe(LIVE_ALIAS);
    const groups = Object.values(stateless.findResources('AWS::CodeDeploy::DeploymentGroup') as Record<string, Resource>);
    expect(groups.map((g) => g.Properties.DeploymentGroupName).sort()).toEqual(canaries.map(([id]) => dev(functionName(id))).sort());
    for (const group of groups) {
      expect(group.Properties).toMatchObject({
        DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        AlarmConfiguration: { Enabled: true },
        AutoRollbackConfiguration: { Enabled: true, Events: expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']) },
      });
      const names = (group.Properties.AlarmConfiguration as { Alarms: { Name: unknown }[] }).Alarms.map((a) => JSON.stringify(a.Name));
      expect(names.some((n) => n.includes('CanaryErrorsAlarm'))).toBe(true);
      expect(names.some((n) => n.includes('CanaryDurationAlarm'))).toBe(true);
    }
  });

  it('points their triggers at the alias, never at $LATEST', () => {
    const aliasIds = Object.keys(stateless.findResources('AWS::Lambda::Alias'));
    for (const [id, spec] of canaries) {
      const logical = id.charAt(0).toUpperCase() + id.slice(1);
      const aliasId = aliasIds.find((a) => a.startsWith(`${logical}LiveAlias`))!;
      expect(aliasId, id).toBeDefined();
      if (spec.triggers.some((t) => t.kind === 'sqs')) {
        const mappings = Object.values(stateless.findResources('AWS::Lambda::EventSourceMapping') as Record<string, Resource>).filter((m) => JSON.stringify(m.Properties.FunctionName).includes(logical));
        expect(mappings.length, id).toBeGreaterThan(0);
        // The alias's name, function:live.
        for (const m of mappings) expect(JSON.stringify(m.Properties.FunctionName), id).toMatch(new RegExp(`"Ref":"${logical}LiveAlias[A-Z0-9]*".*":${LIVE_ALIAS}"`));
      } else {
        const schedules = Object.values(stateless.findResources('AWS::Scheduler::Schedule') as Record<string, Resource>).filter((s) => JSON.stringify(s.Properties.Target).includes(logical));
        expect(schedules.length, id).toBeGreaterThan(0);
        for (const s of schedules) expect((s.Properties.Target as { Arn: unknown }).Arn, id).toEqual({ Ref: aliasId });
      }
    }
  });
});

describe('stages', () => {
  it("pins each stage's account and region from cdk.json, and the stacks use them", () => {
    const stages = cdkJsonContext.stages as Record<string, { account: string; region: string }>;
    expect(Object.keys(stages).sort()).toEqual(['dev', 'prod']);
    for (const stack of [built.stateful, built.stateless, built.operations]) {
      expect([stack.account, stack.region, stack.stackName]).toEqual([stages.dev!.account, stages.dev!.region, expect.stringMatching(/^SelleropsDev(Stateful|Stateless|Operations)$/)]);
    }
    expect(deploymentFromContext((key) => ({ ...cdkJsonContext, stage: 'prod', amazon: 'sp-api' })[key]).env).toEqual({ account: stages.prod!.account, region: stages.prod!.region });
  });

  it('names every dev resource so it can share an account with prod, whose names are the wiring names', () => {
    expect(stageName('prod', 'sellerops-core')).toBe('sellerops-core');
    expect([stageName('dev', 'sellerops-core'), stageName('dev', 'alias/sellerops-data'), stageName('dev', 'sellerops')]).toEqual(['sellerops-dev-core', 'alias/sellerops-dev-data', 'sellerops-dev']);
    const namedProperties = ['TableName', 'QueueName', 'TopicName', 'FunctionName', 'AlarmName', 'DashboardName', 'BackupVaultName', 'BackupPlanName', 'UserPoolName', 'ClientName', 'ApplicationName', 'DeploymentGroupName', 'MonitorName', 'SubscriptionName', 'AliasName'];
    const names: string[] = [];
    for (const template of [stateful, stateless, operations]) {
      for (const resource of Object.values(template.toJSON().Resources as Record<string, Resource>)) {
        for (const property of namedProperties) {
          const value = resource.Properties[property];
          if (typeof value === 'string') names.push(value);
        }
        if (resource.Type === 'AWS::ApiGatewayV2::Api' || resource.Type === 'AWS::Scheduler::ScheduleGroup') names.push(String(resource.Properties.Name));
        if (resource.Type === 'AWS::Budgets::Budget') names.push((resource.Properties.Budget as { BudgetName: string }).BudgetName);
        if (resource.Type === 'AWS::Backup::BackupPlan') names.push((resource.Properties.BackupPlan as { BackupPlanName: string }).BackupPlanName);
      }
    }
    expect(names.length).toBeGreaterThan(150);
    // Names other than the Lambda alias `live` (an alias lives inside its function, which carries the stage).
    for (const name of names.filter((n) => n !== LIVE_ALIAS)) expect(name).toMatch(/^(alias\/)?sellerops-dev(-|$)/);
  });

  it('takes alarm e-mails comma-separated or as a list, and refuses anything that is not an address', () => {
    const context = (extra: Record<string, unknown>) => (key: string) => ({ ...cdkJsonContext, ...extra })[key];
    expect(deploymentFromContext(context({})).alarmEmails).toEqual([]);
    expect(deploymentFromContext(context({ alarmEmail: 'a@example.com, b@example.com' })).alarmEmails).toEqual(['a@example.com', 'b@example.com']);
    expect(deploymentFromContext(context({ alarmEmail: ['a@example.com', 'a@example.com'] })).alarmEmails).toEqual(['a@example.com']);
    expect(() => deploymentFromContext(context({ alarmEmail: 'ops' }))).toThrow(DeploymentContextError);
    expect(() => deploymentFromContext(context({ stages: { dev: { account: '1234', region: 'eu-central-1', monthlyBudgetUsd: 1, anomalyAlertUsd: 1 } } }))).toThrow(/12-digit/);
    expect(() => deploymentFromContext(context({ stages: {} }))).toThrow(/stage dev has no account and region/);
  });

  it('settles every feature flag the pinned aws-cdk-lib recommends, keeping strong cross-stack references', () => {
    const recommended = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'node_modules', 'aws-cdk-lib', 'recommended-feature-flags.json'), 'utf8')) as Record<string, unknown>;
    for (const [flag, value] of Object.entries(recommended)) {
      // Strong references: CloudFormation exports stop a stateful resource from being deleted while the stateless stack uses it.
      if (flag === '@aws-cdk/core:defaultCrossStackReferences') expect(cdkJsonContext[flag]).toBe('strong');
      else expect(cdkJsonContext[flag], flag).toEqual(value);
    }
  });
});

describe('recovery and cost', () => {
  it('backs up every table that keeps point-in-time recovery, into a retained vault', () => {
    const selection = Object.values(stateful.findResources('AWS::Backup::BackupSelection') as Record<string, Resource>)[0]!;
    const selected = JSON.stringify(selection.Properties);
    for (const [id, spec] of Object.entries(tables)) {
      const logical = `${id.charAt(0).toUpperCase()}${id.slice(1)}Table`;
      expect(selected.includes(`"${logical}`), id).toBe(spec.withoutPointInTimeRecovery === undefined);
    }
    const vaults = Object.values(stateful.findResources('AWS::Backup::BackupVault') as Record<string, Resource>);
    expect(vaults.map((v) => v.DeletionPolicy)).toEqual(['Retain']);
  });

  it("sends the stage's budget and cost anomalies to the operator topic, selected by the stage tag", () => {
    const [budget] = Object.values(stateful.findResources('AWS::Budgets::Budget') as Record<string, Resource>);
    expect(JSON.stringify(budget!.Properties.Budget)).toContain('user:sellerops:stage$dev');
    expect(JSON.stringify(budget!.Properties.NotificationsWithSubscribers)).toContain('OperatorAlarmsTopic');
    const [monitor] = Object.values(stateful.findResources('AWS::CE::AnomalyMonitor') as Record<string, Resource>);
    expect(JSON.parse(String(monitor!.Properties.MonitorSpecification))).toEqual({ Tags: { Key: 'sellerops:stage', Values: ['dev'], MatchOptions: ['EQUALS'] } });
    const [subscription] = Object.values(stateful.findResources('AWS::CE::AnomalySubscription') as Record<string, Resource>);
    expect(subscription!.Properties).toMatchObject({ Frequency: 'IMMEDIATE', Subscribers: [{ Type: 'SNS', Address: expect.anything() }] });
    expect(JSON.stringify(subscription!.Properties.Subscribers)).toContain('OperatorAlarmsTopic');
  });
});
