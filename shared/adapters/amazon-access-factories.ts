/**
 * Builders of the Amazon access adapters for a composition root (see factories.ts for the pattern): the
 * connection store and the shared quota limiter in the core table, refresh tokens in SSM SecureStrings (the
 * local stack's encrypted vault locally), the app secret from SSM, Login with Amazon, the kill switch, and the
 * SP-API client options every Amazon adapter is built with (seller credentials from the binding, the shared
 * limiter, revocation handling).
 */
import { markRevoked, type AmazonSource } from '#shared/amazon-access/authorisation.ts';
import type { AmazonApplication, LoginWithAmazon, NotificationSubscriptions, PushKillSwitch, RefreshTokenVault, StateSigner } from '#shared/amazon-access/ports.ts';
import { sellerCentralConsentPage } from '#shared/amazon-access/regions.ts';
import { baseAdapters, type DepsOverrides, type Environment } from './composition.ts';
import { CsmRevocationAlerts } from './csm-revocation-alerts.ts';
import { DynamoAmazonConnectionStore } from './dynamodb/amazon-connection-store.ts';
import { DynamoAnalysisStatusStore } from './dynamodb/analysis-status-store.ts';
import { DynamoCsmNotificationStore } from './dynamodb/csm-notification-store.ts';
import { DynamoCustomerRepository } from './dynamodb/customer-repository.ts';
import { DynamoQuotaLimiter } from './dynamodb/quota-limiter.ts';
import { DynamoTaskRepository } from './dynamodb/task-repository.ts';
import { envNames, requireEnv } from './environment.ts';
import { HmacStateSigner } from './hmac-state-signer.ts';
import { logger } from './observability.ts';
import { SnsAmazonConnectionEvents } from './sns/amazon-connection-events.ts';
import { SnsCsmPushPublisher } from './sns/csm-push-publisher.ts';
import { SpApiClient, type SpApiClientOptions } from './sp-api/client.ts';
import { SpApiNotificationSubscriptions } from './sp-api/notification-subscriptions.ts';
import { appSecretFromSsm, sellerCredentials, type AmazonAppSecret } from './sp-api/credentials.ts';
import { LwaAuthorizationCodeGrant } from './sp-api/login-with-amazon.ts';
import { SsmPushKillSwitch } from './ssm/push-kill-switch.ts';
import { SsmRefreshTokenVault } from './ssm/refresh-token-vault.ts';
import { parameterPath, type ParameterId } from './ssm/parameters.ts';

export function amazonAccessAdapters(env: Environment, overrides: DepsOverrides = {}) {
  const base = baseAdapters(env, overrides);
  const { aws, names, clock } = base;
  const core = () => names.table('core');
  /** The stage's path of a parameter: asked only when an SSM adapter is made (the local stack makes none). */
  const parameter = (id: ParameterId) => parameterPath(requireEnv(env, envNames.parameterRoot), id);
  let ssmAppSecret: (() => Promise<AmazonAppSecret>) | undefined;
  /** The app secret: the simulated app locally, SSM in AWS (re-read every 5 minutes: a rotated secret needs no deploy). */
  const appSecret = async (): Promise<AmazonAppSecret> => overrides.amazonApp ?? (ssmAppSecret ??= appSecretFromSsm(aws.ssm(), parameter('spApiApp')))();
  let limiter: DynamoQuotaLimiter | undefined;
  const adapters = {
    ...base,
    connections: () => new DynamoAmazonConnectionStore(aws.dynamo(), core()),
    /** The seller a tenant authorised on Amazon: never the one typed at sign-up; undefined while not connected (or revoked). */
    authorisedSellerOf: () => {
      const connections = new DynamoAmazonConnectionStore(aws.dynamo(), core());
      return async (tenantId: string): Promise<string | undefined> => {
        const c = await connections.getConnection(tenantId);
        return c?.status === 'authorised' && c.sellerId ? c.sellerId : undefined;
      };
    },
    analysisStatuses: () => new DynamoAnalysisStatusStore(aws.dynamo(), core()),
    /** Whose data the views show: the simulated Amazon unless this deployment is connected to SP-API. */
    source: (): AmazonSource => (overrides.amazonApp || env.SELLEROPS_AMAZON !== 'sp-api' ? 'simulated' : 'amazon'),
    application: async (): Promise<AmazonApplication> => {
      const app = await appSecret();
      const local = overrides.amazonApp;
      return { applicationId: app.applicationId, draft: app.draft, consentPage: (marketplace) => (local ? local.consentPage : sellerCentralConsentPage(marketplace)) };
    },
    signer: (): StateSigner => new HmacStateSigner(async () => (await appSecret()).stateSecret),
    /** Only the authorisation callback writes (it alone has the data key's ARN); the others read. */
    vault: (): RefreshTokenVault => overrides.refreshTokenVault ?? new SsmRefreshTokenVault(aws.ssm(), parameter('tenantTokens'), () => requireEnv(env, 'DATA_KEY_ARN')),
    lwa: (): LoginWithAmazon => overrides.amazonLogin ?? new LwaAuthorizationCodeGrant(appSecret),
    events: () => new SnsAmazonConnectionEvents(aws.sns(), names.topicArn('customerEvents')),
    revocationAlerts: () =>
      new CsmRevocationAlerts({
        customers: new DynamoCustomerRepository(aws.dynamo(), core()),
        tasks: new DynamoTaskRepository(aws.dynamo(), core()),
        notifications: new DynamoCsmNotificationStore(aws.dynamo(), core()),
        push: new SnsCsmPushPublisher(aws.sns(), names.topicArn('csmNotifications')),
        clock,
      }),
    /** One limiter per root on the shared table: every container's calls draw on the same buckets. */
    limiter: () => (limiter ??= new DynamoQuotaLimiter(aws.dynamo(), core())),
    killSwitch: (): PushKillSwitch => overrides.pushKillSwitch ?? new SsmPushKillSwitch(aws.ssm(), parameter('killSwitch')),
    /** The sellers' notification subscriptions: Amazon's Notifications API, or the simulated Seller Central's record. */
    subscriptions: (): NotificationSubscriptions =>
      overrides.notificationSubscriptions ??
      new SpApiNotificationSubscriptions(new SpApiClient(adapters.spApiClientOptions()), () => requireEnv(env, envNames.notificationsDestinationArn)),
    /** Marks a seller's connection revoked and alerts its manager (what Login with Amazon's invalid_grant means). */
    revoke: async (sellerId: string) => {
      await markRevoked({ connections: adapters.connections(), alerts: adapters.revocationAlerts(), now: () => clock.now() }, sellerId, 'Login with Amazon: invalid_grant');
    },
    /** What every SP-API adapter is built with: seller credentials from the binding, the shared limiter, revocation. */
    spApiClientOptions: (): SpApiClientOptions => ({
      credentials: sellerCredentials({ connections: adapters.connections(), vault: adapters.vault(), app: appSecret }),
      limiter: adapters.limiter(),
      onRevoked: adapters.revoke,
      log: (message, fields) => logger.warn(message, fields),
      metrics: base.metrics,
    }),
  };
  return adapters;
}
