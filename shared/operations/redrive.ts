/**
 * What may be replayed from a dead-letter queue (pure). Each queue declares its policy next to its name in the
 * wiring (`infra/wiring/*.ts`, `redrive`); `sellerops dlq redrive` applies it before any message moves.
 */
import type { DeadLetter } from './ports.ts';

export type ReplayPolicy =
  /** Its consumer is idempotent and the message stays true: replay whatever is there. */
  | { readonly replay: 'any'; readonly why: string }
  /** The message describes a moment (a market price, a due tick): replay only while it is younger than this. */
  | { readonly replay: 'younger-than'; readonly maxAgeMinutes: number; readonly why: string }
  /** Replaying could undo what happened since: never, the runbook says what to do instead. */
  | { readonly replay: 'never'; readonly why: string };

/** A message a `younger-than` queue may not replay, and why. */
export interface StaleLetter {
  readonly message: DeadLetter;
  /** Minutes since it was first sent to its source queue; null when the DLQ message does not say. */
  readonly ageMinutes: number | null;
}

export type RedrivePlan =
  | { readonly kind: 'refused'; readonly reason: string; readonly stale: readonly StaleLetter[] }
  | { readonly kind: 'empty' }
  /** Move `replay` back to the source queue, after deleting `discard` (only with `dropStale`). */
  | { readonly kind: 'move'; readonly replay: readonly DeadLetter[]; readonly discard: readonly StaleLetter[] };

export interface RedriveRequest {
  readonly queue: string;
  readonly policy: ReplayPolicy;
  /** Every message in the DLQ (`complete`), or the first ones read when there were more than could be read. */
  readonly messages: readonly DeadLetter[];
  readonly complete: boolean;
  readonly now: Date;
  /** Delete the messages too old to replay, then replay the rest. */
  readonly dropStale: boolean;
}

/**
 * When the message was first sent to its source queue (epoch ms): the consumer records it on the DLQ message as
 * `sourceSentTimestamp`, carried over when a replayed message fails again.
 */
export function firstSentAt(message: DeadLetter): Date | null {
  const value = Number(message.attributes.sourceSentTimestamp);
  return Number.isFinite(value) && value > 0 ? new Date(value) : null;
}

export function planRedrive(request: RedriveRequest): RedrivePlan {
  const { queue, policy, messages, now } = request;
  if (policy.replay === 'never') {
    return { kind: 'refused', reason: `${queue} is never replayed: ${policy.why}.`, stale: [] };
  }
  if (messages.length === 0) return { kind: 'empty' };
  if (policy.replay === 'any') return { kind: 'move', replay: messages, discard: [] };

  if (!request.complete) {
    return {
      kind: 'refused',
      reason: `${queue} replays only messages younger than ${policy.maxAgeMinutes} minutes, and its DLQ holds more messages than were read (${messages.length}): their ages cannot all be checked. Drain it with --drop-stale in several runs, or look at it with \`sellerops dlq show\`.`,
      stale: [],
    };
  }
  const stale: StaleLetter[] = [];
  const fresh: DeadLetter[] = [];
  for (const message of messages) {
    const sent = firstSentAt(message);
    const ageMinutes = sent === null ? null : Math.max(0, (now.getTime() - sent.getTime()) / 60_000);
    // A message that does not say when it was first sent is treated as too old: replaying it is the risk.
    if (ageMinutes === null || ageMinutes >= policy.maxAgeMinutes) stale.push({ message, ageMinutes });
    else fresh.push(message);
  }
  if (stale.length === 0) return { kind: 'move', replay: fresh, discard: [] };
  if (!request.dropStale) {
    const known = stale.flatMap((s) => (s.ageMinutes === null ? [] : [s.ageMinutes]));
    const oldest = known.length > 0 ? `, the oldest ${formatMinutes(Math.max(...known))}` : '';
    const unknown = stale.length - known.length;
    const without = unknown > 0 ? `; ${unknown} do not say when they were first sent and count as too old` : '';
    const then =
      fresh.length > 0
        ? `--drop-stale deletes those ${stale.length} and replays the other ${fresh.length}`
        : `--drop-stale deletes them (nothing would be left to replay)`;
    return {
      kind: 'refused',
      reason: `${queue} replays only messages younger than ${policy.maxAgeMinutes} minutes (${policy.why}): ${stale.length} of ${messages.length} are older${oldest}${without}. Nothing was moved. ${then}.`,
      stale,
    };
  }
  return { kind: 'move', replay: fresh, discard: stale };
}

export function formatMinutes(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 120) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} d`;
}
