/** Public surface of the customers domain: the customer aggregate, contracts, the outbox, sign-up and views. */
export * from './contract-lifecycle.ts';
export * from './customer.ts';
export * from './outbox.ts';
export * from './ports.ts';
export * from './sign-up.ts';
export * from './views.ts';
export * from './acting-for.ts';
export * from './needs-assessment.ts';
