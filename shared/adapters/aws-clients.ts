/**
 * The AWS SDK clients of one composition root. Each is made on first use and then reused, so a function's
 * container holds one client per service across warm invocations. Endpoints come from the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables of the environment given, which is how the local stack points the very
 * same adapters at dynalite and fauxqs.
 *
 * Every client is traced (the Tracer's `captureAWSv3Client`: a no-op outside Lambda), and every message the SNS
 * and SQS clients send carries the current correlation id as its `correlationId` attribute (see observability.ts),
 * unless the sender set one (the outbox relay publishes each event under the id it was written with).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Environment } from './environment.ts';
import { CORRELATION_ATTRIBUTE, currentCorrelationId, tracer } from './observability.ts';

export interface AwsClients {
  dynamo(): DynamoDBDocumentClient;
  sns(): SNSClient;
  sqs(): SQSClient;
  s3(): S3Client;
  scheduler(): SchedulerClient;
  /** SP-API app secret, tenants' refresh tokens (SecureStrings) and the push kill switch. */
  ssm(): SSMClient;
  /** Closes the clients made so far (a local stack that stops; a Lambda container never needs to). */
  destroy(): void;
}

export function createAwsClients(env: Environment): AwsClients {
  const endpoint = (url: string | undefined) => (url ? { endpoint: url } : {});
  let documentClient: DynamoDBDocumentClient | undefined;
  let snsClient: SNSClient | undefined;
  let sqsClient: SQSClient | undefined;
  let s3Client: S3Client | undefined;
  let schedulerClient: SchedulerClient | undefined;
  let ssmClient: SSMClient | undefined;
  return {
    dynamo() {
      documentClient ??= DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient(endpoint(env.AWS_ENDPOINT_URL_DYNAMODB))), {
        marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
      });
      return documentClient;
    },
    sns() {
      snsClient ??= withCorrelationAttribute(tracer.captureAWSv3Client(new SNSClient(endpoint(env.AWS_ENDPOINT_URL_SNS))));
      return snsClient;
    },
    sqs() {
      sqsClient ??= withCorrelationAttribute(tracer.captureAWSv3Client(new SQSClient(endpoint(env.AWS_ENDPOINT_URL_SQS))));
      return sqsClient;
    },
    s3() {
      // A custom endpoint (the local stack's S3) serves buckets by path, not by virtual host.
      s3Client ??= tracer.captureAWSv3Client(new S3Client({ ...endpoint(env.AWS_ENDPOINT_URL_S3), forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3) }));
      return s3Client;
    },
    scheduler() {
      schedulerClient ??= tracer.captureAWSv3Client(new SchedulerClient(endpoint(env.AWS_ENDPOINT_URL_SCHEDULER)));
      return schedulerClient;
    },
    ssm() {
      ssmClient ??= tracer.captureAWSv3Client(new SSMClient(endpoint(env.AWS_ENDPOINT_URL_SSM)));
      return ssmClient;
    },
    destroy() {
      for (const client of [documentClient, snsClient, sqsClient, s3Client, schedulerClient, ssmClient]) client?.destroy();
      documentClient = snsClient = sqsClient = s3Client = schedulerClient = ssmClient = undefined;
    },
  };
}

type StringAttributes = Record<string, { DataType: string; StringValue?: string }>;
interface MessageInput {
  MessageAttributes?: StringAttributes;
  Entries?: { MessageAttributes?: StringAttributes }[];
  PublishBatchRequestEntries?: { MessageAttributes?: StringAttributes }[];
}

/**
 * Adds the `correlationId` attribute to Publish, PublishBatch, SendMessage and SendMessageBatch requests (the SNS and
 * SQS commands that send a message; any other command has neither field and is left alone).
 */
function withCorrelationAttribute<C extends SNSClient | SQSClient>(client: C): C {
  (client as SQSClient).middlewareStack.add(
    (next) => (args) => {
      const correlationId = currentCorrelationId();
      if (!correlationId) return next(args);
      // The sender's input is copied, not changed: it may send the same entries again.
      const stamp = <T extends { MessageAttributes?: StringAttributes }>(message: T): T =>
        message.MessageAttributes?.[CORRELATION_ATTRIBUTE]
          ? message
          : { ...message, MessageAttributes: { ...message.MessageAttributes, [CORRELATION_ATTRIBUTE]: { DataType: 'String', StringValue: correlationId } } };
      const input = args.input as MessageInput;
      const stamped: MessageInput =
        'MessageBody' in input || 'Message' in input ? stamp(input)
        : input.Entries ? { ...input, Entries: input.Entries.map(stamp) }
        : input.PublishBatchRequestEntries ? { ...input, PublishBatchRequestEntries: input.PublishBatchRequestEntries.map(stamp) }
        : input;
      return next({ ...args, input: stamped as typeof args.input });
    },
    { step: 'initialize', name: 'sellerops-correlation-id' },
  );
  return client;
}
