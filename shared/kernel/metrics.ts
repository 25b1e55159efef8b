/**
 * Business metrics: what the core counts as it works (sign-ups, pushes, decisions, claims…). The names are the
 * CloudWatch metric names (namespace `sellerops`, see README "Observability"); the adapter is Powertools Metrics
 * (EMF in the function's log), the local stack keeps the counts in memory (`GET /_local/metrics`).
 */

/** Metrics that count things (unit Count). */
export const COUNT_METRICS = [
  'SignUps',
  'CsmPushesSent',
  'TasksCreated',
  'RepricerDecisions',
  'PricesPushed',
  'PricePushesFailed',
  'SpApiCalls',
  'SpApiThrottled',
  'SpApiServerErrors',
  'ClaimsFound',
  'ClaimsFiled',
  'ClaimsPaid',
  'AuditsRun',
  'SurveyCallsPlanned',
] as const;
export type CountMetric = (typeof COUNT_METRICS)[number];

/** Metrics that measure an amount, with their CloudWatch unit; money in minor units, dimension `currency`. */
export const VALUE_METRICS = {
  ClaimsFoundValue: 'None',
  ClaimsPaidValue: 'None',
  AuditRowsPerSecond: 'Count/Second',
} as const;
export type ValueMetric = keyof typeof VALUE_METRICS;

/**
 * What the CDK alarms and dashboards (infra/stacks/operations-stack.ts) read, named once here beside the emitters'
 * names so a renamed metric breaks the type check instead of silently emptying a graph or an alarm.
 * - The namespace is not set in code: Powertools reads `POWERTOOLS_METRICS_NAMESPACE`, which the CDK sets per stage
 *   (`sellerops` in prod, `sellerops-dev` in dev), so two stages in one account never add into each other's series.
 * - Every metric goes out with Powertools' `service` dimension alone (the series the alarms read); a metric counted
 *   with dimensions of its own (an SP-API `operation`, a `currency`) also goes out as a second data point with them
 *   (the breakdown the dashboards search). The adapter (shared/adapters/business-metrics.ts) keeps this rule.
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
  surveyCalls: 'SurveyCallsPlanned',
  // Repricer
  decisions: 'RepricerDecisions',
  pricesPushed: 'PricesPushed',
  pushesFailed: 'PricePushesFailed',
  // Amazon (SP-API), per call: every call, the ones Amazon throttled (HTTP 429) and its server errors (5xx)
  spApiCalls: 'SpApiCalls',
  spApi429: 'SpApiThrottled',
  spApi5xx: 'SpApiServerErrors',
  // Lost & Found
  claimsFound: 'ClaimsFound',
  claimsFoundValue: 'ClaimsFoundValue',
  claimsFiled: 'ClaimsFiled',
  claimsPaid: 'ClaimsPaid',
  claimsPaidValue: 'ClaimsPaidValue',
  auditsRun: 'AuditsRun',
  auditRowsPerSecond: 'AuditRowsPerSecond',
} as const satisfies Record<string, CountMetric | ValueMetric>;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/** At most a few low-cardinality dimensions (`operation`, `product`, `currency`…): never a tenant or an id. */
export type MetricDimensions = Readonly<Record<string, string>>;

export interface BusinessMetrics {
  count(name: CountMetric, by?: number, dimensions?: MetricDimensions): void;
  measure(name: ValueMetric, value: number, dimensions?: MetricDimensions): void;
}
