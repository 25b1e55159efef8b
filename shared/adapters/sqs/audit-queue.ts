import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AuditQueue } from '#shared/lost-and-found/ports.ts';

/** The audit job message, versioned like every message contract. */
export class SqsAuditQueue implements AuditQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: { customerId: string; auditId: string; asOf: string }): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify({ version: 1, ...message }) }));
  }
}
