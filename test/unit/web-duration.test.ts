/**
 * Durations in the web app are worded in their best unit in the user's language (issue 19: a Push wait of 30 days
 * read *43.200 min*): `duration` in web/src/format.ts, and the repricer reasons that carry a wait.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { setLanguage } from '../../web/src/i18n.ts';
import { duration } from '../../web/src/format.ts';
import { reasonText } from '../../web/src/views/repricer-reasons.ts';

afterAll(() => {
  setLanguage('en');
});

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('duration, in English', () => {
  it('words whole days as days, not minutes', () => {
    setLanguage('en');
    expect(duration(30 * DAY)).toBe('30 days');
    expect(duration(DAY)).toBe('1 day');
  });
  it('gives the largest unit and the next smaller one when it is not zero', () => {
    setLanguage('en');
    expect(duration(2 * HOUR + 5 * MINUTE)).toBe('2 hours, 5 minutes');
    expect(duration(DAY + 3 * HOUR + 59 * MINUTE)).toBe('1 day, 4 hours');
    expect(duration(90)).toBe('1 minute, 30 seconds');
    expect(duration(45)).toBe('45 seconds');
  });
  it('rounds up into the larger unit rather than saying 60 of the smaller', () => {
    setLanguage('en');
    expect(duration(2 * HOUR - 1)).toBe('2 hours');
    expect(duration(0)).toBe('0 seconds');
  });
});

describe('duration, in German', () => {
  it('words the same durations in German', () => {
    setLanguage('de');
    expect(duration(30 * DAY)).toBe('30 Tage');
    expect(duration(DAY)).toBe('1 Tag');
    expect(duration(2 * HOUR + 5 * MINUTE)).toBe('2 Stunden, 5 Minuten');
    expect(duration(90)).toBe('1 Minute, 30 Sekunden');
  });
});

describe('repricer reasons with a wait', () => {
  const cooldown = { code: 'PushCooldown', params: [2 * 60 + 5, 30 * 24 * 60, 1299] as [number, number, number], dryRun: false };
  it('says a Push wait of 43,200 minutes as 30 days, in English and German', () => {
    setLanguage('en');
    const en = reasonText(cooldown, 'english fallback', 'EUR');
    expect(en).toContain('30 days');
    expect(en).toContain('2 hours, 5 minutes');
    expect(en).not.toMatch(/43[.,]?200|\bmin\b/);
    setLanguage('de');
    const de = reasonText(cooldown, 'english fallback', 'EUR');
    expect(de).toContain('30 Tage');
    expect(de).toContain('2 Stunden, 5 Minuten');
    expect(de).toContain('12,99');
    expect(de).not.toMatch(/43[.,]?200|\bmin\b/);
  });
  it('says how long ago a price was sent in the best unit', () => {
    setLanguage('en');
    expect(reasonText({ code: 'AwaitingPrice', params: [1299, 95, 0], dryRun: false }, 'english fallback', 'EUR')).toContain('sent 1 minute, 35 seconds ago');
  });
});
