import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { CustomerEvent } from '#shared/contracts/customer-events.ts';
import type { CustomerEventPublisher } from '#shared/customers/ports.ts';

/** Publishes customer events on the customer-events topic, 10 per request, with `eventType` for filter policies. */
export class SnsCustomerEventPublisher implements CustomerEventPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(events: readonly CustomerEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 10) {
      const batch = events.slice(i, i + 10);
      const result = await this.client.send(
        new PublishBatchCommand({
          TopicArn: this.topicArn,
          PublishBatchRequestEntries: batch.map((event, index) => ({
            Id: String(index),
            Message: JSON.stringify(event),
            MessageAttributes: {
              eventType: { DataType: 'String', StringValue: event.eventType },
              eventVersion: { DataType: 'Number', StringValue: String(event.version) },
              tenantId: { DataType: 'String', StringValue: event.tenantId },
            },
          })),
        }),
      );
      if (result.Failed && result.Failed.length > 0) {
        throw new Error(`SNS refused ${result.Failed.length} event(s): ${result.Failed.map((f) => f.Code).join(', ')}`);
      }
    }
  }
}
