/**
 * `npm run smoke -- --url <api> [--token-cmd "…"]`: a short end-to-end suite against a running stack (after a deploy,
 * or the local one), over its public HTTP API only. It prints each step with PASS / FAIL / SKIP and exits 1 if a step
 * failed (2 for a wrong command line):
 *
 *   1. the API answers (`GET /openapi.json`);
 *   2. a test subscription: the smoke manager (a lead who takes no customers) is pushed every sign-up;
 *   3. a sign-up (`POST /signups`, repricer) by a new tenant, 4. its CSM push: in the feed with `pushedAt`, and on a
 *      local stack received by the test subscription itself;
 *   5. a Lost & Found sign-up and 6. a tiny audit of two example reports, to the end;
 *   7. the tenant's Amazon connection and 8. a dry-run reprice of one offer: decided and recorded, nothing pushed.
 *
 * Tokens: `--token-cmd` is run through the shell for each identity with `SMOKE_ROLE` (`customer` or `csm-lead`) and
 * `SMOKE_TENANT` or `SMOKE_STAFF` in its environment, and prints a bearer token (e.g. a script that signs a Cognito
 * test user in). Without it, the local stack's dev login (`POST /_local/auth/token`) is used.
 */
import { exec } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

export interface SmokeOptions {
  /** The API's base URL. */
  readonly url: string;
  readonly tokenCommand?: string;
  /** The new tenant this run signs up (fresh by default, so a sign-up is never `409 already_signed_up`). */
  readonly tenant: string;
  /** The smoke manager whose push subscription is the test subscription. */
  readonly staff: string;
  /** The Amazon seller id the tenant signs up with and connects. */
  readonly seller: string;
  /** How long a step may wait for something asynchronous (a push, an audit, a tick). */
  readonly timeoutSeconds: number;
}

export type StepStatus = 'PASS' | 'FAIL' | 'SKIP';
export interface StepResult {
  readonly step: string;
  readonly status: StepStatus;
  readonly detail: string;
}

/** A step that cannot run on this stack (said why), rather than failing. */
class Skip extends Error {}

const DE = 'A1PA6795UKMFR9';
const EXAMPLE_REPORTS = ['reimbursements.tsv', 'customer-returns.tsv'];

export function defaultSmokeOptions(url: string): SmokeOptions {
  const run = `smoke-${new Date().toISOString().replace(/[-:TZ.]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  return {
    url,
    tenant: run,
    staff: 'smoke-csm',
    seller: `ASMOKE${randomBytes(4).toString('hex').toUpperCase()}`,
    timeoutSeconds: 420,
  };
}

export async function runSmoke(options: SmokeOptions, print: (line: string) => void): Promise<StepResult[]> {
  const api = new SmokeApi(options);
  const results: StepResult[] = [];
  const state: { customerId?: string; connected?: boolean } = {};
  const step = async (name: string, body: () => Promise<string>) => {
    let result: StepResult;
    try {
      result = { step: name, status: 'PASS', detail: await body() };
    } catch (error) {
      result = { step: name, status: error instanceof Skip ? 'SKIP' : 'FAIL', detail: (error as Error).message };
    }
    results.push(result);
    print(`${result.status}  ${name}: ${result.detail}`);
  };
  print(`smoke test of ${options.url} (tenant ${options.tenant}, manager ${options.staff}, seller ${options.seller})`);

  await step('API answers', async () => {
    const openapi = await api.call('GET', '/openapi.json');
    expect(openapi.status === 200 && typeof openapi.body.openapi === 'string', `GET /openapi.json: ${openapi.status}`);
    return `OpenAPI ${openapi.body.openapi}, ${Object.keys(asRecord(openapi.body.paths)).length} paths`;
  });

  await step('test subscription', async () => {
    const lead = await api.token('csm-lead', options.staff);
    // A lead who is away takes no customers: the smoke manager never gets a real customer's work.
    const profile = { name: 'Smoke test', email: 'smoke-test@example.com', languages: ['en'], capacity: 1, available: false, lead: true };
    const put = await api.call('PUT', `/csm/staff/${options.staff}`, { token: lead, body: profile });
    expect(put.status === 200 || put.status === 201, `PUT /csm/staff/${options.staff}: ${put.status} ${JSON.stringify(put.body)}`);
    const push = await api.call('PUT', `/csm/staff/${options.staff}/push`, { token: lead, body: { eventTypes: ['customer.signed-up'], scope: 'all' } });
    expect(push.status === 200, `PUT /csm/staff/${options.staff}/push: ${push.status} ${JSON.stringify(push.body)}`);
    return `${options.staff} is pushed every customer.signed-up`;
  });

  await step('sign-up (repricer)', async () => {
    const signup = await api.signup('repricer');
    state.customerId = signup;
    return `customer ${signup}`;
  });

  await step('CSM push of the sign-up', async () => {
    const customerId = state.customerId;
    if (!customerId) throw new Skip('no sign-up to look for');
    const lead = await api.token('csm-lead', options.staff);
    const notification = await api.waitFor('the notification in GET /csm/notifications with pushedAt', async () => {
      const feed = await api.call('GET', '/csm/notifications?scope=all&limit=100', { token: lead });
      return asArray(feed.body.items).map(asRecord).find((n) => n.customerId === customerId && n.eventType === 'customer.signed-up' && typeof n.pushedAt === 'string');
    });
    const consoleFeed = await api.call('GET', `/_local/console?staff=${encodeURIComponent(options.staff)}`);
    if (consoleFeed.status !== 200) {
      return `pushed at ${String(notification.pushedAt)} (SNS accepted it; its delivery to an e-mail, SMS or HTTPS endpoint is not visible from here)`;
    }
    await api.waitFor(`the push on ${options.staff}'s subscription (local console)`, async () => {
      const received = await api.call('GET', `/_local/console?staff=${encodeURIComponent(options.staff)}`);
      return asArray(received.body.items).map(asRecord).find((p) => asRecord(p.attributes).customerId === customerId);
    });
    return `pushed at ${String(notification.pushedAt)} and received on ${options.staff}'s subscription`;
  });

  await step('sign-up (lost-and-found)', async () => `customer ${await api.signup('lost-and-found')}`);

  await step('tiny audit', async () => {
    const customer = await api.token('customer', options.tenant);
    const examples = fileURLToPath(new URL('../examples/fba-reports/', import.meta.url));
    for (const fileName of EXAMPLE_REPORTS) {
      const upload = await api.call('POST', '/lost-and-found/uploads', { token: customer, body: { fileName } });
      expect(upload.status === 200 || upload.status === 201, `POST /lost-and-found/uploads: ${upload.status} ${JSON.stringify(upload.body)}`);
      const put = await fetch(String(upload.body.uploadUrl), { method: 'PUT', body: await readFile(`${examples}${fileName}`) });
      expect(put.ok, `PUT ${fileName} to its upload URL: ${put.status}`);
    }
    const started = await api.call('POST', '/lost-and-found/audits', { token: customer, body: {} });
    expect(started.status === 202, `POST /lost-and-found/audits: ${started.status} ${JSON.stringify(started.body)}`);
    const auditId = String(started.body.auditId);
    const audit = await api.waitFor(`audit ${auditId} to end`, async () => {
      const view = await api.call('GET', `/lost-and-found/audits/${auditId}`, { token: customer });
      return view.body.status === 'done' || view.body.status === 'failed' ? view.body : undefined;
    });
    expect(audit.status === 'done', `audit ${auditId} ${String(audit.status)}: ${JSON.stringify(audit).slice(0, 500)}`);
    const files = asArray(asRecord(audit.summary).files).map(asRecord);
    expect(files.length === EXAMPLE_REPORTS.length, `audit ${auditId} read ${files.length} files, not ${EXAMPLE_REPORTS.length}`);
    const rows = files.reduce((sum, f) => sum + Number(f.rows ?? 0), 0);
    expect(rows > 0, `audit ${auditId} read no rows`);
    return `audit ${auditId} done: ${files.length} files, ${rows} rows`;
  });

  await step('Amazon connection', async () => {
    const customer = await api.token('customer', options.tenant);
    const started = await api.call('POST', '/amazon/authorizations', { token: customer });
    expect(started.status === 201, `POST /amazon/authorizations: ${started.status} ${JSON.stringify(started.body)}`);
    const consentUrl = new URL(String(started.body.consentUrl));
    if (consentUrl.pathname !== '/_local/amazon/consent') {
      throw new Skip(`the consent page is Amazon's (${consentUrl.host}): a seller must sign in there, which a script cannot do`);
    }
    consentUrl.searchParams.set('seller', options.seller);
    const page = await fetch(consentUrl, { redirect: 'manual' });
    expect(page.status === 302, `the simulated consent page answered ${page.status}`);
    const callback = await fetch(page.headers.get('location') ?? '');
    const connection = asRecord(await callback.json());
    expect(callback.status === 200 && connection.status === 'authorised', `callback: ${callback.status} ${JSON.stringify(connection)}`);
    state.connected = true;
    return `seller ${options.seller} authorised (simulated Seller Central)`;
  });

  await step('dry-run reprice', async () => {
    if (!state.connected) throw new Skip('needs the Amazon connection of the step before');
    const customer = await api.token('customer', options.tenant);
    const sku = 'SMOKE-TEST-1';
    const asin = 'B0SMOKE001';
    // The local stack's simulated Amazon lists the offer first (a deployed stack reprices the seller's real listings).
    const listing = await api.call('PUT', '/_local/sim/listings', { body: { marketplace: 'DE', asin, audience: 'B2C', sellerId: options.seller, sku } });
    expect(listing.status === 200 || listing.status === 404, `PUT /_local/sim/listings: ${listing.status} ${JSON.stringify(listing.body)}`);
    // The offer is a dry run from its first rules on, and then the whole account: no tick can push in between.
    const offer = { sku, asin, marketplaceId: DE, audience: 'B2C', strategy: 'buybox', min: '8.00', max: '15.00', currency: 'EUR', dryRun: true };
    const rules = await api.call('PUT', '/repricer/rules', { token: customer, body: { sellerId: options.seller, offers: [offer] } });
    expect(rules.status === 200, `PUT /repricer/rules: ${rules.status} ${JSON.stringify(rules.body)}`);
    const settings = await api.call('PUT', '/repricer/settings', { token: customer, body: { dryRun: true, paused: false } });
    expect(settings.status === 200, `PUT /repricer/settings: ${settings.status} ${JSON.stringify(settings.body)}`);
    // The local stack's clock fires the next tick at once; a deployed stack's tick comes within its 5 minutes.
    const clock = await api.call('POST', '/_local/clock/advance', { body: { minutes: 5 } });
    let polls = 0;
    const history = await api.waitFor(`a decision on ${sku} (the next repricer tick)`, async () => {
      // Locally, another tick now and then in case the first one fell before the offer was due.
      if (clock.status === 200 && ++polls % 15 === 0) await api.call('POST', '/_local/clock/advance', { body: { minutes: 5 } });
      const view = await api.call('GET', `/repricer/offers/${sku}/history`, { token: customer });
      const entries = asArray(view.body.items).map(asRecord);
      return entries.some((e) => e.kind === 'decision') ? entries : undefined;
    });
    const pushes = history.filter((e) => e.kind === 'push');
    expect(pushes.length === 0, `a dry run pushed ${pushes.length} price(s): ${JSON.stringify(pushes)}`);
    const decisions = history.filter((e) => e.kind === 'decision');
    expect(decisions.every((e) => e.dryRun === true), `decisions not marked dryRun: ${JSON.stringify(decisions)}`);
    const last = decisions.at(-1)!;
    return `${decisions.length} decision(s), last ${String(last.action)} at ${String(last.priceMinor)} (dry run), nothing pushed`;
  });

  const failed = results.filter((r) => r.status === 'FAIL').length;
  const skipped = results.filter((r) => r.status === 'SKIP').length;
  print(`${failed === 0 ? 'smoke test passed' : 'smoke test FAILED'}: ${results.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
  return results;
}

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}
function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

class SmokeApi {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly options: SmokeOptions) {}

  async signup(product: 'repricer' | 'lost-and-found'): Promise<string> {
    const customer = await this.token('customer', this.options.tenant);
    const body = {
      product,
      companyName: `Smoke test ${this.options.tenant}`,
      contactEmail: 'smoke-test@example.com',
      language: 'en',
      marketplaces: ['DE'],
      amazonSellerId: this.options.seller,
    };
    const response = await this.call('POST', '/signups', { token: customer, body });
    expect(response.status === 201, `POST /signups (${product}): ${response.status} ${JSON.stringify(response.body)}`);
    return String(response.body.customerId);
  }

  async token(role: 'customer' | 'csm-lead', id: string): Promise<string> {
    const key = `${role}:${id}`;
    const known = this.tokens.get(key);
    if (known) return known;
    const token = this.options.tokenCommand ? await this.commandToken(role, id) : await this.localToken(role, id);
    this.tokens.set(key, token);
    return token;
  }

  private async commandToken(role: string, id: string): Promise<string> {
    const env = { ...process.env, SMOKE_ROLE: role, ...(role === 'customer' ? { SMOKE_TENANT: id } : { SMOKE_STAFF: id }) };
    try {
      const { stdout } = await promisify(exec)(this.options.tokenCommand!, { env, timeout: 60_000 });
      const token = stdout.trim().split('\n').at(-1)?.trim() ?? '';
      expect(token.length > 0, `--token-cmd printed no token for ${role} ${id}`);
      return token;
    } catch (error) {
      throw new Error(`--token-cmd for ${role} ${id} failed: ${(error as Error).message.trim()}`, { cause: error });
    }
  }

  private async localToken(role: string, id: string): Promise<string> {
    const response = await this.call('POST', '/_local/auth/token', { body: role === 'customer' ? { role, tenant: id } : { role, staff: id } });
    if (response.status === 404) throw new Error('this stack has no local dev login: give --token-cmd "…" (see README, Smoke tests)');
    expect(response.status === 200 && typeof response.body.token === 'string', `POST /_local/auth/token: ${response.status}`);
    return response.body.token;
  }

  async call(method: string, path: string, { token, body }: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: Json }> {
    const response = await fetch(new URL(path, this.options.url), {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { text: text.slice(0, 300) };
    }
    return { status: response.status, body: asRecord(parsed) };
  }

  /** Polls `probe` once a second until it returns something, up to the smoke's timeout. */
  async waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + this.options.timeoutSeconds * 1000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`waited ${this.options.timeoutSeconds} s for ${what}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        'token-cmd': { type: 'string' },
        tenant: { type: 'string' },
        staff: { type: 'string' },
        seller: { type: 'string' },
        timeout: { type: 'string' },
      },
    }));
  } catch (error) {
    process.stderr.write(`smoke: ${(error as Error).message}\n`);
    return 2;
  }
  if (!values.url) {
    process.stderr.write('usage: npm run smoke -- --url <api> [--token-cmd "<command printing a token for $SMOKE_ROLE and $SMOKE_TENANT / $SMOKE_STAFF>"] [--tenant <id>] [--staff <id>] [--seller <id>] [--timeout <seconds>]\n');
    return 2;
  }
  const defaults = defaultSmokeOptions(values.url);
  const timeout = values.timeout === undefined ? defaults.timeoutSeconds : Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout < 1) {
    process.stderr.write(`smoke: --timeout: expected whole seconds, got "${values.timeout}"\n`);
    return 2;
  }
  const results = await runSmoke(
    {
      ...defaults,
      ...(values['token-cmd'] ? { tokenCommand: values['token-cmd'] } : {}),
      ...(values.tenant ? { tenant: values.tenant } : {}),
      ...(values.staff ? { staff: values.staff } : {}),
      ...(values.seller ? { seller: values.seller } : {}),
      timeoutSeconds: timeout,
    },
    (line) => process.stdout.write(`${line}\n`),
  );
  return results.some((r) => r.status === 'FAIL') ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
