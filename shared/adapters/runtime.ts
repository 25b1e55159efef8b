/**
 * Process-wide singletons shared by every handler: AWS clients (created on first use, reused across warm
 * invocations) and the clock. Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE> variables, which
 * is how the local stack points the very same code at dynalite and fauxqs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { systemClock, type Clock } from '../kernel/clock.ts';

let documentClient: DynamoDBDocumentClient | undefined;
let snsClient: SNSClient | undefined;
let sqsClient: SQSClient | undefined;
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
}
