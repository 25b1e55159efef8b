/** Public surface of onboarding: profile analysis, strategy recommendation, appointments, trial end, the CSM notifier's use case. */
export * from './appointments.ts';
export * from './customer-event-handling.ts';
export * from './onboarding.ts';
export * from './ports.ts';
export * from './profile.ts';
export * from './recommendation-reasons.ts';
export * from './profile-analysis.ts';
export * from './views.ts';
export * from './trial-outcome.ts';
export * from './reconsultation-request.ts';
