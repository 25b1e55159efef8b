import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '#infra/app.ts';
import { PUBLIC_ROUTE_THROTTLE } from '#infra/stacks/stateless-stack.ts';
import { httpRoutes } from '#shared/api/routes.ts';

const context = { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:defaultCrossStackReferences': 'strong' };
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
    stateful.hasResourceProperties('AWS::S3::Bucket', { CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: ['https://www.example.com'] })] } });
    expect(JSON.stringify(stateless.toJSON())).not.toMatch(/"AllowOrigins":\["\*"\]/);
    expect(JSON.stringify(stateful.toJSON())).not.toMatch(/"AllowedOrigins":\["\*"\]/);
  });

  it('grants SNS and CloudWatch the data key only for this account (aws:SourceAccount)', () => {
    const key = Object.values(stateful.findResources('AWS::KMS::Key'))[0] as { Properties: { KeyPolicy: { Statement: { Principal?: { Service?: string }; Condition?: unknown }[] } } };
    const serviceStatements = key.Properties.KeyPolicy.Statement.filter((s) => typeof s.Principal?.Service === 'string');
    const ours = serviceStatements.filter((s) => s.Condition !== undefined);
    expect(ours.map((s) => s.Principal!.Service).sort()).toEqual(['cloudwatch.amazonaws.com', 'sns.amazonaws.com']);
    for (const statement of ours) expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': expect.anything() } });
  });
});
