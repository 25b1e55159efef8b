import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { CustomerEvent } from '#shared/contracts/customer-events.ts';
import type { CustomerEventPublisher } from '#shared/customers/ports.ts';
import { CORRELATION_ATTRIBUTE, currentCorrelationId } from '../observability.ts';

/**
 * Publishes customer events on the customer-events topic, 10 per request, with `eventType` for filter policies. Each
 * event goes out under the correlation id it was written with (its envelope's `correlationId`, stamped by the
 * repository when the outbox row was written), so one the relay publishes later still continues its request's work.
 */
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
          PublishBatchRequestEntries: batch.map((event, index) => {
            const correlationId = event.correlationId ?? currentCorrelationId();
            return {
              Id: String(index),
              Message: JSON.stringify(correlationId ? { ...event, correlationId } : event),
              MessageAttributes: {
                ...(correlationId ? { [CORRELATION_ATTRIBUTE]: { DataType: 'String', StringValue: correlationId } } : {}),
                eventType: { DataType: 'String', StringValue: event.eventType },
                eventVersion: { DataType: 'Number', StringValue: String(event.version) },
                tenantId: { DataType: 'String', StringValue: event.tenantId },
              },
            };
          }),
        }),
      );
      if (result.Failed && result.Failed.length > 0) {
        throw new Error(`SNS refused ${result.Failed.length} event(s): ${result.Failed.map((f) => f.Code).join(', ')}`);
      }
    }
  }
}
