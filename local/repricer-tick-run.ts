/**
 * An end-to-end repricing tick on the local building blocks: N offers of one seller in one marketplace are loaded
 * (streamed, 1,000 at a time), their snapshots cached (as notifications would have), then a tick pages the `due`
 * index shard by shard (the scheduled tick's shard ticks, through their queue, one after the other, each timed: in
 * AWS each is a Lambda of its own) and sends its jobs (keys) through the real SQS adapter to a queue (fauxqs, with
 * SQS's size limits); workers
 * receive them and run the worker Lambda's handler; the bulk flush pushes. A second tick, ten minutes later on
 * the same market, shows what a tick costs when nothing changed.
 *
 * Measured: DynamoDB read and write units (ReturnConsumedCapacity INDEXES: exact on DynamoDB Local, which models
 * the index writes), SQS requests and message sizes, Lambda seconds, and the process's peak RSS. Used by
 * bench/repricer-tick.bench.ts and, small, by test/repricer-service.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DeleteMessageBatchCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { DynamoRepricerStore, offerToItem, snapshotToItem } from '#shared/adapters/dynamodb/repricer-store.ts';
import { DynamoPriceHistory } from '#shared/adapters/dynamodb/price-history.ts';
import { SqsRepriceJobSender } from '#shared/adapters/sqs/reprice-job-sender.ts';
import { SqsRetryLater } from '#shared/adapters/sqs/retry-later.ts';
import { SqsDeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import { ManualClock } from '#shared/kernel/clock.ts';
import { SimulatedMarketplace } from '#shared/marketplace-sim/simulated-marketplace.ts';
import { COMPETITOR_MIXES } from '#shared/marketplace-sim/scenarios.ts';
import { parseOfferChangedNotification } from '#shared/repricer/notification.ts';
import type { StoredOffer } from '#shared/repricer/model.ts';
import { decideOffer } from '#shared/repricer/offer-decision.ts';
import { FEED_SUBMISSION_PREFIX, type AmazonMarketplace, type RepricerDeps } from '#shared/repricer/ports.ts';
import { flushPendingPushes } from '#shared/repricer/pushes.ts';
import { fanOutTick, runShardTick } from '#shared/repricer/tick.ts';
import { shardTickV1 } from '#shared/contracts/repricer-messages.ts';
import { SqsShardTickSender } from '#shared/adapters/sqs/shard-tick-sender.ts';
import { SP_API_QUOTAS } from '#shared/repricer/quotas.ts';
import { tables } from '#infra/wiring.ts';
import { repricer as repricerWiring, REPRICER_TICK_MINUTES } from '#infra/wiring/repricer.ts';
import { createHandler as createWorkerHandler } from '../functions/repricer-worker/handler.ts';
import { LOCAL_REGION, localCredentials } from './aws-env.ts';
import { startDynamoDbLocal, startLocalDynamo } from './dynamodb.ts';
import { startLocalMessaging } from './messaging.ts';
import { BENCH_MARKETPLACE_ID, benchOffer } from './repricer-offers.ts';

export interface TickRunOptions {
  readonly offers: number;
  /** Workers receiving from the queue at once (the worker Lambda's concurrency). */
  readonly concurrency?: number;
  /** Offers shaped like examples/repricer/rules.json (see repricer-offers.ts) instead of minimal ones. */
  readonly realistic?: boolean;
  /** dynalite (in process, fast) or the official DynamoDB Local (exact capacity units). */
  readonly engine?: 'dynalite' | 'dynamodb-local';
  /**
   * Only the tick: offers are seeded without their market (no snapshots), the scheduled tick and its shard ticks run
   * and their jobs stay in the queue (no worker, no second tick). For the tick's time at sizes where deciding every
   * offer would take the machine an hour (`--ticks-only --offers 100000`).
   */
  readonly ticksOnly?: boolean;
}

/** Read and write units one phase consumed, in all and per table or index. */
export interface CapacityUse {
  read: number;
  write: number;
  byTarget: Record<string, { read: number; write: number }>;
  /** When the phase began: an offer decided since then changed in it. */
  readonly since: number;
  /**
   * Write units of offers that changed in the phase (their item with its index entries, their history rows) and
   * of offers that did not (expected 0), told apart by the decision time the written item carries.
   */
  writesForChanged: number;
  writesForUnchanged: number;
}

export interface TickPhase {
  decided: number;
  changed: number;
  unchanged: number;
  /** Price changes submitted to Amazon (at once by the workers, or in feeds by the flush). */
  priceChanges: number;
  submitCalls: number;
  getItemOffersBatch: number;
  /** Offers still waiting for a push after the flush (must be 0). */
  stillPending: number;
  jobs: number;
  failedJobs: number;
  capacity: CapacityUse;
  sqsRequests: Record<string, number>;
  /** Lambda run time: the tick functions (the fan-out and every shard tick), the worker invocations (summed) and the flush. */
  lambdaSeconds: { tick: number; workers: number; flush: number };
  wallMs: number;
  /** The scheduled tick's fan-out (one message per shard). */
  fanOutMs: number;
  /** Each shard tick, run alone: its time and its due offers. A shard tick's timeout must cover the largest. */
  shardTicks: { shard: number; ms: number; cpuMs: number; dueOffers: number; jobs: number }[];
}

export interface TickRunResult {
  offers: number;
  realistic: boolean;
  engine: 'dynalite' | 'dynamodb-local';
  seedMs: number;
  /** Size of a stored offer item and of the largest job message, in bytes. */
  offerItemBytes: number;
  largestJobMessageBytes: number;
  first: TickPhase;
  second: TickPhase;
  offersPerSecond: number;
  writeUnitsPerChangedOffer: number;
  writeUnitsPerUnchangedOffer: number;
  readUnitsPerOffer: number;
  /** Feeds the first tick's bulk changes need, against the quota per five minutes. */
  feeds: { needed: number; quotaPer5Min: number };
  priceRangeViolations: number;
  peakRssMb: number;
}

const TENANT = 'bench-tenant-0000-4000-8000-000000000001';
/** Every other listing is steady: we hold the Buy Box at our max against competitors priced above it. */
const isSteady = (offerIndex: number): boolean => Math.floor(offerIndex / 2) % 2 === 1;
const PRICED_OUT_COMPETITORS = [
  { sellerId: 'A1PRICEDOUT001', sku: 'p1', listingMinor: 1890, shippingMinor: 0, fba: true, rating: 96 },
  { sellerId: 'A1PRICEDOUT002', sku: 'p2', listingMinor: 1950, shippingMinor: 0, fba: false, rating: 91 },
] as const;
const SELLER = 'A2BENCHSELLER1';
const SEED_CHUNK = 1_000;

export async function runLocalTick(options: TickRunOptions): Promise<TickRunResult> {
  const engine = options.engine ?? 'dynalite';
  const realistic = options.realistic ?? false;
  const dynamo = engine === 'dynamodb-local' ? await startDynamoDbLocal() : await startLocalDynamo();
  const messaging = await startLocalMessaging({ visibilityTimeoutSeconds: 60 });
  const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({ region: LOCAL_REGION, endpoint: messaging.sqsEndpoint, credentials: localCredentials() });
  try {
    let capacity = emptyCapacity();
    let sqsRequests: Record<string, number> = {};
    countCapacity(client, () => capacity);
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        const op = (context.commandName ?? 'unknown').replace(/Command$/, '');
        const result = await next(args);
        // What a tick costs in SQS: sends, the receives that got jobs (Lambda's pollers' empty long polls are a
        // flat cost of the event source, not per offer) and deletes; the bench's own queue-depth checks are left out.
        const empty = op === 'ReceiveMessage' && ((result.output as { Messages?: unknown[] }).Messages ?? []).length === 0;
        if (op !== 'GetQueueAttributes' && !empty) sqsRequests[op] = (sqsRequests[op] ?? 0) + 1;
        return result;
      },
      { step: 'initialize', name: 'countSqsRequests' },
    );
    const repricerTable = tables.repricer!.name;
    const store = new DynamoRepricerStore(client, repricerTable);
    const history = new DynamoPriceHistory(client, tables.repricerHistory!.name);
    const clock = new ManualClock(new Date('2025-03-03T08:00:00Z'));
    const nowMs = clock.now().getTime();

    // Seed, streamed: each chunk's listings live in a simulator of their own only long enough to write their snapshot.
    const seedStarted = performance.now();
    await store.saveSettings({ tenantId: TENANT, sellerId: SELLER, dryRun: false, paused: false, version: 1 });
    const mixes = COMPETITOR_MIXES.filter((m) => m.name === 'static-field' || m.name === 'undercutters');
    /** The competitors of a listing: the two mixes alternate. */
    const mixOf = (listing: number) => required(mixes[listing % mixes.length], 'competitor mix');
    let offerItemBytes = 0;
    for (let start = 0; start < options.offers; start += SEED_CHUNK) {
      const sim = new SimulatedMarketplace({ clock, seed: 7 + start });
      const items: Record<string, unknown>[] = [];
      for (let i = start; i < Math.min(options.offers, start + SEED_CHUNK); i++) {
        const seeded = benchOffer(i, { tenantId: TENANT, sellerId: SELLER, realistic, nowMs });
        if (options.ticksOnly === true) {
          const item = offerToItem(seeded.offer);
          offerItemBytes = Math.max(offerItemBytes, itemBytes(item));
          items.push(item);
          continue;
        }
        const { asin, audience } = seeded;
        const steady = isSteady(i);
        sim.addListing({
          marketplaceId: BENCH_MARKETPLACE_ID,
          asin,
          audience,
          currency: 'EUR',
          offers: [
            { sellerId: SELLER, sku: seeded.offer.rules.sku, listingMinor: steady ? seeded.offer.rules.maxMinor : 1299, shippingMinor: 0, fba: true, rating: 98 },
            ...(steady ? PRICED_OUT_COMPETITORS : mixOf(Math.floor(i / 2)).competitors),
          ],
        });
        const market = parseOfferChangedNotification(sim.currentNotification(BENCH_MARKETPLACE_ID, asin, audience, SELLER));
        // A steady offer was decided on this very market before (until nothing changes): the tick finds nothing to do.
        // (Its price on Amazon is the one it pushed last.)
        let offer: StoredOffer = steady ? { ...seeded.offer, lastPushedPriceMinor: seeded.offer.rules.maxMinor } : seeded.offer;
        for (let round = 0; steady && round < 5; round++) {
          const next = decideOffer(offer, market, undefined, false, nowMs - 60_000).next;
          if (!next) break;
          offer = { ...next, pendingPush: null, lastPushedPriceMinor: next.pendingPush?.priceMinor ?? next.lastPushedPriceMinor, nextRepriceAtMs: nowMs - 1000 };
        }
        const item = offerToItem(offer);
        offerItemBytes = Math.max(offerItemBytes, itemBytes(item));
        items.push(item);
        items.push(snapshotToItem({ event: market, receivedAtMs: nowMs - 60_000 }));
      }
      await batchWriteAll(client, repricerTable, items);
    }
    const seedMs = performance.now() - seedStarted;

    // Amazon for the tick: snapshots come from the cache (a call would show in getItemOffersBatch); every price
    // submitted is accepted (Amazon is outside the process in production: nothing of it is held here).
    let spApi = { getItemOffersBatch: 0, submitCalls: 0, priceChanges: 0 };
    const amazon: AmazonMarketplace = {
      getMarketSnapshots: async (r) => {
        spApi.getItemOffersBatch++;
        return r.asins.map((asin) => ({ asin, ok: false as const, error: 'not simulated in the tick run' }));
      },
      // Immediate pushes are accepted at once; a bulk feed is SUBMITTED and its processing report (read by the
      // next flush) accepts every message, as Amazon's does for valid prices.
      submitPriceChanges: async (changes, submitOptions) => {
        spApi.submitCalls++;
        spApi.priceChanges += changes.length;
        const bulk = submitOptions.bulk === true;
        return changes.map((c, k) => ({
          sku: c.sku, marketplaceId: c.marketplaceId, audience: c.audience, status: bulk ? ('SUBMITTED' as const) : ('ACCEPTED' as const),
          submissionId: bulk ? `${FEED_SUBMISSION_PREFIX}sim-${spApi.submitCalls}` : `sim-${spApi.submitCalls}-${k}`, issues: [], ...(bulk ? { feedMessageId: k + 1 } : {}),
        }));
      },
      feedOutcome: async () => ({ status: 'DONE', results: new Map() }),
    };
    const deps: RepricerDeps = { store, history, amazon, marketChanges: { publish: async () => undefined }, now: () => clock.now() };
    const jobsQueueUrl = required(messaging.queueUrls.repricerJobs, 'repricerJobs queue');
    const shardTicksQueueUrl = required(messaging.queueUrls.repricerShardTicks, 'repricerShardTicks queue');
    const jobsDlqUrl = required(messaging.deadLetterQueueUrls.repricerJobs, 'repricerJobs DLQ');
    const worker = createWorkerHandler({
      ...deps,
      deadLetters: new SqsDeadLetterQueue(sqs, jobsDlqUrl, 'repricerJobs', repricerWiring.queues.repricerJobs.maxReceiveCount),
      retryLater: new SqsRetryLater(sqs, jobsQueueUrl),
    });
    let largestJobMessageBytes = 0;

    const phase = async (): Promise<TickPhase> => {
      capacity = emptyCapacity(clock.now().getTime());
      sqsRequests = {};
      spApi = { getItemOffersBatch: 0, submitCalls: 0, priceChanges: 0 };
      const started = performance.now();
      const result: TickPhase = {
        decided: 0, changed: 0, unchanged: 0, priceChanges: 0, submitCalls: 0, getItemOffersBatch: 0, stillPending: 0, jobs: 0, failedJobs: 0, capacity, sqsRequests,
        lambdaSeconds: { tick: 0, workers: 0, flush: 0 }, wallMs: 0, fanOutMs: 0, shardTicks: [],
      };
      // The tick runs alone first: the scheduled tick's fan-out, then each shard tick from its queue, one at a time
      // (in AWS each is a Lambda of its own, side by side): each one's time is what its timeout must cover.
      const t0 = performance.now();
      await fanOutTick({ shardTicks: new SqsShardTickSender(sqs, shardTicksQueueUrl) }, { marketplaceId: BENCH_MARKETPLACE_ID, tickMinutes: REPRICER_TICK_MINUTES, scheduledTime: clock.now().toISOString() });
      result.fanOutMs = performance.now() - t0;
      const jobSender = new SqsRepriceJobSender(sqs, jobsQueueUrl);
      for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: shardTicksQueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 }));
        const message = Messages[0];
        if (!message) break;
        const tick = shardTickV1.parse(JSON.parse(message.Body ?? ''));
        const t1 = performance.now();
        // CPU time of this process while the shard tick runs: its own work and the in-process fauxqs answering its
        // sends (DynamoDB Local is a process of its own). On a loaded machine wall time is mostly waiting for a core.
        const cpu0 = process.cpuUsage();
        const plan = await runShardTick({ store, jobs: jobSender, now: () => clock.now() }, tick);
        const cpu = process.cpuUsage(cpu0);
        result.shardTicks.push({ shard: tick.shard, ms: performance.now() - t1, cpuMs: (cpu.user + cpu.system) / 1000, dueOffers: plan.dueOffers, jobs: plan.jobs });
        result.jobs += plan.jobs;
        await sqs.send(new DeleteMessageCommand({ QueueUrl: shardTicksQueueUrl, ReceiptHandle: message.ReceiptHandle! }));
      }
      result.lambdaSeconds.tick = (result.fanOutMs + result.shardTicks.reduce((n, t) => n + t.ms, 0)) / 1000;
      if (options.ticksOnly === true) {
        result.wallMs = performance.now() - started;
        return result;
      }
      const batchSize = repricerWiring.functions.repricerWorker.triggers[0].batchSize;
      const receive = async (): Promise<void> => {
        for (;;) {
          const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: jobsQueueUrl, MaxNumberOfMessages: batchSize, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] }));
          if (Messages.length === 0) {
            if (await queueEmpty(sqs, jobsQueueUrl)) return;
            await new Promise((r) => setTimeout(r, 20));
            continue;
          }
          const event: SQSEvent = {
            Records: Messages.map((m) => {
              largestJobMessageBytes = Math.max(largestJobMessageBytes, Buffer.byteLength(m.Body ?? '', 'utf8'));
              return {
                messageId: m.MessageId!, receiptHandle: m.ReceiptHandle!, body: m.Body!, attributes: { ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1' },
                messageAttributes: {}, md5OfBody: m.MD5OfBody ?? '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:local:000000000000:sellerops-repricer-jobs', awsRegion: LOCAL_REGION,
              } as SQSEvent['Records'][number];
            }),
          };
          const t0 = performance.now();
          const { batchItemFailures } = await worker(event, {} as Context);
          result.lambdaSeconds.workers += (performance.now() - t0) / 1000;
          result.failedJobs += batchItemFailures.length;
          const done = Messages.filter((m) => !batchItemFailures.some((f) => f.itemIdentifier === m.MessageId));
          if (done.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: jobsQueueUrl, Entries: done.map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle! })) }));
        }
      };
      await Promise.all(Array.from({ length: options.concurrency ?? 8 }, receive));
      // The flush runs every minute with one feed's worth at most; until nothing is left pending.
      const t1 = performance.now();
      for (;;) {
        const flushed = await flushPendingPushes(deps, { limit: SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed });
        if (flushed.offers === 0) break;
      }
      result.lambdaSeconds.flush = (performance.now() - t1) / 1000;
      Object.assign(result, spApi);
      result.wallMs = performance.now() - started;
      return result;
    };

    // Decided and changed offers are read back from the table (not counted: not part of a tick).
    /**
   * After a tick: which offers changed (decided anew), what their writes cost and what the unchanged ones' cost, and
   * price range checks. Then the snapshot cache gets the market as Amazon's notifications would report it with the
   * pushed prices applied, so the next tick decides on what Amazon shows. Nothing here counts as the tick's.
   */
  const tally = async (since: number): Promise<{ decided: number; changed: number; pending: number; violations: number }> => {
      const saved = capacity;
      capacity = emptyCapacity();
      let decided = 0;
      let changed = 0;
      let violations = 0;
      let pending = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({ TableName: repricerTable, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': `TENANT#${TENANT}`, ':p': 'OFFER#' }, Limit: 1000, ...(start ? { ExclusiveStartKey: start } : {}) }),
        );
        const sim = new SimulatedMarketplace({ clock, seed: 11 });
        const snapshots: Record<string, unknown>[] = [];
        for (const item of page.Items ?? []) {
          const offer = JSON.parse(String(item.doc)) as StoredOffer;
          const r = offer.rules;
          if (offer.lastDecisionAtMs >= since) changed++;
          const asinNumber = Number(/\d+$/.exec(r.asin)?.[0] ?? 0);
          sim.addListing({
            marketplaceId: r.marketplaceId,
            asin: r.asin,
            audience: r.audience,
            currency: r.currency,
            offers: [
              { sellerId: SELLER, sku: r.sku, listingMinor: offer.lastPushedPriceMinor ?? 1299, shippingMinor: 0, fba: true, rating: 98 },
              ...((realistic ? asinNumber : Math.floor(asinNumber / 2)) % 2 === 1 ? PRICED_OUT_COMPETITORS : mixOf(realistic ? asinNumber : Math.floor(asinNumber / 2)).competitors),
            ],
          });
          snapshots.push(snapshotToItem({ event: parseOfferChangedNotification(sim.currentNotification(r.marketplaceId, r.asin, r.audience, SELLER)), receivedAtMs: clock.now().getTime() }));
          if (offer.pendingPush) pending++;
          decided++;
          const p = offer.lastPushedPriceMinor;
          if (p !== null && (p < offer.rules.minMinor || p > offer.rules.maxMinor)) violations++;
          for (const t of offer.pendingPush?.tiers ?? []) if (t.priceMinor > offer.rules.maxMinor) violations++;
        }
        await batchWriteAll(client, repricerTable, snapshots);
        start = page.LastEvaluatedKey;
      } while (start);
      capacity = saved;
      return { decided, changed, pending, violations };
    };

    const first = await phase();
    if (options.ticksOnly === true) {
      return {
        offers: options.offers, realistic, engine, seedMs, offerItemBytes, largestJobMessageBytes, first, second: first, offersPerSecond: 0,
        writeUnitsPerChangedOffer: 0, writeUnitsPerUnchangedOffer: 0, readUnitsPerOffer: first.capacity.read / Math.max(1, options.offers),
        feeds: { needed: 0, quotaPer5Min: SP_API_QUOTAS.jsonListingsFeed.feedsPerFiveMinutes }, priceRangeViolations: 0, peakRssMb: process.resourceUsage().maxRSS / 1024,
      };
    }
    const afterFirst = await tally(nowMs);
    first.decided = afterFirst.decided;
    first.changed = afterFirst.changed;
    first.unchanged = first.decided - first.changed;
    first.stillPending = afterFirst.pending;

    clock.advance(10 * 60_000);
    const secondStartMs = clock.now().getTime();
    const second = await phase();
    const afterSecond = await tally(secondStartMs);
    second.decided = afterSecond.decided;
    second.changed = afterSecond.changed;
    second.unchanged = second.decided - second.changed;
    second.stillPending = afterSecond.pending;
    const dlq = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: jobsDlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    const deadLettered = Number(dlq.Attributes?.ApproximateNumberOfMessages ?? 0);
    second.failedJobs += deadLettered;

    const writesPerChanged = (first.capacity.writesForChanged + second.capacity.writesForChanged) / Math.max(1, first.changed + second.changed);
    const unchangedWrites = first.capacity.writesForUnchanged + second.capacity.writesForUnchanged;
    const unchangedOffers = first.unchanged + second.unchanged;
    return {
      offers: options.offers,
      realistic,
      engine,
      seedMs,
      offerItemBytes,
      largestJobMessageBytes,
      first,
      second,
      offersPerSecond: first.decided / (first.wallMs / 1000),
      writeUnitsPerChangedOffer: writesPerChanged,
      writeUnitsPerUnchangedOffer: unchangedOffers > 0 ? unchangedWrites / unchangedOffers : 0,
      readUnitsPerOffer: first.capacity.read / Math.max(1, first.decided),
      feeds: { needed: Math.ceil(first.priceChanges / SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed), quotaPer5Min: SP_API_QUOTAS.jsonListingsFeed.feedsPerFiveMinutes },
      priceRangeViolations: afterFirst.violations + afterSecond.violations,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    sqs.destroy();
    raw.destroy();
    await messaging.stop();
    await dynamo.stop();
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not wired`);
  return value;
}

function emptyCapacity(since = 0): CapacityUse {
  return { read: 0, write: 0, byTarget: {}, since, writesForChanged: 0, writesForUnchanged: 0 };
}

/**
 * When the offer an offer item or a history row belongs to was last decided (undefined for anything else:
 * settings, snapshots): an offer item carries it in its document, a history row's sort key starts with it.
 */
function decidedAtOfItem(item: Record<string, unknown> | undefined): number | undefined {
  const pk = typeof item?.pk === 'string' ? item.pk : '';
  const sk = typeof item?.sk === 'string' ? item.sk : '';
  if (pk.startsWith('TENANT#') && sk.startsWith('OFFER#') && typeof item?.doc === 'string') return (JSON.parse(item.doc) as StoredOffer).lastDecisionAtMs;
  if (pk.startsWith('HIST#')) return Date.parse(sk.slice(0, sk.indexOf('#')));
  return undefined;
}

interface ConsumedCapacity {
  TableName?: string;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }>;
}

const READS = /^(Get|BatchGet|Query)/;
const WRITES = /^(Put|Update|Delete|BatchWrite)/;

/** Asks every request for its consumed capacity, index by index, and adds it to the current phase's tally. */
function countCapacity(client: DynamoDBDocumentClient, current: () => CapacityUse): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = context.commandName ?? '';
      const counted = READS.test(op) || WRITES.test(op);
      if (counted) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      if (!counted) return result;
      const raw = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      const use = current();
      const kind = WRITES.test(op) ? 'write' : 'read';
      const input = args.input as { Item?: Record<string, unknown>; Key?: Record<string, unknown>; RequestItems?: Record<string, { PutRequest?: { Item?: Record<string, unknown> } }[]> };
      const units = (u: { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined): number =>
        u?.CapacityUnits ?? (kind === 'write' ? u?.WriteCapacityUnits : u?.ReadCapacityUnits) ?? 0;
      for (const c of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
        if (kind === 'write') {
          // A batch's units are shared evenly by its items (they are the same size to within a few bytes).
          const items = input.Item ? [input.Item] : (input.RequestItems?.[c.TableName ?? ''] ?? []).map((r) => r.PutRequest?.Item);
          for (const item of items) {
            const decidedAt = decidedAtOfItem(item);
            if (decidedAt === undefined) continue;
            if (decidedAt >= use.since) use.writesForChanged += units(c) / items.length;
            else use.writesForUnchanged += units(c) / items.length;
          }
        }
        use[kind] += units(c);
        const table = c.TableName ?? '?';
        const add = (target: string, n: number): void => {
          const t = (use.byTarget[target] ??= { read: 0, write: 0 });
          t[kind] += n;
        };
        add(table, c.Table ? units(c.Table) : units(c));
        for (const [index, u] of Object.entries(c.GlobalSecondaryIndexes ?? {})) add(`${table}/${index}`, units(u));
      }
      return result;
    },
    { step: 'initialize', name: 'countCapacity' },
  );
}

async function queueEmpty(sqs: SQSClient, queueUrl: string): Promise<boolean> {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) === 0 && Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) === 0;
}

async function batchWriteAll(client: DynamoDBDocumentClient, tableName: string, items: readonly Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(
      batches.slice(i, i + 8).map(async (batch) => {
        let pending: Record<string, unknown>[] = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const { UnprocessedItems = {} } = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = UnprocessedItems[tableName] ?? [];
        }
      }),
    );
  }
}

/** DynamoDB's item size: attribute names plus values (strings as UTF-8, numbers ≈ their digits). */
function itemBytes(item: Record<string, unknown>): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) n += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : String(v).length);
  return n;
}
