/**
 * Requests generated from the OpenAPI document, seeded: for every route, bodies, path parameters and queries
 * that are valid, almost valid (one field dropped, mistyped, too long, an emoji, a lone surrogate, an impossible
 * date) or plainly hostile (malformed `%` escapes, deep nesting, huge numbers), under every kind of caller. The
 * server may refuse any of them, but never with a 5xx and never by hanging.
 */
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { LOCAL_REGION } from '../../local/aws-env.ts';

type Schema = Record<string, unknown>;
export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzRequest {
  readonly method: string;
  /** Path and query, already encoded as they go on the wire (malformed escapes included on purpose). */
  readonly target: string;
  readonly route: string;
  readonly caller: 'none' | 'customer' | 'csm' | 'lead' | 'forged';
  readonly body?: string;
}

export interface FuzzOutcome {
  readonly tries: number;
  readonly serverErrors: { request: FuzzRequest; status: number; body: string }[];
  readonly hangs: FuzzRequest[];
  readonly byStatus: Record<string, number>;
  /** Refused requests (4xx) after which the stored data differed from before them, with the first items that changed. */
  readonly partialWrites: { request: FuzzRequest; status: number; changed: string[] }[];
  /** Refused requests whose stored data was compared before and after. */
  readonly writeChecks: number;
}

/** What the stack stored (every DynamoDB item by table and key → its JSON), and a way to wait until nothing is in flight. */
export interface StoredDataProbe {
  snapshot(): Promise<ReadonlyMap<string, string>>;
  /** Waits until the stack's consumers are idle (the effects of an accepted request are written). */
  settle(): Promise<void>;
}

function changedKeys(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const changed: string[] = [];
  for (const [key, value] of after) if (before.get(key) !== value) changed.push(before.has(key) ? `changed ${key}` : `added ${key}`);
  for (const key of before.keys()) if (!after.has(key)) changed.push(`removed ${key}`);
  return changed;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const LONE_SURROGATE = '\u0001LONE\u0001'; // replaced by a raw "\ud83d" escape in the JSON text
const NASTY_STRINGS = ['', ' ', '😀', 'a😀b'.repeat(60), `x${LONE_SURROGATE}`, 'x'.repeat(10_001), '=HYPERLINK("http://evil")', '<script>alert(1)</script>', '\u0000', '../../etc/passwd', 'null', '2026-02-30', '9'.repeat(40), '👨‍👩‍👧‍👦'.repeat(30)];
const PATH_VALUES = ['t1', 'fuzz-tenant', 'csm-anna', 'csm-fuzz', '2027-Q1', '2027-Q5', 'SKU-1', 'repricer', 'lost-and-found', 'audit-x', 'claim-1', 'n-1', 'task-1', 'sr-1', '%', '%E0%A4%A', '%zz', '%00', '..', 'a'.repeat(300), '%F0%9F%98%80', '%ED%A0%BD', '%20', 'x%2Fy'];
const DATES = ['2026-02-28', '2026-02-30', '2025-06-30', '9999-12-31', '0000-00-00', '2026-13-01', 'yesterday', '2027-02-29', '2028-02-29'];

export function generateRequests(doc: OpenApiDocument, seed: number, count: number): FuzzRequest[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const resolve = (schema: Schema | undefined): Schema => {
    let s = schema ?? {};
    for (let depth = 0; typeof s.$ref === 'string' && depth < 10; depth++) s = doc.components?.schemas?.[s.$ref.split('/').pop()!] ?? {};
    return s;
  };

  const valueOf = (schema: Schema | undefined, depth: number, mutate: boolean): unknown => {
    const s = resolve(schema);
    if (mutate && random() < 0.15) return pick<unknown>([null, 0, -1, 1e308, true, 'x', [], {}, pick(NASTY_STRINGS), pick(DATES), [[[[[]]]]], { a: { b: { c: {} } } }]);
    const variants = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (variants && variants.length > 0) return valueOf(pick(variants), depth, mutate);
    if (Array.isArray(s.enum)) return pick(s.enum as unknown[]);
    if (s.const !== undefined) return s.const;
    const type = Array.isArray(s.type) ? pick(s.type as string[]) : s.type;
    switch (type) {
      case 'object': {
        const properties = (s.properties ?? {}) as Record<string, Schema>;
        const required = new Set((s.required ?? []) as string[]);
        const object: Record<string, unknown> = {};
        for (const [name, property] of Object.entries(properties)) {
          if (!required.has(name) && random() < 0.5) continue;
          if (mutate && required.has(name) && random() < 0.05) continue; // a required field missing
          object[name] = depth > 6 ? null : valueOf(property, depth + 1, mutate);
        }
        if (mutate && random() < 0.05) object.unexpected = 'field';
        return object;
      }
      case 'array': {
        const max = Math.min(Number(s.maxItems ?? 5), mutate && random() < 0.05 ? 20_000 : 5);
        const length = Math.max(Number(s.minItems ?? 0), Math.floor(random() * (max + 1)));
        if (depth > 6) return [];
        return Array.from({ length }, () => valueOf(s.items as Schema, depth + 1, mutate && random() < 0.2));
      }
      case 'integer':
      case 'number': {
        const min = Number(s.minimum ?? s.exclusiveMinimum ?? 0);
        const max = Number(s.maximum ?? s.exclusiveMaximum ?? min + 1000);
        const value = min + random() * Math.min(max - min, 1e9);
        if (mutate && random() < 0.2) return pick([min - 1, max + 1, 0.5, -0, Number.MAX_SAFE_INTEGER + 2]);
        return type === 'integer' ? Math.round(value) : Math.round(value * 100) / 100;
      }
      case 'boolean':
        return random() < 0.5;
      case 'string':
      default:
        return stringFor(s, mutate);
    }
  };

  const stringFor = (s: Schema, mutate: boolean): string => {
    if (mutate && random() < 0.3) return pick(NASTY_STRINGS);
    const format = s.format as string | undefined;
    const pattern = s.pattern as string | undefined;
    if (format === 'email') return pick(['fuzz@example.com', 'a@b.co', 'no-at-sign', `${'x'.repeat(250)}@example.com`]);
    if (format === 'date' || pattern?.includes('-02-29') && !pattern.includes('T')) return pick(DATES);
    if (format === 'date-time') return pick(['2026-11-30T10:00:00Z', '2026-02-30T10:00:00Z', '2026-11-30T25:00:00Z', '2026-11-30']);
    if (pattern?.includes('Q')) return pick(['2027-Q1', '2026-Q4', '2027-Q5']);
    const max = Number(s.maxLength ?? 40);
    const min = Number(s.minLength ?? 1);
    const length = Math.max(min, Math.min(max, 1 + Math.floor(random() * 20)));
    const alphabet = pick(['abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 'äöüßéèñ漢字😀 -_,;=+']);
    const letters = Array.from(graphemes.segment(alphabet), (g) => g.segment);
    return Array.from({ length }, () => pick(letters)).join('');
  };

  const routes = Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
  );
  const requests: FuzzRequest[] = [];
  for (let i = 0; i < count; i++) {
    const { path, method, operation } = routes[i % routes.length]!;
    const mutate = random() < 0.6;
    const parameters = operation.parameters ?? [];
    const target = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const parameter = parameters.find((p) => p.in === 'path' && p.name === name);
      return mutate && random() < 0.3 ? pick(PATH_VALUES) : encodeURIComponent(String(valueOf(parameter?.schema, 0, false)));
    });
    const query = parameters
      .filter((p) => p.in === 'query' && (p.required || random() < 0.5))
      .map((p) => `${encodeURIComponent(p.name)}=${mutate && random() < 0.3 ? pick(['%', '%zz', '', '-1', 'true', '1e999', '%F0%9F%98%80']) : encodeURIComponent(String(valueOf(p.schema, 0, mutate)))}`);
    const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
    let body: string | undefined;
    if (bodySchema) {
      body = JSON.stringify(valueOf(bodySchema, 0, mutate)).replaceAll(JSON.stringify(LONE_SURROGATE).slice(1, -1), '\\ud83d');
      if (mutate && random() < 0.05) body = pick(['', '{', 'null', '[]', '"text"', '{"a":' + '['.repeat(5000), body.slice(0, Math.floor(body.length / 2))]);
    } else if (mutate && random() < 0.1) body = '{"unexpected":true}';
    requests.push({
      method,
      target: query.length > 0 ? `${target}?${query.join('&')}` : target,
      route: `${method} ${path}`,
      caller: pick(['none', 'customer', 'customer', 'csm', 'lead', 'forged'] as const),
      ...(body !== undefined ? { body } : {}),
    });
  }
  return requests;
}

/**
 * Sends the requests, `concurrency` at a time, and counts what came back. With a `probe`, the requests that may
 * write (every method but GET) are sent one at a time after the others, each between two snapshots of the stored
 * data: a refused one (4xx) must leave it exactly as it was (no partial write).
 */
export async function sendAll(
  baseUrl: string,
  tokens: Record<Exclude<FuzzRequest['caller'], 'none'>, string>,
  requests: readonly FuzzRequest[],
  options: { concurrency?: number; timeoutMs?: number; probe?: StoredDataProbe } = {},
): Promise<FuzzOutcome> {
  const serverErrors: FuzzOutcome['serverErrors'] = [];
  const hangs: FuzzRequest[] = [];
  const byStatus: Record<string, number> = {};
  const partialWrites: FuzzOutcome['partialWrites'] = [];
  let writeChecks = 0;
  const send = async (request: FuzzRequest): Promise<number | undefined> => {
    try {
      const response = await fetch(`${baseUrl}${request.target}`, {
        method: request.method,
        headers: { 'content-type': 'application/json', ...(request.caller !== 'none' ? { authorization: `Bearer ${tokens[request.caller]}` } : {}) },
        ...(request.body !== undefined && request.method !== 'GET' ? { body: request.body } : {}),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      const text = await response.text();
      byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
      if (response.status >= 500) serverErrors.push({ request, status: response.status, body: text.slice(0, 300) });
      return response.status;
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') hangs.push(request);
      else throw error;
      return undefined;
    }
  };
  const probe = options.probe;
  const concurrent = probe ? requests.filter((r) => r.method === 'GET') : requests;
  let next = 0;
  const worker = async () => {
    while (next < concurrent.length) await send(concurrent[next++]!);
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  if (probe) {
    let before: ReadonlyMap<string, string> | undefined;
    for (const request of requests.filter((r) => r.method !== 'GET')) {
      before ??= await probe.snapshot();
      const status = await send(request);
      if (status !== undefined && status >= 400 && status < 500) {
        writeChecks++;
        const after = await probe.snapshot();
        const changed = changedKeys(before, after);
        if (changed.length > 0) partialWrites.push({ request, status, changed: changed.slice(0, 5) });
        before = after;
      } else {
        // Accepted: its effects (and its consumers' effects) are written before the next comparison starts.
        await probe.settle();
        before = undefined;
      }
    }
  }
  return { tries: requests.length, serverErrors, hangs, byStatus, partialWrites, writeChecks };
}

/** The probe over the local stack: every item of every wired table, read with paginated Scans (fine for a test stack). */
export function localStoredDataProbe(stack: { env: Readonly<Record<string, string | undefined>>; pollers?: { idle(timeoutMs?: number): Promise<void> } | undefined }, tableNames: readonly string[]): StoredDataProbe {
  const client = new DynamoDBClient({ region: LOCAL_REGION, endpoint: stack.env.AWS_ENDPOINT_URL_DYNAMODB });
  return {
    async snapshot() {
      const items = new Map<string, string>();
      for (const table of tableNames) {
        let start: Record<string, AttributeValue> | undefined;
        do {
          const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
          for (const item of page.Items ?? []) items.set(`${table} ${item.pk?.S ?? ''} ${item.sk?.S ?? ''}`, JSON.stringify(item));
          start = page.LastEvaluatedKey;
        } while (start);
      }
      return items;
    },
    async settle() {
      await stack.pollers?.idle(60_000);
    },
  };
}
