/** One-time schedules (EventBridge Scheduler `at()` in a time zone): fire a function once with a payload. */
export interface OneTimeSchedule {
  /** Unique per purpose; creating the same name twice is a no-op (idempotent producers). */
  readonly name: string;
  readonly at: Date;
  /** The wall clock the schedule is expressed in (the customer's). */
  readonly timeZone: string;
  /** Wiring id of the function to invoke. */
  readonly target: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface OneTimeScheduler {
  scheduleOnce(schedule: OneTimeSchedule): Promise<'created' | 'exists'>;
}
