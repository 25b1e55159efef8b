import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '#infra/app.ts';
import { cdkTestContext } from '../support/cdk-context.ts';
import { functions } from '#infra/wiring.ts';
import { SURVEY_SCHEDULE } from '#shared/service/surveys.ts';

let stateful: Template;
let stateless: Template;

beforeAll(() => {
  const { stateful: a, stateless: b } = buildApp(new App({ context: cdkTestContext({ stage: 'prod', amazon: 'sp-api' }) }));
  stateful = Template.fromStack(a);
  stateless = Template.fromStack(b);
});

describe('customer service in the CDK app (issue 8)', () => {
  it('schedules the survey campaign quarterly with a cron in the Berlin time zone, and keeps rate schedules', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: SURVEY_SCHEDULE.name,
      GroupName: 'sellerops',
      ScheduleExpression: 'cron(0 6 1 1,4,7,10 ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: Match.objectLike({ Input: Match.stringLikeRegexp('scheduledTime') }),
    });
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', { Name: 'outbox-relay', ScheduleExpression: 'rate(1 minute)' });
  });

  it('creates the product-feedback topic, encrypted, and the sparse active-customer index', () => {
    stateful.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'sellerops-product-feedback', KmsMasterKeyId: Match.anyValue() });
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'sellerops-core',
      GlobalSecondaryIndexes: Match.arrayWith([Match.objectLike({ IndexName: 'active' })]),
    });
  });

  it('lets only the functions that record difficulties publish to product development', () => {
    const publishers = Object.entries(functions)
      .filter(([, f]) => (f.access.topicsPublish ?? []).some((t) => t === 'productFeedback'))
      .map(([name]) => name)
      .sort();
    expect(publishers).toEqual(['csmTasks', 'feedback', 'surveys']);
  });

  it('serves the website support form without an authorizer and every other customer-service route with one', () => {
    const routes = stateless.findResources('AWS::ApiGatewayV2::Route');
    const byKey = new Map(Object.values(routes).map((r) => [(r as { Properties: { RouteKey: string } }).Properties.RouteKey, (r as { Properties: Record<string, unknown> }).Properties]));
    expect(byKey.get('POST /support/requests')?.AuthorizationType).toBe('NONE');
    for (const key of ['POST /support/hotline', 'POST /surveys/responses', 'GET /feedback/root-causes', 'GET /surveys/results/{quarter}']) {
      expect(byKey.get(key)?.AuthorizationType, key).toBe('JWT');
    }
  });
});
