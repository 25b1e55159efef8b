import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { SnsCustomerEventPublisher } from '#shared/adapters/sns/customer-event-publisher.ts';
import { queueConsumer } from '#shared/adapters/sqs/queue-consumer.ts';
import { SqsDeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import { startLocalMessaging, type LocalMessaging } from '../../local/messaging.ts';
import { LOCAL_REGION, useLocalAwsEnvironment } from '../../local/aws-env.ts';
import type { CustomerEvent } from '#shared/contracts/customer-events.ts';

let messaging: LocalMessaging;
let sqs: SQSClient;

beforeAll(async () => {
  messaging = await startLocalMessaging({ visibilityTimeoutSeconds: 1 });
  useLocalAwsEnvironment({ dynamodb: 'http://127.0.0.1:1', sqs: messaging.sqsEndpoint, sns: messaging.endpoint });
  sqs = new SQSClient({ region: LOCAL_REGION });
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  sqs?.destroy();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await messaging?.stop();
});

const signedUp = (tenantId: string): CustomerEvent => ({
  eventId: `${tenantId}#customer.signed-up#repricer#1`,
  eventType: 'customer.signed-up',
  version: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  tenantId,
  product: 'repricer',
  trialEndsAt: null,
  customer: { customerId: tenantId, companyName: 'c', language: 'de', marketplaces: ['DE'], amazonSellerId: 'A1EXAMPLE00001', timeZone: 'Europe/Berlin' },
});

async function receiveAll(queueUrl: string) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
  );
  return Messages;
}

describe('SNS customer event publisher', () => {
  it('delivers each event raw to the subscribed queue with its eventType attribute, in batches of 10', async () => {
    const publisher = new SnsCustomerEventPublisher(new SNSClient({ region: LOCAL_REGION }), messaging.topicArns.customerEvents!);
    await publisher.publish(Array.from({ length: 12 }, (_, i) => signedUp(`t${i}`)));
    const received = [...(await receiveAll(messaging.queueUrls.csmNotifier!)), ...(await receiveAll(messaging.queueUrls.csmNotifier!))];
    expect(received).toHaveLength(12);
    expect(JSON.parse(received[0]!.Body!).eventType).toBe('customer.signed-up');
    expect(received[0]!.MessageAttributes?.eventType?.StringValue).toBe('customer.signed-up');
    for (const m of received) await sqs.send(new DeleteMessageCommand({ QueueUrl: messaging.queueUrls.csmNotifier!, ReceiptHandle: m.ReceiptHandle! }));
  });
});

describe('queue consumer', () => {
  const context = {} as Context;
  const record = (id: string, body: string) => ({
    messageId: id,
    receiptHandle: id,
    body,
    attributes: {} as never,
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-central-1:000000000000:sellerops-csm-notifier',
    awsRegion: 'eu-central-1',
  });

  it('reports only the failed records, and moves poison messages to the DLQ with their reason instead of retrying them', async () => {
    const handled: string[] = [];
    const consumer = queueConsumer({
      deadLetters: new SqsDeadLetterQueue(sqs, messaging.deadLetterQueueUrls.csmNotifier!, 'csmNotifier', 5),
      message: z.object({ n: z.number() }),
      handle: async (message) => {
        if (message.n === 2) throw new Error('transient outage');
        if (message.n === 3) throw new ValidationError('n: 3 is not allowed');
        handled.push(String(message.n));
      },
    });
    const event: SQSEvent = {
      Records: [
        record('m1', '{"n":1}'),
        record('m2', '{"n":2}'),
        record('m3', '{"n":3}'),
        record('m4', 'not json'),
        record('m5', '{"wrong":true}'),
        // The same payload wrapped in an SNS envelope (subscription without raw delivery) is understood too.
        record('m6', JSON.stringify({ Type: 'Notification', Message: '{"n":6}' })),
      ],
    };
    const response = await consumer(event, context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(handled).toEqual(['1', '6']);
    const dead = await receiveAll(messaging.deadLetterQueueUrls.csmNotifier!);
    const reasons = Object.fromEntries(dead.map((m) => [m.MessageAttributes?.sourceMessageId?.StringValue, m.MessageAttributes?.reason?.StringValue]));
    expect(reasons).toEqual({
      m3: 'n: 3 is not allowed',
      m4: 'message body is not JSON',
      m5: expect.stringContaining('message does not match its contract: n:'),
    });
  });

  it('dead-letters a message that keeps failing with its last error as the reason, before SQS redrives it without one', async () => {
    const consumer = queueConsumer({
      deadLetters: new SqsDeadLetterQueue(sqs, messaging.deadLetterQueueUrls.csmNotifier!, 'csmNotifier', 3),
      message: z.object({ n: z.number() }),
      handle: async () => {
        throw new Error('table is being restored');
      },
    });
    const delivery = (id: string, attempt: number, messageAttributes: SQSRecord['messageAttributes'] = {}) => ({
      ...record(id, '{"n":1}'),
      attributes: { ApproximateReceiveCount: String(attempt) } as SQSRecord['attributes'],
      messageAttributes,
    });
    // Delivery 1 of 3 is retried; delivery 2 is the last the consumer runs: it records why it failed.
    expect((await consumer({ Records: [delivery('f1', 1)] }, context)).batchItemFailures).toEqual([{ itemIdentifier: 'f1' }]);
    expect((await consumer({ Records: [delivery('f2', 2)] }, context)).batchItemFailures).toEqual([]);
    // Delivery 3 only happens when delivery 2 never answered (timeout, killed process): it says so.
    expect((await consumer({ Records: [delivery('f3', 3)] }, context)).batchItemFailures).toEqual([]);
    // A message redriven from the DLQ that fails again keeps the reason it had.
    const redriven = delivery('f4', 2, { reason: { dataType: 'String', stringValue: 'failed on delivery 2 of 3: Error: earlier' } });
    expect((await consumer({ Records: [redriven] }, context)).batchItemFailures).toEqual([]);
    const dead = await receiveAll(messaging.deadLetterQueueUrls.csmNotifier!);
    const byId = Object.fromEntries(
      dead.map((m) => [m.MessageAttributes?.sourceMessageId?.StringValue, [m.MessageAttributes?.reason?.StringValue, m.MessageAttributes?.previousReason?.StringValue]]),
    );
    expect(byId).toEqual({
      f2: ['failed on delivery 2 of 3: Error: table is being restored', undefined],
      f3: ['delivery 2 of 3 ended without an answer (the consumer timed out or its process died)', undefined],
      f4: ['failed on delivery 2 of 3: Error: table is being restored', 'failed on delivery 2 of 3: Error: earlier'],
    });
  });

  it('redrives a message that keeps failing to the DLQ after maxReceiveCount deliveries', async () => {
    // fauxqs enforces the wired RedrivePolicy: 5 receives, then the DLQ.
    await sqs.send(new SendMessageCommand({ QueueUrl: messaging.queueUrls.csmNotifier!, MessageBody: '{"keeps":"failing"}' }));
    for (let i = 0; i < 5; i++) {
      const got = await receiveAll(messaging.queueUrls.csmNotifier!);
      expect(got).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 1100)); // let the 1 s visibility timeout lapse without deleting
    }
    expect(await receiveAll(messaging.queueUrls.csmNotifier!)).toHaveLength(0);
    const dead = await receiveAll(messaging.deadLetterQueueUrls.csmNotifier!);
    expect(dead.map((m) => m.Body)).toContain('{"keeps":"failing"}');
  });
});
