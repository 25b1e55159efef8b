/**
 * The local stack's Amazon Reports API (2021-06-30) and Fulfillment Inbound API (v0), spoken over HTTP in the
 * shapes of Amazon's published models (`test/fixtures/amazon/models/`), so the local stack runs the very SP-API
 * adapter (`SpApiReports`) and client that production does. `fetch` is the transport the local SP-API client is
 * given: it answers Login with Amazon's refresh grant (`invalid_grant` once the seller revoked us), the Reports
 * API's createReport / getReport / getReports / getReportDocument, the pre-signed document download (gzip), and
 * the Fulfillment Inbound API's getShipments / getShipmentItemsByShipmentId, and the FBA Inventory API's
 * getInventorySummaries (the simulated marketplace's stock, `useStock`: it falls as the simulated buyers buy).
 *
 * The data: for each seller who authorised our app, one set of realistic FBA reports (the `npm run gen:fba`
 * generator, seeded from the seller id) made on the first day the seller's reports are asked for. A requested
 * report is IN_PROGRESS at the first look and DONE at the next; it holds the generated rows when its period ends
 * on that day and is CANCELLED (Amazon's answer for a period without data) otherwise. Settlements are
 * reports Amazon made by itself: listed by getReports, created the day before. Inbound shipments are filtered by
 * their last-updated date like the API does. The All Listings report lists the SKUs of the generated fee preview.
 * The all-orders report (`GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL`) holds the orders the simulated
 * marketplace's buyers placed with the seller in the requested marketplace and period (`useOrders`), in Amazon's columns.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateFbaReports } from '../cli/lost-and-found-generator.ts';
import { SpApiClient, type FetchLike } from '#shared/adapters/sp-api/client.ts';
import { SpApiReports } from '#shared/adapters/sp-api/reports.ts';
import type { QuotaLimiter } from '#shared/amazon-access/ports.ts';
import { LWA_TOKEN_URL } from '#shared/amazon-access/regions.ts';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';
import type { AmazonReportsApi } from '#shared/lost-and-found/ports.ts';
import type { SimulatedOrderLine, SimulatedStock } from '#shared/marketplace-sim/simulated-marketplace.ts';
import { SpApiFbaInventory } from '#shared/adapters/sp-api/fba-inventory.ts';
import type { FbaInventoryApi } from '#shared/repricer/ports.ts';
import { CURRENCY_DECIMALS } from '#shared/kernel/money.ts';

/** Generated files served for each report type the simulated Amazon makes on request. */
const FILES_OF_TYPE: Readonly<Record<string, RegExp>> = {
  GET_LEDGER_DETAIL_VIEW_DATA: /^inventory-ledger-part\d/,
  GET_FBA_REIMBURSEMENTS_DATA: /^reimbursements/,
  GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA: /^customer-returns/,
  GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA: /^removal-order-detail/,
  GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA: /^removal-shipment-detail/,
  GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA: /^fee-preview/,
};
const SETTLEMENT_TYPE = 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2';
/** The All Listings report: the seller's listings are the SKUs of the generated fee preview, in Amazon's columns. */
const LISTINGS_TYPE = 'GET_MERCHANT_LISTINGS_ALL_DATA';
const LISTINGS_SOURCE = /^fee-preview/;
/** Amazon's columns of the All Listings report (as in test/fixtures/amazon/reports/GET_MERCHANT_LISTINGS_ALL_DATA.tsv). */
const LISTINGS_HEADER = [
  'item-name', 'item-description', 'listing-id', 'seller-sku', 'price', 'quantity', 'open-date', 'image-url', 'item-is-marketplace',
  'product-id-type', 'zshop-shipping-fee', 'item-note', 'item-condition', 'zshop-category1', 'zshop-browse-path',
  'zshop-storefront-feature', 'asin1', 'asin2', 'asin3', 'will-ship-internationally', 'expedited-shipping', 'zshop-boldface',
  'product-id', 'bid-for-featured-placement', 'add-delete', 'pending-quantity', 'fulfillment-channel', 'merchant-shipping-group', 'status',
];
/** The all-orders report by order date: made from the simulated marketplace's orders (issue 21 sales). */
const ORDERS_TYPE = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL';
/** Amazon's columns of the all-orders flat file (as in test/fixtures/amazon/reports/GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL.tsv). */
const ORDERS_HEADER = [
  'amazon-order-id', 'merchant-order-id', 'purchase-date', 'last-updated-date', 'order-status', 'fulfillment-channel', 'sales-channel',
  'order-channel', 'url', 'ship-service-level', 'product-name', 'sku', 'asin', 'item-status', 'quantity', 'currency', 'item-price',
  'item-tax', 'shipping-price', 'shipping-tax', 'gift-wrap-price', 'gift-wrap-tax', 'item-promotion-discount', 'ship-promotion-discount',
  'ship-city', 'ship-state', 'ship-postal-code', 'ship-country', 'promotion-ids', 'is-business-order', 'purchase-order-number',
  'price-designation', 'is-iba',
];
const SALES_CHANNEL_OF: Readonly<Record<string, string>> = {
  DE: 'Amazon.de', FR: 'Amazon.fr', UK: 'Amazon.co.uk', IT: 'Amazon.it', ES: 'Amazon.es', NL: 'Amazon.nl', PL: 'Amazon.pl', SE: 'Amazon.se',
  TR: 'Amazon.com.tr', US: 'Amazon.com', CA: 'Amazon.ca', MX: 'Amazon.com.mx', JP: 'Amazon.co.jp',
};

/** Where the seller's stock comes from (the local stack: the simulated marketplace, whose buyers take from it). */
export type SimulatedStockSource = (sellerId: string, marketplaceId: string) => readonly SimulatedStock[];
/** getInventorySummaries answers 50 summaries a page (the most Amazon's `sellerSkus` takes; tests set fewer). */
const INVENTORY_PAGE_SIZE = 50;

/** Where the simulated orders come from (the local stack: the simulated marketplace's buyers). */
export type SimulatedOrderSource = (sellerId: string, marketplaceId: string, fromMs: number, toMs: number) => readonly SimulatedOrderLine[];
const DOCUMENT_HOST = 'https://tortuga-prod-eu.s3-eu-west-1.amazonaws.com.simulated';
const DAY_MS = 86_400_000;

interface SellerData {
  readonly dir: string;
  /** 00:00 UTC of the day the data was made: requested reports whose period ends before it have no data. */
  readonly madeOn: number;
  readonly settlements: readonly { reportId: string; documentId: string; file: string; createdTime: string }[];
}

interface SimReport {
  readonly reportId: string;
  readonly sellerId: string;
  readonly reportType: string;
  readonly marketplaceIds: readonly string[];
  readonly dataStartTime: string;
  readonly dataEndTime: string;
  readonly createdTime: string;
  looks: number;
  /** Made (a REPORT_PROCESSING_FINISHED was sent): the next look finds it done at once. */
  finished?: boolean;
}

/** Amazon's REPORT_PROCESSING_FINISHED as its schema (ReportProcessingFinishedNotification.json) defines it. */
export function reportProcessingFinishedMessage(
  report: { sellerId: string; reportId: string; reportType: string },
  outcome: { processingStatus: 'DONE' | 'CANCELLED'; reportDocumentId?: string },
  at: Date,
): Record<string, unknown> {
  return {
    notificationVersion: '2020-09-04',
    notificationType: 'REPORT_PROCESSING_FINISHED',
    payloadVersion: '2020-09-04',
    eventTime: at.toISOString(),
    payload: {
      reportProcessingFinishedNotification: {
        sellerId: report.sellerId,
        accountId: `amzn1.merchant.o.${report.sellerId}`,
        reportId: report.reportId,
        reportType: report.reportType,
        processingStatus: outcome.processingStatus,
        ...(outcome.reportDocumentId ? { reportDocumentId: outcome.reportDocumentId } : {}),
      },
    },
    notificationMetadata: {
      applicationId: 'amzn1.sp.solution.sellerops-local-simulated',
      subscriptionId: `sim-sub-${report.sellerId}-REPORT_PROCESSING_FINISHED`,
      publishTime: at.toISOString(),
      notificationId: `sim-${report.reportId}`,
    },
  };
}

/** How long the simulated Amazon takes to make a report before it says so (wall clock: the notification is a real message). */
const SIM_PROCESSING_MS = 200;

type SimResponse = { status: number; body: unknown };

const NO_QUOTA: QuotaLimiter = { tryAcquire: async () => ({ granted: true }), observeRate: async () => undefined, recordOutcome: async () => undefined };

export class SimulatedAmazonReports {
  private readonly data = new Map<string, SellerData>();
  private readonly reports = new Map<string, SimReport>();
  /** Document id → the files it holds (gzip-compressed on download). */
  private readonly documents = new Map<string, { sellerId: string; files: readonly string[]; listings: boolean } | { sellerId: string; bytes: Buffer }>();
  /** The simulated buyers' orders (none until the stack gives its marketplace: the orders report is then CANCELLED, no data). */
  private orders: SimulatedOrderSource | undefined;
  /** The sellers' stock (none until the stack gives its marketplace: getInventorySummaries then lists nothing). */
  private stock: SimulatedStockSource | undefined;
  /** Summaries a page of getInventorySummaries. */
  inventoryPageSize = INVENTORY_PAGE_SIZE;
  /** Like the real API, only sellers who authorised our app (consent in the simulated Seller Central) have reports for us. */
  private readonly authorised = new Set<string>();
  private nextId = 50_000_000;
  /** Calls by operation (tests look at them). */
  readonly calls: Record<string, number> = {};

  constructor(
    private readonly now: () => Date,
    /** Seller Central's view of the seller: throws AmazonAuthorisationRevokedError once the seller revoked us. */
    private readonly checkSeller: (sellerId: string) => void = () => undefined,
    private readonly rows = 3_000,
  ) {}

  /** Where REPORT_PROCESSING_FINISHED goes (the local stack: the notifications queue, for subscribed sellers); none by default. */
  private notify: ((message: Record<string, unknown>, sellerId: string) => Promise<void>) | undefined;

  onReportFinished(notify: (message: Record<string, unknown>, sellerId: string) => Promise<void>): void {
    this.notify = notify;
  }

  useOrders(source: SimulatedOrderSource): void {
    this.orders = source;
  }

  useStock(source: SimulatedStockSource): void {
    this.stock = source;
  }

  /** The FBA Inventory API adapter on the simulated transport: what the local stack's stock reader calls. */
  inventoryApi(
    onRevoked: (sellerId: string) => Promise<void>,
    transport: (simulated: FetchLike) => FetchLike = (simulated) => simulated,
    limiter: QuotaLimiter = NO_QUOTA,
  ): FbaInventoryApi {
    return new SpApiFbaInventory({
      credentials: async (sellerId) => ({ clientId: 'amzn1.application-oa2-client.simulated', clientSecret: 'simulated', refreshToken: `Atzr|sim-reports|${sellerId}`, region: 'eu' }),
      onRevoked,
      fetch: transport(this.fetch),
      limiter,
      sleep: () => Promise.reject(new Error('the simulated Amazon has no usage plan to wait for')),
    });
  }

  authorise(sellerId: string): void {
    this.authorised.add(sellerId);
  }

  /** The SP-API adapter on the simulated transport: what the local stack's report fetch calls. */
  api(
    onRevoked: (sellerId: string) => Promise<void>,
    transport: (simulated: FetchLike) => FetchLike = (simulated) => simulated,
    /** Tests give a real limiter (an empty one: the step is re-queued, nothing sleeps). */
    limiter: QuotaLimiter = NO_QUOTA,
  ): AmazonReportsApi {
    return new SpApiReports(
      new SpApiClient({
        credentials: async (sellerId) => ({ clientId: 'amzn1.application-oa2-client.simulated', clientSecret: 'simulated', refreshToken: `Atzr|sim-reports|${sellerId}`, region: 'eu' }),
        onRevoked,
        fetch: transport(this.fetch),
        // The simulated Amazon has no usage plans: a back-fill's 100+ createReports would otherwise wait
        // Amazon's one-a-minute quota in real time.
        limiter,
        sleep: () => Promise.reject(new Error('the report fetch never sleeps')),
      }),
    );
  }

  /** The HTTP transport: Login with Amazon, the two APIs and the document downloads. */
  readonly fetch: FetchLike = async (url, init) => {
    const parsed = new URL(url);
    const answer = this.answer(parsed, init.method, init.body, init.headers);
    if ('bytes' in answer) {
      const bytes = answer.bytes;
      return {
        status: 200,
        headers: { get: () => null },
        text: async () => Buffer.from(bytes).toString('latin1'),
        body: (async function* () {
          // Delivered in pieces, as a network stream is.
          for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
        })(),
      };
    }
    const text = JSON.stringify(answer.body);
    return { status: answer.status, headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) }, text: async () => text };
  };

  private answer(url: URL, method: string, body: string | undefined, headers: Record<string, string>): SimResponse | { bytes: Uint8Array } {
    if (url.href === LWA_TOKEN_URL) return this.token(body ?? '');
    if (url.href.startsWith(DOCUMENT_HOST)) {
      const document = this.documents.get(url.pathname.slice(1));
      if (!document) return { status: 403, body: { error: 'AccessDenied' } };
      if ('bytes' in document) return { bytes: gzipSync(document.bytes) };
      const joined = this.joined(document.sellerId, document.files);
      return { bytes: gzipSync(document.listings ? listingsReport(joined) : joined) };
    }
    const sellerId = (headers['x-amz-access-token'] ?? '').replace(/^Atza\|sim-reports\|/, '');
    if (!this.authorised.has(sellerId) || this.revoked(sellerId)) return error(403, 'Unauthorized', 'Access to requested resource is denied.');
    const path = url.pathname;
    const q = url.searchParams;
    const count = (operation: string) => (this.calls[operation] = (this.calls[operation] ?? 0) + 1);
    if (method === 'POST' && path === '/reports/2021-06-30/reports') {
      count('createReport');
      const spec = JSON.parse(body ?? '{}') as Record<string, unknown>;
      // Also by report type: a test tells one chain's requests from the others'.
      if (typeof spec.reportType === 'string') count(`createReport:${spec.reportType}`);
      return this.createReport(sellerId, spec);
    }
    if (method === 'GET' && path === '/reports/2021-06-30/reports') {
      count('getReports');
      return this.getReports(sellerId, q);
    }
    let match = /^\/reports\/2021-06-30\/reports\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) {
      count('getReport');
      return this.getReport(sellerId, decodeURIComponent(match[1]!));
    }
    match = /^\/reports\/2021-06-30\/documents\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) {
      count('getReportDocument');
      const documentId = decodeURIComponent(match[1]!);
      if (this.documents.get(documentId)?.sellerId !== sellerId) return error(404, 'NotFound', `report document ${documentId} not found`);
      return { status: 200, body: { reportDocumentId: documentId, url: `${DOCUMENT_HOST}/${documentId}`, compressionAlgorithm: 'GZIP' } };
    }
    if (method === 'GET' && path === '/fba/inventory/v1/summaries') {
      count('getInventorySummaries');
      return this.getInventorySummaries(sellerId, q);
    }
    if (method === 'GET' && path === '/fba/inbound/v0/shipments') {
      count('getShipments');
      return this.getShipments(sellerId, q);
    }
    match = /^\/fba\/inbound\/v0\/shipments\/([^/]+)\/items$/.exec(path);
    if (method === 'GET' && match) {
      count('getShipmentItemsByShipmentId');
      return this.getShipmentItems(sellerId, decodeURIComponent(match[1]!));
    }
    return error(404, 'NotFound', `${method} ${path} is not simulated`);
  }

  /**
   * FBA Inventory API getInventorySummaries (granularity Marketplace): the seller's FBA SKUs in the marketplace with
   * their fulfillable units, those changed after `startDateTime` when given, a page at a time (`nextToken`).
   */
  private getInventorySummaries(sellerId: string, q: URLSearchParams): SimResponse {
    const marketplaceId = q.get('marketplaceIds') ?? '';
    if (q.get('granularityType') !== 'Marketplace' || !q.get('granularityId') || !marketplaceId || q.get('granularityId') !== marketplaceId) {
      return error(400, 'InvalidInput', 'granularityType=Marketplace, granularityId and marketplaceIds (the same marketplace) are required');
    }
    const since = q.get('startDateTime');
    const sinceMs = since === null ? undefined : Date.parse(since);
    if (sinceMs !== undefined && Number.isNaN(sinceMs)) return error(400, 'InvalidInput', `startDateTime ${since ?? ''} is not a date-time`);
    const all = (this.stock?.(sellerId, marketplaceId) ?? [])
      .filter((s) => s.fba && (sinceMs === undefined || s.updatedAtMs > sinceMs))
      .sort((a, b) => (a.sku < b.sku ? -1 : 1));
    const token = q.get('nextToken');
    const from = token === null ? 0 : Number(/^sim-inventory-(\d+)$/.exec(token)?.[1] ?? NaN);
    if (Number.isNaN(from)) return error(400, 'InvalidInput', 'nextToken is not valid');
    const page = all.slice(from, from + this.inventoryPageSize);
    const details = q.get('details') === 'true';
    const next = from + this.inventoryPageSize < all.length ? `sim-inventory-${from + this.inventoryPageSize}` : undefined;
    return {
      status: 200,
      body: {
        payload: {
          granularity: { granularityType: 'Marketplace', granularityId: marketplaceId },
          inventorySummaries: page.map((s) => ({
            asin: s.asin,
            fnSku: `X00${s.asin.slice(-7)}`,
            sellerSku: s.sku,
            condition: 'NewItem',
            ...(details ? { inventoryDetails: { fulfillableQuantity: s.units, inboundWorkingQuantity: 0, inboundShippedQuantity: 0, inboundReceivingQuantity: 0 } } : {}),
            lastUpdatedTime: new Date(s.updatedAtMs).toISOString(),
            productName: `Simulated ${s.asin}`,
            totalQuantity: s.units,
          })),
        },
        ...(next ? { pagination: { nextToken: next } } : {}),
      },
    };
  }

  private revoked(sellerId: string): boolean {
    try {
      this.checkSeller(sellerId);
      return false;
    } catch {
      return true;
    }
  }

  private token(form: string): SimResponse {
    const refreshToken = new URLSearchParams(form).get('refresh_token') ?? '';
    const sellerId = refreshToken.replace(/^Atzr\|sim-reports\|/, '');
    if (this.revoked(sellerId)) return { status: 400, body: { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' } };
    return { status: 200, body: { access_token: `Atza|sim-reports|${sellerId}`, token_type: 'bearer', expires_in: 3600 } };
  }

  private createReport(sellerId: string, spec: Record<string, unknown>): SimResponse {
    const reportType = typeof spec.reportType === 'string' ? spec.reportType : '';
    const marketplaceIds = Array.isArray(spec.marketplaceIds) ? spec.marketplaceIds.filter((m): m is string => typeof m === 'string') : [];
    if (!reportType || marketplaceIds.length === 0) return error(400, 'InvalidInput', 'reportType and marketplaceIds are required');
    if (reportType === SETTLEMENT_TYPE) return error(400, 'InvalidInput', 'Settlement reports cannot be requested: Amazon makes them on a schedule');
    const reportId = String(this.nextId++);
    const created = this.now().toISOString();
    this.reports.set(reportId, {
      reportId,
      sellerId,
      reportType,
      marketplaceIds,
      dataStartTime: typeof spec.dataStartTime === 'string' ? spec.dataStartTime : created,
      dataEndTime: typeof spec.dataEndTime === 'string' ? spec.dataEndTime : created,
      createdTime: created,
      looks: 0,
    });
    const notify = this.notify;
    if (notify) {
      setTimeout(() => {
        const report = this.reports.get(reportId);
        if (!report) return;
        report.finished = true;
        const outcome = this.made(report);
        notify(reportProcessingFinishedMessage(report, outcome, this.now()), sellerId).catch(() => undefined);
      }, SIM_PROCESSING_MS).unref();
    }
    return { status: 202, body: { reportId } };
  }

  private getReport(sellerId: string, reportId: string): SimResponse {
    const report = this.reports.get(reportId);
    if (report?.sellerId !== sellerId) return error(404, 'NotFound', `report ${reportId} not found`);
    report.looks++;
    const base = {
      reportId,
      reportType: report.reportType,
      marketplaceIds: report.marketplaceIds,
      dataStartTime: report.dataStartTime,
      dataEndTime: report.dataEndTime,
      createdTime: report.createdTime,
    };
    if (report.looks < 2 && report.finished !== true) return { status: 200, body: { ...base, processingStatus: 'IN_PROGRESS', processingStartTime: report.createdTime } };
    const made = this.made(report);
    if (made.processingStatus === 'CANCELLED') return { status: 200, body: { ...base, processingStatus: 'CANCELLED', processingStartTime: report.createdTime, processingEndTime: report.createdTime } };
    return { status: 200, body: { ...base, processingStatus: 'DONE', processingStartTime: report.createdTime, processingEndTime: report.createdTime, reportDocumentId: made.reportDocumentId } };
  }

  /** What Amazon made of a report: its document, or CANCELLED when the period holds no data. */
  private made(report: SimReport): { processingStatus: 'DONE'; reportDocumentId: string } | { processingStatus: 'CANCELLED' } {
    const sellerId = report.sellerId;
    const reportId = report.reportId;
    if (report.reportType === ORDERS_TYPE) return this.madeOrders(report);
    const data = this.sellerData(sellerId);
    const listings = report.reportType === LISTINGS_TYPE;
    const pattern = listings ? LISTINGS_SOURCE : FILES_OF_TYPE[report.reportType];
    const files = pattern ? readdirSync(data.dir).filter((f) => pattern.test(f)).sort() : [];
    // Only the period that ends on the day the data was made holds it; Amazon cancels a report with no data.
    if (files.length === 0 || Date.parse(report.dataEndTime) < data.madeOn || Date.parse(report.dataStartTime) >= data.madeOn) return { processingStatus: 'CANCELLED' };
    const reportDocumentId = `amzn1.spdoc.1.4.eu.${reportId}.sim`;
    this.documents.set(reportDocumentId, { sellerId, files, listings });
    return { processingStatus: 'DONE', reportDocumentId };
  }

  /** The all-orders report of the report's (first) marketplace and period, from the simulated buyers' orders. */
  private madeOrders(report: SimReport): { processingStatus: 'DONE'; reportDocumentId: string } | { processingStatus: 'CANCELLED' } {
    const marketplaceId = report.marketplaceIds[0] ?? '';
    const code = Object.entries(MARKETPLACES).find(([, m]) => m.id === marketplaceId)?.[0];
    const orders = this.orders;
    if (!orders || code === undefined) return { processingStatus: 'CANCELLED' };
    const lines = orders(report.sellerId, marketplaceId, Date.parse(report.dataStartTime), Date.parse(report.dataEndTime));
    const reportDocumentId = `amzn1.spdoc.1.4.eu.${report.reportId}.sim`;
    this.documents.set(reportDocumentId, { sellerId: report.sellerId, bytes: allOrdersReport(lines, SALES_CHANNEL_OF[code] ?? '', code, this.now()) });
    return { processingStatus: 'DONE', reportDocumentId };
  }

  private getReports(sellerId: string, q: URLSearchParams): SimResponse {
    const types = (q.get('reportTypes') ?? '').split(',');
    if (!q.get('nextToken') && (types.length === 0 || types[0] === '')) return error(400, 'InvalidInput', 'reportTypes or nextToken is required');
    const since = Date.parse(q.get('createdSince') ?? new Date(this.now().getTime() - 90 * DAY_MS).toISOString());
    const until = Date.parse(q.get('createdUntil') ?? this.now().toISOString());
    const statuses = q.get('processingStatuses')?.split(',');
    if (!types.includes(SETTLEMENT_TYPE) || (statuses && !statuses.includes('DONE'))) return { status: 200, body: { reports: [] } };
    const data = this.sellerData(sellerId);
    const reports = data.settlements
      .filter((s) => Date.parse(s.createdTime) >= since && Date.parse(s.createdTime) < until)
      .map((s) => {
        this.documents.set(s.documentId, { sellerId, files: [s.file], listings: false });
        return {
          reportId: s.reportId,
          reportType: SETTLEMENT_TYPE,
          marketplaceIds: [MARKETPLACES.DE.id],
          dataStartTime: new Date(Date.parse(s.createdTime) - 14 * DAY_MS).toISOString(),
          dataEndTime: s.createdTime,
          createdTime: s.createdTime,
          processingStatus: 'DONE',
          processingStartTime: s.createdTime,
          processingEndTime: s.createdTime,
          reportDocumentId: s.documentId,
        };
      });
    return { status: 200, body: { reports } };
  }

  /** Inbound shipment items of the generated set: shipment-id … last-updated-date … quantity-received. */
  private inboundRows(sellerId: string): Record<string, string>[] {
    const data = this.sellerData(sellerId);
    const file = readdirSync(data.dir).find((f) => f.startsWith('inbound-shipment-items'));
    if (!file) return [];
    const [header, ...lines] = readFileSync(join(data.dir, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const names = (header ?? '').split('\t');
    return lines.map((line) => Object.fromEntries(line.split('\t').map((cell, i) => [names[i] ?? `c${i}`, cell])));
  }

  private getShipments(sellerId: string, q: URLSearchParams): SimResponse {
    if (!q.get('MarketplaceId') || !q.get('QueryType')) return error(400, 'InvalidInput', 'MarketplaceId and QueryType are required');
    // One EU inbound plan: the shipments are listed for the seller's first marketplace asked (DE), like an EFN seller's.
    if (q.get('MarketplaceId') !== MARKETPLACES.DE.id) return { status: 200, body: { payload: { ShipmentData: [] } } };
    const after = Date.parse(q.get('LastUpdatedAfter') ?? '1970-01-01T00:00:00Z');
    const before = Date.parse(q.get('LastUpdatedBefore') ?? this.now().toISOString());
    const shipments = new Map<string, Record<string, string>>();
    for (const row of this.inboundRows(sellerId)) {
      const updated = Date.parse(`${row['last-updated-date'] ?? ''}T00:00:00Z`);
      if (updated >= after && updated < before && row['shipment-id']) shipments.set(row['shipment-id'], row);
    }
    const ShipmentData = [...shipments.values()].map((row) => ({
      ShipmentId: row['shipment-id'],
      ShipmentName: row['shipment-name'],
      ShipFromAddress: { Name: 'Simulated Seller GmbH', AddressLine1: 'Hauptstr. 1', City: 'Berlin', StateOrProvinceCode: 'BE', CountryCode: 'DE', PostalCode: '10115' },
      DestinationFulfillmentCenterId: row['destination-fulfillment-center'],
      ShipmentStatus: row['shipment-status'],
      LabelPrepType: 'SELLER_LABEL',
      AreCasesRequired: false,
      BoxContentsSource: 'FEED',
    }));
    return { status: 200, body: { payload: { ShipmentData } } };
  }

  private getShipmentItems(sellerId: string, shipmentId: string): SimResponse {
    const ItemData = this.inboundRows(sellerId)
      .filter((row) => row['shipment-id'] === shipmentId)
      .map((row) => ({
        ShipmentId: shipmentId,
        SellerSKU: row.sku ?? '',
        FulfillmentNetworkSKU: row.fnsku ?? '',
        QuantityShipped: Number(row['quantity-shipped'] ?? 0),
        QuantityReceived: Number(row['quantity-received'] ?? 0),
        QuantityInCase: Number(row['quantity-in-case'] ?? 0),
      }));
    return { status: 200, body: { payload: { ItemData } } };
  }

  private sellerData(sellerId: string): SellerData {
    let data = this.data.get(sellerId);
    if (data) return data;
    const now = this.now();
    const madeOn = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const dir = mkdtempSync(join(tmpdir(), 'sellerops-sim-reports-'));
    let seed = 0;
    for (const c of sellerId) seed = (seed * 31 + c.charCodeAt(0)) >>> 0;
    generateFbaReports({ rows: this.rows, outDir: dir, seed, asOf: new Date(madeOn).toISOString().slice(0, 10) });
    // Settlements were made before the day the data was: listed by getReports of that day's run.
    const createdTime = new Date(madeOn - 3_600_000).toISOString();
    const settlements = readdirSync(dir)
      .filter((f) => f.startsWith('settlement-'))
      .sort()
      .map((file, i) => ({ reportId: String(40_000_000 + i), documentId: `amzn1.spdoc.1.4.eu.settlement-${i}.sim`, file, createdTime }));
    data = { dir, madeOn, settlements };
    this.data.set(sellerId, data);
    return data;
  }

  /** One or more generated files as one document (a second part's header row dropped). */
  private joined(sellerId: string, files: readonly string[]): Buffer {
    const { dir } = this.sellerData(sellerId);
    return Buffer.concat(
      files.map((f, i) => {
        const bytes = readFileSync(join(dir, f));
        if (i === 0) return bytes;
        const firstLineEnd = bytes.indexOf(0x0a);
        return firstLineEnd < 0 ? Buffer.alloc(0) : bytes.subarray(firstLineEnd + 1);
      }),
    );
  }
}

/** The seller's listings as Amazon's All Listings report: one Active FBA listing per SKU of the fee preview, at its price. */
function listingsReport(feePreview: Buffer): Buffer {
  const [headerLine = '', ...lines] = feePreview.toString('utf8').split(/\r?\n/);
  const header = headerLine.split('\t');
  const at = (name: string) => header.indexOf(name);
  const [iSku, iAsin, iName, iPrice] = [at('sku'), at('asin'), at('product-name'), at('your-price')];
  const seen = new Set<string>();
  const rows: string[] = [];
  for (const line of lines) {
    const cells = line.split('\t');
    const sku = cells[iSku] ?? '';
    if (sku === '' || seen.has(sku)) continue;
    seen.add(sku);
    const row = new Map<string, string>([
      ['item-name', cells[iName] ?? ''],
      ['listing-id', `SIM${String(seen.size).padStart(8, '0')}`],
      ['seller-sku', sku],
      ['price', cells[iPrice] ?? ''],
      ['open-date', '2025-03-14 09:12:55 PDT'],
      ['item-is-marketplace', 'y'],
      ['product-id-type', '1'],
      ['item-condition', '11'],
      ['asin1', cells[iAsin] ?? ''],
      ['product-id', cells[iAsin] ?? ''],
      ['fulfillment-channel', 'AMAZON_EU'],
      ['status', 'Active'],
    ]);
    rows.push(LISTINGS_HEADER.map((column) => row.get(column) ?? '').join('\t'));
  }
  return Buffer.from([LISTINGS_HEADER.join('\t'), ...rows].join('\n') + '\n', 'utf8');
}

/** Orders as Amazon's all-orders flat file: one line per order item, Amazon's status words, prices as decimals. */
function allOrdersReport(lines: readonly SimulatedOrderLine[], salesChannel: string, country: string, madeAt: Date): Buffer {
  const rows = lines.map((o) => {
    const decimal = (minor: number) => (minor / 10 ** CURRENCY_DECIMALS[o.currency]).toFixed(CURRENCY_DECIMALS[o.currency]);
    const purchased = new Date(o.purchasedAtMs).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const row = new Map<string, string>([
      ['amazon-order-id', o.orderId],
      ['merchant-order-id', ''],
      ['purchase-date', purchased],
      ['last-updated-date', madeAt.toISOString().replace(/\.\d{3}Z$/, '+00:00')],
      ['order-status', o.cancelled ? 'Cancelled' : 'Shipped'],
      ['fulfillment-channel', o.fba ? 'Amazon' : 'Merchant'],
      ['sales-channel', salesChannel],
      ['url', ''],
      ['ship-service-level', 'Standard'],
      ['product-name', `Simulated product ${o.asin}`],
      ['sku', o.sku],
      ['asin', o.asin],
      ['item-status', o.cancelled ? 'Cancelled' : 'Shipped'],
      ['quantity', String(o.quantity)],
      ['currency', o.currency],
      ['item-price', o.cancelled ? '' : decimal(o.itemPriceMinor)],
      ['ship-country', country === 'UK' ? 'GB' : country],
      ['is-business-order', o.business ? 'true' : 'false'],
      ['is-iba', 'false'],
    ]);
    return ORDERS_HEADER.map((column) => row.get(column) ?? '').join('\t');
  });
  return Buffer.from([ORDERS_HEADER.join('\t'), ...rows].join('\n') + '\n', 'utf8');
}

function error(status: number, code: string, message: string): SimResponse {
  return { status, body: { errors: [{ code, message }] } };
}
