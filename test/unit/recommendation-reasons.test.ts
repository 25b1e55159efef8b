import { afterAll, describe, expect, it } from 'vitest';
import { analyseProfile, recommendStrategy, type RawSellerData, type StrategyRecommendation } from '#shared/onboarding/profile.ts';
import { RECOMMENDATION_REASON_CODES, recommendationReasonText } from '#shared/onboarding/recommendation-reasons.ts';
import { LANGUAGES, setLanguage } from '../../web/src/i18n.ts';
import { recommendationReasons, WORDED_REASON_CODES } from '../../web/src/i18n-reasons.ts';

afterAll(() => {
  setLanguage('en');
});

const NOW = new Date('2026-06-01T00:00:00Z');
function seller(options: { ownShare: number; skus: number; monthsSelling: number; units: number }): RawSellerData {
  const own = Math.round(options.skus * options.ownShare);
  return {
    sellerId: 'A2SELLER',
    participations: [{ marketplace: 'DE', since: new Date(NOW.getTime() - options.monthsSelling * 31 * 86_400_000).toISOString() }],
    listings: Array.from({ length: options.skus }, (_, i) => ({ sku: `S-${i}`, marketplace: 'DE' as const, brand: i < own ? 'Lumora' : `Other ${i % 3}`, category: 'Home' })),
    ownBrands: ['Lumora'],
    unitsSold12Months: options.units,
  };
}

/** One recommendation of each kind, for a new and an experienced seller: every code comes up. */
const RECOMMENDATIONS: StrategyRecommendation[] = [
  { ownShare: 0, skus: 0, monthsSelling: 2, units: 0 },
  { ownShare: 0, skus: 0, monthsSelling: 30, units: 5000 },
  { ownShare: 0.9, skus: 20, monthsSelling: 3, units: 50 },
  { ownShare: 0.1, skus: 20, monthsSelling: 30, units: 5000 },
  { ownShare: 0.5, skus: 20, monthsSelling: 3, units: 50 },
].map((options) => recommendStrategy(analyseProfile(seller(options), NOW)));
const EXPLAINED = RECOMMENDATIONS.flatMap((r) => [r, ...r.segments]);

describe('the reasons of a strategy recommendation', () => {
  it('are codes with parameters, and the English sentences API clients read are rendered from them', () => {
    for (const r of EXPLAINED) expect(r.reasons).toEqual(r.reasonDetails.map(recommendationReasonText));
    const codes = new Set(EXPLAINED.flatMap((r) => r.reasonDetails.map((d) => d.code)));
    expect([...codes].sort()).toEqual([...RECOMMENDATION_REASON_CODES].sort());
    // The sentence API clients have always read stays word for word.
    expect(RECOMMENDATIONS[4]!.reasons[0]).toBe(
      'mixed catalogue: 50 % private label and 50 % merchandise, seller is new on Amazon (3 months, 50 units in 12 months; experienced means ≥ 12 months and ≥ 1000 units)',
    );
  });

  it('the web app words every code the server sends, in English and German (the 360 and the onboarding view share it)', () => {
    expect([...WORDED_REASON_CODES].sort()).toEqual([...RECOMMENDATION_REASON_CODES].sort());
    for (const language of LANGUAGES) {
      setLanguage(language);
      for (const r of EXPLAINED) {
        const worded = recommendationReasons(r);
        expect(worded).toHaveLength(r.reasons.length);
        for (const [i, text] of worded.entries()) {
          expect(text, `${language} ${r.reasonDetails[i]!.code}`).not.toBe(r.reasons[i]);
          expect(text).not.toMatch(/\{\w+\}|undefined|NaN/);
        }
      }
    }
    setLanguage('de');
    expect(recommendationReasons(RECOMMENDATIONS[4]!)[0]).toBe(
      'Ein gemischter Katalog: 50 % Eigenmarken und 50 % Fremdmarken; das Konto ist neu bei Amazon (3 Monate, 50 verkaufte Einheiten in 12 Monaten; erfahren heißt mindestens 12 Monate und 1.000 Einheiten).',
    );
  });

  it('falls back to the English sentence for a recommendation stored before the codes, or a code the app does not know', () => {
    setLanguage('de');
    expect(recommendationReasons({ reasons: ['old sentence'] })).toEqual(['old sentence']);
    expect(recommendationReasons({ reasons: ['new sentence'], reasonDetails: [{ code: 'from_the_future', params: {} }] })).toEqual(['new sentence']);
    expect(recommendationReasons({ reasons: ['short'], reasonDetails: [{ code: 'own_brand_skus', params: {} }] })).toEqual(['short']);
  });
});
