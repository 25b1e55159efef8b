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

/** At most a few low-cardinality dimensions (`operation`, `product`, `currency`…): never a tenant or an id. */
export type MetricDimensions = Readonly<Record<string, string>>;

export interface BusinessMetrics {
  count(name: CountMetric, by?: number, dimensions?: MetricDimensions): void;
  measure(name: ValueMetric, value: number, dimensions?: MetricDimensions): void;
}
