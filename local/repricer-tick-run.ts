/**
 * An end-to-end repricing tick on the local building blocks: N offers of one seller in one marketplace are loaded
 * (streamed, 1,000 at a time), their snapshots cached (as notifications would have), then a tick pages the `due`
 * index shard by shard (the scheduled tick's shard ticks, through their queue, one after the other, each timed: in
 * AWS each is a Lambda of its own) and sends its jobs (keys) through the real SQS adapter to a queue (fauxqs, with
 * SQS's size limits); workers receive them and run the worker Lambda's handler; the bulk flush pushes. A second
 * tick, ten minutes later on the same market, shows what a tick costs when nothing changed.
 *
 * Two kinds of process, as in AWS: this one is the harness (DynamoDB, the queues, the seeding, the simulated market
 * and the checks after each tick); the functions (shard ticks, workers, flush) each run in a process of their own
 * (`repricer-tick-functions.ts`) against the harness's endpoints, so their peak RSS is theirs alone.
 *
 * Measured: DynamoDB read and write units (ReturnConsumedCapacity INDEXES: exact on DynamoDB Local, which models
 * the index writes), SQS requests and message sizes, Lambda seconds, and the peak RSS of each function's process
 * and of the harness. Used by bench/repricer-tick.bench.ts and, small, by test/repricer-service.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoRepricerStore, offerToItem, snapshotToItem } from '#shared/adapters/dynamodb/repricer-store.ts';
import { ManualClock } from '#shared/kernel/clock.ts';
import { SimulatedMarketplace } from '#shared/marketplace-sim/simulated-marketplace.ts';
import { COMPETITOR_MIXES } from '#shared/marketplace-sim/scenarios.ts';
import { parseOfferChangedNotification } from '#shared/repricer/notification.ts';
import type { StoredOffer } from '#shared/repricer/model.ts';
import { decideOffer } from '#shared/repricer/offer-decision.ts';
import { SP_API_QUOTAS } from '#shared/repricer/quotas.ts';
import { tables } from '#infra/wiring.ts';
import { LOCAL_REGION, localCredentials } from './aws-env.ts';
import { startDynamoDbLocal, startLocalDynamo } from './dynamodb.ts';
import { startLocalMessaging } from './messaging.ts';
import { BENCH_MARKETPLACE_ID, benchOffer } from './repricer-offers.ts';
import { addCapacity, emptyCapacity, startTickFunction, type CapacityUse, type ShardTickRun, type TickFunctionProcess, type TickFunctionRole, type TickFunctionsReport } from './repricer-tick-functions.ts';

export type { CapacityUse } from './repricer-tick-functions.ts';

export interface TickRunOptions {
  readonly offers: number;
  /** Workers receiving from the queue at once (the worker Lambda's concurrency), each in a process of its own. */
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
  shardTicks: ShardTickRun[];
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
  /**
   * Peak RSS of the functions: the largest of their processes (each role of each tick runs in its own), MB. What the
   * tick's memory goal is about: in AWS each function is a Lambda with its own memory.
   */
  peakRssMb: number;
  /** Each function's peak over both ticks (the workers': the largest of their processes), MB. */
  peakRssByFunctionMb: Partial<Record<TickFunctionRole, number>>;
  /** Peak RSS of the harness's process (seeding, simulated market, in-process queues, dynalite when used), MB. */
  harnessPeakRssMb: number;
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
  let stopFunctions = (): void => undefined;
  try {
    const repricerTable = tables.repricer!.name;
    const store = new DynamoRepricerStore(client, repricerTable);
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

    const jobsQueueUrl = required(messaging.queueUrls.repricerJobs, 'repricerJobs queue');
    const shardTicksQueueUrl = required(messaging.queueUrls.repricerShardTicks, 'repricerShardTicks queue');
    const jobsDlqUrl = required(messaging.deadLetterQueueUrls.repricerJobs, 'repricerJobs DLQ');
    let largestJobMessageBytes = 0;
    const peakRssByFunctionMb: Partial<Record<TickFunctionRole, number>> = {};
    // One process per function instance for the run (started on first use), as a warm Lambda serves tick after tick:
    // the tick's, the flush's and one per concurrent worker (each takes one batch at a time, as a Lambda instance).
    const processes = new Map<string, TickFunctionProcess>();
    stopFunctions = () => processes.forEach((p) => p.stop());

    const phase = async (): Promise<TickPhase> => {
      const capacity = emptyCapacity(clock.now().getTime());
      const sqsRequests: Record<string, number> = {};
      const started = performance.now();
      const result: TickPhase = {
        decided: 0, changed: 0, unchanged: 0, priceChanges: 0, submitCalls: 0, getItemOffersBatch: 0, stillPending: 0, jobs: 0, failedJobs: 0, capacity, sqsRequests,
        lambdaSeconds: { tick: 0, workers: 0, flush: 0 }, wallMs: 0, fanOutMs: 0, shardTicks: [],
      };
      /** One function instance in its own process, on this tick's clock; what it consumed is added to the tick's. */
      const run = async (role: TickFunctionRole, instance = 0): Promise<TickFunctionsReport> => {
        const key = `${role}#${instance}`;
        const fn = processes.get(key) ?? startTickFunction(role);
        processes.set(key, fn);
        const report = await fn.run({
          role, dynamoEndpoint: dynamo.endpoint, sqsEndpoint: messaging.sqsEndpoint, sqsCredentials: localCredentials(), jobsQueueUrl, jobsDlqUrl, shardTicksQueueUrl,
          nowMs: clock.now().getTime(),
        });
        addCapacity(capacity, report.capacity);
        for (const [op, n] of Object.entries(report.sqsRequests)) sqsRequests[op] = (sqsRequests[op] ?? 0) + n;
        result.getItemOffersBatch += report.spApi.getItemOffersBatch;
        result.submitCalls += report.spApi.submitCalls;
        result.priceChanges += report.spApi.priceChanges;
        result.lambdaSeconds[role] += report.lambdaSeconds;
        peakRssByFunctionMb[role] = Math.max(peakRssByFunctionMb[role] ?? 0, report.peakRssMb);
        return report;
      };
      // The tick runs alone first: the scheduled tick's fan-out, then each shard tick from its queue, one at a time.
      const tick = await run('tick');
      result.fanOutMs = tick.fanOutMs;
      result.shardTicks = [...tick.shardTicks];
      result.jobs = tick.jobs;
      if (options.ticksOnly === true) {
        result.wallMs = performance.now() - started;
        return result;
      }
      const workers = await Promise.all(Array.from({ length: options.concurrency ?? 8 }, (_, k) => run('workers', k)));
      for (const w of workers) {
        result.failedJobs += w.failedJobs;
        largestJobMessageBytes = Math.max(largestJobMessageBytes, w.largestJobMessageBytes);
      }
      await run('flush');
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
      return { decided, changed, pending, violations };
    };

    const first = await phase();
    if (options.ticksOnly === true) {
      return {
        offers: options.offers, realistic, engine, seedMs, offerItemBytes, largestJobMessageBytes, first, second: first, offersPerSecond: 0,
        writeUnitsPerChangedOffer: 0, writeUnitsPerUnchangedOffer: 0, readUnitsPerOffer: first.capacity.read / Math.max(1, options.offers),
        feeds: { needed: 0, quotaPer5Min: SP_API_QUOTAS.jsonListingsFeed.feedsPerFiveMinutes }, priceRangeViolations: 0,
        peakRssMb: functionsPeak(peakRssByFunctionMb), peakRssByFunctionMb, harnessPeakRssMb: process.resourceUsage().maxRSS / 1024,
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
      peakRssMb: functionsPeak(peakRssByFunctionMb),
      peakRssByFunctionMb,
      harnessPeakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    stopFunctions();
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

/** The functions' peak RSS: the largest of their processes. */
function functionsPeak(byFunction: Partial<Record<TickFunctionRole, number>>): number {
  return Math.max(0, ...Object.values(byFunction));
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
