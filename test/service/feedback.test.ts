import { VersionConflictError } from '#shared/kernel/errors.ts';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#shared/kernel/clock.ts';
import { listRootCauses, matchRootCause, normaliseDifficulty, publicationLevel, recordDifficulty, rootCauseMessageSchema, similarity, type Difficulty, type FeedbackDeps, type ProductArea, type RootCause, type RootCauseMessage } from '#shared/service/feedback.ts';
import type { FeedbackStore } from '#shared/service/ports.ts';

const FIVE_WAYS_TO_SAY_REPRICING_IS_SLOW = [
  'The repricer is too slow to update prices after a competitor changes',
  'Price updates are slow when competitors change their price',
  'Repricing takes too long after competitor price changes!',
  'Slow price update after a competitor price change',
  'Prices update too slowly when a competitor changes price',
];

class MemoryFeedbackStore implements FeedbackStore {
  difficulties = new Map<string, Difficulty>();
  rootCauses = new Map<string, RootCause>();
  async getDifficulty(id: string) {
    return this.difficulties.get(id);
  }
  async putDifficulty(d: Difficulty) {
    this.difficulties.set(d.difficultyId, d);
  }
  async listRootCauses(area: ProductArea) {
    return [...this.rootCauses.values()].filter((rc) => rc.productArea === area);
  }
  async getRootCause(_area: ProductArea, id: string) {
    return this.rootCauses.get(id);
  }
  async saveRootCause(rc: RootCause) {
    const stored = this.rootCauses.get(rc.rootCauseId);
    if ((stored?.version ?? 0) !== rc.version - 1) throw new VersionConflictError(rc.rootCauseId);
    this.rootCauses.set(rc.rootCauseId, rc);
  }
}

function deps(failPublish = false) {
  const published: RootCauseMessage[] = [];
  const store = new MemoryFeedbackStore();
  let fail = failPublish;
  const d: FeedbackDeps = {
    store,
    publisher: {
      publish: async (m) => {
        if (fail) {
          fail = false;
          throw new Error('SNS down');
        }
        published.push(m);
      },
    },
    customers: { exists: async (id) => !id.startsWith('unknown') },
    clock: new ManualClock(new Date('2027-01-10T10:00:00Z')),
    isVersionConflict: (e) => e instanceof VersionConflictError,
  };
  return { d, store, published };
}

describe('normalising difficulties', () => {
  it('drops case, punctuation, accents and stop words, merges synonyms and plural forms', () => {
    expect(normaliseDifficulty('The PRICES are updated too slowly!!')).toEqual(normaliseDifficulty('price update slow'));
    expect(normaliseDifficulty('Café crashes')).toEqual(normaliseDifficulty('cafe bug'));
    expect(normaliseDifficulty('It takes ages until my claims are filed at Amazon')).toEqual(normaliseDifficulty('Slow claim filing with Amazon'));
  });

  it('puts five wordings of the same problem above the similarity threshold of the first', () => {
    const [first, ...others] = FIVE_WAYS_TO_SAY_REPRICING_IS_SLOW.map(normaliseDifficulty);
    for (const other of others) expect(similarity(first!, other)).toBeGreaterThanOrEqual(0.5);
  });

  it('keeps a different problem of the same area apart', () => {
    const slow = normaliseDifficulty(FIVE_WAYS_TO_SAY_REPRICING_IS_SLOW[0]!);
    const other = normaliseDifficulty('I cannot find where to set the minimum price for B2B offers');
    expect(similarity(slow, other)).toBeLessThan(0.5);
  });
});

describe('root causes', () => {
  it('groups five customers saying the same thing in different words into one root cause, published once', async () => {
    const { d, published } = deps();
    for (const [i, verbatim] of FIVE_WAYS_TO_SAY_REPRICING_IS_SLOW.entries()) {
      await recordDifficulty(d, { tenantId: `c${i}`, touchpoint: 'survey', touchpointRef: 'survey#2027-Q1', productArea: 'repricer', severity: 'medium', verbatim });
    }
    await recordDifficulty(d, { tenantId: 'c9', touchpoint: 'support-request', productArea: 'repricer', severity: 'low', verbatim: 'Where do I set the minimum price for B2B offers?' });
    const list = await listRootCauses(d.store, { minCustomers: 1, limit: 10 });
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ customers: 5, mentions: 5, maxSeverity: 'medium' });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ kind: 'root-cause.new', customers: 3, productArea: 'repricer', level: 1 });
  });

  it('treats a duplicate submission as a no-op and counts a customer once', async () => {
    const { d } = deps();
    const request = { tenantId: 'c1', touchpoint: 'survey' as const, touchpointRef: 'q', productArea: 'repricer' as const, severity: 'high' as const, verbatim: 'Repricing is slow' };
    const first = await recordDifficulty(d, request);
    const again = await recordDifficulty(d, request);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    await recordDifficulty(d, { ...request, touchpoint: 'support-request', verbatim: 'repricing slow again' });
    const [rc] = await listRootCauses(d.store, { minCustomers: 1, limit: 10 });
    // One customer, counted once with the highest severity they reported (high = 4): impact 10 × 4 + 2 mentions.
    expect(rc).toMatchObject({ customers: 1, mentions: 2, maxSeverity: 'high', impact: 42 });
  });

  it('refuses an unknown customer', async () => {
    const { d } = deps();
    await expect(recordDifficulty(d, { tenantId: 'unknown-1', touchpoint: 'other', productArea: 'other', severity: 'low', verbatim: 'xyz abc' })).rejects.toThrow(/not found/);
  });

  it('keeps a publication SNS refused pending and publishes it with the next mention', async () => {
    const { d, published } = deps(true);
    for (let i = 0; i < 3; i++) {
      const attempt = recordDifficulty(d, { tenantId: `c${i}`, touchpoint: 'survey', productArea: 'dashboard', severity: 'high', verbatim: 'dashboard charts load slowly' });
      if (i === 2) await expect(attempt).rejects.toThrow('SNS down');
      else await attempt;
    }
    expect(published).toHaveLength(0);
    await recordDifficulty(d, { tenantId: 'c2', touchpoint: 'survey', productArea: 'dashboard', severity: 'high', verbatim: 'dashboard charts load slowly' });
    expect(published).toHaveLength(1);
    const [rc] = await listRootCauses(d.store, { area: 'dashboard', minCustomers: 1, limit: 10 });
    expect(rc).toMatchObject({ customers: 3, mentions: 3, publishedLevel: 1 });
  });

  it('publishes growth at 6, 12, 25 … customers', () => {
    expect([1, 2, 3, 5, 6, 11, 12, 25].map(publicationLevel)).toEqual([0, 0, 1, 1, 2, 2, 3, 4]);
    expect(matchRootCause(['a'], [])).toBeUndefined();
  });
});

describe('the product-feedback message contract', () => {
  it('still parses a recorded version 1 payload', () => {
    const recorded = {
      version: 1,
      kind: 'root-cause.new',
      rootCauseId: 'rc-rjnvtbdf7p8y',
      productArea: 'lost-and-found',
      title: 'Claims take far too long to be filed with Amazon',
      level: 1,
      customers: 3,
      mentions: 3,
      maxSeverity: 'medium',
      impact: 63,
      samples: ['Claims take far too long to be filed with Amazon', 'Slow claim filing with Amazon'],
      firstSeenAt: '2027-03-03T12:25:03.000Z',
      publishedAt: '2027-03-03T12:25:04.000Z',
    };
    expect(rootCauseMessageSchema.parse(recorded)).toEqual(recorded);
  });
});
