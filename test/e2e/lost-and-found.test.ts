import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { directorySources } from '../../cli/lost-and-found-sources.ts';
import { runAudit } from '#shared/lost-and-found/audit.ts';
import { exampleSignup, startApi, type Api, type ResponseBody } from '../support/local-stack.ts';
import { connectAmazon } from '../support/amazon.ts';
import { inputId } from '#shared/kernel/ids.ts';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'fba-reports');
const AS_OF = '2025-06-30';
let api: Api;
/** A line of `GET /lost-and-found/report-fetches`. */
type FetchLine = { state: string; reads: string; files: string[]; runDay?: string };
let token: string;

beforeAll(async () => {
  // The example reports end on 2025-06-30: the stack's clock starts there, so their claims are still open.
  api = await startApi({ startAt: new Date('2025-06-30T12:00:00Z') });
  const lead = await api.token('csm-lead', 's-lf');
  const staff = await api.call('PUT', '/csm/staff/s-lf', { token: lead, body: { name: 'Lea', email: 'lea@example.com', languages: ['fr', 'de', 'en'], capacity: 100 } });
  expect(staff.status).toBe(200);
  token = await api.token('customer', 'lf-1');
  expect((await api.call('POST', '/signups', { token, body: exampleSignup({ product: 'lost-and-found', language: 'fr', marketplaces: ['FR', 'DE'] }) })).status).toBe(201);
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

async function upload(asTenant: string, fileName: string, bytes: Buffer) {
  const t = await api.token('customer', asTenant);
  const signed = await api.call('POST', '/lost-and-found/uploads', { token: t, body: { fileName } });
  expect(signed.status).toBe(201);
  const put = await fetch(signed.body.uploadUrl, { method: 'PUT', body: bytes });
  expect(put.status).toBe(200);
}

async function audit(asTenant: string, asOf?: string) {
  const t = await api.token('customer', asTenant);
  const started = await api.call('POST', '/lost-and-found/audits', { token: t, body: asOf ? { asOf } : {} });
  expect(started.status).toBe(202);
  const job = await api.eventually(
    async () => (await api.call('GET', `/lost-and-found/audits/${started.body.auditId}`, { token: t })).body,
    (j) => j.status === 'done' || j.status === 'failed',
  );
  expect(job.status, JSON.stringify(job)).toBe('done');
  return job;
}

describe('Lost & Found through the local stack', () => {
  it('audits reports uploaded through pre-signed URLs and shows the same claims the CLI finds', async () => {
    for (const name of readdirSync(EXAMPLES).filter((n) => statSync(join(EXAMPLES, n)).isFile())) {
      await upload('lf-1', name, readFileSync(join(EXAMPLES, name)));
    }
    const job = await audit('lf-1', AS_OF);
    const cli = await runAudit(directorySources(EXAMPLES), { asOf: AS_OF });
    expect(job.summary.claimsFound).toBe(cli.claims.length);
    expect(job.summary.created).toBe(cli.claims.length);
    expect(job.summary.files.some((f: ResponseBody) => f.type === 'unknown' && f.ignored)).toBe(true); // the unknown file is reported

    const claims = (await api.call('GET', '/lost-and-found/claims', { token })).body.claims;
    expect(claims.map((c: ResponseBody) => c.id).sort()).toEqual(cli.claims.map((c) => c.id).sort());
    const key = JSON.parse(readFileSync(join(EXAMPLES, 'answer-key', 'answer-key.json'), 'utf8')) as { expected: { type: string; msku: string; ref: string }[] };
    const missing = key.expected.filter((e) => !claims.some((c: ResponseBody) => c.type === e.type && c.msku === e.msku && c.ref === e.ref));
    expect(missing).toEqual([]);
    expect(claims).toHaveLength(key.expected.length); // no false claim
    // Another tenant sees none of them.
    expect((await api.call('GET', '/lost-and-found/claims', { token: await api.token('customer', 'lf-other') })).body.claims).toEqual([]);
  });

  it('creates no duplicate claims when the audit runs again', async () => {
    const before = (await api.call('GET', '/lost-and-found/claims', { token })).body.claims.length;
    const job = await audit('lf-1', AS_OF);
    expect(job.summary.created).toBe(0);
    expect((await api.call('GET', '/lost-and-found/claims', { token })).body.claims).toHaveLength(before);
  });

  it('files a claim with Seller Support and marks it paid when a reimbursement carries its case id', async () => {
    const response = await api.call('GET', '/lost-and-found/claims?status=found', { token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const claims = response.body.claims;
    const claim = claims.find((c: ResponseBody) => c.type === 'lost_warehouse') ?? claims[0];
    const detail = (await api.call('GET', `/lost-and-found/claims/${claim.id}`, { token })).body;
    expect(detail.caseText).toContain(claim.fnsku);
    const filed = await api.call('POST', `/lost-and-found/claims/${claim.id}/file`, { token });
    expect(filed.status).toBe(200);
    expect(filed.body.claim.status).toBe('filed');
    const caseId = filed.body.claim.caseId as string;
    expect((await api.call('POST', `/lost-and-found/claims/${claim.id}/file`, { token })).status).toBe(409);

    const header = 'approval-date\treimbursement-id\tcase-id\tamazon-order-id\treason\tsku\tfnsku\tasin\tproduct-name\tcondition\tcurrency-unit\tamount-per-unit\tamount-total\tquantity-reimbursed-cash\tquantity-reimbursed-inventory\tquantity-reimbursed-total\toriginal-reimbursement-id\toriginal-reimbursement-type';
    const amount = (claim.amount.minor / 100).toFixed(2);
    const row = ['2025-06-29T10:00:00+00:00', '9990000001', caseId, '', 'Lost_Warehouse', claim.msku, claim.fnsku, claim.asin, 'x', 'New', claim.amount.currency, amount, amount, String(claim.quantity), '0', String(claim.quantity), '', ''].join('\t');
    await upload('lf-1', 'reimbursements-new.tsv', Buffer.from(`${header}\n${row}\n`));
    const job = await audit('lf-1', AS_OF);
    expect(job.summary.paid).toBeGreaterThanOrEqual(1);
    const paid = (await api.call('GET', `/lost-and-found/claims/${claim.id}`, { token })).body;
    expect(paid.status).toBe('paid');
    expect(paid.recovered.minor).toBe(claim.amount.minor);

    const dashboard = (await api.call('GET', '/lost-and-found/dashboard', { token })).body;
    expect(JSON.stringify(dashboard)).toContain(String(claim.amount.minor));
  });

  it('raises exactly one CSM anomaly task and push for a burst of damage adjustments', async () => {
    const tenant = 'lf-burst';
    const t = await api.token('customer', tenant);
    expect((await api.call('POST', '/signups', { token: t, body: exampleSignup({ product: 'lost-and-found', companyName: 'Burst SARL' }) })).status).toBe(201);
    const today = api.stack.clock.now();
    const day = (offset: number) => {
      const d = new Date(today.getTime() - offset * 86_400_000);
      return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;
    };
    const header = 'Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\tFulfillment Center\tDisposition\tReason\tCountry\tReconciled Quantity\tUnreconciled Quantity\tDate and Time';
    const rows: string[] = [];
    // Baseline: one damage adjustment every ~10 days over the trailing 90 days; then 14 in the last 5 days.
    for (let i = 10; i <= 90; i += 10) rows.push([day(i), 'X00BURST01', 'B00BURST01', 'SKU-B1', 'Vase', 'Adjustments', `ref-${i}`, '-1', 'LEJ1', 'SELLABLE', '6', 'DE', '-1', '0', ''].join('\t'));
    for (let i = 0; i < 14; i++) rows.push([day(i % 5), 'X00BURST01', 'B00BURST01', 'SKU-B1', 'Vase', 'Adjustments', `burst-${i}`, '-1', 'LEJ1', 'SELLABLE', 'E', 'DE', '-1', '0', ''].join('\t'));
    await upload(tenant, 'ledger.tsv', Buffer.from(`${header}\n${rows.join('\n')}\n`));
    await audit(tenant);

    const customer = await api.eventually(async () => (await api.call('GET', `/customers/${tenant}`, { token: t })).body, (c) => Boolean(c.csmId));
    const anomalyTasks = async () => {
      const csmToken = await api.token('csm', customer.csmId ?? 'nobody');
      return (await api.call('GET', '/csm/tasks?limit=200', { token: csmToken })).body.items.filter((x: ResponseBody) => x.tenantId === tenant && x.kind === 'anomaly-call' && x.details.anomaly === 'damage_burst');
    };
    await api.call('POST', '/_local/clock/advance', { body: { hours: 25 } }); // the daily check fires
    expect(await anomalyTasks()).toHaveLength(1);
    await api.call('POST', '/_local/clock/advance', { body: { hours: 25 } }); // and again the next day: no second call
    expect(await anomalyTasks()).toHaveLength(1);
    const pushes = api.stack.pushes.filter((p) => p.attributes.customerId === tenant && p.attributes.eventType === 'lost-and-found.damage-burst');
    expect(pushes).toHaveLength(1);
  });

  it('creates a set-up help task on request, once a day', async () => {
    const first = await api.call('POST', '/lost-and-found/setup-help', { token, body: { note: 'Which reports do you need?' } });
    expect(first).toMatchObject({ status: 201, body: { created: true } });
    const again = await api.call('POST', '/lost-and-found/setup-help', { token, body: {} });
    expect(again.body.created).toBe(false);
  });

  it("fetches every report the audit reads from Amazon (simulated locally) for an authorised seller, and audits them by itself", async () => {
    const t = await api.token('customer', 'lf-daily');
    expect((await api.call('POST', '/signups', { token: t, body: exampleSignup({ product: 'lost-and-found', amazonSellerId: 'A9DAILYFETCH01' }) })).status).toBe(201);
    // A repricer customer too: the daily fetch brings its listings (the All Listings report) as well.
    expect((await api.call('POST', '/signups', { token: t, body: exampleSignup({ product: 'repricer', amazonSellerId: 'A9DAILYFETCH01' }) })).status).toBe(201);
    expect((await api.call('GET', '/lost-and-found/claims', { token: t })).body.claims).toEqual([]);
    // Nothing is fetched for a seller id typed at sign-up: only after the seller authorises our app on Amazon.
    const idle = await api.call('POST', '/_local/clock/advance', { body: { hours: 25 } });
    expect(idle.body.fired.some((f: string) => f.startsWith('lost-found-report-fetch@'))).toBe(true);
    const never = await api.call('GET', '/lost-and-found/report-fetches', { token: t });
    expect(never.status).toBe(200);
    expect(never.body.reports.map((r: { state: string }) => r.state)).toEqual(never.body.reports.map(() => 'never'));
    await connectAmazon(api, 'lf-daily', 'A9DAILYFETCH01');
    // The back-fill is queued by the authorisation itself (the clock is not advanced: no daily run in between).
    const right = await api.call('GET', '/lost-and-found/report-fetches', { token: t });
    expect(right.body.reports.filter((r: FetchLine) => r.state === 'never')).toEqual([]);

    // One chain per report (a back-fill of 18 months in periods), each ending done: nothing failed.
    const fetches = await api.eventually(
      async () => (await api.call('GET', '/lost-and-found/report-fetches', { token: t })).body.reports,
      (reports: FetchLine[]) => reports.every((r) => r.state === 'done' || r.state === 'failed'),
      240_000,
    );
    expect(fetches.filter((r) => r.state !== 'done')).toEqual([]);
    const stored = new Set(fetches.filter((r) => r.files.length > 0).map((r) => r.reads));
    for (const reads of ['inventory_ledger', 'reimbursements', 'customer_returns', 'removal_order_detail', 'removal_shipment_detail', 'settlement', 'inbound_shipment_items', 'fee_preview']) {
      expect(stored.has(reads), reads).toBe(true);
    }

    // The audit of the day was queued by the fetch's last step and reads every one of those reports.
    const runDay = String(fetches[0]?.runDay);
    const auditId = inputId('audit', `lf-daily#daily#${runDay}`);
    const audit = await api.eventually(
      async () => (await api.call('GET', `/lost-and-found/audits/${auditId}`, { token: t })).body,
      (job: ResponseBody) => job.status === 'done' || job.status === 'failed',
    );
    expect(audit.status).toBe('done');
    const audited = new Set(audit.summary.files.map((f: { type: string }) => f.type));
    for (const type of stored) expect(audited.has(type), type).toBe(true);
    const claims = (await api.call('GET', '/lost-and-found/claims', { token: t })).body.claims;
    expect(claims.length).toBeGreaterThan(0);

    // The All Listings report of each of the seller's marketplaces went to the repricer's listings, not to the audit.
    expect(fetches.find((r) => r.reads === 'repricer_listings')).toMatchObject({ state: 'done', files: [] });
    const listings = await api.call('GET', '/repricer/listings', { token: t });
    expect(listings.status).toBe(200);
    const items = listings.body.items as { sku: string; repricing: string; hint: string | null; listingStatus: string; price: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item).toMatchObject({ repricing: 'imported', hint: 'imported — set a min/max to start', listingStatus: 'active' });
      expect(item.price).toMatch(/^\d+\.\d\d$/);
    }
  });

  it('deletes an uploaded report for its own tenant only; later audits no longer read it', async () => {
    const tenant = 'lf-delete';
    const own = await api.token('customer', tenant);
    expect((await api.call('POST', '/signups', { token: own, body: exampleSignup({ product: 'lost-and-found' }) })).status).toBe(201);
    for (const name of ['inventory-ledger-part1.tsv', 'reimbursements.tsv']) await upload(tenant, name, readFileSync(join(EXAMPLES, name)));
    const listed = async () => ((await api.call('GET', '/lost-and-found/reports', { token: own })).body.reports as { fileName: string }[]).map((r) => r.fileName);
    expect(await listed()).toEqual(['inventory-ledger-part1.tsv', 'reimbursements.tsv']);
    const before = await audit(tenant, AS_OF);
    expect(before.summary.files.map((f: ResponseBody) => f.file)).toContain('reimbursements.tsv');

    // Another tenant's file of that name does not exist for this caller: 404, exactly like a missing one.
    expect((await api.call('DELETE', '/lost-and-found/reports/reimbursements.tsv', { token: await api.token('customer', 'lf-other') })).status).toBe(404);
    expect((await api.call('DELETE', '/lost-and-found/reports/reimbursements.tsv')).status).toBe(401);
    expect((await api.call('DELETE', '/lost-and-found/reports/..%2F..%2Fetc', { token: own })).status).toBe(400);
    expect(await listed()).toEqual(['inventory-ledger-part1.tsv', 'reimbursements.tsv']);

    const deleted = await api.call('DELETE', '/lost-and-found/reports/reimbursements.tsv', { token: own });
    expect(deleted.status).toBe(204);
    expect(await listed()).toEqual(['inventory-ledger-part1.tsv']);
    expect((await api.call('DELETE', '/lost-and-found/reports/reimbursements.tsv', { token: own })).status).toBe(404);
    const after = await audit(tenant, AS_OF);
    expect(after.summary.files.map((f: ResponseBody) => f.file)).toEqual(['inventory-ledger-part1.tsv']);
  });

  it('rejects bad input with a clear 4xx', async () => {
    expect((await api.call('POST', '/lost-and-found/uploads', { token, body: { fileName: '../../etc/passwd' } })).status).toBe(400);
    expect((await api.call('POST', '/lost-and-found/audits', { token, body: { asOf: '2099-01-01' } })).status).toBe(409);
    expect((await api.call('POST', '/lost-and-found/audits', { token, body: { asOf: '30.06.2025' } })).status).toBe(400);
    expect((await api.call('GET', '/lost-and-found/claims?status=bogus', { token })).status).toBe(400);
    expect((await api.call('GET', '/lost-and-found/claims/nope', { token })).status).toBe(404);
    expect((await api.call('GET', '/lost-and-found/claims')).status).toBe(401);
  });
});
