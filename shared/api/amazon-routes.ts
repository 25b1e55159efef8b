/** HTTP routes of the Amazon connection: the SP-API website authorisation workflow and the connection's state. */
import * as z from 'zod';
import type { HttpRoute } from './routes.ts';

export const amazonAuthorizationSchema = z
  .object({
    consentUrl: z.url(),
    state: z.string(),
    region: z.enum(['na', 'eu', 'fe']),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'AmazonAuthorization' });

/** Amazon's redirect after the seller consented (other parameters Amazon may add are ignored). */
export const amazonCallbackQuerySchema = z.object({
  state: z.string().min(1).max(2000),
  selling_partner_id: z.string().regex(/^[A-Z0-9]{8,20}$/, 'an Amazon selling partner id'),
  spapi_oauth_code: z.string().min(1).max(2000),
});

export const amazonConnectionQuerySchema = z.strictObject({
  /** CSM staff name the customer; a customer sees only their own. */
  customerId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
});

export const amazonConnectionSchema = z
  .object({
    sellerId: z.string().nullable(),
    status: z.enum(['pending', 'authorised', 'revoked']),
    region: z.enum(['na', 'eu', 'fe']),
    authorisedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    revokedReason: z.string().nullable(),
    /** `simulated` when this deployment talks to the simulated Amazon, not SP-API. */
    source: z.enum(['amazon', 'simulated']),
  })
  .meta({ id: 'AmazonConnection' });

export const amazonRoutes = {
  createAmazonAuthorization: {
    method: 'POST',
    path: '/amazon/authorizations',
    auth: ['customer'],
    summary:
      "Starts the SP-API website authorisation: the Seller Central consent URL of the customer's region with a signed, single-use state (10 minutes) bound to the caller's tenant",
    responses: {
      201: { description: 'Open consentUrl in the browser', schema: amazonAuthorizationSchema },
      404: { description: 'The tenant has not signed up yet (its marketplaces pick the region)' },
    },
  },
  amazonAuthorizationCallback: {
    method: 'GET',
    path: '/amazon/authorizations/callback',
    auth: 'public',
    summary:
      "Amazon's redirect after consent: checks and consumes the state, exchanges the code with Login with Amazon, stores the refresh token encrypted under the tenant and binds the seller to it (the state is the credential: a browser redirect carries no bearer token)",
    query: amazonCallbackQuerySchema,
    responses: {
      200: { description: 'Connected', schema: amazonConnectionSchema },
      400: { description: 'state_invalid (forged or already used), state_expired, or a code Amazon refused' },
      409: { description: 'seller_bound_elsewhere: the seller is connected to another account' },
    },
  },
  getAmazonConnection: {
    method: 'GET',
    path: '/amazon/connection',
    auth: ['customer', 'csm'],
    summary: "The tenant's Amazon connection: seller (as Amazon confirmed it), status pending / authorised / revoked, region, when",
    query: amazonConnectionQuerySchema,
    responses: { 200: { description: 'The connection', schema: amazonConnectionSchema }, 404: { description: 'No connection started' } },
  },
} as const satisfies Record<string, HttpRoute>;
