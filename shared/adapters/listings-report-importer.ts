/**
 * The daily fetch's All Listings report handed to the repricer's import: the document is read whole (one
 * marketplace's listings, a few MB at most), unpacked when Amazon sent it gzip, and imported as that marketplace's
 * listings in its currency.
 */
import { gunzipSync } from 'node:zlib';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import type { AmazonReportDocument, ListingsReportImporter } from '#shared/lost-and-found/ports.ts';
import { importListingsReport, type ListingsImportDeps } from '#shared/repricer/imported-listings.ts';
import { logger } from './observability.ts';

export class RepricerListingsImporter implements ListingsReportImporter {
  constructor(private readonly deps: ListingsImportDeps) {}

  async importListings(input: { readonly tenantId: string; readonly marketplace: string; readonly day: string; readonly document: AmazonReportDocument }): Promise<void> {
    if (!Object.hasOwn(MARKETPLACES, input.marketplace)) throw new ValidationError(`marketplace: ${input.marketplace} is not one we serve`);
    const marketplace = MARKETPLACES[input.marketplace as keyof typeof MARKETPLACES];
    const report = new TextDecoder().decode(await readAll(input.document));
    const result = await importListingsReport(this.deps, { tenantId: input.tenantId, marketplaceId: marketplace.id, currency: marketplace.currency, report, day: input.day });
    logger.info('listings imported', { tenantId: input.tenantId, marketplace: input.marketplace, reported: result.reported, written: result.written, rejected: result.rejected.length });
  }
}

async function readAll(document: AmazonReportDocument): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of document.body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  return document.gzip ? gunzipSync(bytes) : bytes;
}
