/**
 * Every HTTP route: method, path, who may call it, and the zod schemas of its input and output. Handlers
 * validate with these, the wiring attaches routes to functions, and /openapi.json is generated from them.
 */
import type { z } from 'zod';
import {
  csmNotificationsPageSchema,
  csmNotificationsQuerySchema,
  customerPathSchema,
  customerViewSchema,
  signupRequestSchema,
} from './schemas.ts';

export type Role = 'customer' | 'csm';

export interface HttpRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path syntax: /customers/{customerId} */
  readonly path: string;
  /** `public` needs no token; otherwise the caller's role must be one of these. */
  readonly auth: 'public' | readonly Role[];
  readonly summary: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly params?: z.ZodType;
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: z.ZodType }>>;
}

export const httpRoutes = {
  getOpenApi: {
    method: 'GET',
    path: '/openapi.json',
    auth: 'public',
    summary: 'This API described as OpenAPI 3.1, generated from the schemas the handlers validate with',
    responses: { 200: { description: 'The OpenAPI document' } },
  },
  createSignup: {
    method: 'POST',
    path: '/signups',
    auth: ['customer'],
    summary: "Sign the caller's tenant up for a product (Repricer starts a 14-day trial)",
    body: signupRequestSchema,
    responses: {
      201: { description: 'Signed up; customer.signed-up is published', schema: customerViewSchema },
      409: { description: 'This tenant already has a contract for this product' },
    },
  },
  getCustomer: {
    method: 'GET',
    path: '/customers/{customerId}',
    auth: ['customer', 'csm'],
    summary: 'A customer record. Customers see only their own (customerId = their tenant id); CSM staff see any',
    params: customerPathSchema,
    responses: { 200: { description: 'The customer', schema: customerViewSchema }, 404: { description: 'No such customer for this caller' } },
  },
  listCsmNotifications: {
    method: 'GET',
    path: '/csm/notifications',
    auth: ['csm'],
    summary: 'The CSM notification feed, newest first',
    query: csmNotificationsQuerySchema,
    responses: { 200: { description: 'A page of notifications', schema: csmNotificationsPageSchema } },
  },
} as const satisfies Record<string, HttpRoute>;

export type HttpRouteId = keyof typeof httpRoutes;
