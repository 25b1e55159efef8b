/**
 * Byte-level reader for Amazon's unquoted TSV reports. Lines are split on raw bytes (no per-line regex, no
 * string per line): a row is a set of field offsets into the current chunk, and callers decode only the
 * fields they need. This is what lets the audit keep its pace on a million-row ledger with bounded memory.
 */
import { LINES_PER_CALL, acquireLineIndexer, releaseLineIndexer, type LineIndexer } from './line-index.ts';

const TAB = 9;
const LF = 10;
const CR = 13;
const NO_INDEX = new Int32Array(0);

export type TextEncodingName = 'utf-8' | 'windows-1252';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
/** One scratch array per length 0..64, so String.fromCharCode.apply gets exactly the field's codes. */
const asciiScratch: number[][] = Array.from({ length: 65 }, (_, n) => new Array<number>(n).fill(0));
const windows1252 = new TextDecoder('windows-1252');

/**
 * One row of a TSV file: the line's bounds in `bytes`, valid only during the callback that receives it.
 * Fields are split lazily, up to the highest one asked for: the ledger's Shipments rows (most of the file)
 * are dismissed after reading two fields, without scanning the title and the columns after it.
 */
export class TsvRow {
  bytes: Uint8Array = new Uint8Array(0);
  private words: Int32Array = new Int32Array(0);
  /** Offset of `bytes` in its buffer: byte p of the row is byte p + wordBias of `words`. */
  private wordBias = 0;
  /** Field bounds of a row split by scanning (`scanTo`); a row with a line record reads its record (`start`, `end`). */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  lineStart = 0;
  lineEnd = 0;
  /** 1-based line number in the file (the header is line 1). */
  lineNumber = 0;
  /** True for a last line that had no line terminator (a possibly truncated file). */
  unterminated = false;
  /** Set once a field that is not valid UTF-8 is met; the rest of the file is read as Windows-1252. */
  encoding: TextEncodingName = 'utf-8';
  /** Fields delimited so far on this line. */
  /** The last date field parsed (bytes and result), for `day`. */
  private readonly lastDayBytes = new Uint8Array(32);
  private lastDayLength = -1;
  private lastDay = Number.NaN;
  private scanned = 0;
  private scanPos = 0;
  private complete = false;
  /**
   * Where the line's tab positions start in a line index (`LineIndexer`: found by the WebAssembly kernel), or -1
   * when the fields are found by scanning the bytes (a row pointed with `reset`).
   */
  private tabsAt = -1;
  private index: Int32Array = NO_INDEX;
  /** Tab positions the record holds, and the fields on the line (tabs + 1). */
  private recordedTabs = 0;
  private lineFields = 0;

  constructor(readonly capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  /** Points the row at a line whose fields are found by scanning its bytes (see `resetIndexed` for an indexed one). */
  reset(bytes: Uint8Array, lineStart: number, lineEnd: number, lineNumber: number, unterminated: boolean): void {
    if (bytes !== this.bytes) {
      this.bytes = bytes;
      // The same memory as 32-bit words, for the field scan: four bytes tested for a tab at once.
      this.words = new Int32Array(bytes.buffer, 0, bytes.buffer.byteLength >> 2);
      this.wordBias = bytes.byteOffset;
    }
    this.lineStart = lineStart;
    this.lineEnd = lineEnd;
    this.lineNumber = lineNumber;
    this.unterminated = unterminated;
    this.scanned = 0;
    this.scanPos = lineStart;
    this.complete = false;
    this.tabsAt = -1;
  }

  /**
   * Points the row at a line of a line index (called by `forEachTsvRow`): `record` is the word offset of the
   * line's record in `index` (start, end, tab count, tab positions), `maxTabs` the tab positions a record holds.
   */
  resetIndexed(bytes: Uint8Array, lineEnd: number, lineNumber: number, unterminated: boolean, index: Int32Array, record: number, maxTabs: number): void {
    this.reset(bytes, index[record]!, lineEnd, lineNumber, unterminated);
    const tabs = index[record + 2]!;
    this.index = index;
    this.tabsAt = record + 3;
    this.recordedTabs = tabs < maxTabs ? tabs : maxTabs;
    this.lineFields = tabs + 1;
  }

  /**
   * Drops the line's first field: field 1 becomes field 0 (a spilled line's "<file>,<line>" prefix, see the
   * audit's partitions). The line must have a second field.
   */
  dropFirstField(): void {
    if (this.tabsAt >= 0 && this.recordedTabs > 0) {
      this.lineStart = this.index[this.tabsAt]! + 1;
      this.tabsAt++;
      this.recordedTabs--;
      this.lineFields--;
    } else {
      this.has(1);
      this.lineStart = this.start(1);
      this.tabsAt = -1;
    }
    this.scanned = 0;
    this.scanPos = this.lineStart;
    this.complete = false;
  }

  /**
   * True when the line has a field `i`; its bounds are then `start(i)` and `end(i)`. A row with a line record reads
   * them from the record when asked (nothing is split or copied: most fields of a row are never looked at, and
   * copying every field's bounds up to the highest one used was 15 – 22 % of reading a settlement, measured).
   */
  has(i: number): boolean {
    // A column the header lacks is -1: no field (not the whole buffer, which starts[-1] would give).
    if (i < this.scanned) return i >= 0;
    if (this.tabsAt >= 0) {
      if (i < this.recordedTabs) return i >= 0;
      if (i >= this.capacity || i >= this.lineFields) return false;
      // The last field, after the last tab, when every tab is recorded.
      if (i === this.recordedTabs && i === this.lineFields - 1) return true;
      return this.leaveRecord(i);
    }
    if (this.complete || i >= this.capacity) return false;
    return this.scanTo(i);
  }

  /** Start of field `i` (after `has(i)` said it is there). */
  start(i: number): number {
    if (this.tabsAt < 0) return this.starts[i]!;
    return i === 0 ? this.lineStart : this.index[this.tabsAt + i - 1]! + 1;
  }

  /** End of field `i`, exclusive (after `has(i)` said it is there). */
  end(i: number): number {
    if (this.tabsAt < 0) return this.ends[i]!;
    return i < this.recordedTabs ? this.index[this.tabsAt + i]! : this.lineEnd;
  }

  /**
   * A field beyond the tabs the line record holds: the recorded fields' bounds are copied and the rest of the
   * line is split by scanning, as a row without a record is.
   */
  private leaveRecord(i: number): boolean {
    const index = this.index;
    const tabsAt = this.tabsAt;
    let start = this.lineStart;
    for (let n = 0; n < this.recordedTabs; n++) {
      const tab = index[tabsAt + n]!;
      this.starts[n] = start;
      this.ends[n] = tab;
      start = tab + 1;
    }
    this.scanned = this.recordedTabs;
    this.scanPos = start;
    this.tabsAt = -1;
    return this.scanTo(i);
  }

  /** `has` by scanning the line's bytes for tabs. */
  private scanTo(i: number): boolean {
    const bytes = this.bytes;
    const lineEnd = this.lineEnd;
    let p = this.scanPos;
    let n = this.scanned;
    const starts = this.starts;
    const ends = this.ends;
    const words = this.words;
    const bias = this.wordBias;
    while (n <= i) {
      const start = p;
      // To the next tab: bytes up to a word boundary, then whole words (a word with a tab in it has a zero byte
      // after xor with 0x09090909), then the bytes of the word that holds the tab.
      while (((p + bias) & 3) !== 0 && p < lineEnd && bytes[p] !== TAB) p++;
      if (((p + bias) & 3) === 0) {
        while (p + 4 <= lineEnd) {
          const x = words[(p + bias) >> 2]! ^ 0x09090909;
          if (((x - 0x01010101) & ~x & 0x80808080) !== 0) break;
          p += 4;
        }
        while (p < lineEnd && bytes[p] !== TAB) p++;
      }
      starts[n] = start;
      ends[n] = p;
      n++;
      if (p >= lineEnd) {
        this.complete = true;
        break;
      }
      p++;
    }
    this.scanned = n;
    this.scanPos = p;
    return i < n;
  }

  /** Number of fields on the line (splits the whole line; up to the capacity). */
  get fieldCount(): number {
    if (this.tabsAt >= 0) return this.lineFields;
    this.has(this.capacity - 1);
    if (!this.complete) {
      // More fields than the capacity: count the rest without storing them.
      let extra = 0;
      for (let p = this.scanPos; p < this.lineEnd; p++) if (this.bytes[p] === TAB) extra++;
      return this.scanned + extra + 1;
    }
    return this.scanned;
  }

  isEmpty(i: number): boolean {
    return !this.has(i) || this.end(i) <= this.start(i);
  }

  /** Decodes one field to a trimmed string (UTF-8, falling back to Windows-1252 for the whole file). */
  text(i: number): string {
    if (!this.has(i)) return '';
    let start = this.start(i);
    let end = this.end(i);
    const bytes = this.bytes;
    while (start < end && bytes[start] === 32) start++;
    while (end > start && bytes[end - 1] === 32) end--;
    let ascii = true;
    for (let p = start; p < end; p++) {
      if (bytes[p]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // Short ASCII fields (SKUs, ids, dates): char codes from a reused scratch array beat TextDecoder's call
      // cost and Buffer#subarray's allocation.
      const length = end - start;
      if (length <= 64) {
        const scratch = asciiScratch[length]!;
        for (let k = 0; k < length; k++) scratch[k] = bytes[start + k]!;
        return String.fromCharCode.apply(null, scratch);
      }
      return windows1252.decode(bytes.subarray(start, end));
    }
    const slice = bytes.subarray(start, end);
    if (this.encoding === 'utf-8') {
      try {
        return utf8Strict.decode(slice);
      } catch {
        this.encoding = 'windows-1252';
      }
    }
    return windows1252.decode(slice);
  }

  /**
   * `${text(i)}|${text(j)}` as one flat string: the composite keys of the audit's maps. A template literal makes
   * a rope of three strings that the map flattens into a fourth, and keeps all four alive for as long as the key.
   */
  joinedText(i: number, j: number): string {
    if (!this.has(Math.max(i, j))) return `${this.text(i)}|${this.text(j)}`;
    const bytes = this.bytes;
    let si = this.start(i);
    let ei = this.end(i);
    let sj = this.start(j);
    let ej = this.end(j);
    while (si < ei && bytes[si] === 32) si++;
    while (ei > si && bytes[ei - 1] === 32) ei--;
    while (sj < ej && bytes[sj] === 32) sj++;
    while (ej > sj && bytes[ej - 1] === 32) ej--;
    const li = ei - si;
    const length = li + 1 + ej - sj;
    if (length > 64) return `${this.text(i)}|${this.text(j)}`;
    const scratch = asciiScratch[length]!;
    for (let k = 0; k < li; k++) {
      const b = bytes[si + k]!;
      if (b >= 0x80) return `${this.text(i)}|${this.text(j)}`;
      scratch[k] = b;
    }
    scratch[li] = 124; // '|'
    for (let k = li + 1; k < length; k++) {
      const b = bytes[sj + k - li - 1]!;
      if (b >= 0x80) return `${this.text(i)}|${this.text(j)}`;
      scratch[k] = b;
    }
    return String.fromCharCode.apply(null, scratch);
  }

  /** `text(i) === expected`, without making the field's string when its bytes are ASCII. */
  equalsText(i: number, expected: string): boolean {
    return this.equalsTrimmed(i, expected, false);
  }

  /** `text(i).toLowerCase() === lowerAscii` (a lower-case ASCII word), without a string when the field is ASCII. */
  equalsCaseless(i: number, lowerAscii: string): boolean {
    return this.equalsTrimmed(i, lowerAscii, true);
  }

  /** The field trimmed as `text` trims it against `expected`, ASCII letters folded to lower case when `caseless`. */
  private equalsTrimmed(i: number, expected: string, caseless: boolean): boolean {
    if (!this.has(i)) return expected.length === 0;
    const bytes = this.bytes;
    let start = this.start(i);
    let end = this.end(i);
    while (start < end && bytes[start] === 32) start++;
    while (end > start && bytes[end - 1] === 32) end--;
    for (let p = start; p < end; p++) {
      if (bytes[p]! >= 0x80) {
        const text = this.text(i);
        return (caseless ? text.toLowerCase() : text) === expected;
      }
    }
    if (end - start !== expected.length) return false;
    for (let k = 0; k < expected.length; k++) {
      let b = bytes[start + k]!;
      if (caseless && b >= 65 && b <= 90) b += 32;
      if (b !== expected.charCodeAt(k)) return false;
    }
    return true;
  }

  /** True when the field contains `lowerAscii` (a lower-case ASCII constant), ignoring ASCII case. */
  containsCaseless(i: number, lowerAscii: string): boolean {
    if (!this.has(i)) return false;
    const bytes = this.bytes;
    const start = this.start(i);
    const last = this.end(i) - lowerAscii.length;
    outer: for (let p = start; p <= last; p++) {
      for (let k = 0; k < lowerAscii.length; k++) {
        let b = bytes[p + k]!;
        if (b >= 65 && b <= 90) b += 32;
        if (b !== lowerAscii.charCodeAt(k)) continue outer;
      }
      return true;
    }
    return false;
  }

  /**
   * Byte-compares a field with bytes made once by `asciiBytes` (exact, case-sensitive): the classifying test
   * of hot loops, which a different length settles at the first comparison.
   */
  equalsBytes(i: number, expected: Uint8Array): boolean {
    if (!this.has(i)) return false;
    const start = this.start(i);
    const length = expected.length;
    if (this.end(i) - start !== length) return false;
    const bytes = this.bytes;
    for (let k = 0; k < length; k++) if (bytes[start + k] !== expected[k]) return false;
    return true;
  }

  firstByte(i: number): number {
    if (!this.has(i)) return -1;
    return this.end(i) > this.start(i) ? this.bytes[this.start(i)]! : -1;
  }

  fieldLength(i: number): number {
    if (!this.has(i)) return 0;
    return this.end(i) - this.start(i);
  }

  /** Signed integer field ("-3", "12", "+1"); NaN when empty or not an integer. */
  int(i: number): number {
    if (!this.has(i)) return Number.NaN;
    return parseIntBytes(this.bytes, this.start(i), this.end(i));
  }

  /** Date field as days since 1970-01-01 (ISO, MM/DD/YYYY or EU DD.MM.YYYY, time part ignored); NaN if unparsable. */
  day(i: number): number {
    if (!this.has(i)) return Number.NaN;
    const bytes = this.bytes;
    const start = this.start(i);
    const length = this.end(i) - start;
    // Reports run in date order, so most rows repeat the previous row's date: compare bytes, skip the parse.
    const last = this.lastDayBytes;
    if (length === this.lastDayLength) {
      let same = true;
      for (let k = 0; k < length; k++) {
        if (bytes[start + k] !== last[k]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastDay;
    }
    const day = parseDayBytes(bytes, start, start + length);
    if (length <= last.length) {
      for (let k = 0; k < length; k++) last[k] = bytes[start + k]!;
      this.lastDayLength = length;
      this.lastDay = day;
    }
    return day;
  }

  /** True when bytes [start, end) are the date `day` last parsed, and it was a valid one (see `Dismissal`). */
  repeatsLastDay(bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (length !== this.lastDayLength || this.lastDay !== this.lastDay) return false;
    const last = this.lastDayBytes;
    for (let k = 0; k < length; k++) if (bytes[start + k] !== last[k]) return false;
    return true;
  }

  /**
   * A `d/m/yyyy` field read day first ("01/09/2026" is 1 September: settlements outside North America), time part
   * after a 'T' or a space ignored; NaN for anything else. On the bytes, no string or regex per row.
   */
  dayFirstSlash(i: number): number {
    if (!this.has(i)) return Number.NaN;
    const bytes = this.bytes;
    let start = this.start(i);
    let end = this.end(i);
    while (start < end && bytes[start] === 32) start++;
    while (end > start && bytes[end - 1] === 32) end--;
    let p = start;
    let day = 0;
    while (p < end && p - start < 3 && bytes[p]! >= 48 && bytes[p]! <= 57) day = day * 10 + bytes[p++]! - 48;
    if (p === start || p - start > 2 || bytes[p] !== 47 || p >= end) return Number.NaN;
    const monthStart = ++p;
    let month = 0;
    while (p < end && p - monthStart < 3 && bytes[p]! >= 48 && bytes[p]! <= 57) month = month * 10 + bytes[p++]! - 48;
    if (p === monthStart || p - monthStart > 2 || bytes[p] !== 47 || p >= end) return Number.NaN;
    const yearStart = ++p;
    let year = 0;
    while (p < end && p - yearStart < 5 && bytes[p]! >= 48 && bytes[p]! <= 57) year = year * 10 + bytes[p++]! - 48;
    if (p - yearStart !== 4) return Number.NaN;
    if (p < end && bytes[p] !== 84 && bytes[p] !== 32) return Number.NaN;
    return validCivil(year, month, day) ? daysFromCivil(year, month, day) : Number.NaN;
  }

  /** Decimal amount field in minor units for a currency with `decimals` places ("8.50", "8,50", "1.234,50"); NaN if invalid. */
  minor(i: number, decimals: number): number {
    if (!this.has(i)) return Number.NaN;
    return parseMinorBytes(this.bytes, this.start(i), this.end(i), decimals);
  }

  /**
   * 53-bit hash of the whole line (without its terminator): the key that dedupes overlapping files. Four bytes a
   * step (little-endian words read at the line's own offsets, so a line hashes alike wherever it lies in a buffer):
   * byte by byte, the multiply chain made it ~10 % of reading a small report.
   */
  lineHash(): number {
    const bytes = this.bytes;
    const end = this.lineEnd;
    let p = this.lineStart;
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ 0x5bd1e995;
    for (; p + 4 <= end; p += 4) {
      const word = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);
      h1 = Math.imul(h1 ^ word, 0x01000193);
      h2 = Math.imul(h2 ^ word, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    // The last one to three bytes, and the length (lines "ab" and "ab\0\0" must differ).
    let tail = end - this.lineStart;
    for (let shift = 0; p < end; p++, shift += 8) tail ^= bytes[p]! << (shift + 8);
    h1 = Math.imul(h1 ^ tail, 0x01000193);
    h2 = Math.imul(h2 ^ tail, 0x5bd1e995);
    h2 ^= h2 >>> 15;
    return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
  }
}

/** An ASCII constant as bytes, for `TsvRow.equalsBytes`. */
export function asciiBytes(ascii: string): Uint8Array {
  const bytes = new Uint8Array(ascii.length);
  for (let k = 0; k < ascii.length; k++) bytes[k] = ascii.charCodeAt(k) & 0x7f;
  return bytes;
}

/**
 * Encoding of a file from its first chunk: Windows-1252 when it holds bytes that are not valid UTF-8
 * (Seller Central downloads saved by Excel on Windows), UTF-8 otherwise (with or without BOM).
 */
export function sniffEncoding(firstChunk: Uint8Array): TextEncodingName {
  let ascii = true;
  for (let i = 0; i < firstChunk.length; i++) {
    if (firstChunk[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return 'utf-8';
  try {
    // `stream: true`: a multi-byte character cut by the chunk boundary is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(firstChunk, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** Two FNV-1a 32-bit lanes combined into a 53-bit integer: safe as a Set<number> key, collisions negligible. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let p = start; p < end; p++) {
    const b = bytes[p]!;
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = Math.imul(h2 ^ b, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

/** 53-bit hash of a string's UTF-16 code units (as `hashBytes` hashes ASCII bytes). */
export function hashString(text: string): number {
  return hashStringTwice(text, -1)[0];
}

/**
 * `hashString(text)` and `hashString(text + String.fromCharCode(suffix))` in one pass over `text` (claim ids are
 * both hashes of one canonical text).
 */
export function hashStringTwice(text: string, suffix: number): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let p = 0; p < text.length; p++) {
    const b = text.charCodeAt(p);
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = Math.imul(h2 ^ b, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  const plain = (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
  if (suffix < 0) return [plain, plain];
  h1 = Math.imul(h1 ^ suffix, 0x01000193);
  h2 = Math.imul(h2 ^ suffix, 0x5bd1e995);
  h2 ^= h2 >>> 15;
  return [plain, (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff)];
}

export function parseIntBytes(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && bytes[start] === 32) start++;
  while (end > start && bytes[end - 1] === 32) end--;
  if (start >= end) return Number.NaN;
  let negative = false;
  const first = bytes[start]!;
  if (first === 45 || first === 43) {
    negative = first === 45;
    start++;
    if (start >= end) return Number.NaN;
  }
  let value = 0;
  for (let p = start; p < end; p++) {
    const d = bytes[p]! - 48;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  if (value > Number.MAX_SAFE_INTEGER) return Number.NaN;
  return negative ? -value : value;
}

/** 10^decimals for the decimals currencies have: no `**` per amount. */
const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000];

/**
 * Amount parser on bytes. The last separator ('.' or ',') followed by at most `decimals` digits is the
 * decimal point; any other separator must group thousands in threes. So "8.50", "8,50" (EU), "1,234.50",
 * "1.234,50" and "1234" all read as expected, and "8.505" (too many decimals) is rejected.
 */
export function parseMinorBytes(bytes: Uint8Array, start: number, end: number, decimals: number): number {
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
  // The common shape first, in one pass: digits, then nothing or one separator and exactly `decimals` digits
  // ("61,19", "1234.50"). Anything else (thousands groups, fewer decimals) takes the general path below.
  let digitsEnd = start;
  let whole = 0;
  for (; digitsEnd < end; digitsEnd++) {
    const d = bytes[digitsEnd]! - 48;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
  }
  if (digitsEnd > start && (digitsEnd === end || (end - digitsEnd - 1 === decimals && decimals > 0 && (bytes[digitsEnd] === 46 || bytes[digitsEnd] === 44)))) {
    let fraction = 0;
    let p = digitsEnd + 1;
    for (; p < end; p++) {
      const d = bytes[p]! - 48;
      if (d < 0 || d > 9) break;
      fraction = fraction * 10 + d;
    }
    if (p >= end) {
      const value = whole * (POWERS_OF_TEN[decimals] ?? 10 ** decimals) + fraction;
      if (!Number.isSafeInteger(value)) return Number.NaN;
      return negative ? -value : value;
    }
  }
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
  whole = 0;
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

/** Days since 1970-01-01 of a civil date (proleptic Gregorian), without allocating a Date. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validCivil(year: number, month: number, day: number): boolean {
  if (year < 1970 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  if (day > DAYS_IN_MONTH[month - 1]!) return false;
  if (month === 2 && day === 29) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return true;
}

/**
 * Reads the date at the start of a field: `YYYY-MM-DD…` (ISO, with any time part), `MM/DD/YYYY` (Amazon US;
 * read as DD/MM when the first number cannot be a month) and the EU `DD.MM.YYYY`. NaN when unparsable.
 */
export function parseDayBytes(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && (bytes[start] === 32 || bytes[start] === 34)) start++;
  // Three numbers and their digit counts in locals: this runs once per ledger row.
  let n0 = 0;
  let n1 = 0;
  let n2 = 0;
  let l0 = 0;
  let l1 = 0;
  let l2 = 0;
  let part = 0;
  let sep = 0;
  let p = start;
  for (; p < end; p++) {
    const b = bytes[p]!;
    const d = b - 48;
    if (d >= 0 && d <= 9) {
      if (part === 0) {
        n0 = n0 * 10 + d;
        l0++;
      } else if (part === 1) {
        n1 = n1 * 10 + d;
        l1++;
      } else {
        n2 = n2 * 10 + d;
        l2++;
      }
    } else if ((b === 45 || b === 47 || b === 46) && part < 2 && (part === 0 ? l0 : l1) > 0) {
      if (sep === 0) sep = b;
      else if (sep !== b) return Number.NaN;
      part++;
    } else break;
  }
  if (part !== 2 || l2 === 0 || l0 > 4 || l1 > 2 || l2 > 4) return Number.NaN;
  // The date must be followed by nothing, a time part ('T' or ' ') or a timezone.
  if (p < end) {
    const next = bytes[p]!;
    if (next !== 84 && next !== 32 && next !== 116) return Number.NaN;
  }
  let year: number;
  let month: number;
  let day: number;
  if (sep === 45 && l0 === 4) {
    year = n0;
    month = n1;
    day = n2;
  } else if (sep === 46 && l2 === 4) {
    day = n0;
    month = n1;
    year = n2;
  } else if (sep === 47 && l2 === 4) {
    month = n0;
    day = n1;
    year = n2;
    if (month > 12 && day <= 12) {
      month = n1;
      day = n0;
    }
  } else return Number.NaN;
  if (!validCivil(year, month, day)) return Number.NaN;
  return daysFromCivil(year, month, day);
}

export function parseDayString(text: string): number {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return parseDayBytes(bytes, 0, bytes.length);
}

/** Days since epoch → "YYYY-MM-DD". */
const isoDayCache = new Map<number, string>();
export function isoDay(days: number): string {
  // Reports hold few distinct days and evidence asks for them over and over.
  let text = isoDayCache.get(days);
  if (text === undefined) {
    text = new Date(days * 86_400_000).toISOString().slice(0, 10);
    if (isoDayCache.size < 100_000) isoDayCache.set(days, text);
  }
  return text;
}

export function dayOfDate(date: Date): number {
  return Math.floor(date.getTime() / 86_400_000);
}

export interface SplitOutcome {
  /** Line terminators seen plus a final unterminated line: the number of the last line. */
  lines: number;
  /** Non-empty lines handed to `onRow` or `onUnterminated` (after `fromLine`). */
  rows: number;
  bytes: number;
}

/**
 * The longest line a report may have. Amazon's widest report (the settlement report, ~30 columns) has lines of
 * a few hundred bytes; a megabyte is far beyond any real row and keeps a file of one endless line (a gzip of a
 * 50 MB line is 51 KB) from being buffered whole.
 */
export const MAX_LINE_BYTES = 1 << 20;

/** A line longer than `MAX_LINE_BYTES` (or the reader's own limit): the file is not a report. */
export class LineTooLongError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly limit: number,
  ) {
    super(`line ${lineNumber} is longer than ${limit} bytes (not a TSV report)`);
    this.name = 'LineTooLongError';
  }
}

export interface SplitOptions {
  /** Longest line accepted, in bytes (default `MAX_LINE_BYTES`); a longer one throws `LineTooLongError`. */
  maxLineBytes?: number;
  /** Called after every chunk with its size in bytes (progress). */
  onBytes?: (bytes: number) => void;
  /** Lines up to and including this one (the header) are counted but not handed out. */
  skipThroughLine?: number;
  /** Receives the last line instead of `onRow` when it has no terminator (a possibly truncated file). */
  onUnterminated?: (row: TsvRow) => void;
  /** Rows not handed to `onRow` at all (counted as rows): see `Dismissal`. */
  dismiss?: Dismissal;
}

/**
 * Rows a handler would only read a date of, finding one it has already read: not handed to it. A row is dismissed
 * when `field` is followed by a tab, is not empty and starts with a byte marked in `firstBytes`, and `dateField`
 * (also followed by a tab) holds byte for byte the date the row last parsed with `TsvRow.day`, and that date was
 * valid. For a handler that returns on such a first byte after reading `dateField` with `day` (and keeps nothing
 * else of the row), the results are the same; the ledger's shipments and transfers, most of its rows, then cost a
 * few byte compares instead of a call through the row.
 */
export interface Dismissal {
  readonly field: number;
  /** 256 entries: 1 for a first byte whose rows are dismissed. */
  readonly firstBytes: Uint8Array;
  readonly dateField: number;
}

/**
 * Streams `chunks` and calls `onRow` for every non-empty line (the header included, as line 1, unless
 * skipped). The lines and the tabs on them are found by the line indexer (`line-index.ts`, WebAssembly SIMD):
 * the row reads its field bounds from the index. Bytes go through the indexer's memory a slice at a time, so
 * memory stays at one slice plus one line whatever the file size. Returning `false` from `onRow` stops reading.
 */
export async function forEachTsvRow(
  chunks: AsyncIterable<Uint8Array>,
  row: TsvRow,
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a row handler returns nothing to go on, `false` to stop
  onRow: (row: TsvRow) => boolean | void,
  options: SplitOptions = {},
): Promise<SplitOutcome> {
  const { onBytes, onUnterminated } = options;
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const lines: IndexedLines = { lineNumber: 0, rows: 0, skipThrough: options.skipThroughLine ?? 0, maxLineBytes, dismiss: options.dismiss };
  const indexer = acquireLineIndexer();
  indexer.begin(row.capacity);
  let totalBytes = 0;
  let stopped = false;
  // Whether the first three bytes (a possible byte order mark) were looked at.
  let started = false;
  try {
    reading: for await (const chunk of chunks) {
      totalBytes += chunk.length;
      onBytes?.(chunk.length);
      let pos = 0;
      while (pos < chunk.length) {
        const end = Math.min(chunk.length, pos + SLICE_BYTES);
        indexer.append(chunk, pos, end);
        pos = end;
        if (!started) {
          if (indexer.tailLength < 3) continue;
          started = true;
          indexer.skipByteOrderMark();
        }
        if (!handIndexedLines(indexer, row, onRow, lines, false)) {
          stopped = true;
          break reading;
        }
        if (indexer.tailLength > maxLineBytes) throw new LineTooLongError(lines.lineNumber + 1, maxLineBytes);
        indexer.keepTail();
      }
    }
    if (!started) {
      // A stream of fewer than three bytes.
      indexer.skipByteOrderMark();
      stopped = !handIndexedLines(indexer, row, onRow, lines, false);
    }
    if (!stopped && indexer.tailLength > 0) {
      // A last line without its terminator: indexed as if it had one, handed out as unterminated.
      indexer.append(LINE_END);
      handIndexedLines(indexer, row, onUnterminated ?? onRow, lines, true);
    }
  } finally {
    releaseLineIndexer(indexer);
  }
  return { lines: lines.lineNumber, rows: lines.rows, bytes: totalBytes };
}

/** Bytes of a chunk appended to the line indexer at once (a stream may hand out chunks of any size). */
const SLICE_BYTES = 256 << 10;
const LINE_END = new Uint8Array([LF]);

/** The running counts of `forEachTsvRow` and its limits. */
interface IndexedLines {
  lineNumber: number;
  rows: number;
  readonly skipThrough: number;
  readonly maxLineBytes: number;
  readonly dismiss: Dismissal | undefined;
}

/**
 * The hot loop: indexes the complete lines appended so far and hands `onRow` each non-empty one after the
 * skipped ones; false when `onRow` asked to stop. A plain function apart from the async one around it, so it is
 * optimised on entry instead of on-stack-replaced in the middle of a resumable function.
 */
function handIndexedLines(
  indexer: LineIndexer,
  row: TsvRow,
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- as in forEachTsvRow
  onRow: (row: TsvRow) => boolean | void,
  lines: IndexedLines,
  unterminated: boolean,
): boolean {
  let lineNumber = lines.lineNumber;
  let rows = lines.rows;
  const { skipThrough, maxLineBytes } = lines;
  const stride = indexer.stride;
  const maxTabs = indexer.maxTabs;
  // The last line of a file (`unterminated`) is always handed out: its handler checks its shape.
  const dismiss = unterminated ? undefined : lines.dismiss;
  let going = true;
  for (let n = LINES_PER_CALL; going && n === LINES_PER_CALL; ) {
    n = indexer.indexLines();
    const bytes = indexer.bytes;
    const words = indexer.words;
    for (let r = 0, record = 0; r < n; r++, record += stride) {
      lineNumber++;
      const start = words[record]!;
      const lf = words[record + 1]!;
      if (lf - start > maxLineBytes) throw new LineTooLongError(lineNumber, maxLineBytes);
      const end = lf > start && bytes[lf - 1] === CR ? lf - 1 : lf;
      if (end <= start || lineNumber <= skipThrough) continue;
      rows++;
      if (dismiss !== undefined && isDismissed(dismiss, row, bytes, words, record, maxTabs)) continue;
      row.resetIndexed(bytes, end, lineNumber, unterminated, words, record, maxTabs);
      if (onRow(row) === false) {
        going = false;
        break;
      }
    }
  }
  lines.lineNumber = lineNumber;
  lines.rows = rows;
  return going;
}

/** Whether the line of `record` is dismissed by `rule` (see `Dismissal`): read from its line record, no row made. */
function isDismissed(rule: Dismissal, row: TsvRow, bytes: Uint8Array, words: Int32Array, record: number, maxTabs: number): boolean {
  const tabs = words[record + 2]!;
  const recorded = tabs < maxTabs ? tabs : maxTabs;
  const { field, dateField } = rule;
  if (field >= recorded || dateField >= recorded) return false;
  // Field k runs from after tab k − 1 (the line's start for k = 0) to tab k; tab k is at words[record + 3 + k].
  const fieldStart = field === 0 ? words[record]! : words[record + 2 + field]! + 1;
  if (fieldStart >= words[record + 3 + field]! || rule.firstBytes[bytes[fieldStart]!] !== 1) return false;
  const dateStart = dateField === 0 ? words[record]! : words[record + 2 + dateField]! + 1;
  return row.repeatsLastDay(bytes, dateStart, words[record + 3 + dateField]!);
}

/**
 * A copy of `bytes[start, end)`. Not `slice`: a Node Buffer's `slice` is a view, and the view would change
 * under the caller when the stream refills its buffer.
 */
export function copyOf(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const copy = new Uint8Array(end - start);
  copy.set(bytes.subarray(start, end));
  return copy;
}

/**
 * Line hash → index of the first file it was read from, in flat typed arrays (open addressing, linear
 * probing). A Map of a million 53-bit number keys costs ~100 MB of boxed doubles; this costs 16 bytes a slot.
 */
export class LineOrigins {
  private high = new Uint32Array(1 << 16);
  private low = new Uint32Array(1 << 16);
  /** fileIndex + 1; 0 marks an empty slot. */
  private files = new Uint16Array(1 << 16);
  private size = 0;

  /** The file the line was first seen in, recording `fileIndex` when it is new. */
  firstFile(hash: number, fileIndex: number): number {
    if ((this.size + 1) * 2 > this.files.length) this.grow();
    const high = Math.floor(hash / 0x200000) >>> 0;
    const low = hash % 0x200000;
    const mask = this.files.length - 1;
    let slot = (Math.imul(high ^ low, 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const stored = this.files[slot]!;
      if (stored === 0) {
        this.high[slot] = high;
        this.low[slot] = low;
        this.files[slot] = fileIndex + 1;
        this.size++;
        return fileIndex;
      }
      if (this.high[slot] === high && this.low[slot] === low) return stored - 1;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const { high, low, files } = this;
    this.high = new Uint32Array(files.length * 2);
    this.low = new Uint32Array(files.length * 2);
    this.files = new Uint16Array(files.length * 2);
    this.size = 0;
    for (let i = 0; i < files.length; i++) {
      if (files[i] !== 0) this.firstFile(high[i]! * 0x200000 + low[i]!, files[i]! - 1);
    }
  }
}
