/**
 * The daily report fetch as chains of queued steps, run against the simulated Amazon through the production
 * SP-API adapter (`SpApiReports` on `SpApiClient`), with the queues drained by hand: nothing sleeps, a wait for
 * Amazon is a message's delay.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#shared/kernel/clock.ts';
import { UpstreamError } from '#shared/kernel/upstream.ts';
import { REPORT_TYPES } from '#shared/lost-and-found/report-types.ts';
import { detectReport } from '#shared/lost-and-found/report-types.ts';
import {
  EVENT_REPORT_BACKFILL_DAYS,
  FETCHED_REPORTS,
  INBOUND_SHIPMENT_ITEMS,
  MERCHANT_LISTINGS_REPORT,
  planReportFetches,
  recordFetchFailure,
  reportProcessingFinished,
  retryReportFetch,
  runReportFetchStep,
  stepKey,
  type StepDeps,
  type StepOutcome,
} from '#shared/lost-and-found/report-fetch.ts';
import type { AmazonReportsApi } from '#shared/lost-and-found/ports.ts';
import { SimulatedAmazonReports } from '../../local/simulated-amazon-reports.ts';
import type { QuotaLimiter } from '#shared/amazon-access/ports.ts';
import { rateOf } from '#shared/amazon-access/quota.ts';
import { MemoryQuotaLimiter } from '#shared/adapters/memory-quota-limiter.ts';
import { InMemoryLostFoundStore, InMemoryQueues, InMemoryReportStore, RecordingListingsImporter } from '../support/lost-and-found-memory.ts';
import { RecordingSalesImporter } from '../support/sales-memory.ts';
import { ALL_ORDERS_REPORT } from '#shared/repricer/index.ts';

const SELLER = 'A1FETCHSELLER9';

function setup(
  options: { amazon?: (sim: AmazonReportsApi) => AmazonReportsApi; connected?: boolean; contracts?: Partial<Record<string, { status: string }>>; limiter?: (clock: ManualClock) => QuotaLimiter } = {},
) {
  const clock = new ManualClock(new Date('2026-03-10T04:00:00Z'));
  const sim = new SimulatedAmazonReports(() => clock.now(), () => undefined, 400);
  sim.authorise(SELLER);
  const revoked: string[] = [];
  const api = options.limiter ? sim.api(async (sellerId) => void revoked.push(sellerId), undefined, options.limiter(clock)) : sim.api(async (sellerId) => void revoked.push(sellerId));
  const store = new InMemoryLostFoundStore();
  const reports = new InMemoryReportStore();
  const queues = new InMemoryQueues();
  const listings = new RecordingListingsImporter();
  const sales = new RecordingSalesImporter();
  const deps: StepDeps = {
    amazon: options.amazon ? options.amazon(api) : api,
    reports,
    statuses: store,
    queue: queues,
    store,
    auditQueue: queues,
    clock,
    pollDelaySeconds: 60,
    listings,
    sales,
  };
  const plan = () =>
    planReportFetches({
      customers: { listActive: async () => [{ tenantId: 't1', amazonSellerId: 'TYPED1234', marketplaces: ['DE', 'FR'], contracts: options.contracts ?? { 'lost-and-found': { status: 'active' }, repricer: { status: 'trial' } } }] },
      sellerOf: async () => (options.connected === false ? undefined : SELLER),
      statuses: store,
      queue: queues,
      clock,
    });
  const drain = async () => {
    const outcomes: StepOutcome[] = [];
    for (let i = 0; queues.steps.length > 0; i++) {
      if (i > 10_000) throw new Error('the fetch never ends');
      outcomes.push(await runReportFetchStep(deps, queues.steps.shift()!.step, `delivery-${outcomes.length}`));
    }
    return outcomes;
  };
  return { clock, sim, store, reports, queues, deps, plan, drain, revoked, listings, sales };
}

describe('daily report fetch', () => {
  it('re-queues a step with the quota’s delay when the seller’s createReport quota is empty: nothing sleeps, nothing is lost or asked twice', async () => {
    let limiter: MemoryQuotaLimiter | undefined;
    const { plan, queues, store, clock, sim, deps } = setup({
      contracts: { 'lost-and-found': { status: 'active' } },
      limiter: (c) => (limiter = new MemoryQuotaLimiter(() => c.now().getTime())),
    });
    // Another container spent the seller's burst of 15 createReports a moment ago.
    const createReport = { sellerId: SELLER, operation: 'createReport' };
    for (let n = 0; n < rateOf('createReport').burst; n++) expect(await limiter!.tryAcquire(createReport, rateOf('createReport'))).toEqual({ granted: true });
    await plan();
    const first = queues.steps.find((s) => s.step.reportType === 'GET_LEDGER_DETAIL_VIEW_DATA')!;
    queues.steps.splice(queues.steps.indexOf(first), 1);
    const outcome = await runReportFetchStep(deps, first.step, 'delivery-1');
    // 1 token a minute (0.0167/s): the step comes back in a minute, as the same step, and no request reached Amazon.
    expect(outcome).toEqual({ outcome: 'quota-wait', delaySeconds: 60 });
    expect(sim.calls.createReport ?? 0).toBe(0);
    const requeued = queues.steps.at(-1)!;
    expect(requeued).toEqual({ step: first.step, delaySeconds: 60 });
    const waiting = await store.getFetch('t1', 'GET_LEDGER_DETAIL_VIEW_DATA');
    expect(waiting).toMatchObject({ state: 'queued', nextAttemptAt: '2026-03-10T04:01:00.000Z' });
    expect(waiting?.claimedBy).toBeUndefined();
    // The original delivery coming again (its acknowledgement lost) and the re-queued copy: one request, once.
    clock.advance(60_000);
    queues.steps.splice(0, queues.steps.length);
    const [a, b] = await Promise.all([runReportFetchStep(deps, first.step, 'delivery-1'), runReportFetchStep(deps, requeued.step, 'delivery-2')]);
    expect([a.outcome, b.outcome].sort()).toEqual(['requested', 'stale']);
    expect(sim.calls['createReport:GET_LEDGER_DETAIL_VIEW_DATA']).toBe(1);
    expect((await store.getFetch('t1', 'GET_LEDGER_DETAIL_VIEW_DATA'))?.nextAttemptAt).toBeUndefined();
  });

  it('fetches every report the audit reads (the cost sheet is the customer’s own)', () => {
    const fetched = new Set<string>(FETCHED_REPORTS.map((r) => r.reads));
    expect(REPORT_TYPES.filter((t) => !fetched.has(t))).toEqual(['seller_costs']);
    expect(FETCHED_REPORTS.find((r) => r.reads === 'settlement')?.method).toBe('getReports');
  });

  it('requests the All Listings report once per marketplace and hands each to the listings import, not to the audit folder', async () => {
    const { plan, drain, store, reports, listings } = setup();
    await plan();
    const outcomes = await drain();
    // The All Listings report and the all-orders report (issue 21 sales) go through DE, then FR.
    expect(outcomes.filter((o) => o.outcome === 'next-marketplace')).toEqual([
      { outcome: 'next-marketplace', marketplace: 'FR' },
      { outcome: 'next-marketplace', marketplace: 'FR' },
    ]);
    expect(listings.imports.map((i) => [i.tenantId, i.marketplace, i.day])).toEqual([
      ['t1', 'DE', '2026-03-09'],
      ['t1', 'FR', '2026-03-09'],
    ]);
    const [header, firstListing] = (listings.imports[0]?.report ?? '').split('\n');
    expect(header?.split('\t')).toEqual(readFileSync(new URL('../fixtures/amazon/reports/GET_MERCHANT_LISTINGS_ALL_DATA.tsv', import.meta.url), 'utf8').split(/\r?\n/)[0]?.split('\t'));
    expect(firstListing).toMatch(/\tSKU-\d+\t\d+\.\d\d\t/);
    const status = (await store.listFetches('t1')).find((s) => s.reportType === MERCHANT_LISTINGS_REPORT);
    expect(status).toMatchObject({ state: 'done', files: [], fetchedUntil: '2026-03-10T00:00:00.000Z' });
    expect(status?.marketplace).toBeUndefined();
    expect((await reports.sources('t1')).filter((file) => file.name.startsWith(MERCHANT_LISTINGS_REPORT))).toEqual([]);
  });

  it('fetches the All Listings report only for a live repricer contract, and the audit’s reports only for Lost & Found', async () => {
    const lostAndFoundOnly = setup({ contracts: { 'lost-and-found': { status: 'active' }, repricer: { status: 'cancelled' } } });
    await lostAndFoundOnly.plan();
    expect(lostAndFoundOnly.queues.steps.map((s) => s.step.reportType)).not.toContain(MERCHANT_LISTINGS_REPORT);
    expect(lostAndFoundOnly.queues.steps.map((s) => s.step.reportType)).not.toContain(ALL_ORDERS_REPORT);
    expect(lostAndFoundOnly.queues.steps).toHaveLength(FETCHED_REPORTS.length - 2);
    const repricerOnly = setup({ contracts: { repricer: { status: 'active' } } });
    await repricerOnly.plan();
    expect(repricerOnly.queues.steps.map((s) => s.step.reportType)).toEqual([MERCHANT_LISTINGS_REPORT, ALL_ORDERS_REPORT]);
    await repricerOnly.drain();
    expect(repricerOnly.listings.imports.map((i) => i.marketplace)).toEqual(['DE', 'FR']);
    // Without simulated buyers Amazon has no orders (it cancels the report): each marketplace sold nothing in the back-fill.
    expect(repricerOnly.sales.imports.map((i) => [i.marketplace, i.from, i.to, i.report])).toEqual([
      ['DE', '2026-02-08T00:00:00.000Z', '2026-03-10T00:00:00.000Z', null],
      ['FR', '2026-02-08T00:00:00.000Z', '2026-03-10T00:00:00.000Z', null],
    ]);
    expect(repricerOnly.queues.audits).toEqual([]); // nothing for the audit: no audit is queued
  });

  it('back-fills a new authorisation in periods, streams gzip documents, and queues one audit when every chain has ended', async () => {
    const { plan, drain, queues, reports, store, sim } = setup();
    const planned = await plan();
    expect(planned).toMatchObject({ customers: 1, notConnected: 0, queued: FETCHED_REPORTS.length });
    // One chain per report; each starts at once.
    expect(queues.steps.map((s) => s.delaySeconds)).toEqual(FETCHED_REPORTS.map(() => 0));
    const outcomes = await drain();

    // Every look at a report being made was a delayed message, never a wait inside a step.
    expect(outcomes.filter((o) => o.outcome === 'waiting').length).toBeGreaterThan(0);
    // The ledger's 18 months in 31-day periods, oldest first: one createReport each.
    const ledgerPeriods = Math.ceil(EVENT_REPORT_BACKFILL_DAYS / 31);
    // six event reports + the fee preview + the All Listings and all-orders reports once per marketplace (DE, FR)
    expect(sim.calls.createReport).toBe(6 * ledgerPeriods + 1 + 2 + 2);
    expect(sim.calls.getReports).toBe(1); // settlements are listed, never requested

    for (const status of await store.listFetches('t1')) expect({ type: status.reportType, state: status.state, error: status.error }).toEqual({ type: status.reportType, state: 'done', error: undefined });
    const names = [...reports.files.keys()].map((k) => k.slice(3));
    const typesStored = new Set<string>();
    for (const [key, file] of reports.files) {
      const text = key.endsWith('.gz') ? gunzipSync(file.bytes).toString('utf8') : Buffer.from(file.bytes).toString('utf8');
      const detected = detectReport(text.slice(0, text.indexOf('\n')).split('\t'));
      expect(detected?.missing, key).toEqual([]);
      typesStored.add(detected!.type);
    }
    expect([...typesStored].sort()).toEqual(
      ['customer_returns', 'fee_preview', 'inbound_shipment_items', 'inventory_ledger', 'reimbursements', 'removal_order_detail', 'removal_shipment_detail', 'settlement'].sort(),
    );
    // Amazon's documents are kept gzip, and arrived as a stream (several pieces), not one buffer.
    const ledger = [...reports.files].find(([k]) => k.startsWith('t1/GET_LEDGER_DETAIL_VIEW_DATA-'))!;
    expect(ledger[0]).toBe('t1/GET_LEDGER_DETAIL_VIEW_DATA-2026-03-10.tsv.gz');
    expect(names.filter((n) => n.startsWith('GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2-')).length).toBeGreaterThan(1);
    expect(names.some((n) => n.startsWith(`${INBOUND_SHIPMENT_ITEMS}-`))).toBe(true);

    expect(queues.audits).toEqual([{ customerId: 't1', auditId: expect.stringMatching(/^audit-/), asOf: '2026-03-10' }]);
  });

  it('fetches only the new day the next day, and nothing again on the same day', async () => {
    const { plan, drain, queues, clock, sim, store } = setup();
    await plan();
    await drain();
    expect(await plan()).toMatchObject({ queued: 0 }); // the schedule fired twice: everything up to today is stored
    clock.advance(24 * 3_600_000);
    const before = sim.calls.createReport ?? 0;
    expect(await plan()).toMatchObject({ queued: FETCHED_REPORTS.length });
    await drain();
    expect((sim.calls.createReport ?? 0) - before).toBe(11); // one day of each requested report (listings and orders: DE and FR)
    // The orders are read again over the last days (orders cancelled since count right): 3 days before the new one.
    expect(await store.getFetch('t1', ALL_ORDERS_REPORT)).toMatchObject({ state: 'done', windowStart: '2026-03-07T00:00:00.000Z', windowEnd: '2026-03-11T00:00:00.000Z' });
    const ledger = await store.getFetch('t1', 'GET_LEDGER_DETAIL_VIEW_DATA');
    expect(ledger).toMatchObject({ state: 'done', windowStart: '2026-03-10T00:00:00.000Z', windowEnd: '2026-03-11T00:00:00.000Z' });
    // No new data on the second day (the simulated seller's reports were made once): no second audit.
    expect(queues.audits).toHaveLength(1);
  });

  it('does nothing for a redelivered step', async () => {
    const { plan, queues, deps, sim } = setup();
    await plan();
    const first = queues.steps[0]!.step;
    expect((await runReportFetchStep(deps, first, 'delivery-1')).outcome).toBe('requested');
    expect(await runReportFetchStep(deps, first, 'delivery-2')).toEqual({ outcome: 'stale' });
    expect(sim.calls.createReport).toBe(1);
  });

  it('runs a step once when copies of it are delivered at the same time: one delivery claims it', async () => {
    const { plan, queues, deps, sim } = setup();
    await plan();
    const first = queues.steps[0]!.step;
    const queued = queues.steps.length;
    // All copies read the step as current before any of them calls Amazon; only the claim tells them apart.
    const outcomes = await Promise.all(['copy-1', 'copy-2', 'copy-3', 'copy-4'].map((id) => runReportFetchStep(deps, first, id)));
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['requested', 'stale', 'stale', 'stale']);
    expect(sim.calls.createReport).toBe(1);
    expect(queues.steps).toHaveLength(queued + 1);
  });

  it('lets the delivery that claimed a step run it again when it is retried after a failure', async () => {
    const { plan, queues, deps, sim } = setup();
    await plan();
    const first = queues.steps[0]!.step;
    const status = (await deps.statuses.getFetch(first.customerId, first.reportType))!;
    // The first delivery claimed the step, then Amazon failed it: its retry (same message id) goes on, a copy does not.
    expect(await deps.statuses.claimFetch({ ...status, claimedStep: stepKey(first), claimedBy: 'delivery-1' })).toBe(true);
    expect(await runReportFetchStep(deps, first, 'delivery-2')).toEqual({ outcome: 'stale' });
    expect((await runReportFetchStep(deps, first, 'delivery-1')).outcome).toBe('requested');
    expect(sim.calls.createReport).toBe(1);
  });

  it('skips tenants that have not authorised a seller on Amazon', async () => {
    const { plan, queues } = setup({ connected: false });
    expect(await plan()).toMatchObject({ notConnected: 1, queued: 0 });
    expect(queues.steps).toEqual([]);
  });

  it('shows a report Amazon could not make as failed, and audits what the other reports brought', async () => {
    const { plan, drain, store, queues } = setup({
      amazon: (real) => ({
        ...bind(real),
        getReport: async (sellerId, reportId) => {
          const made = await real.getReport(sellerId, reportId);
          return made.processingStatus === 'DONE' && (await reportTypeOf(store, reportId)) === 'GET_FBA_REIMBURSEMENTS_DATA' ? { ...made, processingStatus: 'FATAL' } : made;
        },
      }),
    });
    await plan();
    await drain();
    const failed = await store.getFetch('t1', 'GET_FBA_REIMBURSEMENTS_DATA');
    expect(failed).toMatchObject({ state: 'failed', error: expect.stringContaining('FATAL') });
    expect(queues.audits).toHaveLength(1);
    // The next run starts where the failed chain stopped.
    // (the back-fill's last, shorter period is the one that failed)
    expect(failed?.fetchedUntil).toBe(new Date(Date.parse('2026-03-10T00:00:00Z') - (EVENT_REPORT_BACKFILL_DAYS % 31) * 86_400_000).toISOString());
  });

  it('keeps the error of a step Amazon refused while it is retried, and fails the chain after the last attempt', async () => {
    const { plan, queues, deps, store } = setup({
      amazon: (real) => ({ ...bind(real), createReport: async () => Promise.reject(new UpstreamError('amazon', 'createReport: HTTP 503')) }),
    });
    await plan();
    const step = queues.steps.find((s) => s.step.reportType === 'GET_LEDGER_DETAIL_VIEW_DATA')!.step;
    const error = await runReportFetchStep(deps, step, 'delivery-1').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(UpstreamError);
    await recordFetchFailure(deps, step, error as Error, false, 30);
    expect(await store.getFetch('t1', step.reportType)).toMatchObject({ state: 'queued', error: 'createReport: HTTP 503', attempts: 1, nextAttemptAt: '2026-03-10T04:00:30.000Z' });
    await recordFetchFailure(deps, step, error as Error, true, 30);
    const failed = await store.getFetch('t1', step.reportType);
    expect(failed).toMatchObject({ state: 'failed', error: 'gave up after 2 attempts: createReport: HTTP 503' });
    expect(failed?.nextAttemptAt).toBeUndefined();
  });

  it('lets the customer retry a failed fetch (only a failed one): the chain starts again where its stored periods end', async () => {
    let refusing = true;
    const { plan, queues, deps, store, drain } = setup({
      contracts: { 'lost-and-found': { status: 'active' } },
      amazon: (real) => ({ ...bind(real), createReport: async (...args) => (refusing ? Promise.reject(new UpstreamError('amazon', 'createReport: HTTP 503')) : real.createReport(...args)) }),
    });
    await plan();
    const step = queues.steps.find((s) => s.step.reportType === 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA')!.step;
    queues.steps.splice(0, queues.steps.length);
    await recordFetchFailure(deps, step, new UpstreamError('amazon', 'createReport: HTTP 503'), true, 30);
    const customer = { customerId: 't1', sellerId: SELLER, marketplaces: ['DE', 'FR'] };
    await expect(retryReportFetch(deps, customer, 'GET_LEDGER_DETAIL_VIEW_DATA')).rejects.toMatchObject({ code: 'report_fetch_not_failed' });
    await expect(retryReportFetch(deps, customer, 'GET_NOT_A_REPORT')).rejects.toMatchObject({ httpStatus: 404 });
    refusing = false;
    const line = await retryReportFetch(deps, customer, 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA');
    expect(line).toMatchObject({ reportType: 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA', state: 'queued' });
    expect(queues.steps.map((s) => s.step.reportType)).toEqual(['GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA']);
    await drain();
    expect(await store.getFetch('t1', 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA')).toMatchObject({ state: 'done', lastSuccessAt: '2026-03-10T04:00:00.000Z' });
  });

  it('moves a waiting chain on at Amazon’s REPORT_PROCESSING_FINISHED; racing the delayed look, the report is fetched once', async () => {
    const { plan, queues, deps, sim } = setup({ contracts: { 'lost-and-found': { status: 'active' } } });
    await plan();
    const first = queues.steps.find((s) => s.step.reportType === 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA')!.step;
    queues.steps.splice(0, queues.steps.length);
    const requested = await runReportFetchStep(deps, first, 'd-1');
    expect(requested.outcome).toBe('requested');
    const poll = queues.steps.shift()!; // the delayed look (60 s)
    expect(poll.delaySeconds).toBe(60);
    const reportId = (requested as { reportId: string }).reportId;
    // Amazon's notification, as its schema defines it (checked against the fixture schema in test/repricer/amazon-published.test.ts).
    expect(await reportProcessingFinished(deps, 't1', { reportId: 'another-report', reportType: 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA' })).toBe('not-waiting');
    expect(await reportProcessingFinished(deps, 't1', { reportId, reportType: 'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA' })).toBe('advanced');
    const now = queues.steps.shift()!;
    expect(now).toEqual({ step: poll.step, delaySeconds: 0 });
    // The notification's step and the delayed look delivered together: one claims it, the other is stale.
    const outcomes = await Promise.all([runReportFetchStep(deps, now.step, 'd-notified'), runReportFetchStep(deps, poll.step, 'd-poll')]);
    expect(outcomes.filter((o) => o.outcome === 'stale')).toHaveLength(1);
    expect(sim.calls.getReport).toBe(1);
  });
});

function bind(api: AmazonReportsApi): AmazonReportsApi {
  return {
    createReport: api.createReport.bind(api),
    getReport: api.getReport.bind(api),
    listDoneReports: api.listDoneReports.bind(api),
    openDocument: api.openDocument.bind(api),
    inboundShipmentItems: api.inboundShipmentItems.bind(api),
  };
}

async function reportTypeOf(store: InMemoryLostFoundStore, reportId: string): Promise<string | undefined> {
  return (await store.listFetches('t1')).find((s) => s.reportId === reportId)?.reportType;
}
