/** Scores an audit's claims against a generator answer key: recall, precision, and what was missed or wrong. */
import type { ClaimJson, FoundClaim } from '#shared/lost-and-found/model.ts';
import type { AnswerKey, ExpectedClaim } from './lost-and-found-generator.ts';

export interface Score {
  expected: number;
  claims: number;
  /** Expected claims found with the same type, SKU and reference. */
  matched: number;
  /** Matched claims whose quantity differs from the answer key. */
  quantityMismatches: Array<{ expected: ExpectedClaim; quantity: number }>;
  missed: ExpectedClaim[];
  falseClaims: Array<Pick<FoundClaim, 'type' | 'msku' | 'ref' | 'quantity'>>;
  recall: number;
  precision: number;
}

const keyOf = (c: { type: string; msku: string; ref: string }): string => `${c.type}|${c.msku}|${c.ref}`;

/** What scoring reads of a claim (a caller streaming claims keeps only this). */
export type ScoredClaim = Pick<FoundClaim | ClaimJson, 'type' | 'msku' | 'ref' | 'quantity'>;

export function scoreClaims(claims: readonly ScoredClaim[], answerKey: AnswerKey): Score {
  const wanted = new Map(answerKey.expected.map((e) => [keyOf(e), e]));
  const seen = new Set<string>();
  const quantityMismatches: Score['quantityMismatches'] = [];
  const falseClaims: Score['falseClaims'] = [];
  let matched = 0;
  for (const claim of claims) {
    const key = keyOf(claim);
    const expected = wanted.get(key);
    if (expected === undefined || seen.has(key)) {
      falseClaims.push({ type: claim.type, msku: claim.msku, ref: claim.ref, quantity: claim.quantity });
      continue;
    }
    seen.add(key);
    // A claim for the wrong number of units is not a correct claim.
    if (claim.quantity !== expected.quantity) {
      quantityMismatches.push({ expected, quantity: claim.quantity });
      falseClaims.push({ type: claim.type, msku: claim.msku, ref: claim.ref, quantity: claim.quantity });
      continue;
    }
    matched++;
  }
  const missed = answerKey.expected.filter((e) => !seen.has(keyOf(e)) || quantityMismatches.some((m) => m.expected === e));
  return {
    expected: answerKey.expected.length,
    claims: claims.length,
    matched,
    quantityMismatches,
    missed,
    falseClaims,
    recall: answerKey.expected.length === 0 ? 1 : matched / answerKey.expected.length,
    precision: claims.length === 0 ? 1 : matched / claims.length,
  };
}
