/**
 * The business metrics' names: one module the code that emits them (Powertools Metrics in the functions) and the
 * code that reads them (the CDK alarms and dashboards in infra/) both import, so a renamed metric breaks the
 * type check instead of silently emptying a graph or an alarm.
 *
 * Conventions the readers rely on:
 * - The namespace is not set in code: Powertools reads `POWERTOOLS_METRICS_NAMESPACE`, which the CDK sets per stage
 *   (`sellerops` in prod, `sellerops-dev` in dev), so two stages in one account never add into each other's series.
 * - Every metric carries Powertools' default `service` dimension (`POWERTOOLS_SERVICE_NAME`, `sellerops`) and nothing
 *   else; a breakdown (e.g. per SP-API operation) is emitted as a second data point of the same metric with one more
 *   dimension, `operation` (`METRIC_DIMENSIONS.operation`). The alarms read the service-only series, the
 *   dashboards search the breakdown.
 * - Counts use unit Count; values of money are integer minor units (unit None) summed per currency
 *   (dimension `currency`, breakdown only).
 */
export const METRIC_SERVICE = 'sellerops';

export const METRIC_DIMENSIONS = {
  service: 'service',
  operation: 'operation',
  currency: 'currency',
} as const;

export const METRIC_NAMES = {
  // Customer Success / platform
  signUps: 'SignUps',
  csmPushesSent: 'CsmPushesSent',
  tasksCreated: 'TasksCreated',
  surveyCalls: 'SurveyCalls',
  // Repricer
  decisions: 'RepricerDecisions',
  pricesPushed: 'PricesPushed',
  pushesFailed: 'PushesFailed',
  // Amazon (SP-API), per call: every call, the ones Amazon throttled (HTTP 429) and its server errors (5xx)
  spApiCalls: 'SpApiCalls',
  spApi429: 'SpApi429',
  spApi5xx: 'SpApi5xx',
  // Lost & Found
  claimsFound: 'ClaimsFound',
  claimsFoundValue: 'ClaimsFoundValue',
  claimsFiled: 'ClaimsFiled',
  claimsPaid: 'ClaimsPaid',
  claimsPaidValue: 'ClaimsPaidValue',
  auditsRun: 'AuditsRun',
  auditRowsPerSecond: 'AuditRowsPerSecond',
} as const;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];
