/**
 * Later deliveries of a record on its own queue: `delay` (ChangeMessageVisibility on its receipt handle) is how a
 * queue consumer backs off from an upstream that keeps failing instead of hammering it at the queue's visibility
 * timeout; `requeue` sends the record again with a message delay (at most 15 minutes), a new message whose
 * deliveries start again from one: how a unit of work waits for SP-API quota without sleeping or spending attempts.
 */
import { ChangeMessageVisibilityCommand, SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { MAX_QUEUE_DELAY_SECONDS } from '#shared/kernel/upstream.ts';

export interface RetryLater {
  delay(record: SQSRecord, seconds: number): Promise<void>;
  /** The record's body and string attributes as a new message, delivered after `seconds` (0–900). */
  requeue(record: SQSRecord, seconds: number): Promise<void>;
}

export class SqsRetryLater implements RetryLater {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async delay(record: SQSRecord, seconds: number): Promise<void> {
    await this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
  }

  async requeue(record: SQSRecord, seconds: number): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(record.messageAttributes)) {
      if (value.stringValue !== undefined) attributes[name] = { DataType: value.dataType, StringValue: value.stringValue };
    }
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: record.body,
        DelaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.round(seconds))),
        ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
      }),
    );
  }
}
