import { randomBytes } from 'node:crypto';
import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import { lostAndFoundAdapters } from '#shared/adapters/lost-and-found-factories.ts';
import { ReportBackfillOnAuthorisation } from '#shared/adapters/report-backfill.ts';
import { AuthorisationFollowUps, StockReadingOnAuthorisation } from '#shared/adapters/stock-reading-on-authorisation.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
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
  const customers = coreAdapters(env, overrides).customerRepository();
  const lostAndFound = lostAndFoundAdapters(env, { ...overrides, clock: amazon.clock });
  return {
    customers,
    connections: amazon.connections(),
    signer: amazon.signer(),
    application: amazon.application,
    nonce: () => randomBytes(18).toString('base64url'),
    now: () => amazon.clock.now(),
    lwa: amazon.lwa(),
    vault: amazon.vault(),
    events: amazon.events(),
    subscriptions: amazon.subscriptions(),
    // A deployment that fetches nothing from Amazon (not -c amazon=sp-api, no simulated Amazon) has no reports to back-fill
    // and no stock to read; otherwise the reports' back-fill and the first stock reading are queued at once.
    ...(lostAndFound.amazonReports() === undefined
      ? {}
      : {
          followUp: new AuthorisationFollowUps([
            new ReportBackfillOnAuthorisation({ customers, statuses: lostAndFound.fetchStatuses(), queue: lostAndFound.reportFetchQueue(), clock: amazon.clock }),
            new StockReadingOnAuthorisation({ customers, queue: repricerAdapters(env, { ...overrides, clock: amazon.clock }).stockReadQueue() }),
          ]),
        }),
    onEventFailure: (error) =>
      logger.error('after the authorisation: amazon.connected not published, notifications not subscribed, back-fill or first stock reading not queued (authorising again repeats them; the daily run queues the back-fill, the hourly one reads the stock)', {
        error: error as Error,
      }),
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
