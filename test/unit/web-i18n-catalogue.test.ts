/**
 * The web app's catalogue is complete (issue 19: every visible string in the user's language): every key has an
 * English and a German text with the same placeholders, and every key is used by the app (a key nobody uses is a
 * string that was meant to be shown and is not, or a leftover). Keys the app builds from an API code
 * (`rp.reason.${code}`, `word('ct.plan', code)`) count as used by their prefix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue, LANGUAGES } from '../../web/src/i18n.ts';

const WEB_SRC = join(import.meta.dirname, '..', '..', 'web', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The app's code, without the catalogue files themselves (a key defined there is not a key used). */
const code = sources(WEB_SRC)
  .filter((path) => !/[/\\]i18n[^/\\]*\.ts$/.test(path))
  .map((path) => readFileSync(path, 'utf8'))
  .join('\n');

/** Prefixes of keys made at run time: `` `rp.reason.${…}` `` and `word('ct.plan', …)` (account.ts). */
const dynamicPrefixes = [
  ...[...code.matchAll(/`([a-zA-Z0-9.]+\.)\$\{/g)].map((m) => m[1]!),
  ...[...code.matchAll(/\bword\('([a-zA-Z0-9.]+)'/g)].map((m) => `${m[1]!}.`),
];

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('the web app catalogue', () => {
  const en = catalogue('en');
  const keys = Object.keys(en);

  it('finds the keys the app makes at run time (so the unused check below reads the app right)', () => {
    expect(dynamicPrefixes).toEqual(expect.arrayContaining(['rp.reason.', 'ev.', 'ct.plan.']));
  });

  for (const language of LANGUAGES) {
    it(`has a text for every key in ${language}, with the placeholders of the English text`, () => {
      const texts = catalogue(language);
      expect(Object.keys(texts).sort()).toEqual([...keys].sort());
      for (const key of keys) {
        expect(texts[key as keyof typeof texts].trim(), `${language} ${key}`).not.toBe('');
        expect(placeholders(texts[key as keyof typeof texts]), `${language} ${key}`).toEqual(placeholders(en[key as keyof typeof en]));
      }
    });
  }

  it('has no key the app does not use', () => {
    const unused = keys.filter((key) => !code.includes(`'${key}'`) && !code.includes(`"${key}"`) && !dynamicPrefixes.some((prefix) => key.startsWith(prefix)));
    expect(unused).toEqual([]);
  });
});
