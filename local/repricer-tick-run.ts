/**
 * An end-to-end repricing tick on the local building blocks (dynalite + the DynamoDB adapter + the simulated
 * marketplace behind the port): N offers in one marketplace are loaded, their snapshots cached (as notifications
 * would have), then one tick is planned, fanned out, decided, stored and pushed (bulk flush). Used by
 * bench/repricer-tick.bench.ts (100,000 offers) and test/repricer-service (400).
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoRepricerStore, offerToItem, snapshotToItem } from '#shared/adapters/dynamodb/repricer-store.ts';
import { ManualClock } from '#shared/kernel/clock.ts';
import { SimulatedMarketplace } from '#shared/marketplace-sim/simulated-marketplace.ts';
import { COMPETITOR_MIXES } from '#shared/marketplace-sim/scenarios.ts';
import { parseOfferChangedNotification } from '#shared/repricer/notification.ts';
import { toOfferRules } from '#shared/repricer/rules.ts';
import { newStoredOffer, type RepriceJob } from '#shared/repricer/model.ts';
import type { RepricerDeps } from '#shared/repricer/ports.ts';
import { flushPendingPushes } from '#shared/repricer/pushes.ts';
import { repriceJob } from '#shared/repricer/reprice-job.ts';
import { runTick } from '#shared/repricer/tick.ts';
import type { AmazonMarketplace } from '#shared/repricer/ports.ts';
import { LOCAL_REGION } from './aws-env.ts';
import { startLocalDynamo } from './dynamodb.ts';

export interface TickRunResult {
  offers: number;
  seedMs: number;
  tickMs: number;
  decided: number;
  changed: number;
  pushed: number;
  jobs: number;
  offersPerSecond: number;
  dynamo: Record<string, { requests: number; items: number }>;
  readItemsPerOffer: number;
  writeRequestsPerChangedOffer: number;
  spApi: { getItemOffersBatch: number; submitCalls: number; priceChanges: number; feedsNeeded: number; feedQuotaPer5Min: number };
  priceRangeViolations: number;
  secondTick: { decided: number; changed: number; writes: number };
}

export async function runLocalTick(options: { offers: number; concurrency?: number }): Promise<TickRunResult> {
  const dynamo = await startLocalDynamo();
  const counts: Record<string, { requests: number; items: number }> = {};
  const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  let counting = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (counting) {
        const op = context.commandName ?? 'unknown';
        const c = (counts[op] ??= { requests: 0, items: 0 });
        c.requests++;
        const out = result.output as { Items?: unknown[]; Responses?: Record<string, unknown[]> };
        const input = args.input as { RequestItems?: Record<string, unknown[]> };
        c.items += out.Items?.length ?? Object.values(out.Responses ?? {}).reduce((n, r) => n + r.length, 0);
        if (op === 'BatchWriteItemCommand') c.items += Object.values(input.RequestItems ?? {}).reduce((n, r) => n + r.length, 0);
        if (op === 'PutItemCommand' || op === 'GetItemCommand') c.items++;
      }
      return result;
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const store = new DynamoRepricerStore(client, 'sellerops-repricer');
  const clock = new ManualClock(new Date('2025-03-03T08:00:00Z'));
  const sim = new SimulatedMarketplace({ clock, seed: 7 });
  const mkt = 'A1PA6795UKMFR9';
  const seller = 'A2BENCHSELLER1';
  const tenant = 'bench-tenant';
  const seedStarted = performance.now();
  const mixes = COMPETITOR_MIXES.filter((m) => m.name === 'static-field' || m.name === 'undercutters');
  const offerItems: Record<string, unknown>[] = [];
  const snapshotItems: Record<string, unknown>[] = [];
  const nowMs = clock.now().getTime();
  for (let i = 0; i < options.offers; i++) {
    const asin = `B1${String(i).padStart(8, '0')}`;
    sim.addListing({
      marketplaceId: mkt,
      asin,
      audience: 'B2C',
      currency: 'EUR',
      offers: [{ sellerId: seller, sku: `S${i}`, listingMinor: 1299, shippingMinor: 0, fba: true, rating: 98 }, ...mixes[i % mixes.length]!.competitors],
    });
    const rules = toOfferRules({ sku: `S${i}`, asin, marketplaceId: mkt, strategy: 'buybox', currency: 'EUR', min: '8.00', max: '15.00', step: '0.05', competitors: 'buybox-eligible' }, 'bench');
    offerItems.push(offerToItem({ ...newStoredOffer(tenant, seller, rules, nowMs - 1000), version: 1 }));
    snapshotItems.push(snapshotToItem({ event: parseOfferChangedNotification(sim.currentNotification(mkt, asin, 'B2C', seller)), receivedAtMs: nowMs - 60_000 }));
  }
  await store.saveSettings({ tenantId: tenant, sellerId: seller, dryRun: false, paused: false, version: 1 });
  const items = [...offerItems, ...snapshotItems];
  for (let i = 0; i < items.length; i += 25 * 8) {
    await Promise.all(
      Array.from({ length: 8 }, (_, k) => items.slice(i + k * 25, i + (k + 1) * 25)).filter((b) => b.length > 0).map((batch) =>
        client.send(new BatchWriteCommand({ RequestItems: { 'sellerops-repricer': batch.map((Item) => ({ PutRequest: { Item } })) } })),
      ),
    );
  }
  const seedMs = performance.now() - seedStarted;

  let submitCalls = 0;
  let priceChanges = 0;
  let snapshotCalls = 0;
  const amazon: AmazonMarketplace = {
    getMarketSnapshots: (r) => {
      snapshotCalls++;
      return sim.getMarketSnapshots(r);
    },
    submitPriceChanges: (c, o) => {
      submitCalls++;
      priceChanges += c.length;
      return sim.submitPriceChanges(c, o);
    },
    feedOutcome: (sellerId, feedId, messages) => sim.feedOutcome(sellerId, feedId, messages),
  };
  const deps: RepricerDeps = { store, amazon, marketChanges: { publish: async () => undefined }, now: () => clock.now() };
  const jobs: RepriceJob[] = [];
  counting = true;
  const started = performance.now();
  const plan = await runTick({ store, jobs: { send: async (j) => void jobs.push(...j) }, now: () => clock.now() }, { marketplaceId: mkt, tickMinutes: 5 });
  let decided = 0;
  let changed = 0;
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const r = await repriceJob(deps, JSON.parse(JSON.stringify(job)) as RepriceJob);
      decided += r.decided;
      changed += r.changed;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  const submitted = await flushPendingPushes(deps, { limit: 1_000_000 });
  // The feeds' processing reports are there after the simulated Amazon's 2 minutes: the next flush reads them
  // and only then are the prices pushed (accepted by Amazon).
  clock.advance(3 * 60_000);
  const reported = await flushPendingPushes(deps, { limit: 1_000_000 });
  const flushed = { ...submitted, pushed: submitted.pushed + reported.pushed };
  const tickMs = performance.now() - started;
  counting = false;
  const dynamoCounts = structuredClone(counts);
  const readItems = Object.entries(counts).filter(([op]) => /Query|Get/.test(op)).reduce((n, [, c]) => n + c.items, 0);
  const writeRequests = Object.entries(counts).filter(([op]) => /Put|BatchWrite|Update/.test(op)).reduce((n, [, c]) => n + c.requests, 0);

  // Range check on what was pushed, and a second tick in a steady market: no change, no write.
  let violations = 0;
  for (const offer of await store.listOffers(tenant)) {
    const p = offer.lastPushedPriceMinor;
    if (p !== null && (p < offer.rules.minMinor || p > offer.rules.maxMinor)) violations++;
  }
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- empties the per-operation counters in place
  for (const k of Object.keys(counts)) delete counts[k];
  clock.advance(7 * 60_000);
  // Prices applied: feed the resulting notifications into the snapshot cache, then tick again.
  const second = { decided: 0, changed: 0, writes: 0 };
  const jobs2: RepriceJob[] = [];
  counting = true;
  await runTick({ store, jobs: { send: async (j) => void jobs2.push(...j) }, now: () => clock.now() }, { marketplaceId: mkt, tickMinutes: 5 });
  counting = false;
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- empties the per-operation counters in place
  for (const k of Object.keys(counts)) delete counts[k];
  const sample = jobs2.slice(0, 5);
  counting = true;
  for (const job of sample) {
    const r = await repriceJob(deps, job);
    second.decided += r.decided;
    second.changed += r.changed;
  }
  counting = false;
  second.writes = Object.entries(counts).filter(([op]) => /Put|BatchWrite/.test(op)).reduce((n, [, c]) => n + c.requests, 0);
  await dynamo.stop();
  raw.destroy();
  return {
    offers: options.offers,
    seedMs,
    tickMs,
    decided,
    changed,
    pushed: flushed.pushed,
    jobs: plan.jobs,
    offersPerSecond: decided / (tickMs / 1000),
    dynamo: dynamoCounts,
    readItemsPerOffer: readItems / Math.max(1, decided),
    writeRequestsPerChangedOffer: writeRequests / Math.max(1, changed),
    spApi: { getItemOffersBatch: snapshotCalls, submitCalls, priceChanges, feedsNeeded: Math.ceil(priceChanges / 25_000), feedQuotaPer5Min: 5 },
    priceRangeViolations: violations,
    secondTick: second,
  };
}
