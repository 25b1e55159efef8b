/**
 * Process-wide singletons shared by every handler: AWS clients (created on first use, reused across warm
 * invocations) and the clock. Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE> variables, which
 * is how the local stack points the very same code at dynalite and fauxqs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { systemClock, type Clock } from '../kernel/clock.ts';
import type { AmazonMarketplace } from '../repricer/ports.ts';
import type { OneTimeScheduler } from '../kernel/scheduler.ts';
import type { PushSubscriptions } from '../csm/subscriptions.ts';
import type { CaseFilingPort, AmazonReportSource } from '../lost-and-found/ports.ts';
import type { SellerProfileSource } from '../onboarding/ports.ts';

/**
 * Ports whose AWS service has no local emulator get their local adapter from the local stack through these
 * overrides; in Lambda they stay empty and the AWS adapters are used.
 */
export interface LocalAdapters {
  /** The simulated marketplace in the local stack; the SP-API adapter in Lambda. */
  amazonMarketplace?: AmazonMarketplace;
  scheduler?: OneTimeScheduler;
  pushSubscriptions?: PushSubscriptions;
  sellerProfiles?: SellerProfileSource;
  caseFiling?: CaseFilingPort;
  amazonReports?: AmazonReportSource;
}
export const localAdapters: LocalAdapters = {};

let documentClient: DynamoDBDocumentClient | undefined;
let snsClient: SNSClient | undefined;
let sqsClient: SQSClient | undefined;
let s3Client: S3Client | undefined;
let clock: Clock = systemClock;

export const runtime = {
  dynamo(): DynamoDBDocumentClient {
    documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    return documentClient;
  },
  sns(): SNSClient {
    snsClient ??= new SNSClient({});
    return snsClient;
  },
  sqs(): SQSClient {
    sqsClient ??= new SQSClient({});
    return sqsClient;
  },
  s3(): S3Client {
    // A custom endpoint (the local stack's S3) serves buckets by path, not by virtual host.
    s3Client ??= new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
    return s3Client;
  },
  clock(): Clock {
    return clock;
  },
};

/** Local stack and tests only: replace the clock every handler in this process reads. */
export function useClock(replacement: Clock): void {
  clock = replacement;
}

/** Tests only: drop cached clients after the endpoints changed. */
export function resetRuntimeClients(): void {
  documentClient = undefined;
  snsClient = undefined;
  sqsClient = undefined;
  s3Client = undefined;
}
