import { SetSubscriptionAttributesCommand, SubscribeCommand, UnsubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CSM_PUSH_EVENT_TYPES, type PushEndpoint, type PushSubscriptions } from '#shared/csm/subscriptions.ts';

export interface SubscriptionTarget {
  readonly protocol: PushEndpoint['protocol'] | 'sqs';
  readonly endpoint: string;
}

/**
 * Staff push subscriptions on the CSM topic (R-N3). The filter policy always names the event types (all
 * known ones when the manager chose none), so an SNS policy is never empty.
 */
export class SnsPushSubscriptions implements PushSubscriptions {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
    /** Where a manager without an endpoint of their own is subscribed: the local console queue; none in AWS. */
    private readonly defaultTarget?: (staffId: string) => Promise<SubscriptionTarget>,
  ) {}

  async upsert(staffId: string, endpoint: PushEndpoint | null, filterPolicy: Record<string, string[]>, existingId: string | null): Promise<string | null> {
    const policy = JSON.stringify({ eventType: [...CSM_PUSH_EVENT_TYPES], ...filterPolicy });
    if (existingId) {
      await this.client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: existingId, AttributeName: 'FilterPolicy', AttributeValue: policy }));
      return existingId;
    }
    const target: SubscriptionTarget | undefined = endpoint ? { protocol: endpoint.protocol, endpoint: endpoint.address } : await this.defaultTarget?.(staffId);
    if (!target) return null;
    const { SubscriptionArn } = await this.client.send(
      new SubscribeCommand({
        TopicArn: this.topicArn,
        Protocol: target.protocol,
        Endpoint: target.endpoint,
        ReturnSubscriptionArn: true,
        Attributes: { FilterPolicy: policy, ...(target.protocol === 'sqs' ? { RawMessageDelivery: 'true' } : {}) },
      }),
    );
    if (!SubscriptionArn) throw new Error('SNS returned no subscription ARN');
    return SubscriptionArn;
  }

  async remove(subscriptionId: string): Promise<void> {
    await this.client.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionId }));
  }
}
