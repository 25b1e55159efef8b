/** Adapters of the repricer's ports, built from the runtime clients and the wired names. */
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { AmazonMarketplace } from '../repricer/ports.ts';
import type { JobSender, MarketChangeSink, RepricerDeps, RepricerStore } from '../repricer/ports.ts';
import type { MarketChangedV1, RepriceJobV1 } from '../contracts/repricer-messages.ts';
import { DynamoRepricerStore } from './dynamodb/repricer-store.ts';
import { resourceNames } from './environment.ts';
import { logger } from './observability.ts';
import { localAdapters, runtime } from './runtime.ts';
import { SpApiMarketplace } from './sp-api/sp-api-marketplace.ts';
import { credentialsFromSsm, spApiEndpoint } from './sp-api/credentials.ts';

let spApi: SpApiMarketplace | undefined;

export const repricerAdapters = {
  store: (): RepricerStore => new DynamoRepricerStore(runtime.dynamo(), resourceNames.table('repricer')),
  /** The simulated marketplace locally (set by the local stack), the SP-API adapter in Lambda. Lazy per call. */
  amazon: (): AmazonMarketplace => ({
    getMarketSnapshots: (request) => (localAdapters.amazonMarketplace ?? spApiAdapter()).getMarketSnapshots(request),
    submitPriceChanges: (changes, options) => (localAdapters.amazonMarketplace ?? spApiAdapter()).submitPriceChanges(changes, options),
  }),
  jobSender: (): JobSender => ({
    async send(jobs) {
      const url = resourceNames.queueUrl('repricerJobs');
      const bodies = jobs.map((job) => JSON.stringify({ version: 1, ...job } satisfies Omit<RepriceJobV1, 'offers'> & { offers: unknown }));
      for (let i = 0; i < bodies.length; i += 10) {
        const entries = bodies.slice(i, i + 10).map((body, k) => ({ Id: String(k), MessageBody: body }));
        const { Failed = [] } = await runtime.sqs().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
        for (const f of Failed) {
          const entry = entries[Number(f.Id)];
          if (entry) await runtime.sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: entry.MessageBody }));
        }
      }
    },
  }),
  marketChanges: (): MarketChangeSink => ({
    async publish(changes) {
      for (const c of changes) {
        const message: MarketChangedV1 = { eventType: 'market.changed', version: 1, ...c };
        await runtime.sqs().send(new SendMessageCommand({ QueueUrl: resourceNames.queueUrl('repricerMarketChanges'), MessageBody: JSON.stringify(message) }));
      }
    },
  }),
  deps: (): RepricerDeps => ({
    store: repricerAdapters.store(),
    amazon: repricerAdapters.amazon(),
    marketChanges: repricerAdapters.marketChanges(),
    now: () => runtime.clock().now(),
  }),
};

function spApiAdapter(): SpApiMarketplace {
  spApi ??= new SpApiMarketplace({
    region: process.env.SP_API_REGION ?? 'eu',
    endpoint: spApiEndpoint(),
    credentials: credentialsFromSsm,
    log: (message, fields) => logger.warn(message, fields),
  });
  return spApi;
}
