/**
 * The daily fetch's all-orders report handed to the repricer's units sold per day (issue 21 sales), streamed and
 * decoded line by line as the All Listings report is (`reportLines`: gzip unpacked as it arrives, the charset the
 * download names or the marketplace's legacy one).
 */
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import type { AmazonReportDocument, SalesReportImporter } from '#shared/lost-and-found/ports.ts';
import { importSalesReport } from '#shared/repricer/sales.ts';
import type { SalesStore } from '#shared/repricer/ports.ts';
import { reportLines } from './listings-report-importer.ts';
import { logger } from './observability.ts';

export class RepricerSalesImporter implements SalesReportImporter {
  constructor(private readonly store: SalesStore) {}

  async importSales(input: { readonly tenantId: string; readonly marketplace: string; readonly from: Date; readonly to: Date; readonly document: AmazonReportDocument | null }): Promise<void> {
    if (!Object.hasOwn(MARKETPLACES, input.marketplace)) throw new ValidationError(`marketplace: ${input.marketplace} is not one we serve`);
    const marketplace = MARKETPLACES[input.marketplace as keyof typeof MARKETPLACES];
    const report = input.document === null ? null : reportLines(input.document, input.marketplace);
    const result = await importSalesReport(this.store, { tenantId: input.tenantId, marketplaceId: marketplace.id, from: input.from, to: input.to, report });
    logger.info('sales imported', {
      tenantId: input.tenantId,
      marketplace: input.marketplace,
      from: input.from.toISOString(),
      to: input.to.toISOString(),
      orderLines: result.orderLines,
      cancelledLines: result.cancelledLines,
      otherChannelLines: result.otherChannelLines,
      skipped: result.skipped.length,
      written: result.written,
    });
  }
}
