/**
 * The line indexer (WebAssembly, line-index.wat) and the TSV reader on top of it, against a reference splitter
 * written with String#split: every line, every field, whatever the chunking, line ends (LF, CRLF), empty lines,
 * byte order mark, unterminated last line, more fields than the row asks for, and lines straddling slices.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { LINE_INDEX_WASM_TS, lineIndexModuleSource } from '../../cli/build-line-index.ts';
import { LINES_PER_CALL } from '#shared/lost-and-found/line-index.ts';
import { LineTooLongError, TsvRow, forEachTsvRow } from '#shared/lost-and-found/tsv.ts';

interface SeenRow {
  line: number;
  fields: string[];
  fieldCount: number;
  unterminated: boolean;
}

async function* chunked(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    yield bytes.subarray(at, cut);
    at = cut;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

async function readAll(bytes: Uint8Array, cuts: readonly number[], capacity: number, skipThroughLine = 0): Promise<{ rows: SeenRow[]; lines: number; count: number }> {
  const rows: SeenRow[] = [];
  const row = new TsvRow(capacity);
  const outcome = await forEachTsvRow(
    chunked(bytes, cuts),
    row,
    (r) => {
      const fields: string[] = [];
      for (let i = 0; r.has(i); i++) fields.push(r.text(i));
      rows.push({ line: r.lineNumber, fields, fieldCount: r.fieldCount, unterminated: r.unterminated });
    },
    {
      skipThroughLine,
      onUnterminated: (r) => {
        const fields: string[] = [];
        for (let i = 0; r.has(i); i++) fields.push(r.text(i));
        rows.push({ line: r.lineNumber, fields, fieldCount: r.fieldCount, unterminated: true });
      },
    },
  );
  return { rows, lines: outcome.lines, count: outcome.rows };
}

/** What the reader must hand out, by String#split. */
function reference(text: string, capacity: number, skipThroughLine = 0): { rows: SeenRow[]; lines: number } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const parts = body.split('\n');
  const terminated = body.endsWith('\n');
  if (terminated || body.length === 0) parts.pop();
  const rows: SeenRow[] = [];
  parts.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length === 0 || i + 1 <= skipThroughLine) return;
    const all = line.split('\t');
    rows.push({
      line: i + 1,
      fields: all.slice(0, capacity).map((f) => f.trim()),
      fieldCount: all.length,
      unterminated: !terminated && i === parts.length - 1,
    });
  });
  return { rows, lines: parts.length };
}

const field = fc.stringMatching(/^[ A-Za-z0-9.,\-äöü€]{0,12}$/);
const line = fc.tuple(fc.array(field, { minLength: 1, maxLength: 30 }), fc.constantFrom('\n', '\r\n')).map(([fields, end]) => fields.join('\t') + end);
const file = fc.tuple(fc.boolean(), fc.array(fc.oneof(line, fc.constantFrom('\n', '\r\n')), { maxLength: 60 }), fc.boolean(), field).map(([bom, lines, cutLast, tail]) => (bom ? '\uFEFF' : '') + lines.join('') + (cutLast ? tail : ''));

describe('TSV reader with the WebAssembly line indexer', () => {
  it('line-index-wasm.ts is line-index.wat assembled (npm run build:line-index)', async () => {
    expect(readFileSync(LINE_INDEX_WASM_TS, 'utf8')).toBe(await lineIndexModuleSource());
  });

  it('hands out every line and field as String#split would, whatever the chunking and the row capacity', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.array(fc.nat(4000), { maxLength: 12 }), fc.integer({ min: 1, max: 40 }), fc.nat(3), async (text, cuts, capacity, skip) => {
        const bytes = new TextEncoder().encode(text);
        const expected = reference(text, capacity, skip);
        const seen = await readAll(bytes, cuts, capacity, skip);
        expect(seen.rows).toEqual(expected.rows);
        expect(seen.lines).toBe(expected.lines);
        expect(seen.count).toBe(expected.rows.length);
      }),
      { numRuns: 300 },
    );
  });

  it('reads more lines than one kernel call records, and lines longer than a slice', async () => {
    const many = Array.from({ length: LINES_PER_CALL * 3 + 7 }, (_, i) => `SKU-${i}\t${i}\tx`).join('\n');
    const long = `${'a'.repeat(700_000)}\tb\n${'c\t'.repeat(200_000)}d\n`;
    const text = `${many}\n${long}tail\tend`;
    const bytes = new TextEncoder().encode(text);
    const seen = await readAll(bytes, [5, 65_536, 300_000, 1_000_000], 4);
    expect(seen.rows).toEqual(reference(text, 4).rows);
    expect(seen.rows.at(-1)).toEqual({ line: LINES_PER_CALL * 3 + 10, fields: ['tail', 'end'], fieldCount: 2, unterminated: true });
  });

  it('stops at a line longer than the limit, naming it', async () => {
    const text = `a\tb\n${'x'.repeat(3000)}\n`;
    const row = new TsvRow(4);
    await expect(forEachTsvRow(chunked(new TextEncoder().encode(text), [1000, 2000]), row, () => undefined, { maxLineBytes: 2048 })).rejects.toEqual(new LineTooLongError(2, 2048));
  });

  it('drops a first field (a spilled line’s origin) with the fields after it intact', async () => {
    const row = new TsvRow(8);
    const seen: string[][] = [];
    await forEachTsvRow(chunked(new TextEncoder().encode('3,17\tA\tB\tC\n4,2\t\tZ\n'), []), row, (r) => {
      r.dropFirstField();
      const fields: string[] = [];
      for (let i = 0; r.has(i); i++) fields.push(r.text(i));
      seen.push([...fields, String(r.fieldCount)]);
    });
    expect(seen).toEqual([
      ['A', 'B', 'C', '3'],
      ['', 'Z', '2'],
    ]);
  });
});
