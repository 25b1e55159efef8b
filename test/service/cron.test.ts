import { describe, expect, it } from 'vitest';
import { CronError, cronOccurrencesBetween, nextCronOccurrence, parseCron } from '../../local/cron.ts';

describe('EventBridge cron evaluator', () => {
  it('fires the quarterly survey cron at 06:00 Berlin time on the first day of each quarter, summer and winter time', () => {
    const all = cronOccurrencesBetween('cron(0 6 1 1,4,7,10 ? *)', new Date('2026-11-23T12:00:00Z'), new Date('2027-12-31T00:00:00Z'), 'Europe/Berlin');
    expect(all.map((d) => d.toISOString())).toEqual([
      '2027-01-01T05:00:00.000Z', // CET, UTC+1
      '2027-04-01T04:00:00.000Z', // CEST, UTC+2
      '2027-07-01T04:00:00.000Z',
      '2027-10-01T04:00:00.000Z',
    ]);
  });

  it('is strictly after the given instant', () => {
    const at = new Date('2027-01-01T05:00:00.000Z');
    expect(nextCronOccurrence('cron(0 6 1 1,4,7,10 ? *)', at, 'Europe/Berlin')?.toISOString()).toBe('2027-04-01T04:00:00.000Z');
  });

  it('supports ranges, steps, names, day-of-week (1 = SUN) and L', () => {
    const weekdays = cronOccurrencesBetween('cron(30 9 ? * MON-FRI *)', new Date('2027-03-05T00:00:00Z'), new Date('2027-03-10T00:00:00Z'));
    expect(weekdays.map((d) => d.toISOString().slice(0, 10))).toEqual(['2027-03-05', '2027-03-08', '2027-03-09']);
    expect(nextCronOccurrence('cron(0/15 * * * ? *)', new Date('2027-03-05T10:07:00Z'))?.toISOString()).toBe('2027-03-05T10:15:00.000Z');
    expect(nextCronOccurrence('cron(0 0 L FEB ? 2028)', new Date('2027-01-01T00:00:00Z'))?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(nextCronOccurrence('cron(0 12 ? * 1 *)', new Date('2027-03-05T00:00:00Z'))?.toISOString()).toBe('2027-03-07T12:00:00.000Z');
  });

  it('skips a local time that a DST change removes', () => {
    // 02:30 does not exist in Berlin on 2027-03-28.
    const next = nextCronOccurrence('cron(30 2 * * ? *)', new Date('2027-03-27T12:00:00Z'), 'Europe/Berlin');
    expect(next?.toISOString()).toBe('2027-03-29T00:30:00.000Z');
  });

  it('refuses malformed expressions with a reason', () => {
    expect(() => parseCron('cron(0 6 1 1 *)')).toThrow(CronError);
    expect(() => parseCron('cron(0 6 1 * * *)')).toThrow(/exactly one of day-of-month and day-of-week/);
    expect(() => parseCron('cron(0 25 1 * ? *)')).toThrow(/outside 0-23/);
    expect(() => parseCron('cron(0 6 ? * 2#1 *)')).toThrow(/not supported/);
    expect(() => nextCronOccurrence('cron(0 6 1 * ? *)', new Date(), 'Mars/Olympus')).toThrow(/time zone/);
  });
});
