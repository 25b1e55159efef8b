import { afterAll, describe, expect, it } from 'vitest';
import { label, LANGUAGES, setLanguage, type CodeGroup } from '../../web/src/i18n.ts';
import { CLAIM_TYPES } from '#shared/lost-and-found/model.ts';
import { CLAIM_STATUSES } from '#shared/lost-and-found/lifecycle.ts';
import { TASK_KINDS } from '#shared/csm/tasks.ts';
import { PHASE_NAMES } from '#shared/repricer/types.ts';

afterAll(() => {
  setLanguage('en');
});

describe('the web app says every code the API sends in words', () => {
  const groups: [CodeGroup, readonly string[]][] = [
    ['claimType', CLAIM_TYPES],
    ['claimStatus', CLAIM_STATUSES],
    ['taskKind', TASK_KINDS],
    ['state', Object.values(PHASE_NAMES)],
  ];
  for (const language of LANGUAGES) {
    it(`has a label for every claim type, claim status, task kind and repricer state in ${language}`, () => {
      setLanguage(language);
      for (const [group, codes] of groups) {
        for (const code of codes) expect(label(group, code), `${language} ${group} ${code}`).not.toBe(code);
      }
    });
  }
});
