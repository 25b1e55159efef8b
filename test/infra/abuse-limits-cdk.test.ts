import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '#infra/app.ts';
import { cdkJsonContext, cdkTestContext } from '../support/cdk-context.ts';
import { PUBLIC_ROUTE_THROTTLE } from '#infra/stacks/stateless-stack.ts';
import { httpRoutes } from '#shared/api/routes.ts';

const context = cdkTestContext();
let stateful: Template;
let stateless: Template;

beforeAll(() => {
  const { stateful: a, stateless: b } = buildApp(new App({ context: { ...context, webOrigins: 'https://www.example.com' } }));
  stateful = Template.fromStack(a);
  stateless = Template.fromStack(b);
}, 120_000);

describe('abuse limits and exposure in the CDK app', () => {
  it('throttles each public route on its own, below the stage throttle', () => {
    const stage = Object.values(stateless.findResources('AWS::ApiGatewayV2::Stage'))[0] as { Properties: { RouteSettings: Record<string, unknown> } };
    const publicRoutes = Object.values(httpRoutes).filter((r) => r.auth === 'public').map((r) => `${r.method} ${r.path}`);
    expect(publicRoutes).toContain('POST /support/requests');
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(publicRoutes.sort());
    for (const settings of Object.values(stage.Properties.RouteSettings)) {
      expect(settings).toEqual(PUBLIC_ROUTE_THROTTLE);
    }
  });

  it('allows cross-origin calls and uploads only from the configured web origins, never *', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://www.example.com'] }) });
    // The reports bucket's CORS rule is set from the stateless stack (it names the web app's distribution too).
    const cors = JSON.stringify(Object.values(stateless.findResources('Custom::AWS')).map((r: { Properties?: unknown }) => r.Properties));
    expect(cors).toContain('putBucketCors');
    expect(cors).toContain('https://www.example.com');
    stateful.resourcePropertiesCountIs('AWS::S3::Bucket', { CorsConfiguration: Match.anyValue() }, 0);
    expect(JSON.stringify(stateless.toJSON())).not.toMatch(/"AllowOrigins":\["\*"\]/);
    expect(JSON.stringify(stateful.toJSON())).not.toMatch(/"AllowedOrigins":\["\*"\]/);
  });

  it('grants SNS, CloudWatch, Budgets and Cost Anomaly Detection the data key only for this account and its own topics, alarms, budgets and anomaly subscriptions (aws:SourceAccount, aws:SourceArn)', () => {
    const account = (cdkJsonContext.stages as Record<string, { account: string }>).dev!.account;
    type Statement = { Principal?: { Service?: string }; Condition?: Record<string, Record<string, unknown>> };
    const key = Object.values(stateful.findResources('AWS::KMS::Key'))[0] as { Properties: { KeyPolicy: { Statement: Statement[] } } };
    const serviceStatements = key.Properties.KeyPolicy.Statement.filter((s) => s.Principal?.Service !== undefined);
    // Every grant to a service carries both conditions: none is left from CDK's defaults.
    expect(serviceStatements.map((s) => s.Principal!.Service).sort()).toEqual(['budgets.amazonaws.com', 'cloudwatch.amazonaws.com', 'costalerts.amazonaws.com', 'sns.amazonaws.com']);
    const join = (arn: unknown) => JSON.stringify(arn);
    for (const statement of serviceStatements) {
      // The stage's pinned account (cdk.json), never any account.
      expect(statement.Condition!.StringEquals).toEqual({ 'aws:SourceAccount': account });
      const arns = statement.Condition!.ArnLike!['aws:SourceArn'];
      expect(Array.isArray(arns) ? arns.length : 0).toBeGreaterThan(0);
      for (const arn of arns as unknown[]) {
        // Formatted from this stack's account, never a reference to a topic (which would be a key ↔ topic cycle).
        expect(join(arn)).toContain(`:${account}:`);
        expect(join(arn)).not.toMatch(/"Ref":"[A-Za-z0-9]*Topic/);
      }
    }
    const snsArns = join(serviceStatements.find((s) => s.Principal!.Service === 'sns.amazonaws.com')!.Condition!.ArnLike);
    for (const topic of Object.values(stateful.findResources('AWS::SNS::Topic')) as { Properties: { TopicName: string } }[]) {
      expect(snsArns).toContain(`:${topic.Properties.TopicName}`);
    }
    const alarmArns = join(serviceStatements.find((s) => s.Principal!.Service === 'cloudwatch.amazonaws.com')!.Condition!.ArnLike);
    expect(alarmArns).toContain(':alarm:*');
  });
});
