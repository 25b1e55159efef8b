/**
 * Time comes from this port, never from `Date.now()` in domain code: the local stack jumps its clock forward
 * so a 14-day trial or a quarter can be tried in seconds, and tests pin it.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at `start` (or the real time) and moves only when told to. */
export class ManualClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Date = new Date(), private readonly follow: boolean = false) {}
  now(): Date {
    const elapsed = this.follow ? Date.now() - this.startedAt : 0;
    return new Date(this.base.getTime() + elapsed + this.offsetMs);
  }
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }
  private readonly startedAt = Date.now();
}
