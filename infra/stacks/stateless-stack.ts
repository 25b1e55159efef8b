import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { httpRoutes, type HttpRoute } from '../../shared/api/routes.ts';
import { SelleropsFunction } from '../constructs/sellerops-function.ts';
import {
  allFunctions,
  env,
  queues as queueSpecs,
  scheduleGroupName,
  tables as tableSpecs,
  type FunctionSpec,
  type QueueId,
  type TableId,
  type TopicId,
} from '../wiring.ts';
import { pascal, type StatefulStack } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulStack;
}

/**
 * Everything that can be redeployed freely: one function per wiring entry (grants from its `access`),
 * the HTTP API with the Cognito JWT authorizer on every non-public route, the Scheduler group and its
 * schedules, SQS event sources with partial batch responses, and an alarm on every DLQ.
 */
export class StatelessStack extends Stack {
  readonly functions: Record<string, SelleropsFunction> = {};
  readonly api: apigw.HttpApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stateful } = props;

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: 'sellerops-api',
      description: 'sellerops customer and CSM API',
      createDefaultStage: false,
      corsPreflight: {
        allowHeaders: ['authorization', 'content-type'],
        allowMethods: [apigw.CorsHttpMethod.ANY],
        allowOrigins: ['*'],
        maxAge: Duration.hours(1),
      },
    });
    new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', stateful.userPool, {
      userPoolClients: [stateful.userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });

    const group = new scheduler.ScheduleGroup(this, 'Schedules', { scheduleGroupName });

    for (const [name, spec] of allFunctions()) {
      const fn = new SelleropsFunction(this, pascal(name), { name, spec, environment: environmentOf(spec, stateful) });
      this.functions[name] = fn;
      grantAccess(fn, spec, stateful);

      for (const trigger of spec.triggers) {
        switch (trigger.kind) {
          case 'http': {
            const route: HttpRoute = httpRoutes[trigger.route];
            const routes = this.api.addRoutes({
              path: route.path,
              methods: [route.method as apigw.HttpMethod],
              integration: new HttpLambdaIntegration(`${pascal(trigger.route)}Integration`, fn.function),
              ...(route.auth === 'public' ? {} : { authorizer }),
            });
            if (route.auth === 'public') {
              for (const r of routes) {
                Validations.of(r).acknowledge({ id: 'AwsSolutions::AwsSolutions-APIG4', reason: `${route.method} ${route.path} is public by design: ${route.summary}` });
              }
            }
            break;
          }
          case 'sqs':
            fn.function.addEventSource(
              new SqsEventSource(stateful.queues[trigger.queue], {
                batchSize: trigger.batchSize,
                reportBatchItemFailures: true,
                maxBatchingWindow: Duration.seconds(1),
              }),
            );
            break;
          case 'schedule':
            new scheduler.Schedule(this, `${pascal(trigger.schedule)}Schedule`, {
              scheduleName: trigger.schedule,
              scheduleGroup: group,
              description: trigger.description,
              schedule: scheduler.ScheduleExpression.rate(Duration.minutes(trigger.rateMinutes)),
              target: new schedulerTargets.LambdaInvoke(fn.function, {
                input: scheduler.ScheduleTargetInput.fromObject({
                  schedule: trigger.schedule,
                  scheduledTime: scheduler.ContextAttribute.scheduledTime,
                }),
                retryAttempts: 3,
              }),
            });
            Validations.of(this).acknowledge({
              id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.function.node.defaultChild as never)}.Arn>:*]`,
              reason: 'The Scheduler target role may invoke this one function and its versions (function-arn:*), as CDK grants it.',
            });
            break;
        }
      }
    }

    for (const [queueId, dlq] of Object.entries(stateful.deadLetterQueues) as [QueueId, typeof stateful.deadLetterQueues[QueueId]][]) {
      new cloudwatch.Alarm(this, `${pascal(queueId)}DlqAlarm`, {
        alarmName: `sellerops-${queueSpecs[queueId].name}-dlq-not-empty`,
        alarmDescription: `Messages in ${dlq.queueName}: each carries its failure reason as the "reason" attribute`,
        metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new cloudwatchActions.SnsAction(stateful.alarmTopic));
    }
  }
}

function environmentOf(spec: FunctionSpec, stateful: StatefulStack): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const table of new Set([...(spec.access.tablesRead ?? []), ...(spec.access.tablesWrite ?? [])])) {
    environment[env.table(table)] = tableSpecs[table].name;
  }
  for (const topic of spec.access.topicsPublish ?? []) environment[env.topicArn(topic)] = stateful.topics[topic].topicArn;
  for (const queue of spec.access.queuesSend ?? []) environment[env.queueUrl(queue)] = stateful.queues[queue].queueUrl;
  for (const trigger of spec.triggers) {
    if (trigger.kind === 'sqs') environment[env.deadLetterQueueUrl(trigger.queue)] = stateful.deadLetterQueues[trigger.queue].queueUrl;
  }
  return environment;
}

function grantAccess(fn: SelleropsFunction, spec: FunctionSpec, stateful: StatefulStack): void {
  // Table grants are written out (not grantReadData) so each index is named: CDK's grant would allow table/index/*.
  const read = new Set<TableId>(spec.access.tablesRead ?? []);
  const write = new Set<TableId>(spec.access.tablesWrite ?? []);
  for (const tableId of new Set([...read, ...write])) {
    const table = stateful.tables[tableId];
    const indexArns = tableSpecs[tableId].globalIndexes.map((index) => `${table.tableArn}/index/${index.name}`);
    const actions = [
      ...(read.has(tableId) ? ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'] : []),
      ...(write.has(tableId) ? ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] : []),
    ];
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [table.tableArn, ...(read.has(tableId) ? indexArns : [])] }));
  }
  const publishTo = (spec.access.topicsPublish ?? ([] as TopicId[])).map((topic) => stateful.topics[topic].topicArn);
  if (publishTo.length > 0) fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: publishTo }));
  const sendTo = [
    ...(spec.access.queuesSend ?? []).map((queue) => stateful.queues[queue].queueArn),
    ...spec.triggers.flatMap((t) => (t.kind === 'sqs' ? [stateful.deadLetterQueues[t.queue].queueArn] : [])),
  ];
  if (sendTo.length > 0) fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: sendTo }));
  // One data key encrypts tables, topics and queues: name the exact KMS actions instead of CDK's wildcard grants.
  const encrypts = write.size > 0 || publishTo.length > 0 || sendTo.length > 0;
  const decrypts = read.size > 0 || write.size > 0 || spec.triggers.some((t) => t.kind === 'sqs');
  if (encrypts || decrypts) {
    stateful.key.grant(fn.role, ...(decrypts ? ['kms:Decrypt'] : []), ...(encrypts ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []));
  }
}
