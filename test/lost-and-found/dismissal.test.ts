import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Dismissal, TsvRow, forEachTsvRow } from '#shared/lost-and-found/tsv.ts';

/** What a ledger-like handler sees: the rows it keeps and the days it reads (first and last), and skipped dates. */
interface Seen {
  kept: string[];
  bad: number[];
  minDay: number;
  maxDay: number;
  rows: number;
}

const NO_CLAIM = (() => {
  const table = new Uint8Array(256);
  table['S'.charCodeAt(0)] = 1;
  table['W'.charCodeAt(0)] = 1;
  return table;
})();

/** Reads `text` in `cuts` pieces with a handler shaped as the audit's ledger handler (date first, then the event). */
async function read(text: string, cuts: readonly number[], dismiss: Dismissal | undefined, capacity: number): Promise<Seen> {
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  const bounds = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  async function* pieces(): AsyncGenerator<Uint8Array> {
    let from = 0;
    for (const to of [...bounds, bytes.length]) {
      if (to > from) yield bytes.subarray(from, to);
      from = Math.max(from, to);
    }
  }
  const seen: Seen = { kept: [], bad: [], minDay: Infinity, maxDay: -Infinity, rows: 0 };
  const outcome = await forEachTsvRow(
    pieces(),
    new TsvRow(capacity),
    (row) => {
      const day = row.day(0);
      if (day !== day) {
        seen.bad.push(row.lineNumber);
        return;
      }
      seen.minDay = Math.min(seen.minDay, day);
      seen.maxDay = Math.max(seen.maxDay, day);
      const first = row.firstByte(1);
      if (first >= 0 && NO_CLAIM[first] === 1) return;
      seen.kept.push(`${row.lineNumber}:${row.text(1)}:${row.text(2)}`);
    },
    { dismiss },
  );
  seen.rows = outcome.rows;
  return seen;
}

const date = fc.constantFrom('06/30/2024', '07/01/2024', '2024-07-01', '13/45/2024', '', '07/01/2024 ', '01.07.2024');
const event = fc.constantFrom('Shipments', 'WhseTransfers', 'Adjustments', 'Receipts', '', 'S', 'shipments');
const line = fc.tuple(date, event, fc.stringMatching(/^[a-z0-9]{0,6}$/), fc.boolean()).map(([d, e, x, short]) => (short ? `${d}\t${e}` : `${d}\t${e}\t${x}`));

describe('rows dismissed by the reader (the ledger’s shipments and transfers on a date already read)', () => {
  it('leave a date-first handler with the same rows, days and skips as handing it every row', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 60 }), fc.array(fc.nat(2000), { maxLength: 6 }), fc.boolean(), fc.integer({ min: 1, max: 4 }), async (lines, cuts, crlf, capacity) => {
        const text = lines.join(crlf ? '\r\n' : '\n') + (lines.length > 0 && cuts.length % 2 === 0 ? '\n' : '');
        const all = await read(text, cuts, undefined, capacity);
        const dismissed = await read(text, cuts, { field: 1, firstBytes: NO_CLAIM, dateField: 0 }, capacity);
        expect(dismissed).toEqual(all);
      }),
      { numRuns: 1_500 },
    );
  });

  it('does dismiss them: the handler is called only for new dates and other events', async () => {
    const calls: number[] = [];
    const text = ['06/30/2024\tShipments\ta', '06/30/2024\tShipments\tb', '06/30/2024\tAdjustments\tc', '07/01/2024\tWhseTransfers\td', '07/01/2024\tWhseTransfers\te', ''].join('\n');
    async function* once(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(Buffer.from(text));
    }
    const outcome = await forEachTsvRow(
      once(),
      new TsvRow(4),
      (row) => {
        calls.push(row.lineNumber);
        row.day(0);
      },
      { dismiss: { field: 1, firstBytes: NO_CLAIM, dateField: 0 } },
    );
    expect(calls).toEqual([1, 3, 4]);
    expect(outcome.rows).toBe(5);
  });
});
