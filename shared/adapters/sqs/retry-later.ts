/**
 * Delays a record's next delivery (ChangeMessageVisibility on its receipt handle): how a queue consumer backs
 * off from an upstream that keeps failing instead of hammering it at the queue's visibility timeout.
 */
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

export interface RetryLater {
  delay(record: SQSRecord, seconds: number): Promise<void>;
}

export class SqsRetryLater implements RetryLater {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async delay(record: SQSRecord, seconds: number): Promise<void> {
    await this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
  }
}
