/**
 * Amazon's Notifications API (models/notifications-api-model/notifications.json) behind the
 * `NotificationSubscriptions` port: the destination is our SQS queue, created once per application and region
 * (grantless: getDestinations / createDestination), then one subscription per seller and type
 * (getSubscription / createSubscription with the seller's token). A subscription to another destination is
 * deleted (grantless deleteSubscriptionById) and made again, so a re-authorisation repairs it.
 */
import type { NotificationSubscriptions } from '#shared/amazon-access/ports.ts';
import { NOTIFICATION_PAYLOAD_VERSIONS } from '#shared/amazon-access/authorisation.ts';
import { SpApiRefusedError, type SpApiClient } from './client.ts';

const NOTIFICATIONS_SCOPE = 'sellingpartnerapi::notifications';

interface Destination {
  readonly destinationId: string;
  readonly resource?: { readonly sqs?: { readonly arn?: string } };
}

export class SpApiNotificationSubscriptions implements NotificationSubscriptions {
  /** The destination id per region, once known (destinations are per application and region, not per seller). */
  private readonly destinations = new Map<string, Promise<string>>();

  constructor(
    private readonly client: SpApiClient,
    /** ARN of our queue (SP_API_NOTIFICATIONS_DESTINATION_ARN), read when first needed. */
    private readonly queueArn: () => string,
    /** The destination's name in Amazon's console. */
    private readonly destinationName = 'sellerops-repricer-notifications',
  ) {}

  async subscribe(sellerId: string, notificationType: string): Promise<'created' | 'existing'> {
    const destinationId = await this.destination(sellerId);
    const path = `/notifications/v1/subscriptions/${encodeURIComponent(notificationType)}`;
    let existing: { subscriptionId?: string; destinationId?: string } | undefined;
    try {
      existing = ((await this.client.call(sellerId, 'getSubscription', 'GET', path)) as { payload?: { subscriptionId?: string; destinationId?: string } }).payload;
    } catch (error) {
      if (!(error instanceof SpApiRefusedError && error.status === 404)) throw error;
    }
    if (existing?.subscriptionId !== undefined) {
      if (existing.destinationId === destinationId) return 'existing';
      await this.client.callGrantless(sellerId, NOTIFICATIONS_SCOPE, 'deleteSubscriptionById', 'DELETE', `${path}/${encodeURIComponent(existing.subscriptionId)}`);
    }
    const payloadVersion = (NOTIFICATION_PAYLOAD_VERSIONS as Partial<Record<string, string>>)[notificationType] ?? '1.0';
    await this.client.call(sellerId, 'createSubscription', 'POST', path, { payloadVersion, destinationId });
    return 'created';
  }

  private async destination(sellerId: string): Promise<string> {
    const key = await this.client.regionOf(sellerId);
    let found = this.destinations.get(key);
    if (!found) {
      found = this.findOrCreateDestination(sellerId);
      found.catch(() => this.destinations.delete(key));
      this.destinations.set(key, found);
    }
    return found;
  }

  private async findOrCreateDestination(sellerId: string): Promise<string> {
    const arn = this.queueArn();
    const listed = (await this.client.callGrantless(sellerId, NOTIFICATIONS_SCOPE, 'getDestinations', 'GET', '/notifications/v1/destinations')) as { payload?: Destination[] };
    const mine = (listed.payload ?? []).find((d) => d.resource?.sqs?.arn === arn);
    if (mine) return mine.destinationId;
    const created = (await this.client.callGrantless(sellerId, NOTIFICATIONS_SCOPE, 'createDestination', 'POST', '/notifications/v1/destinations', {
      name: this.destinationName,
      resourceSpecification: { sqs: { arn } },
    })) as { payload?: Destination };
    if (!created.payload?.destinationId) throw new Error('createDestination: Amazon returned no destinationId');
    return created.payload.destinationId;
  }
}
