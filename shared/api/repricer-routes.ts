/** HTTP routes of the repricer's customer API (every route is tenant-scoped: the tenant comes from the token). */
import * as z from 'zod';
import type { HttpRoute } from './routes.ts';
import { MAX_SIMULATION_OFFERS, MAX_WHAT_IF_DAYS } from '#shared/repricer/what-if.ts';

const skuPath = z.strictObject({ sku: z.string().min(1).max(200) });
const offerMatch = {
  marketplaceId: z.string().min(1).max(40).optional(),
  audience: z.enum(['B2C', 'B2B']).optional(),
};

export const repricerRulesUploadSchema = z.strictObject({
  sellerId: z.string().regex(/^[A-Z0-9]{8,20}$/, 'an Amazon seller id'),
  offers: z.array(z.unknown()).min(1).max(10_000),
});
const rulesJobPath = z.strictObject({ jobId: z.string().regex(/^rules-[a-z0-9-]{1,60}$/) });
export const repricerCsvUploadSchema = z.strictObject({
  sellerId: z.string().regex(/^[A-Z0-9]{8,20}$/, 'an Amazon seller id'),
  csv: z.string().min(1).max(5_000_000),
});
export const repricerStrategySchema = z.strictObject({
  strategy: z.enum(['buybox', 'push', 'fixed']),
  fixedPrice: z.string().optional(),
  push: z.strictObject({ targetUnits: z.number().positive(), periodDays: z.number().positive().optional(), tolerancePercent: z.number().min(0).max(100).optional(), keepBuyBox: z.boolean().optional() }).optional(),
  ...offerMatch,
});
/** A strategy chosen with the customer in a consultation; `note` goes into the price history's reason. */
export const repricerStrategyForCustomerSchema = z.strictObject({ strategy: z.enum(['buybox', 'push', 'fixed']), note: z.string().trim().min(1).max(300).optional() });
export const repricerOfferMatchSchema = z.strictObject(offerMatch);
export const repricerSettingsSchema = z
  .strictObject({ dryRun: z.boolean().optional(), paused: z.boolean().optional() })
  .refine((b) => b.dryRun !== undefined || b.paused !== undefined, { error: 'give dryRun or paused' });
export const repricerHistoryQuerySchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  format: z.enum(['json', 'csv']).default('json'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

// issue 21 whatif: the what-if of the customer's rules against its recorded market history.
export const repricerSimulationSchema = z.strictObject({
  rules: z.strictObject({
    sellerId: z.string().regex(/^[A-Z0-9]{8,20}$/, 'an Amazon seller id'),
    offers: z.array(z.unknown()).min(1).max(MAX_SIMULATION_OFFERS),
  }),
  days: z.number().int().min(1).max(MAX_WHAT_IF_DAYS).default(30),
});

export const repricerRoutes = {
  listRepricerOffers: {
    method: 'GET',
    path: '/repricer/offers',
    auth: ['customer'],
    summary:
      "The caller's offers with their rules and current state (price, Buy Box, decision state, pending push), units sold per day, and own stock from Amazon (stockStatus known / stale / unknown, stockUnits, stockKnownAt, stockSource fba / mfn)",
    responses: { 200: { description: 'Offers' } },
  },
  listRepricerListings: {
    method: 'GET',
    path: '/repricer/listings',
    auth: ['customer'],
    summary: "The caller's listings imported daily from Amazon's All Listings report; those without a range are 'imported — set a min/max to start'",
    responses: { 200: { description: 'Imported listings' } },
  },
  uploadRepricerRules: {
    method: 'PUT',
    path: '/repricer/rules',
    auth: ['customer'],
    summary: 'Bulk rule upload (JSON rules file): creates or updates offers, keeping their state',
    body: repricerRulesUploadSchema,
    responses: {
      200: { description: 'Created and updated counts (up to 500 offers)' },
      202: { description: 'More than 500 offers: { jobId, status, offers, chunks, … } written by a job; follow GET /repricer/rules/jobs/{jobId}' },
      400: { description: 'A rule names the field it fails on' },
    },
  },
  getRepricerRulesJob: {
    method: 'GET',
    path: '/repricer/rules/jobs/{jobId}',
    auth: ['customer'],
    summary: 'Progress of a large bulk rule upload: status queued / running / done, offers, chunks and chunks done, created and updated counts',
    params: rulesJobPath,
    responses: { 200: { description: 'The job' }, 404: { description: 'No such job for this customer' } },
  },
  uploadRepricerRulesCsv: {
    method: 'POST',
    path: '/repricer/rules/csv',
    auth: ['customer'],
    summary:
      'Bulk rule upload (CSV in the `csv` field): good rows are imported, bad rows reported as `row N: field: message` in `errors` and as `{row, field, message, reason?: {code, params}}` in `rowErrors`',
    body: repricerCsvUploadSchema,
    responses: {
      200: { description: 'Created and updated counts, row errors' },
      202: { description: 'More than 500 good rows: the job (as for PUT /repricer/rules) and the row errors' },
    },
  },
  listRepricerOffersForCustomer: {
    method: 'GET',
    path: '/customers/{customerId}/repricer/offers',
    auth: ['csm'],
    summary: "A customer's Repricer offers, read by its manager or a lead acting for it (logged in the customer's staff-action log); any other manager 403",
    params: z.strictObject({ customerId: z.string().min(1).max(128) }),
    responses: { 200: { description: 'Settings and offers' }, 403: { description: 'The customer is not yours (and you are no lead)' }, 404: { description: 'No such customer' } },
  },
  setRepricerStrategyForCustomer: {
    method: 'PUT',
    path: '/customers/{customerId}/repricer/offers/{sku}/strategy',
    auth: ['csm'],
    summary:
      "Adjust a customer's offer strategy in a consultation (its manager or a lead), through the same strategy port as the end-of-trial call: the price history says who and why, the staff-action log records it; any other manager 403",
    params: z.strictObject({ customerId: z.string().min(1).max(128), sku: z.string().min(1).max(200) }),
    body: repricerStrategyForCustomerSchema,
    responses: {
      200: { description: 'The strategy set; `changed` counts the offers (marketplaces, audiences) switched' },
      400: { description: 'The strategy does not fit the offer (e.g. `fixed` without a fixed price)' },
      403: { description: 'The customer is not yours (and you are no lead)' },
      404: { description: 'No such customer or offer' },
    },
  },
  setRepricerStrategy: {
    method: 'PUT',
    path: '/repricer/offers/{sku}/strategy',
    auth: ['customer'],
    summary: "Switch an offer's strategy (all its marketplaces/audiences unless narrowed)",
    params: skuPath,
    body: repricerStrategySchema,
    responses: { 200: { description: 'Offers changed' }, 404: { description: 'No such offer' } },
  },
  pauseRepricerOffer: {
    method: 'POST',
    path: '/repricer/offers/{sku}/pause',
    auth: ['customer'],
    summary: 'Pause repricing of an offer (it leaves the tick index)',
    params: skuPath,
    body: repricerOfferMatchSchema,
    responses: { 200: { description: 'Offers changed' }, 404: { description: 'No such offer' } },
  },
  resumeRepricerOffer: {
    method: 'POST',
    path: '/repricer/offers/{sku}/resume',
    auth: ['customer'],
    summary: 'Resume repricing of an offer',
    params: skuPath,
    body: repricerOfferMatchSchema,
    responses: { 200: { description: 'Offers changed' }, 404: { description: 'No such offer' } },
  },
  updateRepricerSettings: {
    method: 'PUT',
    path: '/repricer/settings',
    auth: ['customer'],
    summary: 'Account-wide dry run (decide and record, push nothing) and pause/resume of all offers',
    body: repricerSettingsSchema,
    responses: { 200: { description: 'Settings' }, 404: { description: 'No rules uploaded yet' } },
  },
  getRepricerOfferHistory: {
    method: 'GET',
    path: '/repricer/offers/{sku}/history',
    auth: ['customer'],
    summary: 'Price history of an offer (every decision and push with reason, Buy Box status, competitor count); format=csv exports CSV',
    params: skuPath,
    query: repricerHistoryQuerySchema,
    responses: { 200: { description: 'History entries, oldest first (JSON or text/csv)' } },
  },
  // issue 21 whatif
  simulateRepricerRules: {
    method: 'POST',
    path: '/repricer/simulations',
    auth: ['customer'],
    summary:
      "What-if: the rules replayed against the caller's own recorded market history of the last `days` (≤ 90): Buy Box share, average price against the best possible, units and revenue per offer and in total, proposed rules versus current pricing",
    body: repricerSimulationSchema,
    responses: {
      200: { description: 'The comparison (`coveredDays` says how much history there was; `notes` per offer say what is estimated)' },
      400: { description: 'A rule or `days` names the field it fails on' },
      403: { description: '`rules.sellerId` is not the seller this account authorised on Amazon' },
    },
  },
} as const satisfies Record<string, HttpRoute>;
