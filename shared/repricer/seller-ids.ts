/**
 * Seller ids interned to small integers, so the hot loop compares integers instead of 14-character strings
 * (20 offers × own/excluded/Amazon checks per decision made string comparison the largest cost).
 * The table only grows with distinct seller ids seen, which is bounded by the sellers on our listings.
 */
const numbers = new Map<string, number>();

export function internSellerId(sellerId: string): number {
  let n = numbers.get(sellerId);
  if (n === undefined) {
    n = numbers.size + 1;
    numbers.set(sellerId, n);
  }
  return n;
}
