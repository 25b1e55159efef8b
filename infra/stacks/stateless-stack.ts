import { Duration, Stack, TimeZone, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { httpRoutes, type HttpRoute } from '#shared/api/routes.ts';
import { SelleropsFunction } from '../constructs/sellerops-function.ts';
import { WebApp } from '../constructs/web-app.ts';
import { allFunctions, buckets as bucketSpecs, env, functionName, functions, must, queues as queueSpecs, scheduleGroupName, tables as tableSpecs, topics as topicSpecs, type FunctionId, type FunctionSpec } from '../wiring.ts';
import { pascal, webOrigins, type StatefulStack } from './stateful-stack.ts';
import { DeploymentContextError, metricsNamespace, stageName, type Deployment } from '../deployment.ts';
import { nagPseudo } from '../constructs/nag.ts';
import { PARAMETER_ROOT } from '#shared/adapters/ssm/parameters.ts';

/** Per public route (`GET /openapi.json`, `POST /support/requests`, the Amazon callback): requests per second and burst. */
export const PUBLIC_ROUTE_THROTTLE = { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 20 } as const; // CloudFormation names: routeSettings is raw JSON

export interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulStack;
  readonly deployment: Deployment;
}

/** The alias a canary function's triggers invoke; CodeDeploy shifts it from the old version to the new one. */
export const LIVE_ALIAS = 'live';

/**
 * Everything that can be redeployed freely: one function per wiring entry (grants from its `access`), the
 * HTTP API with the Cognito JWT authorizer on every non-public route, the Scheduler group with its rate
 * schedules and the role every schedule runs as, SQS event sources with partial batch responses, the on-failure
 * destinations of asynchronously invoked functions, and the canary rollout (version, alias `live`, CodeDeploy
 * group with its rollback alarms) of the functions whose wiring asks for one. The operators' alarms and dashboards
 * are in the operations stack (infra/stacks/operations-stack.ts).
 */
export class StatelessStack extends Stack {
  readonly functions: Record<string, SelleropsFunction> = {};
  /** What each function's triggers invoke: the `live` alias of a canary function, else the function itself. */
  readonly invokeTargets: Record<FunctionId, lambda.IFunction> = {};
  readonly api: apigw.HttpApi;
  readonly webApp: WebApp;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stateful, deployment } = props;
    const named = (name: string) => stageName(deployment.stage, name);

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: named('sellerops-api'),
      description: 'sellerops customer and CSM API',
      createDefaultStage: false,
      // The web app reaches the API through its own CloudFront distribution (same origin: infra/constructs/web-app.ts);
      // other web pages (the website's support form) are listed with -c webOrigins=…, never `*`.
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
    this.webApp = new WebApp(this, 'WebApp', { api: this.api, userPool: stateful.userPool, named, reportsBucket: must(stateful.buckets, 'reports', 'bucket'), otherUploadOrigins: webOrigins(this) });
    // ID tokens of both app clients are accepted: the API client (SRP, scripts) and the web app's Hosted UI client.
    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', stateful.userPool, {
      userPoolClients: [stateful.userPoolClient, this.webApp.client],
      identitySource: ['$request.header.Authorization'],
    });

    const stagedScheduleGroup = named(scheduleGroupName);
    const group = new scheduler.ScheduleGroup(this, 'Schedules', { scheduleGroupName: stagedScheduleGroup });
    // Every schedule, the recurring ones of the wiring and the one-time ones created at run time (e.g. the end of a
    // trial), invokes its target as this role; it may also put what it could not deliver on the on-failure queues.
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      description: 'Role EventBridge Scheduler schedules of sellerops run as',
    });
    const onFailureQueues = Object.values(stateful.onFailureQueues);
    if (onFailureQueues.length > 0) {
      scheduleRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: onFailureQueues.map((q) => q.queueArn) }));
      stateful.key.grant(scheduleRole, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    const deployments = new codedeploy.LambdaApplication(this, 'Deployments', { applicationName: named('sellerops') });

    const unknownDebug = deployment.debugLogs.filter((id) => !(id in functions));
    if (unknownDebug.length > 0) throw new DeploymentContextError(`-c debugLogs: no function ${unknownDebug.map((id) => JSON.stringify(id)).join(', ')} in the wiring`);
    for (const [name, spec] of allFunctions()) {
      const fn = new SelleropsFunction(this, pascal(name), {
        debugLogs: deployment.debugLogs.includes(name),
        functionName: named(functionName(name)),
        spec,
        // SELLEROPS_AMAZON=sp-api connects the functions to the real Selling Partner API; otherwise every view says "simulated".
        environment: {
          ...environmentOf(spec, stateful, named),
          SELLEROPS_STAGE: deployment.stage,
          SELLEROPS_AMAZON: deployment.amazon,
          // Powertools Metrics publishes into the stage's namespace (shared/kernel/metrics.ts).
          POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(deployment.stage),
        },
      });
      this.functions[name] = fn;
      this.invokeTargets[name] = spec.canary ? this.canary(name, spec, fn, deployments, stateful, named) : fn.function;
    }

    for (const [name, spec] of allFunctions()) {
      const fn = must(this.functions, name, 'function');
      const target = must(this.invokeTargets, name, 'function');
      grantAccess(fn, spec, stateful, stateful.onFailureQueues[name], named);
      const onFailure = stateful.onFailureQueues[name];
      if (onFailure) {
        // Nobody waits for an asynchronous invocation: after Lambda's own retries the event is kept on the queue.
        // The grant is in grantAccess (exact actions), so the destination is bound without CDK's wildcard KMS grant.
        target.configureAsyncInvoke({ onFailure: { bind: () => ({ destination: onFailure.queueArn }) }, retryAttempts: 2, maxEventAge: Duration.hours(6) });
      }
      if ((spec.access.schedulesCreate ?? []).length > 0) {
        fn.function.addEnvironment('SCHEDULER_GROUP', stagedScheduleGroup);
        fn.function.addEnvironment('SCHEDULER_ROLE_ARN', scheduleRole.roleArn);
        for (const created of spec.access.schedulesCreate ?? []) {
          fn.function.addEnvironment(env.scheduleTargetArn(created), must(this.invokeTargets, created, 'function').functionArn);
          // The schedule role may send to every on-failure queue (above), so a schedule made at run time keeps its
          // undeliverable event there too, like the fixed schedules.
          fn.function.addEnvironment(env.scheduleDeadLetterArn(created), must(stateful.onFailureQueues, created, 'on-failure queue').queueArn);
        }
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [`arn:${this.partition}:scheduler:${this.region}:${this.account}:schedule/${stagedScheduleGroup}/*`] }),
        );
        fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [scheduleRole.roleArn] }));
        Validations.of(fn.role).acknowledge({
          id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${nagPseudo(this).partition}:scheduler:${nagPseudo(this).region}:${nagPseudo(this).account}:schedule/${stagedScheduleGroup}/*]`,
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
              integration: new HttpLambdaIntegration(`${pascal(trigger.route)}Integration`, target),
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
            target.addEventSource(
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
              target: new schedulerTargets.LambdaInvoke(target, {
                input: scheduler.ScheduleTargetInput.fromObject({
                  schedule: trigger.schedule,
                  scheduledTime: scheduler.ContextAttribute.scheduledTime,
                }),
                role: scheduleRole,
                retryAttempts: 3,
                deadLetterQueue: must(stateful.onFailureQueues, name, 'on-failure queue'),
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
                target: new schedulerTargets.LambdaInvoke(target, {
                  input: scheduler.ScheduleTargetInput.fromObject({
                    schedule: `${trigger.schedule}-${marketplace.toLowerCase()}`,
                    scheduledTime: scheduler.ContextAttribute.scheduledTime,
                    marketplace,
                  }),
                  role: scheduleRole,
                  retryAttempts: 3,
                  deadLetterQueue: must(stateful.onFailureQueues, name, 'on-failure queue'),
                }),
              });
            }
            Validations.of(this).acknowledge({
              id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.function.node.defaultChild as never)}.Arn>:*]`,
              reason: 'The Scheduler target role may invoke this one function and its versions (function-arn:*), as CDK grants it.',
            });
            break;
          case 'oneTimeSchedule':
            target.grantInvoke(scheduleRole);
            Validations.of(scheduleRole).acknowledge({
              id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.function.node.defaultChild as never)}.Arn>:*]`,
              reason: 'One-time schedules may invoke this one function and its versions (function-arn:*), as CDK grants it.',
            });
            break;
        }
      }
    }

  }

  /**
   * A function that changes prices on Amazon or audits money deploys through a new version behind the alias `live`:
   * CodeDeploy sends 10 % of the invocations to the new version for 5 minutes and rolls back if its errors or its
   * duration near the timeout alarm; the triggers invoke the alias, never $LATEST.
   */
  private canary(name: FunctionId, spec: FunctionSpec, fn: SelleropsFunction, application: codedeploy.LambdaApplication, stateful: StatefulStack, named: (name: string) => string): lambda.Alias {
    const alias = new lambda.Alias(fn, 'LiveAlias', { aliasName: LIVE_ALIAS, version: fn.function.currentVersion });
    const alarmPrefix = named(functionName(name));
    const rollbackAlarms = [
      new cloudwatch.Alarm(fn, 'CanaryErrorsAlarm', {
        alarmName: `${alarmPrefix}-canary-errors`,
        alarmDescription: `${alarmPrefix} (alias ${LIVE_ALIAS}) failed invocations during or after a deployment: CodeDeploy rolls the alias back`,
        metric: alias.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(fn, 'CanaryDurationAlarm', {
        alarmName: `${alarmPrefix}-canary-duration`,
        alarmDescription: `${alarmPrefix} (alias ${LIVE_ALIAS}) p99 duration above 80 % of its ${spec.timeoutSeconds} s timeout: CodeDeploy rolls the alias back`,
        metric: alias.metricDuration({ period: Duration.minutes(1), statistic: 'p99' }),
        threshold: durationAlarmThresholdMs(spec),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
    for (const alarm of rollbackAlarms) alarm.addAlarmAction(new cloudwatchActions.SnsAction(stateful.alarmTopic));
    const group = new codedeploy.LambdaDeploymentGroup(fn, 'Canary', {
      application,
      deploymentGroupName: alarmPrefix,
      alias,
      deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
      alarms: rollbackAlarms,
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
    Validations.of(group).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
      reason: "CodeDeploy's own managed policy for Lambda deployments: it may shift aliases and read the rollback alarms.",
    });
    return alias;
  }
}

/** A function's duration alarms fire above 80 % of its timeout: the next slow run would be a timeout. */
export function durationAlarmThresholdMs(spec: FunctionSpec): number {
  return Math.round(spec.timeoutSeconds * 1000 * 0.8);
}

function environmentOf(spec: FunctionSpec, stateful: StatefulStack, named: (name: string) => string): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const table of new Set([...(spec.access.tablesRead ?? []), ...(spec.access.tablesWrite ?? [])])) {
    environment[env.table(table)] = named(must(tableSpecs, table, 'table').name);
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
  if ((spec.access.parametersRead ?? []).length + (spec.access.parametersWrite ?? []).length > 0) environment[env.parameterRoot] = named(PARAMETER_ROOT);
  const destination = spec.access.notificationsDestination;
  if (destination !== undefined) environment[env.notificationsDestinationArn] = must(stateful.queues, destination, 'queue').queueArn;
  return environment;
}

function grantAccess(fn: SelleropsFunction, spec: FunctionSpec, stateful: StatefulStack, onFailure: sqs.IQueue | undefined, named: (name: string) => string): void {
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
    const topicName = named(must(topicSpecs, topic, 'topic').name);
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Subscribe'], resources: [topicArn] }));
    // A subscription's ARN is <topic ARN>:<uuid>: filter policies can only be scoped to the topic's subscriptions.
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sns:SetSubscriptionAttributes'],
        resources: [`arn:${stack.partition}:sns:${stack.region}:${stack.account}:${topicName}:*`],
      }),
    );
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${nagPseudo(stack).partition}:sns:${nagPseudo(stack).region}:${nagPseudo(stack).account}:${topicName}:*]`,
      reason: 'Staff subscriptions of this one topic (ARN <topic>:<uuid>) get their filter policies updated.',
    });
  }
  const sendTo = [
    ...(spec.access.queuesSend ?? []).map((queue) => must(stateful.queues, queue, 'queue').queueArn),
    ...spec.triggers.flatMap((t) => (t.kind === 'sqs' ? [must(stateful.deadLetterQueues, t.queue, 'queue').queueArn] : [])),
    // Lambda sends a failed asynchronous invocation to the on-failure destination as the function's own role.
    ...(onFailure ? [onFailure.queueArn] : []),
    // Its own queue: a unit of work waiting for SP-API quota is sent again with a delay (RetryLater.requeue).
    ...spec.triggers.flatMap((t) => (t.kind === 'sqs' ? [must(stateful.queues, t.queue, 'queue').queueArn] : [])),
  ];
  if (sendTo.length > 0) fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: sendTo }));
  const bucketsRead = spec.access.bucketsRead ?? [];
  const bucketsWrite = spec.access.bucketsWrite ?? [];
  const bucketsDelete = spec.access.bucketsDelete ?? [];
  // Bucket ARNs are built from the wired name (not imported across stacks) so the grants read plainly.
  const bucketArn = (bucketId: string) => `arn:${stack.partition}:s3:::${named(must(bucketSpecs, bucketId, 'bucket').name)}-${stack.account}-${stack.region}`;
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
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${nagPseudo(stack).partition}:s3:::${named(must(bucketSpecs, bucketId, 'bucket').name)}-${nagPseudo(stack).account}-${nagPseudo(stack).region}/tenants/*]`,
      reason: 'Report objects are per tenant under tenants/<tenantId>/; the handler derives the prefix from the caller’s token.',
    });
  }
  // The wiring names production's paths; each stage reads and writes its own (SSM_PARAMETER_ROOT, see environmentOf).
  const parameters = (spec.access.parametersRead ?? []).map(named);
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
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${nagPseudo(stack).partition}:ssm:${nagPseudo(stack).region}:${nagPseudo(stack).account}:parameter${path}]`,
        reason: 'Refresh tokens are one SecureString parameter per tenant under this path (the tenant is known at run time only).',
      });
    }
  }
  const parametersWritten = (spec.access.parametersWrite ?? []).map(named);
  if (parametersWritten.length > 0) {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:PutParameter'],
        resources: parametersWritten.map((path) => `arn:${stack.partition}:ssm:${stack.region}:${stack.account}:parameter${path}`),
      }),
    );
    for (const path of parametersWritten.filter((p) => p.endsWith('*'))) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${nagPseudo(stack).partition}:ssm:${nagPseudo(stack).region}:${nagPseudo(stack).account}:parameter${path}]`,
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
