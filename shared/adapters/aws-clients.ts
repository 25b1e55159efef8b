/**
 * The AWS SDK clients of one composition root. Each is made on first use and then reused, so a function's
 * container holds one client per service across warm invocations. Endpoints come from the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables of the environment given, which is how the local stack points the very
 * same adapters at dynalite and fauxqs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Environment } from './environment.ts';

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
      documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient(endpoint(env.AWS_ENDPOINT_URL_DYNAMODB)), {
        marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
      });
      return documentClient;
    },
    sns() {
      snsClient ??= new SNSClient(endpoint(env.AWS_ENDPOINT_URL_SNS));
      return snsClient;
    },
    sqs() {
      sqsClient ??= new SQSClient(endpoint(env.AWS_ENDPOINT_URL_SQS));
      return sqsClient;
    },
    s3() {
      // A custom endpoint (the local stack's S3) serves buckets by path, not by virtual host.
      s3Client ??= new S3Client({ ...endpoint(env.AWS_ENDPOINT_URL_S3), forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3) });
      return s3Client;
    },
    scheduler() {
      schedulerClient ??= new SchedulerClient(endpoint(env.AWS_ENDPOINT_URL_SCHEDULER));
      return schedulerClient;
    },
    ssm() {
      ssmClient ??= new SSMClient(endpoint(env.AWS_ENDPOINT_URL_SSM));
      return ssmClient;
    },
    destroy() {
      for (const client of [documentClient, snsClient, sqsClient, s3Client, schedulerClient, ssmClient]) client?.destroy();
      documentClient = snsClient = sqsClient = s3Client = schedulerClient = ssmClient = undefined;
    },
  };
}
