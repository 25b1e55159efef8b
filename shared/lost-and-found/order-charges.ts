import type { TsvRow } from './tsv.ts';

/**
 * What customers were charged per order line (settlement Order, Principal), for `refund_above_charge`. A seller's
 * settlements hold every order of the year, so this is the audit's largest table: it keeps a 53-bit hash of the
 * order id and SKU bytes and the charged amount side by side in one flat typed array (16 bytes a slot, at most half
 * full: a settlement's order rows all probe it, and key and amount in one cache line cost one memory access a row,
 * not two), not a Map of strings and objects (~200 bytes an order, which made peak memory grow with the seller's size).
 */
export class OrderCharges {
  /**
   * Per slot, at 2 × slot: the 53-bit key (0 marks an empty slot; a key of 0 is stored as 1), then the charged minor
   * units (an order line above 2^31 minor units is clamped: no refund exceeds it).
   */
  private slots: Float64Array;
  private count = 0;
  /** 32 − log2(slots): moves the hash's top bits to a slot number. */
  private shift: number;

  /**
   * `expectedLines`: about how many order lines will be added. Sized for them at once (at most half full), the
   * table is not rehashed seven times on its way from 4,096 to 512 K slots (a tenth of the settlements' time).
   */
  constructor(expectedLines = 0) {
    let bits = 12;
    while (bits < 24 && 1 << bits < expectedLines * 2) bits++;
    this.slots = new Float64Array(2 << bits);
    this.shift = 32 - bits;
  }

  get size(): number {
    return this.count;
  }

  /** Adds `amount` to the charge of the order line with this key. */
  add(key: number, amount: number): void {
    if ((this.count + 1) * 4 > this.slots.length) this.grow();
    const stored = key === 0 ? 1 : key;
    const at = this.slotOf(stored);
    if (this.slots[at] === 0) {
      this.slots[at] = stored;
      this.slots[at + 1] = clamp(amount);
      this.count++;
    } else this.slots[at + 1] = clamp(this.slots[at + 1]! + amount);
  }

  /** The charged amount, or undefined when the order line was not charged in the settlements read. */
  get(key: number): number | undefined {
    const at = this.slotOf(key === 0 ? 1 : key);
    return this.slots[at] === 0 ? undefined : this.slots[at + 1];
  }

  /** The index in `slots` of the key's slot, or of the empty slot where it goes. */
  private slotOf(key: number): number {
    const mask = (this.slots.length >> 1) - 1;
    // The product's high bits (Fibonacci hashing): its low bits are only a permutation of the key's low bits.
    let slot = (Math.imul((key / 0x200000) >>> 0 ^ key % 0x200000, 0x9e3779b1) >>> this.shift) & mask;
    while (this.slots[slot * 2] !== 0 && this.slots[slot * 2] !== key) slot = (slot + 1) & mask;
    return slot * 2;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.count = 0;
    this.shift--;
    for (let at = 0; at < old.length; at += 2) if (old[at] !== 0) this.add(old[at]!, old[at + 1]!);
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
    for (let p = row.starts[field]!, end = row.ends[field]!; p < end; p++) {
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
