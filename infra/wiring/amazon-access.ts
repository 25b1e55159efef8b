/** Wiring of the Amazon connection: the authorisation workflow and the profile analysis that waits for it. */
import type { DomainWiring } from './types.ts';
import { PARAMETERS } from '#shared/adapters/ssm/parameters.ts';

/**
 * What a function that calls SP-API reads: the app secret, the tenants' refresh tokens; and the kill switch. Production
 * paths: CDK grants (and tells the function) the stage's own (infra/deployment.ts stageName).
 */
export const SP_API_PARAMETERS = [PARAMETERS.spApiApp, `${PARAMETERS.tenantTokens}*`] as const;
export const KILL_SWITCH_PARAMETERS = [PARAMETERS.killSwitch] as const;

export const amazonAccess = {
  product: 'customer-success',
  queues: {
    amazonProfileAnalysis: {
      name: 'sellerops-amazon-profile-analysis',
      maxReceiveCount: 6,
      visibilityTimeoutSeconds: 360,
      redrive: { replay: 'any', why: 'the analysis is created with a conditional put (the first one stands) and reads the seller afresh' },
    },
  },
  subscriptions: [{ topic: 'customerEvents', queue: 'amazonProfileAnalysis', filterPolicy: { eventType: ['customer.signed-up', 'amazon.connected'] } }],
  functions: {
    amazonConnection: {
      entry: 'functions/amazon-connection/handler.ts',
      description:
        "SP-API website authorisation: consent URL with a signed state, the callback (LWA code exchange, encrypted token, seller binding, the seller's notification subscriptions, the report back-fill and the first stock reading queued), the connection",
      timeoutSeconds: 15,
      memoryMb: 512,
      triggers: [
        { kind: 'http', route: 'createAmazonAuthorization' },
        { kind: 'http', route: 'amazonAuthorizationCallback' },
        { kind: 'http', route: 'getAmazonConnection' },
      ],
      access: {
        tablesRead: ['core'],
        tablesWrite: ['core'],
        topicsPublish: ['customerEvents'],
        // The report back-fill (one chain per report) and the first FBA stock reading (one per marketplace) are queued
        // the moment the seller authorises.
        queuesSend: ['lostFoundReportFetches', 'repricerStockReads'],
        // The tenant's refresh token too: the callback subscribes the seller to notifications on its behalf.
        parametersRead: [...SP_API_PARAMETERS],
        parametersWrite: [`${PARAMETERS.tenantTokens}*`],
        notificationsDestination: 'repricerNotifications',
      },
    },
    amazonProfileAnalysis: {
      entry: 'functions/amazon-profile-analysis/handler.ts',
      description: 'R-O1/R-O2 once the seller authorised us: the Amazon profile of the bound seller, retried with backoff and parked with its reason',
      timeoutSeconds: 60,
      memoryMb: 512,
      triggers: [{ kind: 'sqs', queue: 'amazonProfileAnalysis', batchSize: 1, maxConcurrency: 2 }],
      access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['csmNotifications'], parametersRead: [...SP_API_PARAMETERS] },
    },
  },
} as const satisfies DomainWiring;
