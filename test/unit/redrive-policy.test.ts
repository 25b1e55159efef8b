import { describe, expect, it } from 'vitest';
import { queues } from '#infra/wiring.ts';
import { planRedrive, type DeadLetter, type ReplayPolicy } from '#shared/operations/index.ts';

const NOW = new Date('2026-11-30T12:00:00Z');

function letter(id: string, minutesOld: number | null): DeadLetter {
  return {
    messageId: id,
    body: '{}',
    sentAt: NOW,
    dlqReceiveCount: 0,
    attributes: { reason: 'boom', ...(minutesOld === null ? {} : { sourceSentTimestamp: String(NOW.getTime() - minutesOld * 60_000) }) },
  };
}

const young: ReplayPolicy = { replay: 'younger-than', maxAgeMinutes: 10, why: 'prices move' };
const plan = (policy: ReplayPolicy, messages: DeadLetter[], extra: { dropStale?: boolean; complete?: boolean } = {}) =>
  planRedrive({ queue: 'q', policy, messages, complete: extra.complete ?? true, now: NOW, dropStale: extra.dropStale ?? false });

describe('what a dead-letter queue may replay', () => {
  it('replays every message of an "any" queue, and nothing of a "never" queue', () => {
    expect(plan({ replay: 'any', why: 'idempotent' }, [letter('a', 600), letter('b', null)])).toEqual({ kind: 'move', replay: [letter('a', 600), letter('b', null)], discard: [] });
    const never = plan({ replay: 'never', why: 'it would overwrite newer rules' }, [letter('a', 1)]);
    expect(never).toMatchObject({ kind: 'refused', reason: 'q is never replayed: it would overwrite newer rules.' });
  });

  it('replays a "younger-than" queue whose messages are all young', () => {
    expect(plan(young, [letter('a', 2), letter('b', 9.9)])).toMatchObject({ kind: 'move', discard: [] });
  });

  it('refuses when any message is too old or does not say its age, and says what --drop-stale would do', () => {
    const refused = plan(young, [letter('a', 2), letter('b', 45), letter('c', null)]);
    expect(refused.kind).toBe('refused');
    if (refused.kind !== 'refused') return;
    expect(refused.reason).toBe(
      'q replays only messages younger than 10 minutes (prices move): 2 of 3 are older, the oldest 45 min; 1 do not say when they were first sent and count as too old. Nothing was moved. --drop-stale deletes those 2 and replays the other 1.',
    );
    expect(refused.stale.map((s) => s.message.messageId)).toEqual(['b', 'c']);
  });

  it('with --drop-stale deletes the old ones and replays the young ones', () => {
    const dropped = plan(young, [letter('a', 2), letter('b', 10)], { dropStale: true });
    expect(dropped).toMatchObject({ kind: 'move', replay: [letter('a', 2)], discard: [{ message: letter('b', 10), ageMinutes: 10 }] });
  });

  it('refuses a "younger-than" DLQ deeper than what could be read', () => {
    expect(plan(young, [letter('a', 1)], { complete: false })).toMatchObject({ kind: 'refused' });
    expect(plan(young, [])).toEqual({ kind: 'empty' });
  });

  it('is declared for every wired queue, with its reason; repricer jobs and notifications only while young', () => {
    for (const spec of Object.values(queues)) expect(spec.redrive.why.length).toBeGreaterThan(20);
    expect(queues.repricerJobs!.redrive).toMatchObject({ replay: 'younger-than', maxAgeMinutes: 10 });
    expect(queues.repricerNotifications!.redrive).toMatchObject({ replay: 'younger-than', maxAgeMinutes: 10 });
    expect(queues.repricerRuleImports!.redrive.replay).toBe('never');
    expect(queues.lostFoundAudits!.redrive.replay).toBe('any');
  });
});
