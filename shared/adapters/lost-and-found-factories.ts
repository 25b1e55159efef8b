/** Builders of the Lost & Found adapters for a composition root (see factories.ts for the pattern). */
import { DynamoClaimRepository } from './dynamodb/claim-repository.ts';
import { DynamoLostFoundStore } from './dynamodb/lost-found-store.ts';
import { DynamoActiveCustomers } from './dynamodb/active-customers.ts';
import { S3ReportStore } from './s3/report-store.ts';
import { SqsAuditQueue } from './sqs/audit-queue.ts';
import { CsmTaskBridge } from './csm-task-bridge.ts';
import { coreAdapters } from './factories.ts';
import type { DepsOverrides, Environment } from './composition.ts';
import { SpApiClient } from './sp-api/client.ts';
import { amazonAccessAdapters } from './amazon-access-factories.ts';
import { SpApiReports } from './sp-api/reports.ts';
import { AssistedCaseFiling } from './case-filing/assisted-case-filing.ts';
import type { CaseFilingPort } from '#shared/lost-and-found/ports.ts';
import type { AmazonReportsApi } from '#shared/lost-and-found/ports.ts';
import { SqsReportFetchQueue } from './sqs/report-fetch-queue.ts';
import { DynamoImportedListingStore } from './dynamodb/imported-listing-store.ts';
import { DynamoRepricerStore } from './dynamodb/repricer-store.ts';
import { RepricerListingsImporter } from './listings-report-importer.ts';
import { RepricerSalesImporter } from './sales-report-importer.ts';
import { DynamoSalesStore } from './dynamodb/sales-store.ts';
import { DynamoStockStore } from './dynamodb/stock-store.ts';

export function lostAndFoundAdapters(env: Environment, overrides: DepsOverrides = {}) {
  const core = coreAdapters(env, overrides);
  const { aws, names, clock } = core;
  return {
    ...core,
    claims: () => new DynamoClaimRepository(aws.dynamo(), names.table('core')),
    store: () => new DynamoLostFoundStore(aws.dynamo(), names.table('core')),
    reports: () => new S3ReportStore(aws.s3(), names.bucket('reports')),
    /** The report fetch status per customer × report (core table, beside the audit jobs). */
    fetchStatuses: () => new DynamoLostFoundStore(aws.dynamo(), names.table('core')),
    reportFetchQueue: () => new SqsReportFetchQueue(aws.sqs(), names.queueUrl('lostFoundReportFetches')),
    /** The daily fetch's All Listings report → the repricer's imported listings (repricer table). */
    listingsImporter: () =>
      new RepricerListingsImporter({
        listings: new DynamoImportedListingStore(aws.dynamo(), names.table('repricer')),
        offers: new DynamoRepricerStore(aws.dynamo(), names.table('repricer')),
        // issue 21 stock: the report's merchant-fulfilled quantities are the stock of those offers.
        stock: new DynamoStockStore(aws.dynamo(), names.table('repricer')),
      }),
    /** The daily fetch's all-orders report → the repricer's units sold per day (repricer table; issue 21 sales). */
    salesImporter: () => new RepricerSalesImporter(new DynamoSalesStore(aws.dynamo(), names.table('repricer'))),
    auditQueue: () => new SqsAuditQueue(aws.sqs(), names.queueUrl('lostFoundAudits')),
    activeCustomers: () => new DynamoActiveCustomers(aws.dynamo(), names.table('core')),
    /** Amazon has no case API: assisted filing in AWS, the simulated Seller Support locally. */
    caseFiling: (): CaseFilingPort => overrides.caseFiling ?? new AssistedCaseFiling(),
    /** Amazon's reports: simulated locally, SP-API when the deployment is connected (-c amazon=sp-api), else none. */
    amazonReports: (): AmazonReportsApi | undefined =>
      overrides.amazonReports ??
      (env.SELLEROPS_AMAZON === 'sp-api'
        ? new SpApiReports(new SpApiClient(amazonAccessAdapters(env, { ...overrides, aws, clock }).spApiClientOptions()))
        : undefined),
    csmBridge: () =>
      new CsmTaskBridge({
        customers: core.customerRepository(),
        tasks: core.taskRepository(),
        notifications: core.csmNotificationStore(),
        push: core.csmPushPublisher(),
        clock: core.clock,
      }),
  };
}
