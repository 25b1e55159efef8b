/** Builders of the repricer's adapters for a composition root (see factories.ts for the pattern). */
import type { AmazonMarketplace, FbaInventoryApi, FeeEstimates, StockReadQueue, StockStore } from '#shared/repricer/ports.ts';
import { SimulatedFeeEstimates } from '#shared/marketplace-sim/simulated-fees.ts';
import { SpApiFeeEstimates } from './sp-api/fee-estimates.ts';
import type { ImportedListingStore, SalesStore, JobSender, MarketChangeSink, PriceHistory, RepricerDeps, RepricerStore, RuleImportQueue, RuleImportStore, ShardTickSender } from '#shared/repricer/ports.ts';
import { DynamoRepricerStore } from './dynamodb/repricer-store.ts';
import { DynamoImportedListingStore } from './dynamodb/imported-listing-store.ts';
import { DynamoPriceHistory } from './dynamodb/price-history.ts';
import { DynamoMarketHistory } from './dynamodb/market-history.ts';
import type { MarketHistoryStore } from '#shared/repricer/market-history.ts';
import { baseAdapters, type DepsOverrides, type Environment } from './composition.ts';
import { SpApiMarketplace } from './sp-api/sp-api-marketplace.ts';
import { amazonAccessAdapters } from './amazon-access-factories.ts';
import { GuardedAmazonMarketplace } from '#shared/amazon-access/push-guard.ts';
import { SqsMarketChangePublisher } from './sqs/market-change-publisher.ts';
import { SqsRepriceJobSender } from './sqs/reprice-job-sender.ts';
import { SqsRuleImportQueue } from './sqs/rule-import-queue.ts';
import { SqsShardTickSender } from './sqs/shard-tick-sender.ts';
import { DynamoRuleImportStore } from './dynamodb/rule-import-store.ts';
import { DynamoSalesStore } from './dynamodb/sales-store.ts';
import { DynamoStockStore } from './dynamodb/stock-store.ts';
import { SqsStockReadQueue } from './sqs/stock-read-queue.ts';
import { SpApiFbaInventory } from './sp-api/fba-inventory.ts';

export function repricerAdapters(env: Environment, overrides: DepsOverrides = {}) {
  const base = baseAdapters(env, overrides);
  const { aws, names, clock } = base;
  const adapters = {
    ...base,
    store: (): RepricerStore => new DynamoRepricerStore(aws.dynamo(), names.table('repricer')),
    history: (): PriceHistory => new DynamoPriceHistory(aws.dynamo(), names.table('repricerHistory')),
    /** The what-if's recorded market changes, beside the price history in its table (TTL, no PITR). */
    marketHistory: (): MarketHistoryStore => new DynamoMarketHistory(aws.dynamo(), names.table('repricerHistory')),
    /**
     * The simulated marketplace locally, the SP-API adapter in Lambda; either behind the operator's kill switch
     * and the sellers' authorisations (a seller not authorised gets no call).
     */
    amazon: (): AmazonMarketplace => {
      const access = amazonAccessAdapters(env, { ...overrides, aws, clock });
      return new GuardedAmazonMarketplace(overrides.amazonMarketplace ?? new SpApiMarketplace(access.spApiClientOptions()), {
        killSwitch: access.killSwitch(),
        connections: access.connections(),
        now: () => clock.now().getTime(),
      });
    },
    /**
     * issue 21 economics: Amazon's fee estimates for rules that derive min from cost and margin: the simulated fee
     * schedule beside the simulated marketplace, getMyFeesEstimates (through the sellers' quotas) in Lambda.
     */
    fees: (): FeeEstimates =>
      overrides.amazonMarketplace
        ? new SimulatedFeeEstimates(() => clock.now())
        : new SpApiFeeEstimates(amazonAccessAdapters(env, { ...overrides, aws, clock }).spApiClientOptions()),
    /** Whose market data the repricer views show: the simulated marketplace locally, SP-API in AWS. */
    source: (): 'amazon' | 'simulated' => (overrides.amazonMarketplace ? 'simulated' : 'amazon'),
    /** Units sold per day per SKU and marketplace (issue 21 sales), from the daily all-orders report. */
    sales: (): SalesStore => new DynamoSalesStore(aws.dynamo(), names.table('repricer')),
    /** Own units in stock per SKU and marketplace (issue 21 stock): FBA hourly, merchant-fulfilled from the daily listings report. */
    stock: (): StockStore => new DynamoStockStore(aws.dynamo(), names.table('repricer')),
    stockReadQueue: (): StockReadQueue => new SqsStockReadQueue(aws.sqs(), names.queueUrl('repricerStockReads')),
    /**
     * The FBA Inventory API: the simulated Amazon's locally, getInventorySummaries (through the sellers' quotas) when
     * the deployment is connected (-c amazon=sp-api), else none (nothing to read).
     */
    fbaInventory: (): FbaInventoryApi | undefined =>
      overrides.fbaInventory ?? (env.SELLEROPS_AMAZON === 'sp-api' ? new SpApiFbaInventory(amazonAccessAdapters(env, { ...overrides, aws, clock }).spApiClientOptions()) : undefined),
    importedListings: (): ImportedListingStore => new DynamoImportedListingStore(aws.dynamo(), names.table('repricer')),
    ruleImports: (): RuleImportStore => new DynamoRuleImportStore(aws.dynamo(), names.table('repricer')),
    ruleImportQueue: (): RuleImportQueue => new SqsRuleImportQueue(aws.sqs(), names.queueUrl('repricerRuleImports')),
    shardTickSender: (): ShardTickSender => new SqsShardTickSender(aws.sqs(), names.queueUrl('repricerShardTicks')),
    jobSender: (): JobSender => new SqsRepriceJobSender(aws.sqs(), names.queueUrl('repricerJobs')),
    marketChanges: (): MarketChangeSink => new SqsMarketChangePublisher(aws.sqs(), names.queueUrl('repricerMarketChanges')),
    /** What the worker, the notification consumer and the push flush decide and push with. */
    deps: (): RepricerDeps => ({
      store: adapters.store(),
      history: adapters.history(),
      amazon: adapters.amazon(),
      marketChanges: adapters.marketChanges(),
      now: () => clock.now(),
      metrics: base.metrics,
      fees: adapters.fees(),
      marketHistory: adapters.marketHistory(),
      sales: adapters.sales(),
      stock: adapters.stock(),
    }),
  };
  return adapters;
}
