import { randomBytes } from 'node:crypto';
import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import { logger } from '#shared/adapters/observability.ts';
import { completeAuthorisation, connectionView, startAuthorisation, type AmazonSource, type CompletionDeps } from '#shared/amazon-access/authorisation.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import { NotFoundError, ValidationError } from '#shared/kernel/errors.ts';

export interface Deps extends CompletionDeps {
  readonly customers: CustomerRepository;
  readonly source: AmazonSource;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const amazon = amazonAccessAdapters(env, overrides);
  return {
    customers: coreAdapters(env, overrides).customerRepository(),
    connections: amazon.connections(),
    signer: amazon.signer(),
    application: amazon.application,
    nonce: () => randomBytes(18).toString('base64url'),
    now: () => amazon.clock.now(),
    lwa: amazon.lwa(),
    vault: amazon.vault(),
    events: amazon.events(),
    subscriptions: amazon.subscriptions(),
    onEventFailure: (error) => logger.error('after the authorisation: amazon.connected not published or notifications not subscribed (authorising again repeats both)', { error: error as Error }),
    source: amazon.source(),
  };
}

export function createHandler({ customers, source, ...deps }: Deps) {
  return httpRouter([
    {
      route: httpRoutes.createAmazonAuthorization,
      handler: httpHandler(httpRoutes.createAmazonAuthorization, async ({ caller }) => {
        const customer = await customers.get(caller.tenantId!);
        if (!customer) throw new NotFoundError('customer (sign up first: POST /signups)');
        return { status: 201, body: await startAuthorisation(deps, customer) };
      }),
    },
    {
      route: httpRoutes.amazonAuthorizationCallback,
      handler: httpHandler(httpRoutes.amazonAuthorizationCallback, async ({ query }) => {
        const connection = await completeAuthorisation(deps, { state: query.state, sellingPartnerId: query.selling_partner_id, code: query.spapi_oauth_code });
        return { status: 200, body: await connectionView({ connections: deps.connections, source }, connection.tenantId) };
      }),
    },
    {
      route: httpRoutes.getAmazonConnection,
      handler: httpHandler(httpRoutes.getAmazonConnection, async ({ caller, query }) => {
        const tenantId = caller.role === 'customer' ? caller.tenantId! : query.customerId;
        if (!tenantId) throw new ValidationError('query.customerId: required for CSM callers', { field: 'customerId' });
        if (caller.role === 'customer' && query.customerId && query.customerId !== tenantId) throw new NotFoundError('Amazon connection');
        return { status: 200, body: await connectionView({ connections: deps.connections, source }, tenantId) };
      }),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
