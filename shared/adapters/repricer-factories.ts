/** Builders of the repricer's adapters for a composition root (see factories.ts for the pattern). */
import type { AmazonMarketplace } from '../repricer/ports.ts';
import type { JobSender, MarketChangeSink, RepricerDeps, RepricerStore } from '../repricer/ports.ts';
import { DynamoRepricerStore } from './dynamodb/repricer-store.ts';
import { baseAdapters, type DepsOverrides, type Environment } from './composition.ts';
import { logger } from './observability.ts';
import { SpApiMarketplace } from './sp-api/sp-api-marketplace.ts';
import { credentialsFromSsm, spApiEndpoint } from './sp-api/credentials.ts';
import { SqsMarketChangePublisher } from './sqs/market-change-publisher.ts';
import { SqsRepriceJobSender } from './sqs/reprice-job-sender.ts';

export function repricerAdapters(env: Environment, overrides: DepsOverrides = {}) {
  const base = baseAdapters(env, overrides);
  const { aws, names, clock } = base;
  const adapters = {
    ...base,
    store: (): RepricerStore => new DynamoRepricerStore(aws.dynamo(), names.table('repricer')),
    /** The simulated marketplace locally, the SP-API adapter in Lambda. */
    amazon: (): AmazonMarketplace =>
      overrides.amazonMarketplace ??
      new SpApiMarketplace({
        region: env.SP_API_REGION ?? 'eu',
        endpoint: spApiEndpoint(env.SP_API_REGION),
        credentials: credentialsFromSsm,
        log: (message, fields) => logger.warn(message, fields),
      }),
    jobSender: (): JobSender => new SqsRepriceJobSender(aws.sqs(), names.queueUrl('repricerJobs')),
    marketChanges: (): MarketChangeSink => new SqsMarketChangePublisher(aws.sqs(), names.queueUrl('repricerMarketChanges')),
    /** What the worker, the notification consumer and the push flush decide and push with. */
    deps: (): RepricerDeps => ({
      store: adapters.store(),
      amazon: adapters.amazon(),
      marketChanges: adapters.marketChanges(),
      now: () => clock.now(),
    }),
  };
  return adapters;
}
