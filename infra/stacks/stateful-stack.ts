import { ArnFormat, Duration, Names, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as ce from 'aws-cdk-lib/aws-ce';
import * as events from 'aws-cdk-lib/aws-events';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { stageName, type Deployment } from '../deployment.ts';
import {
  allFunctions,
  asynchronouslyInvoked,
  buckets as bucketSpecs,
  deadLetterQueueName,
  queues as queueSpecs,
  subscriptions as subscriptionSpecs,
  tables as tableSpecs,
  topics as topicSpecs,
  must,
  onFailureQueueName,
  wiringProblems,
  type FunctionId,
  type QueueId,
  type TableId,
  type TableSpec,
  type TopicId,
} from '../wiring.ts';

/** Where the CloudWatch alarms, the budget and the cost anomaly alert publish for the operators. */
export const OPERATOR_ALARMS_TOPIC = 'sellerops-operator-alarms';

/** The cost allocation tag every resource of a stage carries: the budget and the anomaly monitor select by it. */
export const STAGE_TAG = 'sellerops:stage';

export interface StatefulStackProps extends StackProps {
  readonly deployment: Deployment;
}

/**
 * Everything that holds data: a customer-managed KMS key, the DynamoDB tables (PITR, SSE-KMS, an AWS Backup plan),
 * the SQS queues each with its DLQ, the on-failure queues of the asynchronously invoked functions, the SNS topics
 * and their queue subscriptions, the operator alarm topic (its e-mail subscribers, the budget and the cost anomaly
 * alert), and the Cognito user pool. All retained when the stack is deleted.
 */

export class StatefulStack extends Stack {
  readonly key: kms.Key;
  readonly tables = {} as Record<TableId, dynamodb.Table>;
  readonly queues = {} as Record<QueueId, sqs.Queue>;
  readonly deadLetterQueues = {} as Record<QueueId, sqs.Queue>;
  /** Per asynchronously invoked function: what its schedules could not deliver and the invocations that failed. */
  readonly onFailureQueues = {} as Record<FunctionId, sqs.Queue>;
  readonly topics = {} as Record<TopicId, sns.Topic>;
  readonly alarmTopic: sns.Topic;
  readonly buckets = {} as Record<string, s3.Bucket>;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const problems = wiringProblems();
    if (problems.length > 0) throw new Error(`wiring problems:\n${problems.join('\n')}`);
    const { deployment } = props;
    const named = (name: string) => stageName(deployment.stage, name);

    this.key = new kms.Key(this, 'DataKey', {
      alias: named('alias/sellerops-data'),
      description: 'Encrypts sellerops tables, queues and topics at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // SNS must encrypt into our KMS-encrypted queues, and CloudWatch alarms, AWS Budgets and Cost Anomaly Detection
    // publish to the encrypted alarm topic. Only on behalf of this account and of our own topics, alarms, budgets and
    // anomaly subscriptions: without the conditions any account's topic or
    // alarm could use the key through these services (the confused-deputy problem). The topic ARNs are formatted from
    // the wiring's names, not taken from the topics, because each topic is encrypted with this key: a reference from
    // the key policy back to a topic would be a dependency cycle (what CDK's restrictSqsDescryption flag runs into).
    const account = Stack.of(this).account;
    const ourTopicArns = [...Object.values(topicSpecs).map((t) => t.name), OPERATOR_ALARMS_TOPIC].map((name) =>
      Stack.of(this).formatArn({ service: 'sns', resource: named(name) }),
    );
    const ourAlarmArns = [Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })];
    const ourBudgetArns = [`arn:${this.partition}:budgets::${account}:budget/${named('sellerops')}-*`];
    const ourAnomalySubscriptionArns = [`arn:${this.partition}:ce::${account}:anomalysubscription/*`];
    for (const [service, sourceArns] of [
      ['sns.amazonaws.com', ourTopicArns],
      ['cloudwatch.amazonaws.com', ourAlarmArns],
      ['budgets.amazonaws.com', ourBudgetArns],
      ['costalerts.amazonaws.com', ourAnomalySubscriptionArns],
    ] as const) {
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal(service)],
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': sourceArns } },
        }),
      );
    }

    for (const [tableId, spec] of Object.entries<TableSpec>(tableSpecs)) {
      const table = new dynamodb.Table(this, `${pascal(tableId)}Table`, {
        tableName: named(spec.name),
        partitionKey: { name: spec.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: spec.sortKey, type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: this.key,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: spec.withoutPointInTimeRecovery === undefined },
        ...(spec.infrequentAccess ? { tableClass: dynamodb.TableClass.STANDARD_INFREQUENT_ACCESS } : {}),
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        ...(spec.timeToLiveAttribute ? { timeToLiveAttribute: spec.timeToLiveAttribute } : {}),
      });
      if (spec.withoutPointInTimeRecovery) {
        Validations.of(table).acknowledge({ id: 'AwsSolutions::AwsSolutions-DDB3', reason: spec.withoutPointInTimeRecovery.why });
      }
      for (const index of spec.globalIndexes) {
        const projection = index.projection;
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
          projectionType: dynamodb.ProjectionType[projection.type],
          ...(projection.type === 'INCLUDE' ? { nonKeyAttributes: [...projection.attributes] } : {}),
        });
      }
      this.tables[tableId] = table;
    }

    for (const [queueId, spec] of Object.entries(queueSpecs)) {
      const dlq = this.queue(`${pascal(queueId)}Dlq`, named(deadLetterQueueName(spec)), {
        lastStop: 'This is a dead-letter queue; messages that fail here are kept 14 days and alarmed on, not redriven further.',
      });
      this.deadLetterQueues[queueId] = dlq;
      this.queues[queueId] = this.queue(`${pascal(queueId)}Queue`, named(spec.name), {
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
      });
      for (const sender of spec.allowSendFrom ?? []) {
        // e.g. Amazon's SP-API notification service delivering ANY_OFFER_CHANGED to our queue.
        this.queues[queueId].addToResourcePolicy(
          new iam.PolicyStatement({
            principals: [new iam.AccountPrincipal(sender.awsAccount)],
            actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
            resources: [this.queues[queueId].queueArn],
          }),
        );
        // The queue is encrypted with our key: a sender that may not use the key cannot deliver at all (SQS
        // refuses its SendMessage). Only through SQS in this region, so the grant is no general use of the key.
        this.key.addToResourcePolicy(
          new iam.PolicyStatement({
            sid: `AllowSendTo${pascal(queueId)}From${sender.awsAccount}`,
            principals: [new iam.AccountPrincipal(sender.awsAccount)],
            actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
            resources: ['*'],
            conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
          }),
        );
      }
    }

    for (const [functionId] of allFunctions().filter(([, spec]) => asynchronouslyInvoked(spec))) {
      this.onFailureQueues[functionId] = this.queue(`${pascal(functionId)}OnFailureQueue`, named(onFailureQueueName(functionId)), {
        lastStop: 'This is an on-failure destination (a dead-letter queue of schedules and async invocations); alarmed on, read by the operator.',
      });
    }

    // Topics are retained: deleting one would drop every staff member's push subscription and filter policy.
    for (const [topicId, spec] of Object.entries(topicSpecs) as [TopicId, { name: string }][]) {
      this.topics[topicId] = new sns.Topic(this, `${pascal(topicId)}Topic`, {
        topicName: named(spec.name),
        masterKey: this.key,
        enforceSSL: true,
      });
      this.topics[topicId].applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    // Subscriptions written out rather than through SqsSubscription: that construct also grants SNS the queue's key
    // with no condition at all (or, with its restrictSqsDescryption flag, with a condition naming the topic: a key ↔
    // topic cycle). The key policy above already lets SNS encrypt for our own topics only.
    for (const subscription of subscriptionSpecs) {
      const topic = must(this.topics, subscription.topic, 'topic');
      const queue = must(this.queues, subscription.queue, 'queue');
      const queuePolicy = queue.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [queue.queueArn],
          conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
        }),
      );
      // The scope and id SqsSubscription used, so deployed subscriptions keep their logical ids (no replacement).
      const created = new sns.Subscription(queue, Names.nodeUniqueId(topic.node), {
        topic,
        endpoint: queue.queueArn,
        protocol: sns.SubscriptionProtocol.SQS,
        rawMessageDelivery: true,
        ...(subscription.filterPolicy
          ? {
              filterPolicy: Object.fromEntries(
                Object.entries(subscription.filterPolicy).map(([attribute, allowlist]) => [
                  attribute,
                  sns.SubscriptionFilter.stringFilter({ allowlist: [...allowlist] }),
                ]),
              ),
            }
          : {}),
      });
      // SNS checks that it may deliver when the subscription is created.
      if (queuePolicy.policyDependable) created.node.addDependency(queuePolicy.policyDependable);
    }

    const bucketSpecList = Object.entries(bucketSpecs);
    if (bucketSpecList.length > 0) {
      const accessLogs = new s3.Bucket(this, 'AccessLogsBucket', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
        lifecycleRules: [{ expiration: Duration.days(400) }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(accessLogs).acknowledge({
        id: 'AwsSolutions::AwsSolutions-S1',
        reason: 'This bucket receives the server access logs of the data buckets; logging it into itself would loop.',
      });
      for (const [bucketId, spec] of bucketSpecList) {
        this.buckets[bucketId] = new s3.Bucket(this, `${pascal(bucketId)}Bucket`, {
          bucketName: `${named(spec.name)}-${this.account}-${this.region}`,
          // SSE-KMS with the data key: uploads through pre-signed URLs are encrypted by the bucket default.
          encryption: s3.BucketEncryption.KMS,
          encryptionKey: this.key,
          bucketKeyEnabled: true,
          blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
          enforceSSL: true,
          versioned: true,
          serverAccessLogsBucket: accessLogs,
          serverAccessLogsPrefix: `${spec.name}/`,
          lifecycleRules: [{ expiration: Duration.days(spec.expireAfterDays), noncurrentVersionExpiration: Duration.days(30) }],
          // No CORS rule here: browsers PUT reports from the web app's origin, which the stateless stack knows; its
          // WebApp construct sets the reports bucket's rule (infra/constructs/web-app.ts).
          removalPolicy: RemovalPolicy.RETAIN,
        });
      }
    }

    this.alarmTopic = new sns.Topic(this, 'OperatorAlarmsTopic', {
      topicName: named(OPERATOR_ALARMS_TOPIC),
      masterKey: this.key,
      enforceSSL: true,
    });
    this.alarmTopic.applyRemovalPolicy(RemovalPolicy.RETAIN);
    for (const email of deployment.alarmEmails) this.alarmTopic.addSubscription(new snsSubscriptions.EmailSubscription(email));
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'BudgetsAndCostAnomalyAlerts',
        principals: [new iam.ServicePrincipal('budgets.amazonaws.com'), new iam.ServicePrincipal('costalerts.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    this.costAlerts(deployment, named);
    this.tableBackups(named);

    this.userPool = new cognito.UserPool(this, 'Users', {
      userPoolName: named('sellerops-users'),
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      customAttributes: {
        // The tenant a customer user belongs to; set by operators/onboarding, never by the user.
        tenant_id: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
        staff_id: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    // A team lead is in `csm` and `csm-lead` (staff directory changes, survey settings).
    for (const group of ['customer', 'csm', 'csm-lead']) {
      new cognito.CfnUserPoolGroup(this, `${pascal(group)}Group`, { userPoolId: this.userPool.userPoolId, groupName: group });
    }
    this.userPoolClient = this.userPool.addClient('ApiClient', {
      userPoolClientName: named('sellerops-api'),
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // Users must not write their own tenant: only read access to the custom attributes.
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes('tenant_id', 'staff_id'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });
  }

  /**
   * Every queue of the stack: encrypted with the data key, TLS only, retained. A queue that is itself the last stop of
   * failed work (a DLQ, an on-failure destination) keeps its messages the SQS maximum of 14 days and has no DLQ of its
   * own, for the reason given (cdk-nag's SQS3); a work queue gets its visibility timeout and DLQ.
   */
  private queue(
    id: string,
    queueName: string,
    options: { readonly lastStop: string } | Required<Pick<sqs.QueueProps, 'visibilityTimeout' | 'deadLetterQueue'>>,
  ): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      queueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...('lastStop' in options ? { retentionPeriod: Duration.days(14) } : options),
    });
    if ('lastStop' in options) Validations.of(queue).acknowledge({ id: 'AwsSolutions::AwsSolutions-SQS3', reason: options.lastStop });
    return queue;
  }

  /**
   * A monthly cost budget of the stage (actual 80 %, forecast 100 %) and a cost anomaly monitor with an immediate
   * alert, both on the operator topic, both selecting the stage's resources by the `sellerops:stage` cost allocation
   * tag (activate it once in the Billing console), so two stages in one account are told apart.
   */
  private costAlerts(deployment: Deployment, named: (name: string) => string): void {
    const budgetName = `${named('sellerops')}-monthly`;
    new budgets.CfnBudget(this, 'MonthlyBudget', {
      budget: {
        budgetName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: deployment.monthlyBudgetUsd, unit: 'USD' },
        costFilters: { TagKeyValue: [`user:${STAGE_TAG}$${deployment.stage}`] },
      },
      notificationsWithSubscribers: [
        { notification: { notificationType: 'ACTUAL', comparisonOperator: 'GREATER_THAN', threshold: 80, thresholdType: 'PERCENTAGE' }, subscribers: [{ subscriptionType: 'SNS', address: this.alarmTopic.topicArn }] },
        { notification: { notificationType: 'FORECASTED', comparisonOperator: 'GREATER_THAN', threshold: 100, thresholdType: 'PERCENTAGE' }, subscribers: [{ subscriptionType: 'SNS', address: this.alarmTopic.topicArn }] },
      ],
    });
    const monitor = new ce.CfnAnomalyMonitor(this, 'CostAnomalyMonitor', {
      monitorName: `${named('sellerops')}-costs`,
      monitorType: 'CUSTOM',
      monitorSpecification: JSON.stringify({ Tags: { Key: STAGE_TAG, Values: [deployment.stage], MatchOptions: ['EQUALS'] } }),
    });
    new ce.CfnAnomalySubscription(this, 'CostAnomalyAlert', {
      subscriptionName: `${named('sellerops')}-cost-anomalies`,
      frequency: 'IMMEDIATE',
      monitorArnList: [monitor.attrMonitorArn],
      subscribers: [{ type: 'SNS', address: this.alarmTopic.topicArn }],
      // An anomaly worth a look: at least this many dollars above the expected spend.
      thresholdExpression: JSON.stringify({ Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', Values: [String(deployment.anomalyAlertUsd)], MatchOptions: ['GREATER_THAN_OR_EQUAL'] } }),
    });
  }

  /**
   * An AWS Backup plan for the tables that keep point-in-time recovery (the others say why their data may be lost):
   * daily backups kept 35 days and monthly ones kept a year, in a retained vault encrypted with the data key. PITR
   * answers "undo the last hours"; the plan answers "the table is gone" and "how was it in March".
   */
  private tableBackups(named: (name: string) => string): void {
    const vault = new backup.BackupVault(this, 'TablesBackupVault', {
      backupVaultName: named('sellerops-tables'),
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plan = new backup.BackupPlan(this, 'TablesBackupPlan', {
      backupPlanName: named('sellerops-tables'),
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({ ruleName: 'Daily', scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }), deleteAfter: Duration.days(35) }),
        new backup.BackupPlanRule({ ruleName: 'Monthly', scheduleExpression: events.Schedule.cron({ day: '1', hour: '4', minute: '0' }), deleteAfter: Duration.days(365) }),
      ],
    });
    const backedUp = Object.entries<TableSpec>(tableSpecs).filter(([, spec]) => spec.withoutPointInTimeRecovery === undefined);
    const selection = plan.addSelection('Tables', {
      backupSelectionName: named('sellerops-tables'),
      resources: backedUp.map(([tableId]) => backup.BackupResource.fromDynamoDbTable(must(this.tables, tableId, 'table'))),
      allowRestores: true,
    });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason: "AWS Backup's own managed policy for taking backups: it follows the services Backup supports.",
    });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]',
      reason: "AWS Backup's own managed policy for restores (allowRestores): restoring a table is the point of the plan.",
    });
  }
}

export function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** The origins of the web pages that call the API or upload from a browser (`-c webOrigins=https://a,https://b`). */
export function webOrigins(scope: Construct): string[] {
  const value: unknown = scope.node.tryGetContext('webOrigins');
  return typeof value === 'string' ? value.split(',').map((o) => o.trim()).filter((o) => o.length > 0) : [];
}
