/**
 * The daily fetch's All Listings report handed to the repricer's import, streamed: the download is unpacked as it
 * arrives when Amazon sent it gzip, cut into lines at the byte level (`\n` is never part of a multi-byte character in
 * UTF-8, Shift_JIS or windows-1252) and each line decoded in the report's charset, so the document is never held
 * whole. The charset is the one the download's Content-Type names (`charset=Shift_JIS`, `Cp1252`, `UTF-8`); without
 * one, a line that is valid UTF-8 is read as UTF-8, and any other as the marketplace's legacy charset (Shift_JIS in
 * JP, windows-1252 elsewhere), which is what Amazon's flat-file listings reports come in there.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { MARKETPLACES } from '#shared/kernel/marketplaces.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import type { AmazonReportDocument, ListingsReportImporter } from '#shared/lost-and-found/ports.ts';
import { importListingsReport, type ListingsImportDeps } from '#shared/repricer/imported-listings.ts';
import { logger } from './observability.ts';

export class RepricerListingsImporter implements ListingsReportImporter {
  constructor(private readonly deps: ListingsImportDeps) {}

  async importListings(input: { readonly tenantId: string; readonly marketplace: string; readonly day: string; readonly readAt: Date; readonly document: AmazonReportDocument }): Promise<void> {
    if (!Object.hasOwn(MARKETPLACES, input.marketplace)) throw new ValidationError(`marketplace: ${input.marketplace} is not one we serve`);
    const marketplace = MARKETPLACES[input.marketplace as keyof typeof MARKETPLACES];
    const report = reportLines(input.document, input.marketplace);
    const result = await importListingsReport(this.deps, { tenantId: input.tenantId, marketplaceId: marketplace.id, currency: marketplace.currency, report, day: input.day, readAt: input.readAt });
    logger.info('listings imported', { tenantId: input.tenantId, marketplace: input.marketplace, reported: result.reported, written: result.written, stockWritten: result.stockWritten, rejected: result.rejected.length });
  }
}

/** The charset a Content-Type names, as TextDecoder knows it (`Cp1252` is Java's name for windows-1252); undefined without one. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const named = /charset="?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (named === undefined) return undefined;
  const known = named === 'cp1252' ? 'windows-1252' : named === 'cp932' || named === 'windows-31j' ? 'shift_jis' : named;
  try {
    return new TextDecoder(known).encoding;
  } catch {
    throw new ValidationError(`report document: unknown charset ${named}`);
  }
}

/** The legacy charset of a marketplace's flat-file reports. */
function legacyCharset(marketplace: string): string {
  return marketplace === 'JP' ? 'shift_jis' : 'windows-1252';
}

/** The document's lines, decoded, as the download arrives. */
export async function* reportLines(document: AmazonReportDocument, marketplace: string): AsyncGenerator<string> {
  const named = charsetOf(document.contentType);
  const decode = lineDecoder(named, legacyCharset(marketplace));
  const bytes: AsyncIterable<Uint8Array> = document.gzip ? Readable.from(document.body).pipe(createGunzip()) : document.body;
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of bytes) {
    const buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : Buffer.from(chunk);
    let start = 0;
    for (let end = buffer.indexOf(10, start); end >= 0; end = buffer.indexOf(10, start)) {
      yield decode(buffer.subarray(start, end));
      start = end + 1;
    }
    rest = Buffer.from(buffer.subarray(start));
  }
  if (rest.length > 0) yield decode(rest);
}

/**
 * windows-1252's 0x80–0x9F (€, ‚, ƒ, „ …, ™): Node 20's TextDecoder reads the label as ISO-8859-1 and gives C1
 * control characters there, so these are mapped here (undefined positions stay as they are).
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function textDecoder(charset: string): { decode(line: Uint8Array): string } {
  const decoder = new TextDecoder(charset);
  if (decoder.encoding !== 'windows-1252') return decoder;
  return { decode: (line) => decoder.decode(line).replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c) };
}

function lineDecoder(named: string | undefined, legacy: string): (line: Uint8Array) => string {
  if (named !== undefined) {
    const decoder = textDecoder(named);
    return (line) => decoder.decode(line);
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const fallback = textDecoder(legacy);
  return (line) => {
    try {
      return utf8.decode(line);
    } catch {
      return fallback.decode(line);
    }
  };
}
