/** Lost & Found, the pure core: audit, claims lifecycle, dashboard, anomalies. No AWS, no process, no console. */
export * from './model.ts';
export * from './report-types.ts';
export * from './rules.ts';
export * from './audit.ts';
export * from './report-period.ts';
export * from './lifecycle.ts';
export * from './case-text.ts';
export * from './ports.ts';
export * from './dashboard.ts';
export * from './anomaly.ts';
export * from './use-cases.ts';
export * from './claim-types/index.ts';
export * from './report-fetch.ts';
export * from './evidence-detail.ts';
