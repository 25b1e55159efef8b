/** Wiring of repricing in production: ticks per marketplace, offer notifications, workers, pushes, market changes, API. */
import { DUE_SHARDS, HISTORY_RETENTION_DAYS, PUSH_SHARDS } from '#shared/repricer/model.ts';
import { MARKET_HISTORY_RETENTION_DAYS } from '#shared/repricer/market-history.ts';
import { STOCK_REFRESH_MINUTES, STOCK_RETENTION_DAYS } from '#shared/repricer/stock.ts';
import type { DomainWiring } from './types.ts';
import { KILL_SWITCH_PARAMETERS, SP_API_PARAMETERS } from './amazon-access.ts';

/** Marketplaces with an active tick schedule (codes of shared/kernel/marketplaces.ts). */
export const REPRICER_MARKETPLACES = ['DE', 'FR', 'UK', 'IT', 'ES', 'NL', 'PL', 'SE', 'US', 'JP'] as const;
/** Tick rate per marketplace (minutes); the tick function gets it as SCHEDULE_RATE_MINUTES (envNames.scheduleRateMinutes). */
export const REPRICER_TICK_MINUTES = 5;
/** Repricer messages older than two ticks are superseded by the ticks since: `sellerops dlq redrive` leaves them. */
export const REPRICER_REPLAY_MINUTES = 2 * REPRICER_TICK_MINUTES;
/** Amazon's SP-API notification service (SQS destinations must let it send). */
export const SP_API_NOTIFICATION_ACCOUNT = '437568002678';

export const repricer = {
  product: 'repricer',
  tables: {
    repricer: {
      name: 'sellerops-repricer',
      partitionKey: 'pk',
      sortKey: 'sk',
      globalIndexes: [
        // The tick needs only who is due (the keys); the worker reads the offers of its job.
        { name: 'due', partitionKey: 'dueShard', sortKey: 'dueOrder', shards: DUE_SHARDS, projection: { type: 'KEYS_ONLY' } },
        // The flush builds the price changes from the pending push alone; it reads offers only to record results.
        { name: 'pushes', partitionKey: 'pushShard', sortKey: 'pushOrder', shards: PUSH_SHARDS, projection: { type: 'INCLUDE', attributes: ['pendingPush'] } },
      ],
      timeToLiveAttribute: 'expiresAt',
      accessPatterns: [
        'repricer settings of a tenant: Get pk=TENANT#<tenantId>, sk=REPRICER (version-conditioned); seller → tenant: Get pk=SELLER#<sellerId>, sk=TENANT',
        "a tenant's offers: Query pk=TENANT#<tenantId>, sk begins_with OFFER#; one listing's offers: begins_with OFFER#<mkt>#<audience>#<asin>#",
        'offer decision state: Put conditioned on version (racing workers cannot corrupt it)',
        'offers due on a tick: Query index due (KEYS_ONLY), dueShard=MKT#<marketplaceId>#SHARD#<0-7>, dueOrder <= <nextRepriceAt ISO>#… (sparse: paused offers carry no key; never a Scan); the worker BatchGets its job\'s offers',
        'pending price pushes (bulk flush): Query index pushes (INCLUDE pendingPush), pushShard=PUSH#<0-15>, pushOrder <= now (sparse)',
        'large bulk rule uploads: Get pk=TENANT#<tenantId>, sk=RULESIMPORT#<jobId> (the job: ADD counts); chunks sk=RULESIMPORT#<jobId>#CHUNK#<n> (a chunk counted once: conditional ADD to the doneChunks set of the job; TTL expiresAt, 30 days)',
        'market snapshot cache: BatchGet pk=SNAP#<sellerId>#<mkt>#<audience>#<asin>, sk=SNAPSHOT; put conditioned on newer TimeOfOfferChange',
        // issue 21 sales: Push on units sold from Amazon's all-orders report (shared/repricer/sales.ts).
        "units sold per day: pk=TENANT#<tenantId>, sk=SALES#<mkt>#<sku> ({day: units}, version-conditioned put, TTL expiresAt 40 days after the last report); a report's merge: Query begins_with SALES#<mkt>#; a job's Push offers: BatchGet with sk=SALESUNTIL#<mkt> (the day up to which sales are known, moved forward only)",
        // issue 21 stock: the low-stock rule on the offers' own stock (shared/repricer/stock.ts).
        `own units in stock: pk=TENANT#<tenantId>, sk=STOCK#<mkt>#<sku> (units, source fba|mfn, knownAt; put unless a newer reading is stored, TTL expiresAt ${STOCK_RETENTION_DAYS} days); a reading's merge: Query begins_with STOCK#<mkt>#; a job's low-stock offers and the offer view: BatchGet with sk=STOCKREAD#<mkt>#<source> (every change up to its time is stored, moved forward only)`,
      ],
    },
    repricerHistory: {
      name: 'sellerops-repricer-history',
      partitionKey: 'pk',
      sortKey: 'sk',
      globalIndexes: [],
      timeToLiveAttribute: 'expiresAt',
      withoutPointInTimeRecovery: {
        why: `price history is a record that expires (${HISTORY_RETENTION_DAYS} days); losing it loses no price, state or money, and PITR would double its storage bill`,
      },
      // Written on every decision that changes something, read only when a customer opens an offer's history.
      infrequentAccess: true,
      accessPatterns: [
        `price history of an offer: Query pk=HIST#<tenantId>#<sku>, sk between <from ISO> and <to ISO>#… (TTL expiresAt, ${HISTORY_RETENTION_DAYS} days)`,
        `market history of a listing (what-if): Put pk=MKT#<tenantId>#<mkt>#<audience>#<asin>, sk=<TimeOfOfferChange ISO> on each change; Query sk between <from> and <to>, and the newest before <from> (TTL expiresAt, ${MARKET_HISTORY_RETENTION_DAYS} days)`,
      ],
    },
  },
  queues: {
    repricerNotifications: {
      name: 'sellerops-repricer-notifications',
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 180,
      redrive: {
        replay: 'younger-than',
        maxAgeMinutes: REPRICER_REPLAY_MINUTES,
        why: 'a notification carries the competitors\' prices of its moment; once two ticks have repriced from fresher ones, a price pushed from it could undercut a market that has moved',
      },
      allowSendFrom: [{ awsAccount: SP_API_NOTIFICATION_ACCOUNT, reason: 'SP-API delivers ANY_OFFER_CHANGED and B2B_ANY_OFFER_CHANGED here' }],
    },
    // One message per `due` shard of a marketplace's tick. Few deliveries: a shard that keeps failing is ticked again
    // by the next schedule anyway, and its DLQ alarms at once.
    repricerShardTicks: {
      name: 'sellerops-repricer-shard-ticks',
      maxReceiveCount: 3,
      visibilityTimeoutSeconds: 720,
      redrive: { replay: 'any', why: 'a shard tick carries no prices: it reads the shard\'s due offers as they are when it runs, so a late one only ticks that shard again' },
    },
    repricerJobs: {
      name: 'sellerops-repricer-jobs',
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 720,
      redrive: {
        replay: 'younger-than',
        maxAgeMinutes: REPRICER_REPLAY_MINUTES,
        why: 'a job pushes prices for the offers due at its tick; later ticks have repriced the same offers since, and an old job would push a second, late price',
      },
    },
    repricerMarketChanges: {
      name: 'sellerops-repricer-market-changes',
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 120,
      redrive: { replay: 'any', why: 'a market change becomes one CSM task and one push (keyed on the change), still worth a call when late' },
    },
    repricerRuleImports: {
      name: 'sellerops-repricer-rule-imports',
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 720,
      redrive: {
        replay: 'never',
        why: 'a chunk writes the rules of an upload; replayed later it would overwrite whatever the customer changed since, so the customer uploads the file again (GET /repricer/rules/jobs/{jobId} shows the chunks missing)',
      },
    },
    // One message per tenant × marketplace an hour: the FBA stock reading (issue 21 stock).
    repricerStockReads: {
      name: 'sellerops-repricer-stock-reads',
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 3600,
      redrive: { replay: 'any', why: 'a stock reading carries no data: run late it reads the stock as it is then and writes only what changed' },
    },
  },
  functions: {
    repricerTick: {
      entry: 'functions/repricer-tick/handler.ts',
      description: 'R-P4: the scheduled tick of one marketplace; fans out one shard tick per shard of the due index',
      timeoutSeconds: 30,
      memoryMb: 256,
      triggers: [
        {
          kind: 'schedulePerMarketplace',
          schedule: 'repricer-tick',
          rateMinutes: REPRICER_TICK_MINUTES,
          marketplaces: REPRICER_MARKETPLACES,
          description: 'Repricing tick',
        },
      ],
      access: { queuesSend: ['repricerShardTicks'], parametersRead: [...KILL_SWITCH_PARAMETERS] },
    },
    repricerShardTick: {
      entry: 'functions/repricer-shard-tick/handler.ts',
      description: 'R-P4: streams the due offers of one shard of a marketplace (keys only) into reprice jobs for the workers',
      // Measured ≈ 0.1–0.2 ms a due offer locally: a shard of 125,000 (1 M offers in a marketplace) in ≈ 12–25 s.
      timeoutSeconds: 120,
      memoryMb: 1024,
      triggers: [{ kind: 'sqs', queue: 'repricerShardTicks', batchSize: 1 }],
      // Its own queue too: a shard tick whose time budget (60 s) runs out sends the rest of its shard as a continuation.
      access: { tablesRead: ['repricer'], queuesSend: ['repricerJobs', 'repricerShardTicks'] },
    },
    repricerWorker: {
      entry: 'functions/repricer-worker/handler.ts',
      description: 'Decides a batch of offers (cached snapshots first, getItemOffersBatch within quota), stores state and history, pushes prices',
      timeoutSeconds: 120,
      memoryMb: 1024,
      // SP-API quotas are per seller, shared through the core table: more containers would only wait longer.
      triggers: [{ kind: 'sqs', queue: 'repricerJobs', batchSize: 5, maxConcurrency: 10 }],
      canary: { why: 'It decides and pushes prices: a bad release would misprice every repriced offer within minutes.' },
      access: {
        tablesRead: ['repricer', 'core'],
        tablesWrite: ['repricer', 'repricerHistory', 'core'],
        queuesSend: ['repricerMarketChanges'],
        topicsPublish: ['csmNotifications'],
        parametersRead: [...SP_API_PARAMETERS, ...KILL_SWITCH_PARAMETERS],
      },
    },
    repricerNotifications: {
      entry: 'functions/repricer-notifications/handler.ts',
      description:
        'ANY_OFFER_CHANGED / B2B_ANY_OFFER_CHANGED: snapshot update, market-change detection, immediate repricing (bursts coalesced); REPORT_PROCESSING_FINISHED moves the waiting report fetch on',
      timeoutSeconds: 30,
      memoryMb: 1024,
      triggers: [{ kind: 'sqs', queue: 'repricerNotifications', batchSize: 10, maxConcurrency: 10 }],
      canary: { why: "It reprices on Amazon's offer changes at once: a bad release misprices the busiest offers first." },
      access: {
        tablesRead: ['repricer', 'core'],
        tablesWrite: ['repricer', 'repricerHistory', 'core'],
        // lostFoundReportFetches: the step a REPORT_PROCESSING_FINISHED notification lets run at once.
        queuesSend: ['repricerMarketChanges', 'lostFoundReportFetches'],
        topicsPublish: ['csmNotifications'],
        parametersRead: [...SP_API_PARAMETERS, ...KILL_SWITCH_PARAMETERS],
      },
    },
    repricerPushFlush: {
      entry: 'functions/repricer-push-flush/handler.ts',
      description: 'Pushes pending prices in bulk (JSON_LISTINGS_FEED, ≤ 25,000 a feed, one feed a minute) and retries left-over pushes',
      timeoutSeconds: 300,
      memoryMb: 1024,
      triggers: [{ kind: 'schedule', schedule: 'repricer-push-flush', rateMinutes: 1, description: 'Bulk price pushes and retries' }],
      // One flush at a time: two overlapping flushes would submit the same pending pushes twice.
      reservedConcurrency: 1,
      canary: { why: 'It submits every pending price to Amazon: a bad release would push wrong prices in bulk.' },
      access: {
        tablesRead: ['repricer', 'core'],
        tablesWrite: ['repricer', 'repricerHistory', 'core'],
        topicsPublish: ['csmNotifications'],
        parametersRead: [...SP_API_PARAMETERS, ...KILL_SWITCH_PARAMETERS],
      },
    },
    repricerMarketChanges: {
      entry: 'functions/repricer-market-changes/handler.ts',
      description: 'R-P5: market.changed → one re-consultation task and one CSM push per listing and week',
      timeoutSeconds: 20,
      memoryMb: 512,
      triggers: [{ kind: 'sqs', queue: 'repricerMarketChanges', batchSize: 10 }],
      access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['csmNotifications'] },
    },
    repricerRuleImport: {
      entry: 'functions/repricer-rule-import/handler.ts',
      description: 'Writes one chunk (250 offers) of a large bulk rule upload and counts it into its job, once per chunk',
      timeoutSeconds: 120,
      memoryMb: 512,
      triggers: [{ kind: 'sqs', queue: 'repricerRuleImports', batchSize: 1 }],
      access: { tablesRead: ['repricer'], tablesWrite: ['repricer'] },
    },
    repricerStockRefresh: {
      entry: 'functions/repricer-stock-refresh/handler.ts',
      description: 'Hourly: one FBA stock reading per repricer customer with an authorised seller × marketplace on the stock queue (issue 21 stock)',
      timeoutSeconds: 120,
      memoryMb: 256,
      triggers: [{ kind: 'schedule', schedule: 'repricer-stock-refresh', rateMinutes: STOCK_REFRESH_MINUTES, description: 'Hourly FBA stock reading' }],
      access: { tablesRead: ['core'], queuesSend: ['repricerStockReads'] },
    },
    repricerStockReader: {
      entry: 'functions/repricer-stock-reader/handler.ts',
      description: "One FBA stock reading: getInventorySummaries (changed since the last reading, every SKU once a day) into the offers' own units (repricer table)",
      // Up to MAX_INVENTORY_PAGES pages at the quota's 2 a second; the queue's visibility timeout is 6x this.
      timeoutSeconds: 600,
      memoryMb: 512,
      // Bound by the sellers' getInventorySummaries quota (2 a second), shared by all containers.
      triggers: [{ kind: 'sqs', queue: 'repricerStockReads', batchSize: 1, maxConcurrency: 5 }],
      access: {
        tablesRead: ['repricer', 'core'],
        // core: the SP-API quota buckets and the connection (a revoked seller is marked so).
        tablesWrite: ['repricer', 'core'],
        topicsPublish: ['csmNotifications'],
        parametersRead: [...SP_API_PARAMETERS],
      },
    },
    repricerApi: {
      entry: 'functions/repricer-api/handler.ts',
      description: 'Customer API of the repricer: offers with rules and state, rule uploads, strategy, pause/resume, dry run, history, what-if',
      timeoutSeconds: 29,
      memoryMb: 1024,
      triggers: [
        { kind: 'http', route: 'listRepricerOffers' },
        { kind: 'http', route: 'listRepricerOffersForCustomer' },
        { kind: 'http', route: 'listRepricerListings' },
        { kind: 'http', route: 'uploadRepricerRules' },
        { kind: 'http', route: 'uploadRepricerRulesCsv' },
        { kind: 'http', route: 'getRepricerRulesJob' },
        { kind: 'http', route: 'setRepricerStrategy' },
        { kind: 'http', route: 'setRepricerStrategyForCustomer' },
        { kind: 'http', route: 'pauseRepricerOffer' },
        { kind: 'http', route: 'resumeRepricerOffer' },
        { kind: 'http', route: 'updateRepricerSettings' },
        { kind: 'http', route: 'getRepricerOfferHistory' },
        { kind: 'http', route: 'simulateRepricerRules' },
      ],
      // core (write): the staff-action log when a manager reads a customer's offers for it.
      access: { tablesRead: ['repricer', 'repricerHistory', 'core'], tablesWrite: ['repricer', 'core'], queuesSend: ['repricerRuleImports'] },
    },
  },
} as const satisfies DomainWiring;
