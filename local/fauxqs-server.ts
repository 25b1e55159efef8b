/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access --
   fauxqs's published .d.ts files import its own .ts sources and Fastify's types, which do not resolve from here;
   the shapes this module uses are declared below (HookRequest, HookReply, the *Like store interfaces). */
/**
 * fauxqs (SQS, SNS, S3) as the local stack runs it: listening on loopback only (fauxqs's own `startFauxqs`
 * always binds 0.0.0.0, which put every tenant's reports on the network), every request's AWS signature checked
 * (pre-signed upload URLs included), and, with a data directory, everything it holds written through to disk
 * before it answers: S3 objects, queued, delayed and in-flight messages (in-flight ones come back as visible, as
 * they would after their visibility timeout), DLQs, console queues and subscriptions, so a restart or a SIGKILL
 * loses nothing that was acknowledged.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { buildApp, type BuildAppOptions, type FauxqsServer } from 'fauxqs';
import { checkSignature } from './aws-signature.ts';
import { MessageMoveTasks, type CreateMessage, type MovableStore } from './message-move-tasks.ts';

const ACCOUNT = '000000000000';

/** The parts of fauxqs's Fastify request and reply the hooks below use. */
interface HookRequest {
  readonly method: string;
  readonly url: string;
  readonly raw: { readonly url?: string };
  readonly headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}
interface HookReply {
  code(status: number): HookReply;
  header(name: string, value: string): HookReply;
  send(body: string): unknown;
}

interface QueuedMessage {
  messageId: string;
  body: string;
  approximateReceiveCount: number;
  delayUntil?: number;
  [field: string]: unknown;
}
interface QueueLike {
  name: string;
  url: string;
  arn: string;
  attributes: Record<string, string>;
  messages: QueuedMessage[];
  delayedMessages: QueuedMessage[];
  inflightMessages: Map<string, { message: QueuedMessage }>;
  notifyWaiters(): void;
}
interface SqsStoreLike {
  host: string;
  region: string | undefined;
  queuesByName: Map<string, QueueLike>;
  createQueue(name: string, url: string, arn: string, attributes?: Record<string, string>, tags?: Record<string, string>): QueueLike;
  getQueueByArn(arn: string): QueueLike | undefined;
  deleteQueue(url: string): boolean;
  inspectQueue(name: string): ReturnType<FauxqsServer['inspectQueue']>;
  buildQueueUrl(name: string, port: string, requestHost: string, region: string): string;
  shutdown(): void;
}
interface SubscriptionLike {
  topicArn: string;
  protocol: string;
  endpoint: string;
  attributes: Record<string, string>;
}
interface SnsStoreLike {
  region: string | undefined;
  subscriptions: Map<string, SubscriptionLike>;
  createTopic(name: string, attributes?: Record<string, string>, tags?: Record<string, string>, region?: string): unknown;
  deleteTopic(arn: string): boolean;
  subscribe(topicArn: string, protocol: string, endpoint: string, attributes?: Record<string, string>): SubscriptionLike | undefined;
}
interface StoredObject {
  key: string;
  body: Buffer;
  contentType: string;
  etag: string;
  metadata: Record<string, string>;
}
interface S3StoreLike {
  buckets: Map<string, Map<string, StoredObject>>;
  createBucket(name: string): void;
  putObject(bucket: string, key: string, body: Buffer, contentType?: string, metadata?: Record<string, string>): StoredObject;
  emptyBucket(name: string): void;
}

/** fauxqs's store classes: not among its exports, so loaded from the installed package's files. */
async function loadStores(): Promise<{ sqs: SqsStoreLike; sns: SnsStoreLike; s3: S3StoreLike; createMessage: CreateMessage }> {
  const candidates = createRequire(import.meta.url).resolve.paths('fauxqs') ?? [];
  const root = candidates.map((dir) => join(dir, 'fauxqs', 'dist')).find((dir) => existsSync(join(dir, 'app.js')));
  if (!root) throw new Error('fauxqs is not installed (npm ci)');
  const load = async (file: string) => (await import(pathToFileURL(join(root, file)).href)) as Record<string, new () => unknown>;
  const [sqs, sns, s3] = await Promise.all([load('sqs/sqsStore.js'), load('sns/snsStore.js'), load('s3/s3Store.js')]);
  const SqsStore = sqs.SqsStore as unknown as (new () => SqsStoreLike) & { createMessage: CreateMessage };
  return { sqs: new SqsStore(), sns: new sns.SnsStore!() as SnsStoreLike, s3: new s3.S3Store!() as S3StoreLike, createMessage: (body, attributes) => SqsStore.createMessage(body, attributes) };
}

export interface LocalFauxqsOptions {
  readonly region: string;
  /** Host name queue URLs carry (`sqs.<region>.<host>:<port>`). */
  readonly host: string;
  /** Write everything through to this directory, and start from what it holds. */
  readonly dataDir?: string;
  /** The credentials requests must be signed with. */
  readonly credentials: () => { accessKeyId: string; secretAccessKey: string };
  /**
   * The web pages that may PUT to a pre-signed URL from a browser (the bucket's CORS rule in AWS: infra/constructs/web-app.ts):
   * the local web app's origin, known once the API listens.
   */
  readonly browserOrigins?: () => readonly string[];
}

/** What a browser may send with a pre-signed PUT (as the reports bucket's CORS rule in AWS allows). */
const BROWSER_UPLOAD_HEADERS = ['content-type'];

export interface LocalFauxqs extends FauxqsServer {
  /** Puts back what the data directory holds (after the wired queues, topics and buckets exist). */
  restore(): void;
}

export async function startLocalFauxqs(options: LocalFauxqsOptions): Promise<LocalFauxqs> {
  const stores = await loadStores();
  const app = buildApp({
    logger: false,
    host: options.host,
    defaultRegion: options.region,
    stores: { sqsStore: stores.sqs, snsStore: stores.sns, s3Store: stores.s3 } as unknown as NonNullable<BuildAppOptions['stores']>,
  });
  // CORS as S3 answers it for the reports bucket's rule: PUT from the listed origins only, nothing else.
  const allowedOrigin = (request: HookRequest): string | undefined => {
    const origin = request.headers.origin;
    return typeof origin === 'string' && (options.browserOrigins?.() ?? []).includes(origin) ? origin : undefined;
  };
  app.addHook('onRequest', async (request: HookRequest, reply: HookReply) => {
    if (request.method !== 'OPTIONS') return;
    const origin = allowedOrigin(request);
    const method = request.headers['access-control-request-method'];
    const asked = String(request.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h.length > 0);
    if (origin === undefined || method !== 'PUT' || asked.some((h) => !BROWSER_UPLOAD_HEADERS.includes(h))) {
      reply.code(403).header('content-type', 'application/xml');
      return reply.send('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed.</Message></Error>');
    }
    reply.code(200).header('access-control-allow-origin', origin).header('access-control-allow-methods', 'PUT').header('vary', 'Origin');
    if (asked.length > 0) reply.header('access-control-allow-headers', asked.join(', '));
    reply.header('access-control-max-age', '3600');
    return reply.send('');
  });
  app.addHook('onSend', async (request: HookRequest, reply: HookReply, payload: unknown) => {
    const origin = allowedOrigin(request);
    if (origin !== undefined) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    return payload;
  });
  const moveTasks = new MessageMoveTasks(stores.sqs as unknown as MovableStore, stores.createMessage);
  const bodyHashes = new WeakMap<object, string>();
  // The SigV4 payload hash needs the raw body, which the parsers below consume: hash it on the way in.
  app.addHook('preParsing', async (request: HookRequest, _reply: HookReply, payload: AsyncIterable<Buffer | string>) => {
    const chunks: Buffer[] = [];
    for await (const chunk of payload) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    const body = Buffer.concat(chunks);
    bodyHashes.set(request, createHash('sha256').update(body).digest('hex'));
    const replay = Readable.from([body]) as Readable & { receivedEncodedLength?: number };
    replay.receivedEncodedLength = body.length;
    return replay;
  });
  app.addHook('preHandler', async (request: HookRequest, reply: HookReply) => {
    const check = checkSignature(
      { method: request.method, url: request.raw.url ?? '/', headers: request.headers, bodySha256: bodyHashes.get(request) ?? EMPTY_SHA256 },
      options.credentials(),
      new Date(),
    );
    if (!check.ok) {
      reply.code(403).header('content-type', 'application/xml');
      return reply.send(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>${check.reason}</Message></Error>`);
    }
    // An empty PUT without a content type (an empty file through a pre-signed URL) reaches fauxqs with no body at
    // all, which it cannot store (a 500): it is an empty object.
    if (request.method === 'PUT' && request.body === undefined) request.body = Buffer.alloc(0);
    // The message move tasks fauxqs lacks (`sellerops dlq redrive`), answered here in SQS's JSON protocol.
    const target = request.headers['x-amz-target'];
    if (moveTasks.handles(target)) {
      const answer = moveTasks.answer(target, request.body);
      reply.code(answer.status).header('content-type', 'application/x-amz-json-1.0');
      return reply.send(JSON.stringify(answer.body));
    }
  });
  const persistence = options.dataDir ? new Persistence(options.dataDir, stores) : undefined;
  if (persistence) {
    app.addHook('onSend', async (request: HookRequest, _reply: HookReply, payload: unknown) => {
      // Written before the answer leaves: what a caller saw acknowledged is on disk.
      if (request.method !== 'GET' && request.method !== 'HEAD') persistence.save(request.url.split('?')[0] === '/' ? 'messaging' : 's3');
      return payload;
    });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const region = options.region;
  const queueArn = (name: string, r = region) => `arn:aws:sqs:${r}:${ACCOUNT}:${name}`;
  const topicArn = (name: string, r = region) => `arn:aws:sns:${r}:${ACCOUNT}:${name}`;
  const server: LocalFauxqs = {
    port,
    address: `http://127.0.0.1:${port}`,
    get spy(): never {
      throw new Error('message spies are not enabled on the local stack');
    },
    stop: async () => {
      persistence?.save('messaging');
      await app.close();
    },
    createQueue(name, opts) {
      const r = opts?.region ?? region;
      const queueUrl = stores.sqs.buildQueueUrl(name, String(port), `127.0.0.1:${port}`, r);
      const existing = stores.sqs.queuesByName.get(name);
      if (existing) return { queueUrl: existing.url, queueArn: existing.arn, queueName: name };
      stores.sqs.createQueue(name, queueUrl, queueArn(name, r), opts?.attributes, opts?.tags);
      persistence?.save('messaging');
      return { queueUrl, queueArn: queueArn(name, r), queueName: name };
    },
    inspectQueue: (name) => stores.sqs.inspectQueue(name),
    createTopic(name, opts) {
      const r = opts?.region ?? region;
      stores.sns.createTopic(name, opts?.attributes, opts?.tags, r);
      return { topicArn: topicArn(name, r) };
    },
    subscribe(opts) {
      stores.sns.subscribe(topicArn(opts.topic, opts.region ?? region), 'sqs', queueArn(opts.queue, opts.region ?? region), opts.attributes);
      persistence?.save('messaging');
    },
    createBucket(name) {
      stores.s3.createBucket(name);
      return { bucketName: name };
    },
    deleteQueue(name, opts) {
      const queue = stores.sqs.getQueueByArn(queueArn(name, opts?.region ?? region));
      if (queue) stores.sqs.deleteQueue(queue.url);
    },
    deleteTopic(name, opts) {
      stores.sns.deleteTopic(topicArn(name, opts?.region ?? region));
    },
    emptyBucket: (name) => stores.s3.emptyBucket(name),
    setup() {
      throw new Error('not used by the local stack');
    },
    reset() {
      throw new Error('not used by the local stack');
    },
    purgeAll() {
      throw new Error('not used by the local stack');
    },
    restore() {
      persistence?.restore(server);
    },
  };
  return server;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

interface MessagingSnapshot {
  queues: { name: string; region: string; attributes: Record<string, string>; messages: QueuedMessage[] }[];
  subscriptions: SubscriptionLike[];
}

class Persistence {
  private lastMessaging = '';
  /** Object file name → etag written, so a save writes only what changed. */
  private readonly written = new Map<string, string>();

  constructor(
    private readonly dir: string,
    private readonly stores: { sqs: SqsStoreLike; sns: SnsStoreLike; s3: S3StoreLike },
  ) {
    mkdirSync(join(dir, 's3'), { recursive: true });
  }

  /** Nothing is written until the saved state is back: the wired queues created first would overwrite it. */
  private restored = false;

  save(what: 'messaging' | 's3'): void {
    if (!this.restored) return;
    if (what === 'messaging') this.saveMessaging();
    else this.saveObjects();
  }

  private saveMessaging(): void {
    const snapshot: MessagingSnapshot = {
      queues: [...this.stores.sqs.queuesByName.values()].map((q) => ({
        name: q.name,
        region: q.arn.split(':')[3] ?? '',
        attributes: pick(q.attributes, ['VisibilityTimeout', 'RedrivePolicy', 'MessageRetentionPeriod', 'DelaySeconds']),
        // In-flight messages are saved as visible: after a restart nobody holds them any more.
        messages: [...q.messages, ...[...q.inflightMessages.values()].map((e) => e.message), ...q.delayedMessages],
      })),
      subscriptions: [...this.stores.sns.subscriptions.values()].map(({ topicArn, protocol, endpoint, attributes }) => ({ topicArn, protocol, endpoint, attributes })),
    };
    const text = JSON.stringify(snapshot);
    if (text === this.lastMessaging) return;
    writeAtomically(join(this.dir, 'messaging.json'), text);
    this.lastMessaging = text;
  }

  private saveObjects(): void {
    const present = new Set<string>();
    for (const [bucket, objects] of this.stores.s3.buckets) {
      for (const object of objects.values()) {
        const file = objectFile(bucket, object.key);
        present.add(file);
        if (this.written.get(file) === object.etag) continue;
        writeAtomically(join(this.dir, 's3', `${file}.body`), object.body);
        writeAtomically(join(this.dir, 's3', `${file}.json`), JSON.stringify({ bucket, key: object.key, contentType: object.contentType, metadata: object.metadata }));
        this.written.set(file, object.etag);
      }
    }
    for (const file of [...this.written.keys()]) {
      if (present.has(file)) continue;
      rmSync(join(this.dir, 's3', `${file}.json`), { force: true });
      rmSync(join(this.dir, 's3', `${file}.body`), { force: true });
      this.written.delete(file);
    }
  }

  restore(server: LocalFauxqs): void {
    this.restoreSaved(server);
    this.restored = true;
    this.saveMessaging();
  }

  private restoreSaved(server: LocalFauxqs): void {
    for (const name of readdirSync(join(this.dir, 's3'))) {
      if (!name.endsWith('.json')) continue;
      const file = name.slice(0, -'.json'.length);
      const bodyPath = join(this.dir, 's3', `${file}.body`);
      if (!existsSync(bodyPath)) continue; // a write cut short before its body landed
      const meta = JSON.parse(readFileSync(join(this.dir, 's3', name), 'utf8')) as { bucket: string; key: string; contentType: string; metadata: Record<string, string> };
      if (!this.stores.s3.buckets.has(meta.bucket)) this.stores.s3.createBucket(meta.bucket);
      const object = this.stores.s3.putObject(meta.bucket, meta.key, readFileSync(bodyPath), meta.contentType, meta.metadata);
      this.written.set(file, object.etag);
    }
    const path = join(this.dir, 'messaging.json');
    if (!existsSync(path)) return;
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as MessagingSnapshot;
    for (const saved of snapshot.queues) {
      server.createQueue(saved.name, { region: saved.region, attributes: saved.attributes });
      const queue = this.stores.sqs.queuesByName.get(saved.name)!;
      const now = Date.now();
      for (const message of saved.messages) {
        if (message.delayUntil !== undefined && message.delayUntil > now) queue.delayedMessages.push(message);
        else queue.messages.push(message);
      }
      queue.notifyWaiters();
    }
    for (const saved of snapshot.subscriptions) {
      const existing = [...this.stores.sns.subscriptions.values()].find((s) => s.topicArn === saved.topicArn && s.protocol === saved.protocol && s.endpoint === saved.endpoint);
      if (existing) existing.attributes = saved.attributes;
      else this.stores.sns.subscribe(saved.topicArn, saved.protocol, saved.endpoint, saved.attributes);
    }
  }
}

function objectFile(bucket: string, key: string): string {
  return createHash('sha256').update(`${bucket}\n${key}`).digest('hex');
}

function pick(attributes: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (attributes[name] !== undefined ? [[name, attributes[name]]] : [])));
}

function writeAtomically(path: string, data: string | Buffer): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}
