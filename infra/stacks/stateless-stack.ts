import { Duration, Stack, TimeZone, Token, Validations, type StackProps } from 'aws-cdk-lib';
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
import { httpRoutes, type HttpRoute } from '#shared/api/routes.ts';
import { SelleropsFunction } from '../constructs/sellerops-function.ts';
import { allFunctions, buckets as bucketSpecs, env, must, queues as queueSpecs, scheduleGroupName, tables as tableSpecs, topics as topicSpecs, type FunctionSpec } from '../wiring.ts';
import { pascal, webOrigins, type StatefulStack } from './stateful-stack.ts';
import type { Deployment } from '../deployment.ts';

/** Per public route (`GET /`, `GET /openapi.json`, `POST /support/requests`): requests per second and burst. */
export const PUBLIC_ROUTE_THROTTLE = { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 20 } as const; // CloudFormation names: routeSettings is raw JSON

export interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulStack;
  readonly deployment: Deployment;
}

/**
 * Everything that can be redeployed freely: one function per wiring entry (grants from its `access`), the
 * HTTP API with the Cognito JWT authorizer on every non-public route, the Scheduler group with its rate
 * schedules and the role one-time schedules run as, SQS event sources with partial batch responses, and an
 * alarm on every DLQ.
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
      // The dashboard is served by the API itself (same origin); other web pages (the website's support form)
      // are listed with -c webOrigins=…, never `*`.
      ...(webOrigins(this).length > 0
        ? { corsPreflight: { allowHeaders: ['authorization', 'content-type', 'idempotency-key'], allowMethods: [apigw.CorsHttpMethod.ANY], allowOrigins: webOrigins(this), maxAge: Duration.hours(1) } }
        : {}),
    });
    const stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    // Public routes get their own, much lower throttle: a flood of the support form or the OpenAPI document
    // cannot use up the stage's budget that every signed-in customer shares.
    (stage.node.defaultChild as apigw.CfnStage).routeSettings = Object.fromEntries(
      Object.values(httpRoutes)
        .filter((route) => route.auth === 'public')
        .map((route) => [`${route.method} ${route.path}`, PUBLIC_ROUTE_THROTTLE]),
    );
    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', stateful.userPool, {
      userPoolClients: [stateful.userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });

    const group = new scheduler.ScheduleGroup(this, 'Schedules', { scheduleGroupName });
    // One-time schedules created at run time (e.g. the end of a trial) invoke their target as this role.
    const oneTimeScheduleRole = new iam.Role(this, 'OneTimeScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      description: 'Role EventBridge Scheduler one-time schedules of sellerops run as',
    });

    for (const [name, spec] of allFunctions()) {
      this.functions[name] = new SelleropsFunction(this, pascal(name), {
        name,
        spec,
        // SELLEROPS_AMAZON=sp-api connects the functions to the real Selling Partner API; otherwise every view says "simulated".
        environment: { ...environmentOf(spec, stateful), SELLEROPS_STAGE: props.deployment.stage, SELLEROPS_AMAZON: props.deployment.amazon },
      });
    }

    for (const [name, spec] of allFunctions()) {
      const fn = must(this.functions, name, 'function');
      grantAccess(fn, spec, stateful);
      if ((spec.access.schedulesCreate ?? []).length > 0) {
        fn.function.addEnvironment('SCHEDULER_GROUP', scheduleGroupName);
        fn.function.addEnvironment('SCHEDULER_ROLE_ARN', oneTimeScheduleRole.roleArn);
        for (const target of spec.access.schedulesCreate ?? []) {
          fn.function.addEnvironment(env.scheduleTargetArn(target), must(this.functions, target, 'function').function.functionArn);
        }
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [`arn:${this.partition}:scheduler:${this.region}:${this.account}:schedule/${scheduleGroupName}/*`] }),
        );
        fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [oneTimeScheduleRole.roleArn] }));
        Validations.of(fn.role).acknowledge({
          id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:${nagRegion(this)}:<AWS::AccountId>:schedule/${scheduleGroupName}/*]`,
          reason: 'One-time schedules are named per customer at run time; creation is limited to the sellerops schedule group.',
        });
      }

      for (const trigger of spec.triggers) {
        switch (trigger.kind) {
          case 'http': {
            const route: HttpRoute = httpRoutes[trigger.route];
            const routes = this.api.addRoutes({
              path: route.path,
              methods: [apigw.HttpMethod[route.method]],
              integration: new HttpLambdaIntegration(`${pascal(trigger.route)}Integration`, fn.function),
              ...(route.auth === 'public' ? {} : { authorizer }),
            });
            if (route.auth === 'public') {
              // Its throttle (routeSettings) names the route: the stage is updated once the route exists.
              stage.node.addDependency(...routes);
              for (const r of routes) {
                Validations.of(r).acknowledge({ id: 'AwsSolutions::AwsSolutions-APIG4', reason: `${route.method} ${route.path} is public by design: ${route.summary}` });
              }
            }
            break;
          }
          case 'sqs':
            fn.function.addEventSource(
              new SqsEventSource(must(stateful.queues, trigger.queue, 'queue'), {
                batchSize: trigger.batchSize,
                reportBatchItemFailures: true,
                maxBatchingWindow: Duration.seconds(1),
                ...(trigger.maxConcurrency ? { maxConcurrency: trigger.maxConcurrency } : {}),
              }),
            );
            break;
          case 'schedule':
            new scheduler.Schedule(this, `${pascal(trigger.schedule)}Schedule`, {
              scheduleName: trigger.schedule,
              scheduleGroup: group,
              description: trigger.description,
              schedule:
                'cron' in trigger
                  ? scheduler.ScheduleExpression.expression(trigger.cron, TimeZone.of(trigger.timeZone))
                  : scheduler.ScheduleExpression.rate(Duration.minutes(trigger.rateMinutes)),
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
          case 'schedulePerMarketplace':
            // One schedule per active marketplace: ticks of one marketplace never wait for another's.
            for (const marketplace of trigger.marketplaces) {
              new scheduler.Schedule(this, `${pascal(trigger.schedule)}${pascal(marketplace.toLowerCase())}Schedule`, {
                scheduleName: `${trigger.schedule}-${marketplace.toLowerCase()}`,
                scheduleGroup: group,
                description: `${trigger.description} (${marketplace})`,
                schedule: scheduler.ScheduleExpression.rate(Duration.minutes(trigger.rateMinutes)),
                target: new schedulerTargets.LambdaInvoke(fn.function, {
                  input: scheduler.ScheduleTargetInput.fromObject({
                    schedule: `${trigger.schedule}-${marketplace.toLowerCase()}`,
                    scheduledTime: scheduler.ContextAttribute.scheduledTime,
                    marketplace,
                  }),
                  retryAttempts: 3,
                }),
              });
            }
            Validations.of(this).acknowledge({
              id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.function.node.defaultChild as never)}.Arn>:*]`,
              reason: 'The Scheduler target role may invoke this one function and its versions (function-arn:*), as CDK grants it.',
            });
            break;
          case 'oneTimeSchedule':
            fn.function.grantInvoke(oneTimeScheduleRole);
            Validations.of(oneTimeScheduleRole).acknowledge({
              id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.function.node.defaultChild as never)}.Arn>:*]`,
              reason: 'One-time schedules may invoke this one function and its versions (function-arn:*), as CDK grants it.',
            });
            break;
        }
      }
    }

    for (const [queueId, dlq] of Object.entries(stateful.deadLetterQueues)) {
      new cloudwatch.Alarm(this, `${pascal(queueId)}DlqAlarm`, {
        alarmName: `sellerops-${must(queueSpecs, queueId, 'queue').name}-dlq-not-empty`,
        alarmDescription: `Messages in ${dlq.queueName}: each carries its failure reason as the "reason" attribute`,
        metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new cloudwatchActions.SnsAction(stateful.alarmTopic));
    }

    // Amazon's notifications stopped arriving although sellers are being repriced (the ticks send jobs): a
    // broken destination, a key or queue policy Amazon cannot use, or lapsed subscriptions. Repricing goes on
    // from ticks alone, so nothing else would show it.
    const notificationsQueue = must(stateful.queues, 'repricerNotifications', 'queue');
    const jobsQueue = must(stateful.queues, 'repricerJobs', 'queue');
    new cloudwatch.Alarm(this, 'RepricerNotificationsSilentAlarm', {
      alarmName: NOTIFICATIONS_SILENT_ALARM,
      alarmDescription:
        "No ANY_OFFER_CHANGED / B2B_ANY_OFFER_CHANGED from Amazon for an hour while repricing jobs ran: check the SP-API destination and subscriptions (sellerops-repricer-notifications) and that Amazon's notification account may use the queue's key",
      metric: new cloudwatch.MathExpression({
        expression: 'IF(FILL(jobs, 0) > 0 AND FILL(received, 0) == 0, 1, 0)',
        usingMetrics: {
          jobs: jobsQueue.metricNumberOfMessagesSent({ period: Duration.hours(1), statistic: 'Sum' }),
          received: notificationsQueue.metricNumberOfMessagesSent({ period: Duration.hours(1), statistic: 'Sum' }),
        },
        period: Duration.hours(1),
        label: 'notifications silent while sellers are repriced',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new cloudwatchActions.SnsAction(stateful.alarmTopic));
  }
}

/** The alarm raised when Amazon's offer notifications stop while sellers are active. */
export const NOTIFICATIONS_SILENT_ALARM = 'sellerops-repricer-notifications-silent';

function environmentOf(spec: FunctionSpec, stateful: StatefulStack): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const table of new Set([...(spec.access.tablesRead ?? []), ...(spec.access.tablesWrite ?? [])])) {
    environment[env.table(table)] = must(tableSpecs, table, 'table').name;
  }
  for (const topic of new Set([...(spec.access.topicsPublish ?? []), ...(spec.access.topicsSubscribe ?? [])])) {
    environment[env.topicArn(topic)] = must(stateful.topics, topic, 'topic').topicArn;
  }
  for (const queue of spec.access.queuesSend ?? []) environment[env.queueUrl(queue)] = must(stateful.queues, queue, 'queue').queueUrl;
  for (const bucket of new Set([...(spec.access.bucketsRead ?? []), ...(spec.access.bucketsWrite ?? []), ...(spec.access.bucketsDelete ?? [])])) {
    environment[env.bucket(bucket)] = must(stateful.buckets, bucket, 'bucket').bucketName;
  }
  for (const trigger of spec.triggers) {
    if (trigger.kind === 'schedulePerMarketplace') environment[env.scheduleRateMinutes] = String(trigger.rateMinutes);
    if (trigger.kind !== 'sqs') continue;
    environment[env.deadLetterQueueUrl(trigger.queue)] = must(stateful.deadLetterQueues, trigger.queue, 'queue').queueUrl;
    environment[env.maxReceiveCount(trigger.queue)] = String(must(queueSpecs, trigger.queue, 'queue').maxReceiveCount);
    // Its own queue too: an upstream failure delays its retry (ChangeMessageVisibility, granted by the event source).
    environment[env.queueUrl(trigger.queue)] = must(stateful.queues, trigger.queue, 'queue').queueUrl;
  }
  if ((spec.access.parametersWrite ?? []).length > 0) environment.DATA_KEY_ARN = stateful.key.keyArn;
  const destination = spec.access.notificationsDestination;
  if (destination !== undefined) environment[env.notificationsDestinationArn] = must(stateful.queues, destination, 'queue').queueArn;
  return environment;
}

function grantAccess(fn: SelleropsFunction, spec: FunctionSpec, stateful: StatefulStack): void {
  const stack = Stack.of(fn);
  // Table grants are written out (not grantReadData) so each index is named: CDK's grant would allow table/index/*.
  const read = new Set(spec.access.tablesRead ?? []);
  const write = new Set(spec.access.tablesWrite ?? []);
  for (const tableId of new Set([...read, ...write])) {
    const table = must(stateful.tables, tableId, 'table');
    const indexArns = must(tableSpecs, tableId, 'table').globalIndexes.map((index) => `${table.tableArn}/index/${index.name}`);
    const actions = [
      ...(read.has(tableId) ? ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'] : []),
      ...(write.has(tableId) ? ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] : []),
    ];
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [table.tableArn, ...(read.has(tableId) ? indexArns : [])] }));
  }
  const publishTo = (spec.access.topicsPublish ?? []).map((topic) => must(stateful.topics, topic, 'topic').topicArn);
  if (publishTo.length > 0) fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: publishTo }));
  for (const topic of spec.access.topicsSubscribe ?? []) {
    const topicArn = must(stateful.topics, topic, 'topic').topicArn;
    const topicName = must(topicSpecs, topic, 'topic').name;
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Subscribe'], resources: [topicArn] }));
    // A subscription's ARN is <topic ARN>:<uuid>: filter policies can only be scoped to the topic's subscriptions.
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sns:SetSubscriptionAttributes'],
        resources: [`arn:${stack.partition}:sns:${stack.region}:${stack.account}:${topicName}:*`],
      }),
    );
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sns:${nagRegion(stack)}:<AWS::AccountId>:${topicName}:*]`,
      reason: 'Staff subscriptions of this one topic (ARN <topic>:<uuid>) get their filter policies updated.',
    });
  }
  const sendTo = [
    ...(spec.access.queuesSend ?? []).map((queue) => must(stateful.queues, queue, 'queue').queueArn),
    ...spec.triggers.flatMap((t) => (t.kind === 'sqs' ? [must(stateful.deadLetterQueues, t.queue, 'queue').queueArn] : [])),
    // Its own queue: a unit of work waiting for SP-API quota is sent again with a delay (RetryLater.requeue).
    ...spec.triggers.flatMap((t) => (t.kind === 'sqs' ? [must(stateful.queues, t.queue, 'queue').queueArn] : [])),
  ];
  if (sendTo.length > 0) fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: sendTo }));
  const bucketsRead = spec.access.bucketsRead ?? [];
  const bucketsWrite = spec.access.bucketsWrite ?? [];
  const bucketsDelete = spec.access.bucketsDelete ?? [];
  // Bucket ARNs are built from the wired name (not imported across stacks) so the grants read plainly.
  const bucketArn = (bucketId: string) => `arn:${stack.partition}:s3:::${must(bucketSpecs, bucketId, 'bucket').name}-${stack.account}-${stack.region}`;
  for (const bucketId of bucketsRead) {
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn(bucketId)] }));
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${bucketArn(bucketId)}/tenants/*`] }));
  }
  for (const bucketId of bucketsWrite) {
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [`${bucketArn(bucketId)}/tenants/*`] }));
  }
  for (const bucketId of bucketsDelete) {
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [`${bucketArn(bucketId)}/tenants/*`] }));
  }
  for (const bucketId of new Set([...bucketsRead, ...bucketsWrite, ...bucketsDelete])) {
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${must(bucketSpecs, bucketId, 'bucket').name}-<AWS::AccountId>-${nagRegion(stack)}/tenants/*]`,
      reason: 'Report objects are per tenant under tenants/<tenantId>/; the handler derives the prefix from the caller’s token.',
    });
  }
  const parameters = spec.access.parametersRead ?? [];
  if (parameters.length > 0) {
    const stack = Stack.of(fn);
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter', 'ssm:GetParameters'],
        resources: parameters.map((path) => `arn:${stack.partition}:ssm:${stack.region}:${stack.account}:parameter${path}`),
      }),
    );
    for (const path of parameters.filter((p) => p.endsWith('*'))) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:${nagRegion(stack)}:<AWS::AccountId>:parameter${path}]`,
        reason: 'Refresh tokens are one SecureString parameter per tenant under this path (the tenant is known at run time only).',
      });
    }
  }
  const parametersWritten = spec.access.parametersWrite ?? [];
  if (parametersWritten.length > 0) {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:PutParameter'],
        resources: parametersWritten.map((path) => `arn:${stack.partition}:ssm:${stack.region}:${stack.account}:parameter${path}`),
      }),
    );
    for (const path of parametersWritten.filter((p) => p.endsWith('*'))) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:${nagRegion(stack)}:<AWS::AccountId>:parameter${path}]`,
        reason: 'Refresh tokens are one SecureString parameter per tenant under this path (the tenant is known at run time only).',
      });
    }
  }
  // One data key encrypts tables, topics and queues: name the exact KMS actions instead of CDK's wildcard grants.
  const encrypts = write.size > 0 || publishTo.length > 0 || sendTo.length > 0 || bucketsWrite.length > 0 || parametersWritten.length > 0;
  const decrypts = read.size > 0 || write.size > 0 || bucketsRead.length > 0 || parameters.length > 0 || spec.triggers.some((t) => t.kind === 'sqs');
  if (encrypts || decrypts) {
    stateful.key.grant(fn.role, ...(decrypts ? ['kms:Decrypt'] : []), ...(encrypts ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []));
  }
}

/** How cdk-nag prints a stack's region inside a finding id: the name when known at synth, else the pseudo parameter. */
function nagRegion(stack: Stack): string {
  return Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
}
