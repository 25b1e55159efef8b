import { PublishCommand, type SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import type { CsmNotification } from '#shared/csm/notifications.ts';
import type { CsmPushPublisher } from '#shared/csm/ports.ts';
import { cutText, wellFormedText } from '#shared/kernel/text.ts';
import { currentCorrelationId } from '../observability.ts';
import type { BusinessMetrics } from '#shared/kernel/metrics.ts';

/** SNS: a subject is fewer than 100 characters, without line breaks or control characters. */
export const SNS_SUBJECT_MAX = 99;

export function snsSubject(text: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters are exactly what SNS refuses in a subject
  return cutText(text.replace(/[\u0000-\u001f\u007f]+/g, ' '), SNS_SUBJECT_MAX);
}

/**
 * Pushes a CSM notification on the CSM topic. Staff subscriptions (e-mail, SMS, HTTPS, mobile push; locally
 * the console's live feed) choose what they receive with filter policies on these attributes. The payload names
 * the correlation id of the work that caused the push (also its `correlationId` attribute, added by the client).
 */
export class SnsCsmPushPublisher implements CsmPushPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
    /** Counts `CsmPushesSent` (dimension `eventType`): every CSM push of every flow is sent here. */
    private readonly metrics?: BusinessMetrics,
  ) {}

  async push(notification: CsmNotification): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {
      eventType: { DataType: 'String', StringValue: notification.eventType },
      language: { DataType: 'String', StringValue: notification.language },
      customerId: { DataType: 'String', StringValue: wellFormedText(notification.customerId) },
      product: { DataType: 'String', StringValue: notification.product },
      notificationId: { DataType: 'String', StringValue: notification.notificationId },
    };
    if (notification.csmId) attributes.csmId = { DataType: 'String', StringValue: notification.csmId };
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: snsSubject(notification.title),
        Message: JSON.stringify({ ...notification, correlationId: currentCorrelationId() }),
        MessageAttributes: attributes,
      }),
    );
    this.metrics?.count('CsmPushesSent', 1, { eventType: notification.eventType });
  }
}
