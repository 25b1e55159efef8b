import { describe, expect, it } from 'vitest';
import { functions } from '#infra/wiring.ts';
import { ManualClock } from '#shared/kernel/clock.ts';
import { SURVEY_SCHEDULE } from '#shared/service/surveys.ts';
import { startLocalScheduler } from '../../local/scheduler.ts';
import type { AnyHandler } from '../../local/lambda-runtime.ts';

describe('local EventBridge Scheduler with cron schedules', () => {
  it('fires the quarterly cron once per occurrence that falls due when the clock jumps, in its time zone, and rate schedules once', async () => {
    const clock = new ManualClock(new Date('2026-11-23T12:00:00Z'));
    const seen: { fn: string; event: { schedule: string; scheduledTime: string } }[] = [];
    const handlers: Record<string, AnyHandler> = {};
    for (const name of Object.keys(functions)) {
      handlers[name] = async (event: { schedule: string; scheduledTime: string }) => {
        seen.push({ fn: name, event });
        return {};
      };
    }
    const scheduler = startLocalScheduler({ handlers, clock, tickMs: 3_600_000 });
    try {
      clock.advance(400 * 86_400_000);
      await scheduler.runDue();
      const surveys = seen.filter((s) => s.event.schedule === SURVEY_SCHEDULE.name).map((s) => s.event.scheduledTime);
      expect(surveys).toEqual(['2027-01-01T05:00:00.000Z', '2027-04-01T04:00:00.000Z', '2027-07-01T04:00:00.000Z', '2027-10-01T04:00:00.000Z']);
      expect(seen.filter((s) => s.event.schedule === 'outbox-relay')).toHaveLength(1);
      // Nothing more is due until the next quarter.
      seen.length = 0;
      clock.advance(86_400_000);
      await scheduler.runDue();
      expect(seen.filter((s) => s.event.schedule === SURVEY_SCHEDULE.name)).toEqual([]);
    } finally {
      scheduler.stop();
    }
  });
});
