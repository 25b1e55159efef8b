import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { RootCauseMessage } from '#shared/service/feedback.ts';
import type { RootCauseStatusMessage } from '#shared/service/root-cause-lifecycle.ts';
import type { ProductFeedbackPublisher } from '#shared/service/ports.ts';
import { snsSubject } from './csm-push-publisher.ts';

/**
 * Publishes new and growing root causes on the `product-feedback` topic. Product development subscribes
 * with filter policies on `productArea`, `severity` and `kind`; `rootCauseId` + `level` identify a
 * publication, so a subscriber drops the rare repeat (a crash between SNS accepting it and the confirmation).
 */
export class SnsProductFeedbackPublisher implements ProductFeedbackPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(message: RootCauseMessage): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: snsSubject(`${message.kind === 'root-cause.new' ? 'New' : 'Growing'} root cause (${message.productArea}, ${message.customers} customers)`),
        Message: JSON.stringify(message),
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: message.kind },
          productArea: { DataType: 'String', StringValue: message.productArea },
          severity: { DataType: 'String', StringValue: message.maxSeverity },
          rootCauseId: { DataType: 'String', StringValue: message.rootCauseId },
          level: { DataType: 'Number', StringValue: String(message.level) },
          messageVersion: { DataType: 'Number', StringValue: String(message.version) },
        },
      }),
    );
  }

  /** A lifecycle step (`kind` root-cause.status-changed, attribute `status`); `rootCauseId` + `status` identify it. */
  async publishStatus(message: RootCauseStatusMessage): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: snsSubject(`Root cause ${message.status} (${message.productArea}, ${message.customers} customers)`),
        Message: JSON.stringify(message),
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: message.kind },
          productArea: { DataType: 'String', StringValue: message.productArea },
          status: { DataType: 'String', StringValue: message.status },
          rootCauseId: { DataType: 'String', StringValue: message.rootCauseId },
          messageVersion: { DataType: 'Number', StringValue: String(message.version) },
        },
      }),
    );
  }
}
