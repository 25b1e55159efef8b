/**
 * `npm run test:faults`: the heavy fault scenarios, each counted, then one table: scenario, tries, 5xx, lost,
 * duplicated, partial writes (a refused request that left a write behind). Exits non-zero unless the last four
 * columns are all 0 (and every scenario finished). The small,
 * deterministic versions of these checks run in `npm test`.
 */
import '../../local/quiet-sdk.ts';
import { gzipSync } from 'node:zlib';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startApi, exampleSignup, type Api } from '../support/local-stack.ts';
import { generateRequests, localStoredDataProbe, sendAll, type OpenApiDocument } from '../support/openapi-fuzz.ts';
import { connectAmazon } from '../support/amazon.ts';
import { tables } from '#infra/wiring.ts';
import { call, eventually, kill, killAll, start, token } from '../support/stack-process-control.ts';
import { ledger } from '../lost-and-found/helpers.ts';

interface Row {
  scenario: string;
  tries: number;
  serverErrors: number;
  lost: number;
  duplicated: number;
  /** Refused requests (4xx) after which the stored data was not what it was before them. */
  partialWrites?: number;
  note?: string;
}

const FUZZ_REQUESTS = Number(process.env.FAULTS_FUZZ_REQUESTS ?? 10_500);
const FUZZ_SEED = Number(process.env.FAULTS_SEED ?? 14);

async function fuzz(api: Api): Promise<Row> {
  const doc = (await api.call('GET', '/openapi.json')).body as OpenApiDocument;
  const requests = generateRequests(doc, FUZZ_SEED, FUZZ_REQUESTS);
  const tokens = {
    customer: await api.token('customer', 'fuzz-tenant'),
    csm: await api.token('csm', 'csm-fuzz'),
    lead: await api.token('csm-lead', 'csm-fuzz-lead'),
    forged: `${(await api.token('customer', 'fuzz-tenant')).slice(0, -4)}AAAA`,
  };
  // Reads go 6 at a time; every request that may write is sent alone between two snapshots of every table.
  const probe = localStoredDataProbe(api.stack, Object.values(tables).map((t) => t.name));
  const outcome = await sendAll(api.stack.url, tokens, requests, { concurrency: 6, probe });
  for (const p of outcome.partialWrites.slice(0, 10)) process.stderr.write(`partial write ${p.status} ${p.request.method} ${p.request.target} → ${p.changed.join('; ')}\n`);
  for (const e of outcome.serverErrors.slice(0, 10)) process.stderr.write(`5xx ${e.status} ${e.request.method} ${e.request.target} ${e.request.body?.slice(0, 200) ?? ''} → ${e.body}\n`);
  for (const h of outcome.hangs.slice(0, 10)) process.stderr.write(`hang ${h.method} ${h.target}\n`);
  const routes = new Set(requests.map((r) => r.route)).size;
  return { scenario: `OpenAPI fuzz (${routes} routes, seed ${FUZZ_SEED})`, tries: outcome.tries, serverErrors: outcome.serverErrors.length + outcome.hangs.length, lost: 0, duplicated: 0, partialWrites: outcome.partialWrites.length, note: `${JSON.stringify(outcome.byStatus)}; refused writes checked against every table: ${outcome.writeChecks}` };
}

const BULK_OFFERS = 10_000;

/** The largest rules file the schema allows: answered at once with a job, every offer written exactly once. */
async function bulkRules(api: Api): Promise<Row> {
  const tenant = 'faults-bulk';
  const seller = 'A2FAULTSBULK01';
  const customer = await api.token('customer', tenant);
  await api.call('POST', '/signups', { token: customer, body: exampleSignup({ amazonSellerId: seller }) });
  await connectAmazon(api, tenant, seller);
  const offers = Array.from({ length: BULK_OFFERS }, (_, i) => ({
    sku: `F-${String(i).padStart(5, '0')}`, asin: `B${String(i).padStart(9, '0')}`, marketplaceId: 'A1PA6795UKMFR9', currency: 'EUR', min: '10.00', max: '20.00', strategy: 'buybox',
  }));
  const accepted = await api.call('PUT', '/repricer/rules', { token: customer, body: { sellerId: seller, offers } });
  const serverErrors = accepted.status >= 500 ? 1 : 0;
  if (accepted.status !== 202) throw new Error(`PUT /repricer/rules with ${BULK_OFFERS} offers: ${accepted.status} ${JSON.stringify(accepted.body).slice(0, 300)}`);
  const job = await api.eventually(
    async () => (await api.call('GET', `/repricer/rules/jobs/${accepted.body.jobId}`, { token: customer })).body,
    (j) => j.status === 'done',
    600_000,
  );
  const stored = ((await api.call('GET', '/repricer/offers', { token: customer })).body.items as unknown[]).length;
  const counted = Number(job.created) + Number(job.updated);
  return { scenario: `bulk rules, ${BULK_OFFERS} offers (202, job)`, tries: BULK_OFFERS, serverErrors, lost: BULK_OFFERS - stored, duplicated: Math.max(0, counted - BULK_OFFERS) };
}

/** Every sign-up event delivered ten times in one go: each must give exactly one push. */
async function duplicateDeliveries(api: Api): Promise<Row> {
  const EVENTS = 20;
  await api.stack.pollers!.stop();
  api.stack.pollers = undefined;
  const tenants = Array.from({ length: EVENTS }, (_, i) => `dup-${i}`);
  let serverErrors = 0;
  for (const tenant of tenants) {
    const r = await api.call('POST', '/signups', { token: await api.token('customer', tenant), body: exampleSignup({ product: 'lost-and-found', companyName: `Dup ${tenant} 🙂` }) });
    if (r.status >= 500) serverErrors++;
  }
  const queued = await eventually(
    async () => {
      const { ready, inflight } = api.stack.messaging.server.inspectQueue('sellerops-csm-notifier')!.messages;
      return [...ready, ...inflight.map((m) => m.message)];
    },
    (m) => m.length >= EVENTS,
  );
  const sqs = new SQSClient({});
  for (const message of queued) {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: api.stack.messaging.queueUrls.csmNotifier, Entries: Array.from({ length: 9 }, (_, i) => ({ Id: String(i), MessageBody: message.body })) }));
  }
  sqs.destroy();
  const before = api.stack.pushDeliveries.count;
  api.stack.startPollers();
  await eventually(async () => tenants.filter((t) => api.stack.pushes.some((p) => p.attributes.customerId === t)).length, (n) => n === EVENTS, 60_000).catch(() => undefined);
  await api.stack.pollers!.idle(60_000);
  const pushed = tenants.filter((t) => api.stack.pushes.some((p) => p.attributes.customerId === t)).length;
  const deliveries = api.stack.pushDeliveries.count - before;
  return { scenario: 'concurrent duplicate delivery (csm-notifier, 10 copies each)', tries: EVENTS * 10, serverErrors, lost: EVENTS - pushed, duplicated: Math.max(0, deliveries - pushed) };
}

/** Support requests with an emoji at every position around the push subject's cut. */
async function emojiSubjects(api: Api): Promise<Row> {
  let serverErrors = 0;
  const emails: string[] = [];
  const before = api.stack.pushDeliveries.count;
  for (let at = 70; at <= 110; at++) {
    // The public form's limits are per hour: move the stack's clock on so they never refuse these.
    if (at % 4 === 0) await api.stack.advanceClock(61 * 60_000);
    const email = `emoji-${at}@example.com`;
    emails.push(email);
    const body = { name: 'Zoë', email, language: 'en', subject: `${'s'.repeat(at)}😀👨‍👩‍👧 end`.slice(0, 200), message: 'An emoji in the subject 🙂 please' };
    for (let repeat = 0; repeat < 2; repeat++) {
      const r = await api.call('POST', '/support/requests', { body });
      if (r.status >= 500) serverErrors++;
      if (r.status !== 202) process.stderr.write(`support request at ${at}: ${r.status} ${JSON.stringify(r.body)}\n`);
    }
  }
  await api.stack.pollers!.idle(60_000);
  const pushed = emails.filter((e) => api.stack.pushes.some((p) => p.attributes.customerId === `web:${e}`)).length;
  const deliveries = api.stack.pushDeliveries.count - before;
  return { scenario: 'support request, emoji at chars 70–110 (each sent twice)', tries: emails.length * 2, serverErrors, lost: emails.length - pushed, duplicated: Math.max(0, deliveries - pushed) };
}

/** Pathological report files uploaded and audited through the API: the audit ends in a minute, naming each file. */
async function pathologicalFiles(api: Api): Promise<Row> {
  const tenant = 'faults-files';
  const customer = await api.token('customer', tenant);
  await api.call('POST', '/signups', { token: customer, body: exampleSignup({ product: 'lost-and-found' }) });
  const good = ledger([{ date: '2025-05-20', event: 'Adjustments', ref: 'R1', quantity: -2, reason: 'M' }]);
  const files: [string, Uint8Array][] = [
    ['one-line-50mb.tsv.gz', gzipSync(Buffer.alloc(50 << 20, 0x61))],
    ['many-blank-lines.tsv.gz', gzipSync(Buffer.alloc(200 << 20, 0x0a))],
    ['utf16.tsv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, 'utf16le')])],
    ['empty.tsv', new Uint8Array(0)],
  ];
  let serverErrors = 0;
  for (const [fileName, bytes] of files) {
    const upload = await api.call('POST', '/lost-and-found/uploads', { token: customer, body: { fileName } });
    if (upload.status >= 500) serverErrors++;
    const put = await fetch(upload.body.uploadUrl, { method: 'PUT', body: bytes });
    if (put.status >= 500) serverErrors++;
    if (put.status !== 200) process.stderr.write(`upload ${fileName}: ${put.status} ${await put.text()}\n`);
  }
  const started = Date.now();
  const audit = await api.call('POST', '/lost-and-found/audits', { token: customer, body: { asOf: '2025-06-30' } });
  if (audit.status >= 500) serverErrors++;
  const job = await eventually(
    async () => (await api.call('GET', `/lost-and-found/audits/${audit.body.auditId}`, { token: customer })).body,
    (j) => j.status === 'done' || j.status === 'failed',
    60_000,
  ).catch(() => undefined);
  const seconds = (Date.now() - started) / 1000;
  const notes = (job?.summary?.files ?? []) as { file: string; note?: string; type: string }[];
  const named = notes.filter((f) => f.file === 'one-line-50mb.tsv.gz' && /longer than/.test(f.note ?? '')).length;
  const utf16 = notes.filter((f) => f.file === 'utf16.tsv' && f.type === 'inventory_ledger').length;
  return {
    scenario: `pathological reports (50 MB line, 200 MB of blank lines, UTF-16, empty): audit in ${seconds.toFixed(1)} s`,
    tries: files.length,
    serverErrors,
    // "Lost": the audit did not end in a minute, or did not name the long line, or did not read the UTF-16 report.
    lost: (job?.status === 'done' ? 0 : 1) + (named === 1 ? 0 : 1) + (utf16 === 1 ? 0 : 1),
    duplicated: 0,
  };
}

/** The stack SIGKILLed three times with work in every state; nothing accepted may be missing after a restart. */
async function sigkillRestarts(): Promise<Row> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sellerops-faults-'));
  const CYCLES = 3;
  const PER_CYCLE = 5;
  let serverErrors = 0;
  const uploaded: { tenant: string; file: string }[] = [];
  const signedUp: string[] = [];
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // Consumers off in odd cycles: their sign-up events wait in the queue across the kill.
      const stack = await start(dataDir, cycle % 2 === 0);
      for (let i = 0; i < PER_CYCLE; i++) {
        const tenant = `kill-${cycle}-${i}`;
        const customer = await token(stack, { role: 'customer', tenant });
        const s = await call(stack, 'POST', '/signups', { token: customer, body: exampleSignup({ product: 'lost-and-found', companyName: tenant }) });
        if (s.status >= 500) serverErrors++;
        if (s.status === 201) signedUp.push(tenant);
        const upload = await call(stack, 'POST', '/lost-and-found/uploads', { token: customer, body: { fileName: 'ledger.tsv' } });
        if (upload.status >= 500) serverErrors++;
        const put = await fetch(upload.body.uploadUrl, { method: 'PUT', body: ledger([{ date: '2025-05-20', event: 'Adjustments', ref: `R${i}`, quantity: -1, reason: 'M' }]) });
        if (put.status === 200) uploaded.push({ tenant, file: 'ledger.tsv' });
      }
      await kill(stack);
    }
    const stack = await start(dataDir, true);
    const lead = await token(stack, { role: 'csm', staff: 'csm-anna' });
    const notified = await eventually(
      async () => new Set(((await call(stack, 'GET', '/csm/notifications?limit=100', { token: lead })).body.items as { customerId: string; pushedAt: string | null }[]).filter((n) => n.pushedAt).map((n) => n.customerId)),
      (seen) => signedUp.every((t) => seen.has(t)),
      60_000,
    ).catch(() => new Set<string>());
    let auditedFiles = 0;
    for (const { tenant } of uploaded) {
      const customer = await token(stack, { role: 'customer', tenant });
      const audit = await call(stack, 'POST', '/lost-and-found/audits', { token: customer, body: { asOf: '2025-06-30' } });
      if (audit.status >= 500) serverErrors++;
      const job = await eventually(async () => (await call(stack, 'GET', `/lost-and-found/audits/${audit.body.auditId}`, { token: customer })).body, (j) => j.status === 'done' || j.status === 'failed', 30_000).catch(() => undefined);
      if (job?.status === 'done' && job.summary.files.length === 1) auditedFiles++;
    }
    await kill(stack);
    return {
      scenario: `SIGKILL + restart with --data (${CYCLES} kills; sign-ups, events, uploads)`,
      tries: signedUp.length + uploaded.length,
      serverErrors,
      lost: signedUp.filter((t) => !notified.has(t)).length + (uploaded.length - auditedFiles),
      duplicated: 0,
    };
  } finally {
    killAll();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
const failures: string[] = [];
async function scenario(name: string, run: () => Promise<Row>): Promise<void> {
  process.stderr.write(`… ${name}\n`);
  try {
    rows.push(await run());
  } catch (error) {
    failures.push(`${name}: ${(error as Error).stack ?? String(error)}`);
  }
}

/** FAULTS_ONLY=fuzz,files runs a subset (while working on one fault). */
const only = process.env.FAULTS_ONLY?.split(',');
const wanted = (name: string) => only === undefined || only.includes(name);
const api = await startApi({ visibilityTimeoutSeconds: 1 });
try {
  if (wanted('fuzz')) await scenario('fuzz', () => fuzz(api));
  if (wanted('emoji')) await scenario('emoji', () => emojiSubjects(api));
  if (wanted('files')) await scenario('files', () => pathologicalFiles(api));
  if (wanted('duplicates')) await scenario('duplicates', () => duplicateDeliveries(api));
  if (wanted('bulk')) await scenario('bulk', () => bulkRules(api));
} finally {
  await api.stack.stop();
}
if (wanted('sigkill')) await scenario('sigkill', sigkillRestarts);

const header = ['scenario', 'tries', '5xx', 'lost', 'duplicated', 'partial writes'];
const cells = (r: Row) => [r.scenario, String(r.tries), String(r.serverErrors), String(r.lost), String(r.duplicated), String(r.partialWrites ?? 0)];
const table = [header, ...rows.map(cells)];
const widths = header.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
const line = (row: string[]) => `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
process.stdout.write(`\n${line(header)}\n|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|\n${rows.map((r) => line(cells(r))).join('\n')}\n`);
for (const r of rows) if (r.note) process.stdout.write(`${r.scenario}: statuses ${r.note}\n`);
for (const f of failures) process.stdout.write(`\nscenario failed: ${f}\n`);
const bad = failures.length > 0 || rows.some((r) => r.serverErrors + r.lost + r.duplicated + (r.partialWrites ?? 0) > 0);
process.exit(bad ? 1 : 0);
