/**
 * The functions of a repricing tick (the shard ticks, the worker, the bulk flush) as the local tick run
 * (`local/repricer-tick-run.ts`) runs them: each in a process of its own, apart from the harness that seeds the offers,
 * holds the simulated market, the in-process queues (fauxqs) and DynamoDB (dynalite, or DynamoDB Local's Java
 * process). In AWS each function is a Lambda with its own memory; so the peak RSS of these processes is the figure
 * the tick's memory goal is about, and the harness's is printed beside it.
 *
 * Each role has its process (`startTickFunction`) for the whole run, runs in it once per tick against the harness's
 * endpoints, and reports what it consumed (DynamoDB capacity units, SQS requests, SP-API calls, run time) and its
 * process's peak RSS so far.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteMessageBatchCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { interceptLocalhostDns } from 'fauxqs';
import { DynamoRepricerStore } from '#shared/adapters/dynamodb/repricer-store.ts';
import { DynamoPriceHistory } from '#shared/adapters/dynamodb/price-history.ts';
import { SqsRepriceJobSender } from '#shared/adapters/sqs/reprice-job-sender.ts';
import { SqsRetryLater } from '#shared/adapters/sqs/retry-later.ts';
import { SqsDeadLetterQueue } from '#shared/adapters/sqs/dead-letter-queue.ts';
import { SqsShardTickSender } from '#shared/adapters/sqs/shard-tick-sender.ts';
import { shardTickV1 } from '#shared/contracts/repricer-messages.ts';
import type { StoredOffer } from '#shared/repricer/model.ts';
import { FEED_SUBMISSION_PREFIX, type AmazonMarketplace, type RepricerDeps } from '#shared/repricer/ports.ts';
import { flushPendingPushes } from '#shared/repricer/pushes.ts';
import { fanOutTick, runShardTick } from '#shared/repricer/tick.ts';
import { SP_API_QUOTAS } from '#shared/repricer/quotas.ts';
import { tables } from '#infra/wiring.ts';
import { repricer as repricerWiring, REPRICER_TICK_MINUTES } from '#infra/wiring/repricer.ts';
import { createHandler as createWorkerHandler } from '../functions/repricer-worker/handler.ts';
import { LOCAL_REGION } from './aws-env.ts';
import { BENCH_MARKETPLACE_ID } from './repricer-offers.ts';

/**
 * `tick`: the scheduled tick's fan-out and every shard tick, one at a time; `workers`: one worker instance taking one
 * batch at a time from the jobs queue until it is empty (the run starts one process per concurrent worker);
 * `flush`: the bulk flush until nothing is pending.
 */
export type TickFunctionRole = 'tick' | 'workers' | 'flush';

export interface TickFunctionsRequest {
  readonly role: TickFunctionRole;
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
  /** The harness's local credentials: its fauxqs checks every request's signature against its own secret. */
  readonly sqsCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly jobsQueueUrl: string;
  readonly jobsDlqUrl: string;
  readonly shardTicksQueueUrl: string;
  /** The tick's time (the functions' clock): an offer decided at or after it changed in this tick. */
  readonly nowMs: number;
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

export interface ShardTickRun {
  readonly shard: number;
  readonly ms: number;
  readonly cpuMs: number;
  readonly dueOffers: number;
  readonly jobs: number;
}

export interface TickFunctionsReport {
  readonly role: TickFunctionRole;
  readonly capacity: CapacityUse;
  readonly sqsRequests: Record<string, number>;
  readonly spApi: { getItemOffersBatch: number; submitCalls: number; priceChanges: number };
  /** Summed Lambda run time of the role: the fan-out and shard ticks, the worker invocations, or the flush calls. */
  readonly lambdaSeconds: number;
  readonly fanOutMs: number;
  readonly shardTicks: readonly ShardTickRun[];
  readonly jobs: number;
  /** Batch item failures the worker handler reported. */
  readonly failedJobs: number;
  readonly largestJobMessageBytes: number;
  /** Peak RSS of this role's process so far (`process.resourceUsage().maxRSS`), MB. */
  readonly peakRssMb: number;
  /** V8's heap in use when the role finished (after a full collection when `--expose-gc` is given), MB. */
  readonly heapUsedMb: number;
}

/** A function's process: runs its role once per tick, as a warm Lambda would; `stop` ends it. */
export interface TickFunctionProcess {
  run(request: TickFunctionsRequest): Promise<TickFunctionsReport>;
  stop(): void;
}

/** Starts the Node process (tsx) one role of the functions runs in, for every tick of the run. */
export function startTickFunction(role: TickFunctionRole): TickFunctionProcess {
  const child = fork(fileURLToPath(new URL('./repricer-tick-functions-process.ts', import.meta.url)), [], {
    // Only tsx: not the parent's flags (vitest's, a bench's heap limit), so each role starts as a Lambda would.
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exited: string | undefined;
  let waiting: { resolve: (r: TickFunctionsReport) => void; reject: (e: Error) => void } | undefined;
  child.on('message', (m: { report?: TickFunctionsReport; error?: string }) => {
    const w = waiting;
    waiting = undefined;
    if (m.report) w?.resolve(m.report);
    else w?.reject(new Error(`the ${role} process failed: ${m.error ?? 'without a reason'}`));
  });
  const ended = (why: string): void => {
    exited = why;
    waiting?.reject(new Error(`the ${role} process ${why} before it reported`));
    waiting = undefined;
  };
  child.on('error', (e) => ended(`failed (${e.message})`));
  child.on('exit', (code) => ended(`exited (${String(code)})`));
  return {
    run: (request) =>
      new Promise<TickFunctionsReport>((resolve, reject) => {
        if (request.role !== role) throw new Error(`the ${role} process cannot run ${request.role}`);
        if (exited !== undefined) throw new Error(`the ${role} process ${exited}`);
        waiting = { resolve, reject };
        child.send(request);
      }),
    stop: () => {
      if (exited === undefined && child.connected) child.disconnect();
    },
  };
}

/** What runs inside the role's process. */
export async function runTickFunctionRole(request: TickFunctionsRequest): Promise<TickFunctionsReport> {
  // fauxqs names queues http://sqs.<region>.localhost:<port>/…: resolve *.localhost to loopback here too.
  interceptLocalhostDns();
  const raw = new DynamoDBClient({ endpoint: request.dynamoEndpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({ region: LOCAL_REGION, endpoint: request.sqsEndpoint, credentials: request.sqsCredentials });
  const capacity = emptyCapacity(request.nowMs);
  const sqsRequests: Record<string, number> = {};
  countCapacity(client, capacity);
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const op = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const result = await next(args);
      // What a tick costs in SQS: sends, the receives that got jobs (Lambda's pollers' empty long polls are a
      // flat cost of the event source, not per offer) and deletes; the run's own queue-depth checks are left out.
      const empty = op === 'ReceiveMessage' && ((result.output as { Messages?: unknown[] }).Messages ?? []).length === 0;
      if (op !== 'GetQueueAttributes' && !empty) sqsRequests[op] = (sqsRequests[op] ?? 0) + 1;
      return result;
    },
    { step: 'initialize', name: 'countSqsRequests' },
  );
  const spApi = { getItemOffersBatch: 0, submitCalls: 0, priceChanges: 0 };
  // Amazon for the tick: snapshots come from the cache (a call would show in getItemOffersBatch); every price
  // submitted is accepted (Amazon is outside the functions in production: nothing of it is held here).
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
  const now = (): Date => new Date(request.nowMs);
  const deps: RepricerDeps = {
    store: new DynamoRepricerStore(client, required(tables.repricer, 'repricer table').name),
    history: new DynamoPriceHistory(client, required(tables.repricerHistory, 'repricer history table').name),
    amazon,
    marketChanges: { publish: async () => undefined },
    now,
  };
  const report = { role: request.role, capacity, sqsRequests, spApi, lambdaSeconds: 0, fanOutMs: 0, shardTicks: [] as ShardTickRun[], jobs: 0, failedJobs: 0, largestJobMessageBytes: 0 };
  try {
    if (request.role === 'tick') {
      // The scheduled tick's fan-out, then each shard tick from its queue, one at a time (in AWS each is a Lambda
      // of its own, side by side): each one's time is what its timeout must cover.
      const t0 = performance.now();
      await fanOutTick({ shardTicks: new SqsShardTickSender(sqs, request.shardTicksQueueUrl) }, { marketplaceId: BENCH_MARKETPLACE_ID, tickMinutes: REPRICER_TICK_MINUTES, scheduledTime: now().toISOString() });
      report.fanOutMs = performance.now() - t0;
      const jobSender = new SqsRepriceJobSender(sqs, request.jobsQueueUrl);
      for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: request.shardTicksQueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 }));
        const message = Messages[0];
        if (!message) break;
        const tick = shardTickV1.parse(JSON.parse(message.Body ?? ''));
        const t1 = performance.now();
        // CPU time of this process while the shard tick runs: its own work and the SDK's (fauxqs and DynamoDB now
        // answer from the harness's process). On a loaded machine wall time is mostly waiting for a core.
        const cpu0 = process.cpuUsage();
        const plan = await runShardTick({ store: deps.store, jobs: jobSender, now }, tick);
        const cpu = process.cpuUsage(cpu0);
        report.shardTicks.push({ shard: tick.shard, ms: performance.now() - t1, cpuMs: (cpu.user + cpu.system) / 1000, dueOffers: plan.dueOffers, jobs: plan.jobs });
        report.jobs += plan.jobs;
        await sqs.send(new DeleteMessageCommand({ QueueUrl: request.shardTicksQueueUrl, ReceiptHandle: message.ReceiptHandle! }));
      }
      report.lambdaSeconds = (report.fanOutMs + report.shardTicks.reduce((n, t) => n + t.ms, 0)) / 1000;
    } else if (request.role === 'workers') {
      const worker = createWorkerHandler({
        ...deps,
        deadLetters: new SqsDeadLetterQueue(sqs, request.jobsDlqUrl, 'repricerJobs', repricerWiring.queues.repricerJobs.maxReceiveCount),
        retryLater: new SqsRetryLater(sqs, request.jobsQueueUrl),
      });
      const batchSize = repricerWiring.functions.repricerWorker.triggers[0].batchSize;
      const receive = async (): Promise<void> => {
        for (;;) {
          const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: request.jobsQueueUrl, MaxNumberOfMessages: batchSize, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] }));
          if (Messages.length === 0) {
            if (await queueEmpty(sqs, request.jobsQueueUrl)) return;
            await new Promise((r) => setTimeout(r, 20));
            continue;
          }
          const event: SQSEvent = {
            Records: Messages.map((m) => {
              report.largestJobMessageBytes = Math.max(report.largestJobMessageBytes, Buffer.byteLength(m.Body ?? '', 'utf8'));
              return {
                messageId: m.MessageId!, receiptHandle: m.ReceiptHandle!, body: m.Body!, attributes: { ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1' },
                messageAttributes: {}, md5OfBody: m.MD5OfBody ?? '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:local:000000000000:sellerops-repricer-jobs', awsRegion: LOCAL_REGION,
              } as SQSEvent['Records'][number];
            }),
          };
          const t0 = performance.now();
          const { batchItemFailures } = await worker(event, {} as Context);
          report.lambdaSeconds += (performance.now() - t0) / 1000;
          report.failedJobs += batchItemFailures.length;
          const done = Messages.filter((m) => !batchItemFailures.some((f) => f.itemIdentifier === m.MessageId));
          if (done.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: request.jobsQueueUrl, Entries: done.map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle! })) }));
        }
      };
      await receive();
    } else {
      // The flush runs every minute with one feed's worth at most; until nothing is left pending.
      const t0 = performance.now();
      for (;;) {
        const flushed = await flushPendingPushes(deps, { limit: SP_API_QUOTAS.jsonListingsFeed.messagesPerFeed });
        if (flushed.offers === 0) break;
      }
      report.lambdaSeconds = (performance.now() - t0) / 1000;
    }
  } finally {
    sqs.destroy();
    raw.destroy();
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return { ...report, peakRssMb: process.resourceUsage().maxRSS / 1024, heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024 };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not wired`);
  return value;
}

export function emptyCapacity(since = 0): CapacityUse {
  return { read: 0, write: 0, byTarget: {}, since, writesForChanged: 0, writesForUnchanged: 0 };
}

/** Adds a role's consumption to a phase's. */
export function addCapacity(into: CapacityUse, from: CapacityUse): void {
  into.read += from.read;
  into.write += from.write;
  into.writesForChanged += from.writesForChanged;
  into.writesForUnchanged += from.writesForUnchanged;
  for (const [target, use] of Object.entries(from.byTarget)) {
    const t = (into.byTarget[target] ??= { read: 0, write: 0 });
    t.read += use.read;
    t.write += use.write;
  }
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

/** Asks every request for its consumed capacity, index by index, and adds it to `use`. */
function countCapacity(client: DynamoDBDocumentClient, use: CapacityUse): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = context.commandName ?? '';
      const counted = READS.test(op) || WRITES.test(op);
      if (counted) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      if (!counted) return result;
      const raw = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
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
