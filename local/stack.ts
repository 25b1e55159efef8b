/**
 * The embedded local stack: dynalite + fauxqs + the local HTTP API, SQS pollers and scheduler, all in one
 * process and all driven by the wiring, running the same handler modules as AWS.
 */
import { RecordingBusinessMetrics } from '#shared/adapters/business-metrics.ts';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { functions, must, queues, tables, topics, type FunctionId, type TableId } from '#infra/wiring.ts';
import { createAwsClients, type AwsClients } from '#shared/adapters/aws-clients.ts';
import type { DepsOverrides } from '#shared/adapters/composition.ts';
import { envNames, type Environment } from '#shared/adapters/environment.ts';
import { SnsPushSubscriptions } from '#shared/adapters/sns/push-subscriptions.ts';
import { generatedSeller, SimulatedSellerProfiles } from '#shared/adapters/simulated/seller-profiles.ts';
import { MARKETPLACE_CODES } from '#shared/kernel/marketplaces.ts';
import { SimulatedCaseFiling } from '#shared/adapters/simulated/seller-support-case-filing.ts';
import { SimulatedAmazonReports } from './simulated-amazon-reports.ts';
import { LocalEncryptedTokenVault, SimulatedSellerCentral } from './simulated-seller-central.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { ClockOffsetFile } from './clock-offset.ts';
import { ManualClock } from '#shared/kernel/clock.ts';
import { createLocalAuth, type LocalAuth } from './auth.ts';
import { LOCAL_REGION, useLocalAwsEnvironment, type LocalEndpoints } from './aws-env.ts';
import { startLocalDynamo, type LocalDynamo } from './dynamodb.ts';
import { startLocalHttpApi, type LocalRouteHandler } from './http-api.ts';
import { loadHandlers, type AnyHandler } from './lambda-runtime.ts';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { startLocalMessaging, type LocalMessaging } from './messaging.ts';
import { startLocalScheduler, type LocalScheduler } from './scheduler.ts';
import { startSqsPollers, type SqsPollers } from './sqs-pollers.ts';
import { startLocalRepricerSim, type LocalRepricerSim } from './repricer-sim.ts';
import { deadLetterRoutes, localQueuePairs } from './dead-letter-queues.ts';
import { SqsDeadLetterQueues } from '#shared/adapters/sqs/dead-letter-queues.ts';
import { webAppRoutes } from './web-app-host.ts';
import { csmLiveFeed, type CsmLiveFeed } from './csm-live-feed.ts';

export interface LocalStackOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  /** Persist DynamoDB data and the signing key here; in memory when absent. */
  readonly dataDir?: string;
  /** Override the wired visibility timeout (tests that exercise redelivery). */
  readonly visibilityTimeoutSeconds?: number;
  /** Start the SQS pollers (default true); tests of crash/restart drive consumers themselves. */
  readonly pollers?: boolean;
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Start the stack's clock at this instant instead of now (e.g. to work on reports of a past date). */
  readonly startAt?: Date;
  readonly onPush?: (push: LocalPush) => void;
}

export interface LocalPush {
  readonly receivedAt: string;
  readonly subject: string;
  readonly attributes: Record<string, string>;
  readonly body: unknown;
}

export interface LocalStack {
  readonly url: string;
  /** The environment every function of the stack is built with (endpoints and resource names), as Lambda's process.env. */
  readonly env: Environment;
  /** The AWS clients the stack's functions share (pointed at dynalite and fauxqs). */
  readonly aws: AwsClients;
  readonly clock: ManualClock;
  readonly auth: LocalAuth;
  readonly handlers: Record<string, AnyHandler>;
  readonly messaging: LocalMessaging;
  readonly dynamo: LocalDynamo;
  readonly scheduler: LocalScheduler;
  pollers: SqsPollers | undefined;
  /** Pushes as the CSM console's live feed shows them: one per notificationId. */
  readonly pushes: LocalPush[];
  /** The console's server-sent events (`GET /_local/csm/events`): each of `pushes` as it arrives. */
  readonly liveFeed: CsmLiveFeed;
  /** What each manager's console live feed received through their own filtered subscription (R-N3). */
  readonly consoles: Map<string, LocalPush[]>;
  readonly sellerProfiles: SimulatedSellerProfiles;
  /** The simulated Seller Central and Login with Amazon (consent, codes, revocations, refusals). */
  readonly sellerCentral: SimulatedSellerCentral;
  /** The simulated Amazon marketplace behind the AmazonMarketplace port (repricer). */
  readonly repricerSim: LocalRepricerSim;
  /** The simulated Reports and Fulfillment Inbound APIs behind the Lost & Found report fetch (its `calls` count requests). */
  readonly amazonReports: SimulatedAmazonReports;
  /** Every delivery the push subscription received, repeats included (see README: at-least-once pushes). */
  readonly pushDeliveries: { count: number };
  /** What product development's subscription to the product-feedback topic received (root causes). */
  readonly productFeedback: LocalPush[];
  /** The business metrics every function counted (CloudWatch EMF in AWS): `GET /_local/metrics`. */
  readonly metrics: RecordingBusinessMetrics;
  startPollers(): SqsPollers;
  advanceClock(ms: number): Promise<{ now: string; fired: string[] }>;
  stop(): Promise<void>;
}

const advanceBody = z
  .strictObject({
    days: z.number().min(0).max(3660).optional(),
    hours: z.number().min(0).max(87_840).optional(),
    minutes: z.number().min(0).max(5_270_400).optional(),
  })
  .refine((b) => (b.days ?? 0) + (b.hours ?? 0) + (b.minutes ?? 0) > 0, { error: 'give days, hours or minutes > 0' });

const simulatedSellerBody = z.strictObject({
  sellerId: z.string().regex(/^[A-Z0-9]{10,16}$/),
  marketplaces: z.array(z.enum(MARKETPLACE_CODES)).min(1),
  skus: z.number().int().min(0).max(100_000),
  privateLabelShare: z.number().min(0).max(1),
  monthsSelling: z.number().int().min(0).max(600),
  unitsSold12Months: z.number().int().min(0),
  ownBrand: z.string().min(1).max(100).optional(),
});

const tokenBody = z.strictObject({
  role: z.enum(['customer', 'csm', 'csm-lead']),
  tenant: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  staff: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
});

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // The web app's origins (set once the API listens): the only pages whose browser may PUT a report to the local S3.
  let webAppOrigins: readonly string[] = [];
  const [dynamo, messaging] = await Promise.all([
    startLocalDynamo(options.dataDir ? { dataDir: `${options.dataDir}/dynamodb` } : {}),
    startLocalMessaging({
      ...(options.visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds } : {}),
      ...(options.dataDir ? { dataDir: `${options.dataDir}/messaging` } : {}),
      browserOrigins: () => webAppOrigins,
    }),
  ]);
  const endpoints: LocalEndpoints = { dynamodb: dynamo.endpoint, sqs: messaging.sqsEndpoint, sns: messaging.endpoint, s3: messaging.endpoint };
  // Region and credentials for every SDK client of this process (the pollers and inbox readers too).
  useLocalAwsEnvironment(endpoints);
  process.env.POWERTOOLS_LOG_LEVEL = options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN';
  const env = localEnvironment(endpoints, messaging);
  const aws = createAwsClients(env);

  // With --data the clock carries on where it was (its offset from the wall clock survives a restart).
  const clockState = options.dataDir ? new ClockOffsetFile(`${options.dataDir}/clock.json`) : undefined;
  const clock = new ManualClock(options.startAt ?? clockState?.resume() ?? new Date(), true);
  clockState?.save(clock);
  // The scheduler invokes the functions and one of them (the CSM notifier) schedules through it: it gets the
  // handler table now and the handlers are put into it once they are built below.
  const handlers = {} as Record<FunctionId, AnyHandler>;
  const scheduler = startLocalScheduler({ handlers, clock, ...(options.dataDir ? { statePath: `${options.dataDir}/schedules.json` } : {}) });
  // The simulated Amazon: a seller who consents also authorises the Reports API for us (and revoking ends it).
  const amazonReports = new SimulatedAmazonReports(() => clock.now(), (sellerId) => sellerCentral.check(sellerId, 'createReport'));
  const sellerCentral = new SimulatedSellerCentral(() => clock.now(), (sellerId) => amazonReports.authorise(sellerId));
  const sellerProfiles = new SimulatedSellerProfiles(() => clock.now());
  // The operator's kill switch (an SSM parameter in AWS): PUT /_local/amazon/kill-switch {"pushesStopped": true}.
  const killSwitch = { stopped: false, pushesStopped: async () => killSwitch.stopped };
  let apiUrl = '';
  const amazonApp = {
    applicationId: 'amzn1.sp.solution.sellerops-local-simulated',
    clientId: 'amzn1.application-oa2-client.sellerops-local',
    clientSecret: randomBytes(24).toString('base64url'),
    stateSecret: randomBytes(32).toString('base64'),
    draft: true,
    get consentPage() {
      return `${apiUrl}/_local/amazon/consent`;
    },
  };
  // What Login with Amazon's invalid_grant means, locally as in AWS: the connection is revoked, the CSM alerted.
  const revoke = (sellerId: string) => amazonAccessAdapters(env, { aws, clock, amazonApp }).revoke(sellerId);
  const refreshTokenVault = new LocalEncryptedTokenVault(aws.dynamo(), must(tables, 'core', 'table').name, await LocalEncryptedTokenVault.key(options.dataDir));

  // A manager without an e-mail/SMS/HTTPS endpoint is subscribed locally through their console queue.
  const consoles = new Map<string, LocalPush[]>();
  const consoleReaders: { stop(): Promise<void> }[] = [];
  const pushSubscriptions = new SnsPushSubscriptions(aws.sns(), messaging.topicArns.csmNotifications!, async (staffId) => {
    const queue = messaging.server.createQueue(`sellerops-local-console-${staffId}`, { region: LOCAL_REGION });
    if (!consoles.has(staffId)) {
      const received: LocalPush[] = [];
      consoles.set(staffId, received);
      consoleReaders.push(readPushInbox(queue.queueUrl, (push) => received.push(push)));
    }
    return { protocol: 'sqs', endpoint: queue.queueArn };
  });

  // The issuer must be fixed before the server listens on a port the OS picks, so it is a name, not the URL.
  const auth = await createLocalAuth('sellerops-local', options.dataDir ? { dataDir: options.dataDir } : {});
  const liveFeed = csmLiveFeed(auth);
  const pushes: LocalPush[] = [];
  const pushDeliveries = { count: 0 };
  const seenNotifications = new Set<string>();
  const pushReader = readPushInbox(messaging.csmPushInboxUrl, (push) => {
    pushDeliveries.count++;
    // Like any subscriber endpoint of ours, the console drops a repeat of a notification it already showed.
    const id = push.attributes.notificationId;
    if (id && seenNotifications.has(id)) return;
    if (id) seenNotifications.add(id);
    pushes.push(push);
    if (pushes.length > 500) pushes.shift();
    liveFeed.publish(push.body);
    options.onPush?.(push);
  });

  // Product development's subscription, locally: a queue on the product-feedback topic (GET /_local/product-feedback).
  const productFeedback: LocalPush[] = [];
  const feedbackInbox = messaging.server.createQueue('sellerops-local-product-feedback-inbox', { region: LOCAL_REGION });
  messaging.server.subscribe({ topic: must(topics, 'productFeedback', 'topic').name, queue: 'sellerops-local-product-feedback-inbox', region: LOCAL_REGION, attributes: { RawMessageDelivery: 'true' } });
  const feedbackReader = readPushInbox(feedbackInbox.queueUrl, (push) => productFeedback.push(push));

  const advanceClock = async (ms: number) => {
    clock.advance(ms);
    clockState?.save(clock);
    const fired = await scheduler.runDue();
    return { now: clock.now().toISOString(), fired: fired.map((f) => `${f.schedule}@${f.scheduledTime}`) };
  };
  const metrics = new RecordingBusinessMetrics();
  const localRoutes: Record<string, LocalRouteHandler> = {
    'GET /_local/metrics': async () => ({ status: 200, body: { items: metrics.list() } }),
    // The page may PUT reports to the local S3 (pre-signed URLs), as it may to the reports bucket in AWS.
    ...webAppRoutes({ connectSources: [messaging.endpoint] }),
    'GET /_local/health': async () => ({ status: 200, body: { ok: true } }),
    'GET /_local/auth/jwks.json': async () => ({ status: 200, body: auth.jwks }),
    'POST /_local/auth/token': async ({ body }) => {
      const parsed = tokenBody.safeParse(body ?? {});
      if (!parsed.success) return badRequest(parsed.error);
      if (parsed.data.role === 'customer' && !parsed.data.tenant) {
        return { status: 400, body: { error: { code: 'validation_failed', message: 'tenant: required for a customer token' } } };
      }
      const token = await auth.issue({
        role: parsed.data.role,
        ...(parsed.data.tenant ? { tenantId: parsed.data.tenant } : {}),
        ...(parsed.data.staff ? { staffId: parsed.data.staff } : {}),
      });
      return { status: 200, body: { token } };
    },
    'GET /_local/clock': async () => ({ status: 200, body: { now: clock.now().toISOString() } }),
    'POST /_local/clock/advance': async ({ body }) => {
      const parsed = advanceBody.safeParse(body ?? {});
      if (!parsed.success) return badRequest(parsed.error);
      const ms = ((parsed.data.days ?? 0) * 24 * 60 + (parsed.data.hours ?? 0) * 60 + (parsed.data.minutes ?? 0)) * 60_000;
      return { status: 200, body: await advanceClock(ms) };
    },
    'GET /_local/pushes': async () => ({ status: 200, body: { items: [...pushes].reverse() } }),
    'GET /_local/product-feedback': async () => ({ status: 200, body: { items: [...productFeedback].reverse() } }),
    'GET /_local/dlq': async () => ({ status: 200, body: { items: deadLetters(messaging) } }),
    'GET /_local/console': async ({ query }) => {
      const staff = query.get('staff') ?? '';
      const subscribed = consoles.get(staff);
      // Before a manager saves push preferences their console shows what the default would push them: every
      // event type, their own customers (scope "mine"); saving preferences subscribes the console with its filter.
      if (!subscribed) return { status: 200, body: { staff, subscription: 'default', items: pushes.filter((p) => p.attributes.csmId === staff).reverse() } };
      return { status: 200, body: { staff, subscription: 'preferences', items: [...subscribed].reverse() } };
    },
    'GET /_local/schedules': async () => ({ status: 200, body: { oneTime: scheduler.pendingOneTime(), fired: scheduler.log.slice(-100) } }),
    'PUT /_local/sim/sellers': async ({ body }) => {
      const parsed = simulatedSellerBody.safeParse(body ?? {});
      if (!parsed.success) return badRequest(parsed.error);
      const { sellerId, ...spec } = parsed.data;
      sellerProfiles.define(generatedSeller(sellerId, spec, clock.now()));
      return { status: 200, body: { sellerId, defined: true } };
    },
  };
  Object.assign(localRoutes, sellerCentral.routes(() => `${apiUrl}/amazon/authorizations/callback`));
  // `sellerops dlq --local`: the SQS adapter the CLI uses against AWS, run here against the stack's fauxqs.
  Object.assign(localRoutes, deadLetterRoutes(new SqsDeadLetterQueues(aws.sqs(), localQueuePairs(messaging))));
  localRoutes['PUT /_local/amazon/kill-switch'] = async ({ body }) => {
    const parsed = z.strictObject({ pushesStopped: z.boolean() }).safeParse(body ?? {});
    if (!parsed.success) return badRequest(parsed.error);
    killSwitch.stopped = parsed.data.pushesStopped;
    return { status: 200, body: { pushesStopped: killSwitch.stopped } };
  };
  const repricerSim = startLocalRepricerSim({ clock, sqs: aws.sqs(), notificationsQueueUrl: messaging.queueUrls.repricerNotifications! });
  Object.assign(localRoutes, repricerSim.routes);
  // The all-orders report the simulated Amazon makes holds the simulated buyers' orders (Push on real sales).
  amazonReports.useOrders((sellerId, marketplaceId, fromMs, toMs) => repricerSim.marketplace.ordersOf(sellerId, marketplaceId, fromMs, toMs));
  // Its FBA inventory is the simulated marketplace's stock, which the simulated buyers take from (issue 21 stock).
  amazonReports.useStock((sellerId, marketplaceId) => repricerSim.marketplace.inventoryOf(sellerId, marketplaceId));
  // Like Amazon: a REPORT_PROCESSING_FINISHED on our notifications queue for a seller subscribed to it (at authorisation).
  amazonReports.onReportFinished(async (message, sellerId) => {
    if (!sellerCentral.subscriptionList().some((s) => s.sellerId === sellerId && s.notificationType === 'REPORT_PROCESSING_FINISHED')) return;
    await aws.sqs().send(new SendMessageCommand({ QueueUrl: messaging.queueUrls.repricerNotifications!, MessageBody: JSON.stringify(message) }));
  });
  const overrides: DepsOverrides = {
    clock,
    aws,
    scheduler,
    sellerProfiles: sellerCentral.profiles(sellerProfiles, revoke),
    amazonReports: amazonReports.api(revoke),
    fbaInventory: amazonReports.inventoryApi(revoke),
    pushSubscriptions,
    caseFiling: new SimulatedCaseFiling(),
    amazonMarketplace: repricerSim.marketplace,
    amazonApp,
    amazonLogin: sellerCentral,
    notificationSubscriptions: sellerCentral,
    refreshTokenVault,
    pushKillSwitch: killSwitch,
    metrics,
  };
  Object.assign(handlers, await loadHandlers(env, overrides));
  const api = await startLocalHttpApi({ port: options.port ?? 0, handlers, auth, localRoutes, streams: liveFeed.streams });
  apiUrl = api.url;
  // The app is opened as http://localhost:<port> (what `npm start` prints) or http://127.0.0.1:<port>.
  webAppOrigins = [api.url, api.url.replace('//localhost:', '//127.0.0.1:')];

  const stack: LocalStack = {
    url: api.url,
    env,
    aws,
    clock,
    auth,
    handlers,
    messaging,
    dynamo,
    scheduler,
    pollers: undefined,
    pushes,
    liveFeed,
    consoles,
    sellerProfiles,
    sellerCentral,
    repricerSim,
    amazonReports,
    pushDeliveries,
    productFeedback,
    metrics,
    startPollers() {
      stack.pollers ??= startSqsPollers({ handlers, queueUrls: messaging.queueUrls });
      return stack.pollers;
    },
    advanceClock,
    async stop() {
      scheduler.stop();
      repricerSim.stop();
      await stack.pollers?.stop();
      await pushReader.stop();
      await feedbackReader.stop();
      await Promise.all(consoleReaders.map((r) => r.stop()));
      liveFeed.close();
      await api.stop();
      aws.destroy();
      await messaging.stop();
      await dynamo.stop();
    },
  };
  if (options.pollers ?? true) stack.startPollers();
  return stack;
}

/** What Lambda's process.env holds for a function of this stack: the endpoints and every resource's name. */
function localEnvironment(endpoints: LocalEndpoints, messaging: LocalMessaging): Environment {
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_SNS: endpoints.sns,
    SELLEROPS_AMAZON: 'simulated',
    // The simulated Amazon makes a report by the second look: waiting Amazon's minute would only slow the demo.
    [envNames.reportPollDelaySeconds]: '0',
  };
  if (endpoints.s3) env.AWS_ENDPOINT_URL_S3 = endpoints.s3;
  for (const [id, name] of Object.entries(messaging.bucketNames)) env[envNames.bucket(id)] = name;
  for (const [id, spec] of Object.entries(tables) as [TableId, { name: string }][]) env[envNames.table(id)] = spec.name;
  for (const id of Object.keys(topics)) env[envNames.topicArn(id)] = must(messaging.topicArns, id, 'topic');
  for (const id of Object.keys(queues)) {
    env[envNames.queueUrl(id)] = must(messaging.queueUrls, id, 'queue');
    env[envNames.deadLetterQueueUrl(id)] = must(messaging.deadLetterQueueUrls, id, 'queue');
    env[envNames.maxReceiveCount(id)] = String(must(queues, id, 'queue').maxReceiveCount);
  }
  for (const spec of Object.values(functions)) {
    for (const trigger of spec.triggers) {
      if (trigger.kind === 'schedulePerMarketplace') env[envNames.scheduleRateMinutes] = String(trigger.rateMinutes);
    }
  }
  return env;
}

function badRequest(error: z.ZodError) {
  const issue = error.issues[0];
  return {
    status: 400,
    body: { error: { code: 'validation_failed', message: `${issue?.path.join('.') || 'body'}: ${issue?.message}` } },
  };
}

function deadLetters(messaging: LocalMessaging) {
  return Object.keys(queues).flatMap((id) => {
    const name = must(queues, id, 'queue').name;
    const inspected = messaging.server.inspectQueue(`${name}-dlq`);
    return (inspected?.messages.ready ?? []).map((m) => ({ queue: name, message: m }));
  });
}

function readPushInbox(queueUrl: string, onPush: (push: LocalPush) => void): { stop(): Promise<void> } {
  const client = new SQSClient({ region: LOCAL_REGION, endpoint: process.env.AWS_ENDPOINT_URL_SQS });
  const controller = new AbortController();
  const loop = (async () => {
    while (!controller.signal.aborted) {
      try {
        const { Messages = [] } = await client.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
          { abortSignal: controller.signal },
        );
        for (const m of Messages) {
          let body: unknown = m.Body;
          try {
            body = JSON.parse(m.Body ?? '');
          } catch {
            // keep the raw text
          }
          const attributes: Record<string, string> = {};
          for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) if (v.StringValue) attributes[k] = v.StringValue;
          // eslint-disable-next-line @typescript-eslint/no-base-to-string -- pushes carry a string title; whatever else arrives is shown as String() shows it
          const title = typeof body === 'object' && body !== null ? String((body as Record<string, unknown>).title ?? '') : '';
          onPush({ receivedAt: new Date().toISOString(), subject: title, attributes, body });
        }
        if (Messages.length > 0) {
          await client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
      } catch {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() aborts while the receive awaits
        if (controller.signal.aborted) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
      client.destroy();
    },
  };
}
