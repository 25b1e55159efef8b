/** Public surface of customer service: quarterly surveys, support requests, product feedback, task outcomes. */
export * from './feedback.ts';
export * from './support.ts';
export * from './surveys.ts';
export * from './customer-surveys.ts';
export * from './task-outcomes.ts';
export * from './root-cause-lifecycle.ts';
