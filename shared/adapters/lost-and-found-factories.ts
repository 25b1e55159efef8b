/** Adapters of the Lost & Found ports (see factories.ts for the pattern). */
import { DynamoClaimRepository } from './dynamodb/claim-repository.ts';
import { DynamoLostFoundStore } from './dynamodb/lost-found-store.ts';
import { S3ReportStore } from './s3/report-store.ts';
import { SqsAuditQueue } from './sqs/audit-queue.ts';
import { CsmTaskBridge } from './csm-task-bridge.ts';
import { adapters } from './factories.ts';
import { resourceNames } from './environment.ts';
import { localAdapters, runtime } from './runtime.ts';
import { AssistedCaseFiling } from './case-filing/assisted-case-filing.ts';
import type { CaseFilingPort, AmazonReportSource } from '../lost-and-found/ports.ts';
import { DynamoActiveCustomers } from './dynamodb/active-customers.ts';
import { SpApiClient } from './sp-api/client.ts';
import { credentialsFromSsm, spApiEndpoint } from './sp-api/credentials.ts';
import { SpApiReports } from './sp-api/reports.ts';

const assisted = new AssistedCaseFiling();

export const lostAndFoundAdapters = {
  claims: () => new DynamoClaimRepository(runtime.dynamo(), resourceNames.table('core')),
  store: () => new DynamoLostFoundStore(runtime.dynamo(), resourceNames.table('core')),
  reports: () => new S3ReportStore(runtime.s3(), resourceNames.bucket('reports')),
  auditQueue: () => new SqsAuditQueue(runtime.sqs(), resourceNames.queueUrl('lostFoundAudits')),
  /** Amazon has no case API: assisted filing in AWS, the simulated Seller Support locally. */
  caseFiling: (): CaseFilingPort => ({ fileCase: (request) => (localAdapters.caseFiling ?? assisted).fileCase(request) }),
  activeCustomers: () => new DynamoActiveCustomers(runtime.dynamo(), resourceNames.table('core')),
  /** Amazon's reports: simulated locally, SP-API when the deployment is connected (-c amazon=sp-api), else none. */
  amazonReports: (): AmazonReportSource | undefined =>
    localAdapters.amazonReports ??
    (process.env.SELLEROPS_AMAZON === 'sp-api' ? new SpApiReports(new SpApiClient({ endpoint: spApiEndpoint(), credentials: credentialsFromSsm })) : undefined),
  csmBridge: () =>
    new CsmTaskBridge({
      customers: adapters.customerRepository(),
      tasks: adapters.taskRepository(),
      notifications: adapters.csmNotificationStore(),
      push: adapters.csmPushPublisher(),
      clock: { now: () => runtime.clock().now() },
    }),
};
