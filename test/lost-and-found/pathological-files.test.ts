import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { runAudit, type ReportSource } from '#shared/lost-and-found/audit.ts';
import { forEachTsvRow, LineTooLongError, MAX_LINE_BYTES, TsvRow } from '#shared/lost-and-found/tsv.ts';
import { ledger, memorySource, noReimbursements } from './helpers.ts';

const asOf = '2025-06-30';
const lost = ledger([{ date: '2025-05-20', event: 'Adjustments', ref: 'R1', quantity: -2, reason: 'M' }]);
// A lost-in-warehouse claim also needs the reimbursements report (proof that nothing was paid yet).

/** A gzip document unpacked as it is read, like the S3 report store does. */
function gzipSource(name: string, compressed: Uint8Array): ReportSource {
  return { name, size: compressed.length, open: () => Readable.from([compressed]).pipe(createGunzip()) };
}

describe('pathological report files', () => {
  it('stops at the maximum line length of one endless line and names the file and its problem', async () => {
    // 8 MB of one line, in 64 KB chunks: more than the limit, without a terminator.
    const line = new Uint8Array(8 << 20).fill(0x61);
    const result = await runAudit([memorySource('endless.tsv', line), memorySource('ledger.tsv', lost), noReimbursements()], { asOf });
    const endless = result.report.files.find((f) => f.file === 'endless.tsv')!;
    expect(endless.ignored).toBe(true);
    expect(endless.note).toContain(`line 1 is longer than ${MAX_LINE_BYTES} bytes`);
    expect(result.report.lines).toContainEqual(expect.objectContaining({ file: 'endless.tsv', line: 0 }));
    expect(result.claims).toHaveLength(1); // the other file is audited as usual
  });

  it('fails a long line in the middle of a known report with its line number, keeping the lines before it', async () => {
    const text = lost + 'x'.repeat(MAX_LINE_BYTES + 10) + '\n';
    const result = await runAudit([memorySource('ledger.tsv', text, 4096), noReimbursements()], { asOf });
    const file = result.report.files[0]!;
    expect(file.note).toContain('line 3 is longer than');
    expect(result.claims).toHaveLength(1);
  });

  it('reads a gzip of one 50 MB line in linear time (a decompression bomb of one line)', async () => {
    const compressed = gzipSync(Buffer.alloc(50 << 20, 0x61));
    expect(compressed.length).toBeLessThan(100_000);
    const result = await runAudit([gzipSource('bomb.tsv.gz', compressed)], { asOf });
    expect(result.report.files[0]!.note).toMatch(/^unreadable: line 1 is longer than/);
  });

  it('joins a line cut into many pieces once, exactly', async () => {
    const cells = Array.from({ length: 40 }, (_, i) => `cell-${i}`).join('\t');
    const bytes = new TextEncoder().encode(`h\n${cells}\n`);
    const seen: string[] = [];
    const pieces = async function* () {
      for (let i = 0; i < bytes.length; i += 3) yield bytes.slice(i, i + 3);
    };
    await forEachTsvRow(pieces(), new TsvRow(64), (r) => void seen.push(r.text(39)));
    expect(seen).toEqual(['', 'cell-39']);
    await expect(forEachTsvRow(pieces(), new TsvRow(64), () => undefined, { maxLineBytes: 100 })).rejects.toBeInstanceOf(LineTooLongError);
  });

  it('reads UTF-16 (little and big endian, with BOM) like UTF-8', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lost, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [name, bytes] of [['le.tsv', le], ['be.tsv', be]] as const) {
      // Odd chunk sizes cut code units in half.
      const result = await runAudit([memorySource(name, new Uint8Array(bytes), 333), noReimbursements()], { asOf });
      expect(result.report.files.find((f) => f.file === name)!.type).toBe('inventory_ledger');
      expect(result.claims).toHaveLength(1);
    }
  });

  it('reports an empty file and a file of only blank lines without failing the audit', async () => {
    const result = await runAudit([memorySource('empty.tsv', ''), memorySource('blank.tsv', '\n\n\r\n'), memorySource('l.tsv', lost), noReimbursements()], { asOf });
    expect(result.report.files.filter((f) => f.note === 'empty file').map((f) => f.file).sort()).toEqual(['blank.tsv', 'empty.tsv']);
    expect(result.claims).toHaveLength(1);
  });
});
