/** Wiring of Lost & Found: report uploads, the audit job, the claims API and the daily anomaly check. */
import type { DomainWiring } from './types.ts';
import { SP_API_PARAMETERS } from './amazon-access.ts';

export const lostAndFound = {
  product: 'lost-and-found',
  buckets: {
    reports: {
      name: 'sellerops-fba-reports',
      purpose: 'FBA report files per tenant (tenants/<tenantId>/reports/…), uploaded through pre-signed URLs',
      expireAfterDays: 400,
    },
  },
  queues: {
    lostFoundAudits: {
      name: 'sellerops-lost-found-audits',
      maxReceiveCount: 3,
      visibilityTimeoutSeconds: 5400,
      redrive: { replay: 'any', why: 'an audit job runs to the same claims however late (each claim once), and the customer waits for it' },
    },
    // One message per step of a customer × report fetch; above the consumer's 4 attempts at an upstream failure.
    lostFoundReportFetches: {
      name: 'sellerops-lost-found-report-fetches',
      maxReceiveCount: 6,
      visibilityTimeoutSeconds: 1800,
      redrive: { replay: 'any', why: 'a step re-reads its fetch status and is skipped as stale when the chain has moved on; a current one carries the chain on' },
    },
  },
  functions: {
    lostFoundApi: {
      entry: 'functions/lost-and-found-api/handler.ts',
      description: 'Lost & Found API: uploads and stored reports, report fetches (status, retry), audits, claims and their lifecycle, dashboard, set-up help',
      timeoutSeconds: 15,
      memoryMb: 512,
      triggers: [
        { kind: 'http', route: 'createReportUpload' },
        { kind: 'http', route: 'listReports' },
        { kind: 'http', route: 'deleteReport' },
        { kind: 'http', route: 'startAudit' },
        { kind: 'http', route: 'getAudit' },
        { kind: 'http', route: 'listClaims' },
        { kind: 'http', route: 'listClaimsForCustomer' },
        { kind: 'http', route: 'getClaim' },
        { kind: 'http', route: 'fileClaim' },
        { kind: 'http', route: 'recordClaimCase' },
        { kind: 'http', route: 'claimAction' },
        { kind: 'http', route: 'lostFoundDashboard' },
        { kind: 'http', route: 'requestSetupHelp' },
        { kind: 'http', route: 'listReportFetches' },
        { kind: 'http', route: 'retryReportFetch' },
      ],
      access: {
        tablesRead: ['core'],
        tablesWrite: ['core'],
        bucketsRead: ['reports'],
        bucketsWrite: ['reports'],
        bucketsDelete: ['reports'],
        // lostFoundReportFetches: a failed report fetch the customer retries.
        queuesSend: ['lostFoundAudits', 'lostFoundReportFetches'],
        topicsPublish: ['csmNotifications'],
      },
    },
    lostFoundAuditor: {
      entry: 'functions/lost-and-found-auditor/handler.ts',
      description: "Streams a tenant's uploaded FBA reports through the audit, records claims, reconciles reimbursements",
      // Audits of large report sets stream for minutes; the queue's visibility timeout is 6x this.
      timeoutSeconds: 900,
      // The audit is one CPU-bound thread that needs ~100 MB: memory is bought here for CPU. Lambda gives a whole
      // vCPU at 1,769 MB (less below), which is the "one core" the ≥ 1 M ledger rows/s figure is measured on.
      memoryMb: 1769,
      // The audit keeps 35–60 MB alive per pass whatever the seller's size; without a limit V8 sizes its heap from
      // the machine's memory, not from what the audit needs, and lets the garbage of finished SKU partitions pile
      // up first: peak RSS then grows with the report bytes. The young generation is bounded too: Node 24 grows it
      // up to 3 × 64 MB outside the old-space limit, and the benchmark's 4× set (7 partitions) then peaked at 287 MB.
      // With both (`npm run bench -- lost-and-found`, which runs the audit with these options on Node 24): 1× 134 –
      // 137 MB, 4× 147 – 150 MB, with no loss of speed; the other 1.5 GB is room for what lives outside the heap (read
      // and scratch buffers, S3 streams, gunzip).
      maxOldSpaceMb: 256,
      maxSemiSpaceMb: 8,
      // Reports above one pass (PARTITION_REPORT_BYTES) spill the lines of later SKU partitions to /tmp: about a
      // quarter of the report bytes (288 MB for 1 GB of reports in the benchmark), so 10 GB covers ~35 GB of reports.
      ephemeralStorageMb: 10_240,
      triggers: [{ kind: 'sqs', queue: 'lostFoundAudits', batchSize: 1 }],
      canary: { why: 'It finds the claims customers are paid by: a bad release would miss or invent money.' },
      access: { tablesRead: ['core'], tablesWrite: ['core'], bucketsRead: ['reports'] },
    },
    lostFoundReportFetch: {
      entry: 'functions/lost-and-found-report-fetch/handler.ts',
      description: 'Daily: one report fetch chain per Lost & Found customer × report on the fetch queue (back-fill on a new authorisation)',
      timeoutSeconds: 300,
      memoryMb: 256,
      triggers: [{ kind: 'schedule', schedule: 'lost-found-report-fetch', rateMinutes: 1440, description: 'Daily FBA report fetch' }],
      access: { tablesRead: ['core'], tablesWrite: ['core'], queuesSend: ['lostFoundReportFetches'] },
    },
    lostFoundReportFetcher: {
      entry: 'functions/lost-and-found-report-fetcher/handler.ts',
      description: "One step of a report fetch: createReport / getReport / getReports / getReportDocument or the Inbound API, documents streamed to the tenant's folder (the All Listings report imported into the repricer's listings); the last step of a run queues the audit",
      // A step is a few SP-API calls and one streamed document (a big ledger month: a few hundred MB at S3's pace).
      timeoutSeconds: 300,
      memoryMb: 512,
      // Bound by the sellers' Reports API quotas (createReport: 1 a minute, burst 15), shared by all containers.
      triggers: [{ kind: 'sqs', queue: 'lostFoundReportFetches', batchSize: 1, maxConcurrency: 5 }],
      access: {
        // repricer: the All Listings report is imported into the repricer's listings (reads its offers).
        tablesRead: ['core', 'repricer'],
        tablesWrite: ['core', 'repricer'],
        bucketsWrite: ['reports'],
        queuesSend: ['lostFoundReportFetches', 'lostFoundAudits'],
        topicsPublish: ['csmNotifications'],
        parametersRead: [...SP_API_PARAMETERS],
      },
    },
    lostFoundDailyCheck: {
      entry: 'functions/lost-and-found-daily-check/handler.ts',
      description: 'R-L4: expiring unfiled claims and damage bursts → one CSM task and push per customer, kind and week',
      timeoutSeconds: 300,
      memoryMb: 512,
      triggers: [{ kind: 'schedule', schedule: 'lost-found-daily-check', rateMinutes: 1440, description: 'Daily Lost & Found anomaly check' }],
      access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['csmNotifications'] },
    },
  },
} as const satisfies DomainWiring;
