/**
 * FBA reports from the SP-API Reports API (2021-06-30): createReport → poll getReport until DONE →
 * getReportDocument → download (gzip when Amazon says so). The bytes go to the tenant's report folder as they
 * come (a .gz stays compressed: the audit unpacks it while streaming).
 */
import { MARKETPLACES, type MarketplaceCode } from '#shared/kernel/marketplaces.ts';
import type { SpApiClient } from './client.ts';

/** The report types the Lost & Found audit reads, by the SP-API name. */
export const LOST_AND_FOUND_REPORT_TYPES = [
  'GET_LEDGER_DETAIL_VIEW_DATA',
  'GET_FBA_REIMBURSEMENTS_DATA',
  'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA',
  'GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA',
  'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA',
  'GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA',
] as const;
export type LostAndFoundReportType = (typeof LOST_AND_FOUND_REPORT_TYPES)[number];

export interface DownloadedReport {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

export class ReportNotReadyError extends Error {
  constructor(reportId: string, status: string) {
    super(`report ${reportId} is ${status}`);
    this.name = 'ReportNotReadyError';
  }
}

export class SpApiReports {
  constructor(
    private readonly client: SpApiClient,
    private readonly options: { readonly pollEveryMs?: number; readonly maxPolls?: number } = {},
  ) {}

  async download(sellerId: string, reportType: LostAndFoundReportType, marketplaces: readonly MarketplaceCode[], from: Date, to: Date): Promise<DownloadedReport | undefined> {
    const created = (await this.client.call(sellerId, 'createReport', 'POST', '/reports/2021-06-30/reports', {
      reportType,
      marketplaceIds: marketplaces.map((m) => MARKETPLACES[m].id),
      dataStartTime: from.toISOString(),
      dataEndTime: to.toISOString(),
    })) as { reportId?: string };
    if (!created.reportId) throw new Error(`createReport ${reportType}: no reportId`);
    let documentId: string | undefined;
    for (let poll = 0; poll < (this.options.maxPolls ?? 60) && !documentId; poll++) {
      const report = (await this.client.call(sellerId, 'getReport', 'GET', `/reports/2021-06-30/reports/${encodeURIComponent(created.reportId)}`)) as {
        processingStatus?: string;
        reportDocumentId?: string;
      };
      if (report.processingStatus === 'DONE') documentId = report.reportDocumentId;
      else if (report.processingStatus === 'CANCELLED') return undefined; // Amazon had no data for the period
      else if (report.processingStatus === 'FATAL') throw new ReportNotReadyError(created.reportId, 'FATAL');
      else await this.client.sleep(this.options.pollEveryMs ?? 30_000);
    }
    if (!documentId) throw new ReportNotReadyError(created.reportId, 'still processing');
    const document = (await this.client.call(sellerId, 'getReportDocument', 'GET', `/reports/2021-06-30/documents/${encodeURIComponent(documentId)}`)) as {
      url?: string;
      compressionAlgorithm?: string;
    };
    if (!document.url) throw new Error(`getReportDocument ${documentId}: no url`);
    const response = await this.client.fetch(document.url, { method: 'GET', headers: {} });
    if (response.status >= 300 || !response.arrayBuffer) throw new Error(`report document download: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const day = to.toISOString().slice(0, 10);
    return { fileName: `${reportType}-${day}.tsv${document.compressionAlgorithm === 'GZIP' ? '.gz' : ''}`, bytes };
  }
}
