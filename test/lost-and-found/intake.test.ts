import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runAudit } from '#shared/lost-and-found/audit.ts';
import { detectReport, normaliseHeader } from '#shared/lost-and-found/report-types.ts';
import { TsvRow, parseDayString, parseMinorBytes } from '#shared/lost-and-found/tsv.ts';
import { parseDecimalToMinor } from '#shared/kernel/money.ts';
import { COSTS, ledger, memorySource, noReimbursements, reimbursements, reusedBufferSource } from './helpers.ts';

const asOf = '2025-06-30';
const lostIn = (date: string, ref: string) => ledger([{ date, event: 'Adjustments', ref, quantity: -2, reason: 'M' }]);

describe('report intake', () => {
  it('detects each report from its header row, whatever the file is called', async () => {
    const result = await runAudit([memorySource('download-0001.txt', lostIn('2025-05-20', 'R1')), memorySource('x.csv', COSTS), noReimbursements()], { asOf });
    expect(result.report.files.map((f) => f.type)).toEqual(['inventory_ledger', 'seller_costs', 'reimbursements']);
    expect(result.claims).toHaveLength(1);
  });

  it('normalises header case, spaces, dashes and underscores', () => {
    expect(normaliseHeader('Reference ID')).toBe('referenceid');
    expect(normaliseHeader('\uFEFFamount-per-unit')).toBe('amountperunit');
    expect(detectReport(['DATE', 'fnsku', 'msku', 'EVENT_TYPE', 'reference-id', 'quantity', 'REASON'])?.type).toBe('inventory_ledger');
  });

  it('reports and skips an unknown file, and the rest of the audit still runs', async () => {
    const result = await runAudit([memorySource('orders.txt', 'amazon-order-id\tpurchase-date\n1\t2025-01-01\n'), memorySource('l.tsv', lostIn('2025-05-20', 'R1')), noReimbursements()], { asOf });
    expect(result.report.files[0]).toMatchObject({ file: 'orders.txt', type: 'unknown', ignored: true });
    expect(result.report.lines).toContainEqual(expect.objectContaining({ file: 'orders.txt', line: 0 }));
    expect(result.claims).toHaveLength(1);
  });

  it('skips a known report that lacks a column the audit needs, saying which', async () => {
    const noQuantity = 'Date\tFNSKU\tMSKU\tEvent Type\tReference ID\tReason\n2025-05-20\tX\tS\tAdjustments\tR1\tM\n';
    const result = await runAudit([memorySource('ledger.tsv', noQuantity)], { asOf });
    expect(result.report.files[0]).toMatchObject({ type: 'inventory_ledger', ignored: true });
    expect(result.report.files[0]!.note).toContain('quantity');
  });

  it('reads a UTF-8 file with a byte order mark', async () => {
    const result = await runAudit([memorySource('bom.tsv', '\uFEFF' + lostIn('2025-05-20', 'R1')), noReimbursements()], { asOf });
    expect(result.claims).toHaveLength(1);
  });

  it('reads Windows-1252 downloads and says so', async () => {
    const text = COSTS.replace('SKU-2', 'SKU-Küche');
    const bytes = Uint8Array.from(Buffer.from(text, 'latin1'));
    const result = await runAudit([memorySource('costs.tsv', bytes)], { asOf });
    expect(result.report.files[0]!.encoding).toBe('windows-1252');
    expect(result.report.files[0]!.used).toBe(2);
  });

  it('reads EU downloads with decimal commas and DD.MM.YYYY dates', async () => {
    const eu = reimbursements([{ date: '05.06.2025', id: 'RB1', reason: 'Lost_Warehouse', perUnit: '2', quantity: 2 }]).replace('\t2\t4.00\t', '\t2,00\t4,00\t');
    const result = await runAudit([memorySource('r.tsv', eu)], { asOf });
    expect(result.reimbursements[0]).toMatchObject({ approvalDate: '2025-06-05', amountPerUnit: { minor: 200, currency: 'EUR' }, amountTotal: { minor: 400 } });
  });

  it('reads amounts in the common shape (digits, one separator, the currency\'s decimals) as the general parse does', () => {
    const alphabet = ['0', '1', '5', '9', '.', ',', '-', '+', ' ', 'x'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 14 }), fc.constantFrom(0, 2, 3), (chars, decimals) => {
        const bytes = new TextEncoder().encode(chars.join(''));
        expect(parseMinorBytes(bytes, 0, bytes.length, decimals)).toBe(referenceParseMinorBytes(bytes, 0, bytes.length, decimals));
      }),
      { numRuns: 20_000 },
    );
  });

  it('parses amounts on bytes exactly like the money module does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.boolean(), (minor, comma) => {
        const text = `${minor < 0 ? '-' : ''}${Math.trunc(Math.abs(minor) / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`;
        const written = comma ? text.replace('.', ',') : text;
        const bytes = new TextEncoder().encode(written);
        expect(parseMinorBytes(bytes, 0, bytes.length, 2)).toBe(parseDecimalToMinor(written, 'EUR', { allowDecimalComma: true }));
      }),
    );
    const read = (s: string) => parseMinorBytes(new TextEncoder().encode(s), 0, s.length, 2);
    expect(read('1.234,50')).toBe(123_450);
    expect(read('1,234.50')).toBe(123_450);
    expect(read('8.505')).toBe(850_500); // a lone 3-digit group is thousands (EU "8.505" = 8505)
    expect(read('8.5055')).toBeNaN();
    expect(read('1.23,4')).toBeNaN();
    expect(read('abc')).toBeNaN();
  });

  it('splits fields exactly like String#split, whatever the line and where it sits in its buffer', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '.', '-', '\t', '\u00e9', '\u0009'), maxLength: 23 });
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 12 }), fc.nat(7), fc.nat(7), fc.nat(3), (fields, before, after, shift) => {
        const line = fields.join('\t');
        const encoded = new TextEncoder().encode(line);
        // The line at any offset of a chunk that itself starts at any offset of its memory (a pooled Buffer),
        // with tabs right after it (the next line's bytes).
        const backing = new ArrayBuffer(shift + before + encoded.length + 1 + after);
        const buffer = new Uint8Array(backing, shift).fill(9);
        buffer.set(encoded, before);
        const row = new TsvRow(64);
        row.reset(buffer, before, before + encoded.length, 1, false);
        const expected = line.split('\t');
        expect(row.fieldCount).toBe(expected.length);
        const decoded = expected.map((_, i) => new TextDecoder().decode(buffer.subarray(row.start(i), row.end(i))));
        expect(decoded).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads ISO, US and EU dates and rejects impossible ones', () => {
    expect(parseDayString('2025-06-30')).toBe(parseDayString('06/30/2025'));
    expect(parseDayString('30.06.2025')).toBe(parseDayString('2025-06-30T23:59:59+00:00'));
    expect(parseDayString('31.02.2025')).toBeNaN();
    expect(parseDayString('2025-13-01')).toBeNaN();
  });

  it('reads d/m/yyyy day first on the bytes exactly as the regex it replaced (GB settlements)', () => {
    // The reading the settlement handler did per row before: a regex on the decoded, space-trimmed field.
    const byRegex = (text: string): number => {
      const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:$|[T ])/.exec(text.replace(/^ +| +$/g, ''));
      return match === null ? Number.NaN : parseDayString(`${match[1]}.${match[2]}.${match[3]}`);
    };
    const read = (text: string): number => {
      const bytes = new TextEncoder().encode(`x\t${text}\ty`);
      const row = new TsvRow(4);
      row.reset(bytes, 0, bytes.length, 1, false);
      return row.dayFirstSlash(1);
    };
    expect(read('01/09/2026')).toBe(parseDayString('2026-09-01'));
    expect(read('1/9/2026 10:00:00 UTC')).toBe(parseDayString('2026-09-01'));
    expect(read('31/02/2026')).toBeNaN();
    const text = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '9', '/', ' ', 'T', 't', '-', '.'), maxLength: 16 });
    fc.assert(
      fc.property(text, (t) => {
        expect(read(t)).toBe(byRegex(t));
      }),
      { numRuns: 5000 },
    );
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '9'), maxLength: 5 });
    fc.assert(
      fc.property(digits, digits, digits, fc.constantFrom('', ' ', 'T10:00', 't', ' x', 'x'), (d, m, y, tail) => {
        const t = `${d}/${m}/${y}${tail}`;
        expect(read(t)).toBe(byRegex(t));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1990, max: 2100 }), fc.boolean(), (d, m, y, pad) => {
        const t = pad ? `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}` : `${d}/${m}/${y}`;
        expect(read(t)).toBe(byRegex(t));
      }),
    );
  });

  it('dedupes the overlap of two ledger downloads with overlapping date ranges', async () => {
    const both = lostIn('2025-05-20', 'R1');
    const result = await runAudit([memorySource('a.tsv', both), memorySource('b.tsv', both), noReimbursements()], { asOf });
    expect(result.claims).toHaveLength(1);
    expect(result.claims[0]!.quantity).toBe(2);
    expect(result.report.files[1]!.duplicates).toBe(1);
  });

  it('gives the same result whatever the chunk boundaries', async () => {
    const text = ledger([
      { date: '2025-05-20', event: 'Adjustments', ref: 'R1', quantity: -2, reason: 'M' },
      { date: '2025-05-21', event: 'Shipments', ref: '302-1', quantity: -1 },
      { date: '2025-05-22', event: 'Adjustments', ref: 'R2', quantity: -1, reason: '6', fnsku: 'X00TEST002', msku: 'SKU-2' },
    ]);
    const whole = await runAudit([memorySource('l.tsv', text), noReimbursements()], { asOf });
    const tiny = await runAudit([memorySource('l.tsv', text, 7), noReimbursements()], { asOf });
    expect(tiny.claims).toEqual(whole.claims);
    // A source that refills one Buffer for every chunk, as the Node file adapter does.
    for (const size of [5, 7, 64, 200]) {
      const reused = await runAudit([reusedBufferSource('l.tsv', text, size), noReimbursements()], { asOf });
      expect(reused.claims).toEqual(whole.claims);
      expect(reused.report.lines).toEqual([]);
    }
    expect(whole.claims).toHaveLength(2);
  });

  it('reports a truncated last line, unparsable dates and numbers with file and line', async () => {
    const text =
      ledger([
        { date: '2025-05-20', event: 'Adjustments', ref: 'R1', quantity: -2, reason: 'M' },
        { date: '2025-99-99', event: 'Adjustments', ref: 'R2', quantity: -1, reason: 'M' },
      ]) +
      ['2025-05-21', 'X00TEST001', 'B0', 'SKU-1', 'T', 'Adjustments', 'R3', 'two', 'LEJ1', 'SELLABLE', 'M', 'DE', '0', '0', ''].join('\t') +
      '\n2025-05-22\tX00TEST001\tB0\tSKU-1\tT\tAdjust';
    const result = await runAudit([memorySource('ledger.tsv', text), noReimbursements()], { asOf });
    expect(result.report.lines).toEqual([
      { file: 'ledger.tsv', line: 3, reason: 'date "2025-99-99" is not a date' },
      { file: 'ledger.tsv', line: 4, reason: 'quantity "two" is not a number' },
      expect.objectContaining({ file: 'ledger.tsv', line: 5, reason: expect.stringContaining('truncated file') }),
    ]);
    expect(result.claims.map((c) => c.ref)).toEqual(['R1']);
  });

  it('reports an unknown currency on a line and keeps the others (mixed currencies)', async () => {
    const text = reimbursements([
      { date: '2025-06-01', id: 'A', reason: 'Lost_Warehouse', perUnit: '5.00', quantity: 1 },
      { date: '2025-06-01', id: 'B', reason: 'Lost_Warehouse', perUnit: '5.00', quantity: 1, currency: 'XYZ' },
      { date: '2025-06-01', id: 'C', reason: 'Lost_Warehouse', perUnit: '5.00', quantity: 1, currency: 'GBP' },
    ]);
    const result = await runAudit([memorySource('r.tsv', text)], { asOf });
    expect(result.reimbursements.map((r) => `${r.reimbursementId}:${r.amountTotal.currency}`)).toEqual(['A:EUR', 'C:GBP']);
    expect(result.report.lines).toEqual([{ file: 'r.tsv', line: 3, reason: 'unknown currency "XYZ"' }]);
  });
});

describe('UTF-16 downloads', () => {
  it('reads a UTF-16 LE file with a byte order mark like its UTF-8 twin, whatever the chunk boundaries', async () => {
    const text = lostIn('2025-05-20', 'R1').replace('Test product', 'Küchenwaage „Präzision“');
    const utf16 = Uint8Array.from(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const plain = await runAudit([memorySource('l.tsv', text), noReimbursements()], { asOf });
    for (const chunk of [3, 7, 1 << 16]) {
      const wide = await runAudit([memorySource('l.tsv', utf16, chunk), noReimbursements()], { asOf });
      expect(wide.report.files[0]).toMatchObject({ type: 'inventory_ledger', ignored: false });
      expect(wide.claims).toEqual(plain.claims);
    }
    expect(plain.claims).toHaveLength(1);
  });
});

/** The parse before its fast path (as it was in 47c4f8c): the reference the fast path must agree with. */
function referenceParseMinorBytes(bytes: Uint8Array, start: number, end: number, decimals: number): number {
  while (start < end && bytes[start] === 32) start++;
  while (end > start && bytes[end - 1] === 32) end--;
  if (start >= end) return Number.NaN;
  let negative = false;
  const first = bytes[start]!;
  if (first === 45 || first === 43) {
    negative = first === 45;
    start++;
  }
  if (start >= end) return Number.NaN;
  let lastSep = -1;
  for (let p = start; p < end; p++) {
    const b = bytes[p]!;
    if (b === 46 || b === 44) lastSep = p;
    else if (b < 48 || b > 57) return Number.NaN;
  }
  let decimalSep = -1;
  if (lastSep >= 0) {
    const digitsAfter = end - lastSep - 1;
    const lastSepByte = bytes[lastSep]!;
    let sameBefore = false;
    for (let p = start; p < lastSep; p++) if (bytes[p] === lastSepByte) sameBefore = true;
    // "1,234" with a 2-decimal currency is a thousands group, "8,5" is a decimal comma.
    if (digitsAfter <= decimals && digitsAfter > 0 && !sameBefore) decimalSep = lastSep;
    else if (digitsAfter !== 3) return Number.NaN;
  }
  const intEnd = decimalSep >= 0 ? decimalSep : end;
  let whole = 0;
  let groupSep = -1;
  let groups = 0;
  let digitsInGroup = 0;
  for (let p = start; p < intEnd; p++) {
    const b = bytes[p]!;
    if (b === 46 || b === 44) {
      // Thousands groups: the first has 1-3 digits, every later one exactly 3, all with one separator.
      if (groupSep !== -1 && groupSep !== b) return Number.NaN;
      if (digitsInGroup === 0 || digitsInGroup > 3 || (groups > 0 && digitsInGroup !== 3)) return Number.NaN;
      groupSep = b;
      groups++;
      digitsInGroup = 0;
      continue;
    }
    whole = whole * 10 + (b - 48);
    digitsInGroup++;
  }
  if (groupSep !== -1 && digitsInGroup !== 3) return Number.NaN;
  if (decimalSep >= 0 && groupSep === bytes[decimalSep]) return Number.NaN;
  if (intEnd === start && decimalSep >= 0) whole = 0;
  let fraction = 0;
  let fractionDigits = 0;
  if (decimalSep >= 0) {
    for (let p = decimalSep + 1; p < end; p++) {
      fraction = fraction * 10 + (bytes[p]! - 48);
      fractionDigits++;
    }
  }
  for (let k = fractionDigits; k < decimals; k++) fraction *= 10;
  const value = whole * 10 ** decimals + fraction;
  if (!Number.isSafeInteger(value)) return Number.NaN;
  return negative ? -value : value;
}
