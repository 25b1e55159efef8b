/**
 * A queue's DLQ as the queue consumer uses it: the poison message, its reason and where it came from. A message that
 * was redriven from the DLQ and fails again keeps the reason it had before as `previousReason`.
 */
import { cutText } from '#shared/kernel/text.ts';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

export interface DeadLetterQueue {
  /** The source queue's redrive `maxReceiveCount`: the consumer dead-letters by itself, with a reason, before SQS would. */
  readonly maxReceiveCount: number;
  send(record: SQSRecord, reason: string): Promise<void>;
}

export class SqsDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly url: string,
    /** Wiring id of the queue whose DLQ this is (kept on the message as `sourceQueue`). */
    private readonly sourceQueue: string,
    readonly maxReceiveCount: number,
  ) {}

  async send(record: SQSRecord, reason: string): Promise<void> {
    const previousReason = record.messageAttributes.reason?.stringValue;
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.url,
        MessageBody: record.body,
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: cutText(reason, 1000) },
          sourceMessageId: { DataType: 'String', StringValue: record.messageId },
          sourceQueue: { DataType: 'String', StringValue: this.sourceQueue },
          ...(previousReason ? { previousReason: { DataType: 'String', StringValue: cutText(previousReason, 1000) } } : {}),
        },
      }),
    );
  }
}
