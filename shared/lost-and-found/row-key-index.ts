import type { TsvRow } from './tsv.ts';

/**
 * The entries of a string-keyed map, looked up by the bytes of a row's fields without decoding them into a string.
 * The audit's hot lookups (a settlement's SKU against the fee preview, a ledger receipt against the open shipment
 * lines, a ledger return against the customer returns) each made a string per row only to hash it once in a Map:
 * the decode and the Map's hash of a fresh string were the hottest lines of the settlement and ledger handlers.
 * Here a row's ASCII field bytes are hashed in place and compared with the stored key's characters, so a lookup
 * allocates nothing and answers exactly what `map.get(row.text(i))` / `map.get(row.joinedText(i, j))` answers
 * (a non-ASCII field is decoded and looked up as that string).
 *
 * A snapshot: built from a map once the map is complete (the audit reads a report's dependencies before it), it
 * does not follow later changes to the map's keys (changes to the values are seen: it holds the same objects).
 */
export class RowKeyIndex<T> {
  private hashes: Int32Array;
  private keys: Array<string | undefined>;
  private values: Array<T | undefined>;
  private count = 0;
  /** The stored key of the last successful lookup (the map's own string: no copy). */
  lastKey = '';

  /** `entries`: a map (read with `forEach`: no array per entry, which copying 40,000 entries made ~12 MB of garbage), or pairs. */
  constructor(entries: ReadonlyMap<string, T> | ReadonlyArray<readonly [string, T]> = []) {
    let capacity = 1 << 8;
    const size = entries instanceof Map ? entries.size : (entries as ReadonlyArray<readonly [string, T]>).length;
    while (capacity < size * 2 + 2) capacity *= 2;
    this.hashes = new Int32Array(capacity);
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.values = new Array<T | undefined>(capacity).fill(undefined);
    if (entries instanceof Map) (entries as ReadonlyMap<string, T>).forEach((value, key) => this.set(key, value));
    else for (const [key, value] of entries as ReadonlyArray<readonly [string, T]>) this.set(key, value);
  }

  get size(): number {
    return this.count;
  }

  set(key: string, value: T): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const hash = hashText(key);
    const mask = this.keys.length - 1;
    let slot = hash & mask;
    for (;;) {
      const stored = this.keys[slot];
      if (stored === undefined) {
        this.keys[slot] = key;
        this.hashes[slot] = hash;
        this.values[slot] = value;
        this.count++;
        return;
      }
      if (this.hashes[slot] === hash && stored === key) {
        this.values[slot] = value;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  get(key: string): T | undefined {
    const hash = hashText(key);
    const mask = this.keys.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = this.keys[slot];
      if (stored === undefined) return undefined;
      if (this.hashes[slot] === hash && stored === key) {
        this.lastKey = stored;
        return this.values[slot];
      }
    }
  }

  /** `get(row.text(i))`, or `get(row.joinedText(i, j))` when `j` is given (the two fields joined by '|'). */
  getByFields(row: TsvRow, i: number, j = -1): T | undefined {
    if (!row.has(j < 0 ? i : Math.max(i, j))) return this.get(j < 0 ? row.text(i) : row.joinedText(i, j));
    const bytes = row.bytes;
    let si = row.start(i);
    let ei = row.end(i);
    while (si < ei && bytes[si] === 32) si++;
    while (ei > si && bytes[ei - 1] === 32) ei--;
    let sj = 0;
    let ej = 0;
    if (j >= 0) {
      sj = row.start(j);
      ej = row.end(j);
      while (sj < ej && bytes[sj] === 32) sj++;
      while (ej > sj && bytes[ej - 1] === 32) ej--;
    }
    // FNV-1a over the characters, as `hashText` hashes the stored keys (ASCII bytes are their characters).
    let hash = 0x811c9dc5 | 0; // as an int32, as the Int32Array stores it (an empty key is hashed to this)
    for (let p = si; p < ei; p++) {
      const b = bytes[p]!;
      if (b >= 0x80) return this.get(j < 0 ? row.text(i) : row.joinedText(i, j));
      hash = Math.imul(hash ^ b, 0x01000193);
    }
    if (j >= 0) {
      hash = Math.imul(hash ^ 124, 0x01000193); // '|'
      for (let p = sj; p < ej; p++) {
        const b = bytes[p]!;
        if (b >= 0x80) return this.get(row.joinedText(i, j));
        hash = Math.imul(hash ^ b, 0x01000193);
      }
    }
    const length = j >= 0 ? ei - si + 1 + ej - sj : ei - si;
    const mask = this.keys.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = this.keys[slot];
      if (stored === undefined) return undefined;
      if (this.hashes[slot] === hash && stored.length === length && sameText(stored, bytes, si, ei, sj, ej, j >= 0)) {
        this.lastKey = stored;
        return this.values[slot];
      }
    }
  }

  /** Doubles the table, moving each key to its slot by its stored hash (no key is hashed again). */
  private grow(): void {
    const { keys, values, hashes } = this;
    this.hashes = new Int32Array(keys.length * 2);
    this.keys = new Array<string | undefined>(keys.length * 2).fill(undefined);
    this.values = new Array<T | undefined>(keys.length * 2).fill(undefined);
    const mask = this.keys.length - 1;
    for (let from = 0; from < keys.length; from++) {
      const key = keys[from];
      if (key === undefined) continue;
      let slot = hashes[from]! & mask;
      while (this.keys[slot] !== undefined) slot = (slot + 1) & mask;
      this.keys[slot] = key;
      this.hashes[slot] = hashes[from]!;
      this.values[slot] = values[from];
    }
  }
}

/** FNV-1a (32-bit) over a string's UTF-16 code units. */
function hashText(text: string): number {
  let hash = 0x811c9dc5 | 0; // as an int32, as the Int32Array stores it (an empty key is hashed to this)
  for (let k = 0; k < text.length; k++) hash = Math.imul(hash ^ text.charCodeAt(k), 0x01000193);
  return hash;
}

/** True when `text` is the ASCII bytes [si, ei), followed (when `two`) by '|' and the bytes [sj, ej). */
function sameText(text: string, bytes: Uint8Array, si: number, ei: number, sj: number, ej: number, two: boolean): boolean {
  let k = 0;
  for (let p = si; p < ei; p++, k++) if (text.charCodeAt(k) !== bytes[p]) return false;
  if (!two) return true;
  if (text.charCodeAt(k++) !== 124) return false;
  for (let p = sj; p < ej; p++, k++) if (text.charCodeAt(k) !== bytes[p]) return false;
  return true;
}
