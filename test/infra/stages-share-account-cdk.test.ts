/**
 * Two stages in one account: dev and prod synthesised into the same account and region must not name anything
 * alike — no physical name (tables, queues, topics, functions, log groups, alarms, dashboards, budget, backup plan
 * and vault, Cognito pool, clients and Hosted UI domain prefix, buckets, KMS alias, schedule group and schedules,
 * API, CodeDeploy…) and no SSM parameter path (the SP-API app secret, the tenants' refresh tokens, the kill switch).
 * A literal name of a kind this file does not know fails the test, so a new fixed name is classified, not missed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '#infra/app.ts';
import { cdkTestContext } from '../support/cdk-context.ts';
import { envNames } from '#shared/adapters/environment.ts';

const ACCOUNT = '210987654321';
const REGION = 'eu-central-1';
const sharedAccount = { account: ACCOUNT, region: REGION, monthlyBudgetUsd: 100, anomalyAlertUsd: 20 };

type Resource = { Type: string; Properties?: Record<string, unknown> };
type Stage = 'dev' | 'prod';

/** Where each kind of account-wide (or region-wide) name sits in a resource's properties. */
const PHYSICAL_NAMES: Record<string, (p: Record<string, unknown>) => unknown[]> = {
  'AWS::ApiGatewayV2::Api': (p) => [p.Name],
  'AWS::Backup::BackupPlan': (p) => [(p.BackupPlan as { BackupPlanName: unknown }).BackupPlanName],
  'AWS::Backup::BackupSelection': (p) => [(p.BackupSelection as { SelectionName: unknown }).SelectionName],
  'AWS::Backup::BackupVault': (p) => [p.BackupVaultName],
  'AWS::Budgets::Budget': (p) => [(p.Budget as { BudgetName: unknown }).BudgetName],
  'AWS::CE::AnomalyMonitor': (p) => [p.MonitorName],
  'AWS::CE::AnomalySubscription': (p) => [p.SubscriptionName],
  'AWS::CloudWatch::Alarm': (p) => [p.AlarmName],
  'AWS::CloudWatch::Dashboard': (p) => [p.DashboardName],
  'AWS::CodeDeploy::Application': (p) => [p.ApplicationName],
  'AWS::CodeDeploy::DeploymentGroup': (p) => [p.DeploymentGroupName],
  'AWS::Cognito::UserPool': (p) => [p.UserPoolName],
  'AWS::Cognito::UserPoolClient': (p) => [p.ClientName],
  'AWS::Cognito::UserPoolDomain': (p) => [p.Domain],
  'AWS::DynamoDB::Table': (p) => [p.TableName],
  'AWS::Events::EventBus': (p) => [p.Name],
  'AWS::IAM::Role': (p) => [p.RoleName],
  'AWS::KMS::Alias': (p) => [p.AliasName],
  'AWS::Lambda::Function': (p) => [p.FunctionName],
  'AWS::Logs::LogGroup': (p) => [p.LogGroupName],
  'AWS::S3::Bucket': (p) => [p.BucketName],
  'AWS::Scheduler::Schedule': (p) => [p.GroupName === undefined || p.Name === undefined ? undefined : { 'Fn::Join': ['/', [p.GroupName, p.Name]] }],
  'AWS::Scheduler::ScheduleGroup': (p) => [p.Name],
  'AWS::SecretsManager::Secret': (p) => [p.Name],
  'AWS::SNS::Topic': (p) => [p.TopicName],
  'AWS::SQS::Queue': (p) => [p.QueueName],
  'AWS::SSM::Parameter': (p) => [p.Name],
};

/** Literal names that live inside a staged parent (or are no name at all): they may repeat across stages. */
const SCOPED_NAMES: Record<string, readonly string[]> = {
  'AWS::ApiGatewayV2::Authorizer': ['Name'], // inside its API
  'AWS::ApiGatewayV2::Stage': ['StageName'], // inside its API
  'AWS::CloudWatch::Alarm': ['MetricName'], // a metric, not a name
  'AWS::CodeDeploy::DeploymentGroup': ['DeploymentConfigName'], // AWS's predefined configuration
  'AWS::Cognito::UserPoolGroup': ['GroupName'], // inside its user pool
  'AWS::IAM::Policy': ['PolicyName'], // an inline policy, inside its role
  'AWS::Lambda::Alias': ['Name'], // inside its function
};

/**
 * A name as deployed: literals, and joins of literals with the account, region and partition. A name that refers to
 * another resource of the stack (`Ref`, `Fn::GetAtt`) is CloudFormation's, made from the stack's name: unique.
 */
function rendered(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (ref === 'AWS::AccountId') return ACCOUNT;
  if (ref === 'AWS::Region') return REGION;
  if (ref === 'AWS::Partition') return 'aws';
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) return undefined;
  const parts = join[1].map(rendered);
  return parts.every((p) => p !== undefined) ? parts.join(join[0]) : undefined;
}

interface Synthesised {
  readonly names: Map<string, string>; // name → where (type and logical id)
  readonly unclassified: string[];
  readonly parameterPaths: Set<string>;
  readonly parameterRoots: Set<string>;
}

function synthesise(stage: Stage): Synthesised {
  const built = buildApp(new App({ context: cdkTestContext({ stage, ...(stage === 'prod' ? { amazon: 'sp-api' } : {}), stages: { dev: sharedAccount, prod: sharedAccount } }) }));
  const result: Synthesised = { names: new Map(), unclassified: [], parameterPaths: new Set(), parameterRoots: new Set() };
  for (const stack of [built.stateful, built.stateless, built.operations]) {
    expect([stack.account, stack.region]).toEqual([ACCOUNT, REGION]);
    for (const [logicalId, resource] of Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, Resource>)) {
      const properties = resource.Properties ?? {};
      for (const name of (PHYSICAL_NAMES[resource.Type]?.(properties) ?? []).map(rendered)) {
        if (name !== undefined) result.names.set(name, `${resource.Type} ${stack.stackName}/${logicalId}`);
      }
      const known = new Set([...(SCOPED_NAMES[resource.Type] ?? [])]);
      for (const [key, value] of Object.entries(properties)) {
        if (!/(Name|Prefix)$/.test(key) || typeof value !== 'string' || known.has(key) || PHYSICAL_NAMES[resource.Type]) continue;
        result.unclassified.push(`${resource.Type}.${key} = ${value}`);
      }
      if (resource.Type === 'AWS::IAM::Policy') {
        const statements = (properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement;
        for (const statement of statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('ssm:')))) {
          for (const arn of [statement.Resource].flat().map(rendered)) if (arn !== undefined) result.parameterPaths.add(arn.replace(/^arn:aws:ssm:[^:]+:\d+:parameter/, ''));
        }
      }
      if (resource.Type === 'AWS::Lambda::Function') {
        const root = (properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[envNames.parameterRoot];
        if (typeof root === 'string') result.parameterRoots.add(root);
      }
    }
  }
  return result;
}

let dev: Synthesised;
let prod: Synthesised;

beforeAll(() => {
  dev = synthesise('dev');
  prod = synthesise('prod');
}, 480_000);

describe('dev and prod in one account', () => {
  it('name nothing alike: every physical name of one stage is absent from the other', () => {
    expect(dev.names.size).toBeGreaterThan(200);
    expect(prod.names.size).toBe(dev.names.size);
    const clashes = [...dev.names].filter(([name]) => prod.names.has(name)).map(([name, where]) => `${name}: ${where} and ${prod.names.get(name)}`);
    expect(clashes).toEqual([]);
    // The Hosted UI domain prefix is unique per region across all of AWS: the stage and the account make it ours.
    expect([...dev.names.keys()]).toContain(`sellerops-dev-${ACCOUNT}`);
    expect([...prod.names.keys()]).toContain(`sellerops-${ACCOUNT}`);
  });

  it('classify every literal name (a new kind of fixed name must be staged and listed here)', () => {
    expect(dev.unclassified).toEqual([]);
    expect(prod.unclassified).toEqual([]);
  });

  it('read and write their own SSM parameters: the app secret, refresh tokens and kill switch of each stage are apart', () => {
    expect([...prod.parameterPaths].sort()).toEqual(['/sellerops/amazon/tenants/*', '/sellerops/repricer/pushes-stopped', '/sellerops/sp-api/app']);
    expect([...dev.parameterPaths].sort()).toEqual(['/sellerops-dev/amazon/tenants/*', '/sellerops-dev/repricer/pushes-stopped', '/sellerops-dev/sp-api/app']);
    // And each function is told its stage's root (the adapters build the same paths from it: ssm/parameters.ts).
    expect([...dev.parameterRoots]).toEqual(['/sellerops-dev']);
    expect([...prod.parameterRoots]).toEqual(['/sellerops']);
  });
});
