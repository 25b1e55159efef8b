/**
 * Upstream failures are not poison (issue 13): an UpstreamError is retried later (its next delivery delayed),
 * and once its budget is spent it is parked with the reason; only malformed messages go to the DLQ at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { queueConsumer, UPSTREAM_ATTEMPTS } from '#shared/adapters/sqs/queue-consumer.ts';
import { SqsDeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import { SqsRetryLater } from '#shared/adapters/sqs/retry-later.ts';
import { QuotaExhaustedError, UpstreamError } from '#shared/kernel/upstream.ts';
import { startLocalMessaging, type LocalMessaging } from '../../local/messaging.ts';
import { LOCAL_REGION, useLocalAwsEnvironment } from '../../local/aws-env.ts';
import { queues } from '#infra/wiring.ts';

let messaging: LocalMessaging;
let sqs: SQSClient;
const QUEUE = 'amazonProfileAnalysis';

beforeAll(async () => {
  messaging = await startLocalMessaging({ visibilityTimeoutSeconds: 1 });
  useLocalAwsEnvironment({ dynamodb: 'http://127.0.0.1:1', sqs: messaging.sqsEndpoint, sns: messaging.endpoint });
  sqs = new SQSClient({ region: LOCAL_REGION });
});
afterAll(async () => {
  sqs.destroy();
  await messaging.stop();
});

/** A real delivery of a real message (its receipt handle is what the backoff changes). */
async function deliver(body: string, receiveCount: number): Promise<SQSRecord> {
  await sqs.send(new SendMessageCommand({ QueueUrl: messaging.queueUrls[QUEUE]!, MessageBody: body }));
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: messaging.queueUrls[QUEUE]!, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
  const m = Messages[0]!;
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body!,
    attributes: { ApproximateReceiveCount: String(receiveCount) } as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:eu-central-1:000000000000:${QUEUE}`,
    awsRegion: 'eu-central-1',
  };
}

const refusing = (parked: string[], withPark: boolean) =>
  queueConsumer({
    deadLetters: new SqsDeadLetterQueue(sqs, messaging.deadLetterQueueUrls[QUEUE]!, QUEUE, queues[QUEUE]!.maxReceiveCount),
    retryLater: new SqsRetryLater(sqs, messaging.queueUrls[QUEUE]!),
    message: z.object({ tenantId: z.string() }),
    handle: async () => {
      throw new UpstreamError('amazon', 'getMarketplaceParticipations: HTTP 400 seller not in this region');
    },
    ...(withPark ? { park: async (m: { tenantId: string }, e: UpstreamError) => void parked.push(`${m.tenantId}: ${e.message}`) } : {}),
  });

describe('upstream failures in a queue consumer', () => {
  it('retries an UpstreamError later (the next delivery is delayed), never sending it to the DLQ early', async () => {
    const parked: string[] = [];
    const record = await deliver('{"tenantId":"t-1"}', 1);
    const response = await refusing(parked, true)({ Records: [record] }, {} as Context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(parked).toEqual([]);
    // Its next delivery is 30 s away (the queue's own visibility timeout here is 1 s), and nothing is in the DLQ.
    const queue = messaging.server.inspectQueue('sellerops-amazon-profile-analysis')!;
    const inflight = queue.messages.inflight.find((m) => m.receiptHandle === record.receiptHandle)!;
    expect(inflight.visibilityDeadline - Date.now()).toBeGreaterThan(5_000);
    expect(messaging.server.inspectQueue('sellerops-amazon-profile-analysis-dlq')!.messages.ready).toHaveLength(0);
  });

  it(`parks it with its reason after ${UPSTREAM_ATTEMPTS} deliveries: with the consumer's park, or in the DLQ saying so`, async () => {
    const parked: string[] = [];
    const record = await deliver('{"tenantId":"t-2"}', UPSTREAM_ATTEMPTS);
    expect((await refusing(parked, true)({ Records: [record] }, {} as Context)).batchItemFailures).toEqual([]);
    expect(parked).toEqual(['t-2: getMarketplaceParticipations: HTTP 400 seller not in this region']);

    const other = await deliver('{"tenantId":"t-3"}', UPSTREAM_ATTEMPTS);
    expect((await refusing([], false)({ Records: [other] }, {} as Context)).batchItemFailures).toEqual([]);
    const { Messages: dead = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: messaging.deadLetterQueueUrls[QUEUE]!, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
    );
    expect(dead).toHaveLength(1);
    expect(dead[0]!.MessageAttributes?.reason?.StringValue).toBe(`parked after ${UPSTREAM_ATTEMPTS} attempts: getMarketplaceParticipations: HTTP 400 seller not in this region`);
  });

  it('re-queues a unit of work the SP-API quota had no token for, with the quota’s delay, without spending an attempt', async () => {
    const handled: string[] = [];
    const consumer = queueConsumer({
      deadLetters: new SqsDeadLetterQueue(sqs, messaging.deadLetterQueueUrls[QUEUE]!, QUEUE, queues[QUEUE]!.maxReceiveCount),
      retryLater: new SqsRetryLater(sqs, messaging.queueUrls[QUEUE]!),
      message: z.object({ tenantId: z.string() }),
      handle: async (m) => {
        handled.push(m.tenantId);
        throw new QuotaExhaustedError('A2SELLER getMarketplaceParticipations', 62_500);
      },
    });
    // Even on the delivery where an upstream failure would be parked: waiting for quota is no failure.
    const record = await deliver('{"tenantId":"t-quota"}', UPSTREAM_ATTEMPTS);
    expect((await consumer({ Records: [record] }, {} as Context)).batchItemFailures).toEqual([]);
    expect(handled).toEqual(['t-quota']);
    const queue = messaging.server.inspectQueue('sellerops-amazon-profile-analysis')!;
    // A new message (its deliveries count from one again), delayed 63 s; nothing in the DLQ.
    expect(queue.messages.delayed.map((m) => m.body)).toEqual(['{"tenantId":"t-quota"}']);
    const delayMs = queue.messages.delayed[0]!.delayUntil! - Date.now();
    expect(delayMs).toBeGreaterThan(30_000);
    expect(delayMs).toBeLessThanOrEqual(63_000);
    expect(messaging.server.inspectQueue('sellerops-amazon-profile-analysis-dlq')!.messages.ready).toHaveLength(0);
  });
});
