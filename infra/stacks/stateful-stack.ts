import { ArnFormat, Duration, Names, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  buckets as bucketSpecs,
  deadLetterQueueName,
  queues as queueSpecs,
  subscriptions as subscriptionSpecs,
  tables as tableSpecs,
  topics as topicSpecs,
  must,
  wiringProblems,
  type QueueId,
  type TableId,
  type TableSpec,
  type TopicId,
} from '../wiring.ts';

/**
 * Everything that holds data: a customer-managed KMS key, the DynamoDB tables (PITR, SSE-KMS), the SQS
 * queues each with its DLQ, the SNS topics and their queue subscriptions, and the Cognito user pool.
 * All retained when the stack is deleted.
 */
/** Where CloudWatch alarms (one per DLQ) publish for the operators. */
const OPERATOR_ALARMS_TOPIC = 'sellerops-operator-alarms';

export class StatefulStack extends Stack {
  readonly key: kms.Key;
  readonly tables = {} as Record<TableId, dynamodb.Table>;
  readonly queues = {} as Record<QueueId, sqs.Queue>;
  readonly deadLetterQueues = {} as Record<QueueId, sqs.Queue>;
  readonly topics = {} as Record<TopicId, sns.Topic>;
  readonly alarmTopic: sns.Topic;
  readonly buckets = {} as Record<string, s3.Bucket>;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const problems = wiringProblems();
    if (problems.length > 0) throw new Error(`wiring problems:\n${problems.join('\n')}`);

    this.key = new kms.Key(this, 'DataKey', {
      alias: 'alias/sellerops-data',
      description: 'Encrypts sellerops tables, queues and topics at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // SNS must encrypt into our KMS-encrypted queues, and CloudWatch alarms publish to the encrypted alarm topic.
    // Only on behalf of this account and of our own topics and alarms: without the conditions any account's topic or
    // alarm could use the key through these services (the confused-deputy problem). The topic ARNs are formatted from
    // the wiring's names, not taken from the topics, because each topic is encrypted with this key: a reference from
    // the key policy back to a topic would be a dependency cycle (what CDK's restrictSqsDescryption flag runs into).
    const account = Stack.of(this).account;
    const ourTopicArns = [...Object.values(topicSpecs).map((t) => t.name), OPERATOR_ALARMS_TOPIC].map((name) =>
      Stack.of(this).formatArn({ service: 'sns', resource: name }),
    );
    const ourAlarmArns = [Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })];
    for (const [service, sourceArns] of [['sns.amazonaws.com', ourTopicArns], ['cloudwatch.amazonaws.com', ourAlarmArns]] as const) {
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
        tableName: spec.name,
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
      const dlq = new sqs.Queue(this, `${pascal(queueId)}Dlq`, {
        queueName: deadLetterQueueName(spec),
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(dlq).acknowledge({
        id: 'AwsSolutions::AwsSolutions-SQS3',
        reason: 'This is a dead-letter queue; messages that fail here are kept 14 days and alarmed on, not redriven further.',
      });
      this.deadLetterQueues[queueId] = dlq;
      this.queues[queueId] = new sqs.Queue(this, `${pascal(queueId)}Queue`, {
        queueName: spec.name,
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.key,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
        removalPolicy: RemovalPolicy.RETAIN,
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

    for (const [topicId, spec] of Object.entries(topicSpecs) as [TopicId, { name: string }][]) {
      this.topics[topicId] = new sns.Topic(this, `${pascal(topicId)}Topic`, {
        topicName: spec.name,
        masterKey: this.key,
        enforceSSL: true,
      });
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
          bucketName: `${spec.name}-${this.account}-${this.region}`,
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
          // Browsers may PUT to a pre-signed URL only from the origins the web app is served on (-c webOrigins=…).
          ...(webOrigins(this).length > 0 ? { cors: [{ allowedMethods: [s3.HttpMethods.PUT], allowedOrigins: webOrigins(this), allowedHeaders: ['content-type'], maxAge: 3600 }] } : {}),
          removalPolicy: RemovalPolicy.RETAIN,
        });
      }
    }

    this.alarmTopic = new sns.Topic(this, 'OperatorAlarmsTopic', {
      topicName: OPERATOR_ALARMS_TOPIC,
      masterKey: this.key,
      enforceSSL: true,
    });

    this.userPool = new cognito.UserPool(this, 'Users', {
      userPoolName: 'sellerops-users',
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
      userPoolClientName: 'sellerops-api',
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
}

export function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** The origins of the web pages that call the API or upload from a browser (`-c webOrigins=https://a,https://b`). */
export function webOrigins(scope: Construct): string[] {
  const value: unknown = scope.node.tryGetContext('webOrigins');
  return typeof value === 'string' ? value.split(',').map((o) => o.trim()).filter((o) => o.length > 0) : [];
}
