/**
 * A queue's DLQ as the queue consumer uses it: the poison message, its reason and where it came from. A message that
 * was redriven from the DLQ and fails again keeps the reason it had before as `previousReason`, and when it was first
 * sent to the source queue as `sourceSentTimestamp` (what `sellerops dlq redrive` measures a message's age by).
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
    // A replayed message is a new message to SQS: its first sending is the one the earlier DLQ trip recorded.
    const firstSent = record.messageAttributes.sourceSentTimestamp?.stringValue ?? record.attributes.SentTimestamp;
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.url,
        MessageBody: record.body,
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: cutText(reason, 1000) },
          sourceMessageId: { DataType: 'String', StringValue: record.messageId },
          sourceQueue: { DataType: 'String', StringValue: this.sourceQueue },
          ...numberAttribute('sourceSentTimestamp', firstSent),
          ...numberAttribute('sourceReceiveCount', record.attributes.ApproximateReceiveCount),
          ...(previousReason ? { previousReason: { DataType: 'String', StringValue: cutText(previousReason, 1000) } } : {}),
        },
      }),
    );
  }
}

/** SQS refuses a Number attribute that is not a number: one a record lacks is left out. */
function numberAttribute(name: string, value: string | undefined): Record<string, { DataType: 'Number'; StringValue: string }> {
  return value !== undefined && /^\d+$/.test(value) ? { [name]: { DataType: 'Number', StringValue: value } } : {};
}
