/**
 * Amazon's Reports API (2021-06-30) and the Fulfillment Inbound API (v0) for the daily report fetch, one call per
 * method (the waiting between calls is the fetch queue's). Requests are built and responses parsed exactly as
 * Amazon's published models define them (`test/fixtures/amazon/models/`; `test/sp-api/reports-model.test.ts`
 * checks both against the models). A report document is streamed as it downloads: never held whole in memory.
 */
import * as z from 'zod';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';
import { UpstreamError } from '#shared/kernel/upstream.ts';
import type { AmazonReportDocument, AmazonReportsApi, AmazonReportStatus, InboundShipmentItemRow } from '#shared/lost-and-found/ports.ts';
import type { SpApiClient } from './client.ts';

/** `Report` of reports_2021-06-30.json (the fields the fetch reads; the model requires the first four). */
const reportSchema = z.object({
  reportId: z.string(),
  reportType: z.string(),
  createdTime: z.string(),
  processingStatus: z.enum(['CANCELLED', 'DONE', 'FATAL', 'IN_PROGRESS', 'IN_QUEUE']),
  reportDocumentId: z.string().optional(),
  dataStartTime: z.string().optional(),
  dataEndTime: z.string().optional(),
});
const createReportResponseSchema = z.object({ reportId: z.string() });
const getReportsResponseSchema = z.object({ reports: z.array(reportSchema), nextToken: z.string().optional() });
const reportDocumentSchema = z.object({ reportDocumentId: z.string(), url: z.string(), compressionAlgorithm: z.literal('GZIP').optional() });

/** fulfillmentInboundV0.json: `GetShipmentsResponse` and `GetShipmentItemsResponse` (the fields read). */
const getShipmentsResponseSchema = z.object({
  payload: z
    .object({
      ShipmentData: z.array(z.object({ ShipmentId: z.string().optional(), ShipmentName: z.string().optional(), ShipmentStatus: z.string().optional() })).optional(),
      NextToken: z.string().optional(),
    })
    .optional(),
});
const getShipmentItemsResponseSchema = z.object({
  payload: z
    .object({
      ItemData: z
        .array(
          z.object({
            ShipmentId: z.string().optional(),
            SellerSKU: z.string(),
            FulfillmentNetworkSKU: z.string().optional(),
            QuantityShipped: z.number().int(),
            QuantityReceived: z.number().int().optional(),
          }),
        )
        .optional(),
      NextToken: z.string().optional(),
    })
    .optional(),
});

/** Shipment statuses whose items can have been received (the ones a lost-inbound claim can rest on). */
const RECEIVED_SHIPMENT_STATUSES = ['SHIPPED', 'IN_TRANSIT', 'DELIVERED', 'CHECKED_IN', 'RECEIVING', 'CLOSED'];

function parsed<S extends z.ZodType>(schema: S, operation: string, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw new UpstreamError('amazon', `${operation}: answer does not match Amazon's model: ${result.error.issues[0]?.path.join('.') ?? ''} ${result.error.issues[0]?.message ?? ''}`);
  return result.data;
}

function marketplaceId(code: string): string {
  const marketplace = (MARKETPLACES as Record<string, { id: string } | undefined>)[code];
  if (!marketplace) throw new UpstreamError('amazon', `unknown marketplace ${code}`);
  return marketplace.id;
}

export class SpApiReports implements AmazonReportsApi {
  constructor(private readonly client: SpApiClient) {}

  async createReport(sellerId: string, reportType: string, marketplaces: readonly string[], from: Date, to: Date): Promise<string> {
    const body = { reportType, marketplaceIds: marketplaces.map(marketplaceId), dataStartTime: from.toISOString(), dataEndTime: to.toISOString() };
    const answer = await this.client.call(sellerId, 'createReport', 'POST', '/reports/2021-06-30/reports', body);
    return parsed(createReportResponseSchema, 'createReport', answer).reportId;
  }

  async getReport(sellerId: string, reportId: string): Promise<AmazonReportStatus> {
    const answer = await this.client.call(sellerId, 'getReport', 'GET', `/reports/2021-06-30/reports/${encodeURIComponent(reportId)}`);
    return parsed(reportSchema, 'getReport', answer);
  }

  async listDoneReports(sellerId: string, reportType: string, createdSince: Date, createdUntil: Date): Promise<AmazonReportStatus[]> {
    const reports: AmazonReportStatus[] = [];
    let query = new URLSearchParams({
      reportTypes: reportType,
      processingStatuses: 'DONE',
      pageSize: '100',
      createdSince: createdSince.toISOString(),
      createdUntil: createdUntil.toISOString(),
    });
    for (;;) {
      const page = parsed(getReportsResponseSchema, 'getReports', await this.client.call(sellerId, 'getReports', 'GET', `/reports/2021-06-30/reports?${query.toString()}`));
      reports.push(...page.reports);
      if (!page.nextToken) return reports;
      // The model: with nextToken, no other parameter may be given.
      query = new URLSearchParams({ nextToken: page.nextToken });
    }
  }

  async openDocument(sellerId: string, reportDocumentId: string): Promise<AmazonReportDocument> {
    const answer = await this.client.call(sellerId, 'getReportDocument', 'GET', `/reports/2021-06-30/documents/${encodeURIComponent(reportDocumentId)}`);
    const document = parsed(reportDocumentSchema, 'getReportDocument', answer);
    // The document URL is pre-signed (S3): no SP-API token, no quota.
    const response = await this.client.fetch(document.url, { method: 'GET', headers: {} });
    if (response.status >= 300 || !response.body) throw new UpstreamError('amazon', `report document ${reportDocumentId}: download answered HTTP ${response.status}`);
    const contentType = response.headers.get('content-type');
    return { gzip: document.compressionAlgorithm === 'GZIP', body: response.body, ...(contentType ? { contentType } : {}) };
  }

  async inboundShipmentItems(sellerId: string, marketplace: string, from: Date, to: Date): Promise<InboundShipmentItemRow[]> {
    const MarketplaceId = marketplaceId(marketplace);
    const shipments: { id: string; name: string; status: string }[] = [];
    let query = new URLSearchParams({
      QueryType: 'DATE_RANGE',
      MarketplaceId,
      ShipmentStatusList: RECEIVED_SHIPMENT_STATUSES.join(','),
      LastUpdatedAfter: from.toISOString(),
      LastUpdatedBefore: to.toISOString(),
    });
    for (;;) {
      const page = parsed(getShipmentsResponseSchema, 'getShipments', await this.client.call(sellerId, 'getShipments', 'GET', `/fba/inbound/v0/shipments?${query.toString()}`));
      for (const s of page.payload?.ShipmentData ?? []) if (s.ShipmentId) shipments.push({ id: s.ShipmentId, name: s.ShipmentName ?? '', status: s.ShipmentStatus ?? '' });
      const next = page.payload?.NextToken;
      if (!next) break;
      query = new URLSearchParams({ QueryType: 'NEXT_TOKEN', MarketplaceId, NextToken: next });
    }
    const rows: InboundShipmentItemRow[] = [];
    for (const shipment of shipments) {
      const answer = await this.client.call(
        sellerId,
        'getShipmentItemsByShipmentId',
        'GET',
        `/fba/inbound/v0/shipments/${encodeURIComponent(shipment.id)}/items?${new URLSearchParams({ MarketplaceId }).toString()}`,
      );
      for (const item of parsed(getShipmentItemsResponseSchema, 'getShipmentItemsByShipmentId', answer).payload?.ItemData ?? []) {
        rows.push({
          shipmentId: shipment.id,
          shipmentName: shipment.name,
          shipmentStatus: shipment.status,
          sellerSku: item.SellerSKU,
          fulfillmentNetworkSku: item.FulfillmentNetworkSKU ?? '',
          quantityShipped: item.QuantityShipped,
          quantityReceived: item.QuantityReceived ?? 0,
        });
      }
    }
    return rows;
  }
}
