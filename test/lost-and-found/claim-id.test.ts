import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimId, type ClaimType } from '#shared/lost-and-found/model.ts';
import { hashString, hashStringTwice } from '#shared/lost-and-found/tsv.ts';

/** The claim id as it was first defined: ids are stored with claims, so a faster way to make them must agree. */
function referenceClaimId(type: ClaimType, evidenceKeys: readonly string[]): string {
  const canonical = `${type}|${[...new Set(evidenceKeys)].sort().join('|')}`;
  const a = hashString(canonical).toString(36).padStart(11, '0');
  const b = hashString(`${canonical}#`).toString(36).padStart(11, '0');
  return `clm_${a}${b}`;
}

/** The string hash as it was first written (one loop over the code units). */
function referenceHashString(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let p = 0; p < text.length; p++) {
    const b = text.charCodeAt(p);
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = Math.imul(h2 ^ b, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

describe('claim ids', () => {
  it('hashStringTwice hashes the text and the text with the suffix as two separate hashes would', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.integer({ min: 0, max: 0xffff }), (text, suffix) => {
        expect(hashString(text)).toBe(referenceHashString(text));
        expect(hashStringTwice(text, suffix)).toEqual([referenceHashString(text), referenceHashString(text + String.fromCharCode(suffix))]);
      }),
      { numRuns: 2000 },
    );
  });

  it('are the ids the first definition made, for one evidence key or several (duplicates, any order)', () => {
    const types: ClaimType[] = ['lost_warehouse', 'refund_not_returned', 'fee_overcharge', 'removal_lost'];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.array(fc.string({ unit: 'grapheme', maxLength: 60 }), { minLength: 1, maxLength: 5 }), (type, keys) => {
        expect(claimId(type, keys)).toBe(referenceClaimId(type, keys));
      }),
      { numRuns: 3000 },
    );
    // Hashes with every digit count and the largest ones (53 bits: 11 base-36 digits).
    for (const key of ['', 'refund:302-7411830-0000040|SKU-005025', 'x'.repeat(500)]) expect(claimId('lost_warehouse', [key])).toBe(referenceClaimId('lost_warehouse', [key]));
    expect(claimId('lost_warehouse', ['b', 'a', 'b'])).toBe(claimId('lost_warehouse', ['a', 'b']));
  });
});
