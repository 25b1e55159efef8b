/** `amazon.connected` on the customer-events topic (attribute eventType), for the profile analysis consumer. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AmazonConnectionEvents } from '#shared/amazon-access/ports.ts';
import type { AmazonConnectedV1 } from '#shared/contracts/amazon-events.ts';
import { stableId } from '#shared/kernel/ids.ts';

export class SnsAmazonConnectionEvents implements AmazonConnectionEvents {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async connected(event: { tenantId: string; sellerId: string; region: 'na' | 'eu' | 'fe'; occurredAt: string }): Promise<void> {
    const message: AmazonConnectedV1 = {
      eventType: 'amazon.connected',
      version: 1,
      eventId: stableId('evt', `amazon.connected#${event.tenantId}#${event.sellerId}#${event.occurredAt}`),
      ...event,
    };
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(message),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: message.eventType },
          eventVersion: { DataType: 'Number', StringValue: '1' },
          tenantId: { DataType: 'String', StringValue: message.tenantId },
        },
      }),
    );
  }
}
