/**
 * The All Listings report as Amazon's download delivers it: streamed (gzip unpacked as it arrives, lines cut across
 * chunk boundaries) and decoded in its charset: Shift_JIS for JP, windows-1252 in the EU, UTF-8, named by the
 * Content-Type or, when it names none, per line (valid UTF-8, else the marketplace's legacy charset).
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { charsetOf, reportLines } from '#shared/adapters/listings-report-importer.ts';
import { MerchantListingsParser } from '#shared/repricer/listings-import.ts';

const HEADER = Buffer.from('item-name\tseller-sku\tprice\tquantity\tasin1\tfulfillment-channel\tstatus\r\n', 'latin1');
/** "テスト商品" in Shift_JIS (テ 83 65, ス 83 58, ト 83 67, 商 8F A4, 品 95 69). */
const SJIS_TITLE = Buffer.from([0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x8f, 0xa4, 0x95, 0x69]);
/** "Café €" in windows-1252 (é E9, € 80): not valid UTF-8. */
const CP1252_TITLE = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80]);

/** Bytes in pieces of `size`, as a network stream delivers them (a piece may end inside a character or a line). */
async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function parse(document: Parameters<typeof reportLines>[0], marketplace: string, currency: 'JPY' | 'EUR') {
  const parser = new MerchantListingsParser(currency);
  for await (const line of reportLines(document, marketplace)) parser.line(line);
  return parser.result();
}

describe('the All Listings report document', () => {
  it('decodes a gzip Shift_JIS report of a JP seller as it streams, by the charset its Content-Type names', async () => {
    const report = Buffer.concat([HEADER, SJIS_TITLE, Buffer.from('\tJP-SKU-1\t1980\t3\tB07XJ8C8F5\tDEFAULT\tActive\r\n', 'latin1')]);
    for (const size of [1, 3, 7, 64]) {
      const parsed = await parse({ gzip: true, body: pieces(gzipSync(report), size), contentType: 'text/plain;charset=Shift_JIS' }, 'JP', 'JPY');
      expect(parsed.rejected).toEqual([]);
      expect(parsed.listings).toEqual([{ sku: 'JP-SKU-1', asin: 'B07XJ8C8F5', title: 'テスト商品', priceMinor: 1980, quantity: 3, fulfillmentChannel: 'DEFAULT', active: true }]);
    }
  });

  it('reads a windows-1252 EU report without a charset in its Content-Type, and a UTF-8 line in the same file as UTF-8', async () => {
    const report = Buffer.concat([
      HEADER,
      CP1252_TITLE,
      Buffer.from('\tDE-1\t12,50\t1\tB07XJ8C8F5\tDEFAULT\tActive\n', 'latin1'),
      Buffer.from('Crème brûlée\tDE-2\t9,99\t\tB07XJ8C8F6\tAMAZON_EU\tInactive\n', 'utf8'),
    ]);
    const parsed = await parse({ gzip: false, body: pieces(report, 5), contentType: 'text/plain' }, 'DE', 'EUR');
    expect(parsed.listings.map((l) => [l.sku, l.title, l.priceMinor, l.active])).toEqual([
      ['DE-1', 'Café €', 1250, true],
      ['DE-2', 'Crème brûlée', 999, false],
    ]);
  });

  it('knows the charsets Amazon names (Java’s Cp1252 too), and refuses one it does not know', () => {
    expect(charsetOf('text/plain;charset=Cp1252')).toBe('windows-1252');
    expect(charsetOf('text/tab-separated-values; charset="UTF-8"')).toBe('utf-8');
    expect(charsetOf('text/plain;charset=Shift_JIS')).toBe('shift_jis');
    expect(charsetOf('text/plain')).toBeUndefined();
    expect(() => charsetOf('text/plain;charset=x-made-up')).toThrow('unknown charset');
  });
});
