import type { TsvRow } from './tsv.ts';

/** Logged rows summed per call of `sumCharges`. */
const COLLECT_SLICE_ROWS = 1024;

/**
 * The high 32 bits of an order line's key: a whole FNV-1a hash of the line (see `orderLineKey`). × 2^-21 is exact
 * (a power of two); the low bits taken with `%` on a double, as before, cost a library call a key.
 */
function keyHigh(key: number): number {
  return (key * 4.76837158203125e-7) >>> 0;
}

/**
 * What customers were charged per order line (settlement Order, Principal), for `refund_above_charge`. A seller's
 * settlements hold every order of the year, but only the few refunded lines are ever asked about: so the charges are
 * logged as they are read (a 53-bit hash of the order id and SKU bytes and the amount, 16 bytes a row appended to one
 * flat typed array: a write in order, no table probed per row) and summed for the refunded lines once they are known
 * (`collect`, one pass in order over the log, into a table of those lines only).
 * A hash table of every order line, probed by each of a settlement's order rows, cost a cache miss a row in a
 * table of 8 MB (a seventh of the settlements' time), at 32 bytes a line or more; a Map of strings and objects
 * before it ~200 bytes an order, which made peak memory grow with the seller's size.
 */
export class OrderCharges {
  /** Per logged row, at 2 × row: the order line's key, then the charged minor units. */
  private log: Float64Array;
  private logged = 0;
  /** The collected lines: per slot, at 2 × slot, the key (0: empty; a key of 0 is stored as 1) and its sum (NaN: not charged). */
  private slots = new Float64Array(0);
  /** The collected lines' key tops (`collect`), a bit each. */
  private readonly maybe = new Uint32Array(2048);
  /** 32 − log2(slots), moves the hash's top bits to a slot number; −1 until `collect`, and again after an `add`. */
  private shift = -1;

  /** `expectedRows`: about how many charge rows will be logged (the log is sized for them at once). */
  constructor(expectedRows = 0) {
    this.log = new Float64Array(2 * Math.max(1024, Math.ceil(expectedRows)));
  }

  /** Charge rows logged. */
  get rows(): number {
    return this.logged;
  }

  /** Logs `amount` charged on the order line with this key. */
  add(key: number, amount: number): void {
    let at = this.logged * 2;
    if (at === this.log.length) {
      const grown = new Float64Array(this.log.length * 2);
      grown.set(this.log);
      this.log = grown;
    }
    this.log[at++] = key === 0 ? 1 : key;
    this.log[at] = amount;
    this.logged++;
    this.shift = -1;
  }

  /**
   * Sums the logged charges of these order lines (in the order they were logged; each sum clamped to ±2^31 − 1 minor
   * units, as a running total: no refund exceeds it); `get` answers for them until the next `add`.
   */
  collect(wanted: readonly number[]): void {
    let bits = 4;
    while (1 << bits < wanted.length * 2) bits++;
    this.slots = new Float64Array(2 << bits);
    this.shift = 32 - bits;
    // Most logged lines were not refunded: a bit per value of the keys' top 16 bits (8 KB, in the first-level cache)
    // turns most of them away without probing the table.
    this.maybe.fill(0);
    for (let k = 0; k < wanted.length; k++) {
      const key = wanted[k] === 0 ? 1 : wanted[k]!;
      const at = this.slotOf(key);
      if (this.slots[at] === 0) {
        this.slots[at] = key;
        this.slots[at + 1] = Number.NaN;
      }
      const top = keyHigh(key) >>> 16;
      this.maybe[top >>> 5]! |= 1 << (top & 31);
    }
    // In slices: a method called a few hundred times an audit stays optimised from one audit to the next, where one
    // loop over the whole log, run once an audit, was on-stack-replaced and deoptimised again in later audits
    // (3 – 72 ms an audit against 2.4 – 8.9 ms in slices, measured).
    for (let from = 0; from < this.logged; from += COLLECT_SLICE_ROWS) this.sumCharges(from, Math.min(this.logged, from + COLLECT_SLICE_ROWS));
  }

  /** Adds the logged rows [from, to) to their collected lines' sums. */
  private sumCharges(from: number, to: number): void {
    const { log, slots, maybe } = this;
    for (let at = from * 2, end = to * 2; at < end; at += 2) {
      const key = log[at]!;
      const top = keyHigh(key) >>> 16;
      if ((maybe[top >>> 5]! & (1 << (top & 31))) === 0) continue;
      const slot = this.slotOf(key);
      if (slots[slot] === 0) continue;
      const sum = slots[slot + 1]!;
      slots[slot + 1] = clamp(sum === sum ? sum + log[at + 1]! : log[at + 1]!);
    }
  }

  /** The charged amount of a collected order line, or undefined when it was not charged in the settlements read. */
  get(key: number): number | undefined {
    if (this.shift < 0) throw new Error('order charges asked before they were collected');
    const at = this.slotOf(key === 0 ? 1 : key);
    if (this.slots[at] === 0) throw new Error('order charges asked for a line that was not collected');
    const sum = this.slots[at + 1]!;
    return sum === sum ? sum : undefined;
  }

  /** The index in `slots` of the key's slot, or of the empty slot where it goes. */
  private slotOf(key: number): number {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    // The key's high bits spread by Fibonacci hashing (the product's high bits).
    let slot = (Math.imul(keyHigh(key), 0x9e3779b1) >>> this.shift) & mask;
    while (slots[slot * 2] !== 0 && slots[slot * 2] !== key) slot = (slot + 1) & mask;
    return slot * 2;
  }
}

function clamp(minor: number): number {
  return Math.max(-0x7fffffff, Math.min(0x7fffffff, Math.round(minor)));
}
/** 53-bit hash of the bytes of two fields (order id, SKU) of a row: the key of an order line, without a string. */
export function orderLineKey(row: TsvRow, i: number, j: number): number {
  const bytes = row.bytes;
  // Both fields in one loop over their bytes with a '|' after each (no array of the two per row: a settlement's
  // order rows all come through here).
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  let field = i;
  for (let round = 0; round < 2; round++) {
    for (let p = row.start(field), end = row.end(field); p < end; p++) {
      a = Math.imul(a ^ bytes[p]!, 0x01000193);
      b = Math.imul(b ^ bytes[p]!, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a = Math.imul(a ^ 0x7c, 0x01000193);
    b = Math.imul(b ^ 0x7c, 0x5bd1e995);
    field = j;
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}
