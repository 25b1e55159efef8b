/**
 * EventBridge Scheduler, locally: fires each wired schedule on the stack's clock with the same input the
 * CDK schedule sends. When the clock jumps forward every schedule that fell due fires; a rate schedule that
 * missed several periods fires once (as a late run would), not once per missed period; a cron schedule
 * (evaluated in its time zone by local/cron.ts) fires once for each occurrence that fell due.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { functions, type FunctionId, type FunctionSpec } from '#infra/wiring.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { nextCronOccurrence, parseCron, type CronSpec } from './cron.ts';
import type { OneTimeSchedule, OneTimeScheduler } from '#shared/kernel/scheduler.ts';
import { invoke, type AnyHandler } from './lambda-runtime.ts';
import { oneTimeScheduleInput } from '#shared/adapters/scheduler/eventbridge-one-time-scheduler.ts';
import { currentCorrelationId } from '#shared/adapters/observability.ts';

export interface FiredSchedule {
  readonly schedule: string;
  readonly functionId: FunctionId;
  readonly scheduledTime: string;
  readonly result: unknown;
}

export interface LocalScheduler extends OneTimeScheduler {
  /** One-time schedules not fired yet. */
  pendingOneTime(): { name: string; target: string; at: string }[];
  /** Fires everything due at the clock's current time, in due order. */
  runDue(): Promise<FiredSchedule[]>;
  readonly log: FiredSchedule[];
  stop(): void;
}

interface Entry {
  readonly schedule: string;
  readonly functionId: FunctionId;
  /** Rate schedules: the period. Cron schedules: absent (the next occurrence comes from the expression). */
  readonly rateMs?: number;
  readonly cron?: { readonly spec: CronSpec; readonly timeZone: string };
  nextDue: number;
  /** Per-marketplace schedules pass their marketplace in the input. */
  readonly marketplace?: string;
}

export function startLocalScheduler(options: {
  handlers: Record<FunctionId, AnyHandler>;
  clock: Clock;
  tickMs?: number;
  onFire?: (fired: FiredSchedule) => void;
  /**
   * Keep the pending one-time schedules and each schedule's next due time in this file (written on every
   * change), so a restart neither forgets an end-of-trial call nor re-runs or skips a recurring schedule.
   */
  statePath?: string;
}): LocalScheduler {
  const start = options.clock.now().getTime();
  const entries: Entry[] = [];
  for (const [functionId, spec] of Object.entries<FunctionSpec>(functions)) {
    for (const trigger of spec.triggers) {
      if (trigger.kind === 'schedulePerMarketplace') {
        const rateMs = trigger.rateMinutes * 60_000;
        for (const marketplace of trigger.marketplaces) {
          entries.push({ schedule: `${trigger.schedule}-${marketplace.toLowerCase()}`, functionId, rateMs, nextDue: start + rateMs, marketplace });
        }
        continue;
      }
      if (trigger.kind !== 'schedule') continue;
      if ('cron' in trigger) {
        const cron = { spec: parseCron(trigger.cron), timeZone: trigger.timeZone };
        const first = nextCronOccurrence(cron.spec, new Date(start), cron.timeZone);
        entries.push({ schedule: trigger.schedule, functionId, cron, nextDue: first ? first.getTime() : Number.POSITIVE_INFINITY });
        continue;
      }
      const rateMs = trigger.rateMinutes * 60_000;
      entries.push({ schedule: trigger.schedule, functionId, rateMs, nextDue: start + rateMs });
    }
  }
  const log: FiredSchedule[] = [];
  /** `correlationId`: of the work that created the schedule, kept with it as EventBridge keeps it in the input. */
  const oneTime = new Map<string, OneTimeSchedule & { fired: boolean; correlationId?: string }>();
  let running: Promise<FiredSchedule[]> | undefined;

  const { statePath } = options;
  const save = (): void => {
    if (!statePath) return;
    const state: SchedulerState = {
      nextDue: Object.fromEntries(entries.map((e) => [e.schedule, e.nextDue])),
      // Fired ones too (flagged): creating one again by name stays a no-op after a restart.
      oneTime: [...oneTime.values()].map((o) => ({ ...o, at: o.at.toISOString() })),
    };
    writeFileSync(`${statePath}.tmp`, JSON.stringify(state));
    renameSync(`${statePath}.tmp`, statePath);
  };
  if (statePath && existsSync(statePath)) {
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as SchedulerState;
    for (const entry of entries) {
      const due = state.nextDue[entry.schedule];
      if (typeof due === 'number') entry.nextDue = due;
    }
    for (const o of state.oneTime) oneTime.set(o.name, { ...o, at: new Date(o.at) });
  }

  async function fireDue(): Promise<FiredSchedule[]> {
    const fired: FiredSchedule[] = [];
    const now = options.clock.now().getTime();
    // Cron schedules fire once per occurrence that fell due (a quarter skipped by a clock jump still runs).
    const due: { entry: Entry; at: number }[] = [];
    for (const entry of entries) {
      if (!entry.cron) continue;
      while (entry.nextDue <= now) {
        due.push({ entry, at: entry.nextDue });
        entry.nextDue = nextCronOccurrence(entry.cron.spec, new Date(entry.nextDue), entry.cron.timeZone)?.getTime() ?? Number.POSITIVE_INFINITY;
      }
    }
    for (const entry of entries) {
      if (entry.rateMs === undefined || entry.nextDue > now) continue;
      due.push({ entry, at: entry.nextDue });
      // The next period boundary after now: missed periods coalesce into this one run.
      entry.nextDue += entry.rateMs * (Math.floor((now - entry.nextDue) / entry.rateMs) + 1);
    }
    for (const { entry, at } of due.sort((a, b) => a.at - b.at)) {
      const scheduledTime = new Date(at).toISOString();
      let result: unknown;
      try {
        result = await invoke(options.handlers, entry.functionId, { schedule: entry.schedule, scheduledTime, ...(entry.marketplace ? { marketplace: entry.marketplace } : {}) });
      } catch (error) {
        result = { error: (error as Error).message };
      }
      const record = { schedule: entry.schedule, functionId: entry.functionId, scheduledTime, result };
      fired.push(record);
      log.push(record);
      options.onFire?.(record);
    }
    // One-time schedules, in due order; each fires once (then, like ActionAfterCompletion DELETE, is gone).
    for (const schedule of [...oneTime.values()].filter((o) => !o.fired && o.at.getTime() <= now).sort((a, b) => a.at.getTime() - b.at.getTime())) {
      schedule.fired = true;
      const scheduledTime = schedule.at.toISOString();
      let result: unknown;
      try {
        result = await invoke(options.handlers, schedule.target, oneTimeScheduleInput(schedule, scheduledTime, schedule.correlationId));
      } catch (error) {
        result = { error: (error as Error).message };
      }
      const record = { schedule: schedule.name, functionId: schedule.target, scheduledTime, result };
      fired.push(record);
      log.push(record);
      options.onFire?.(record);
    }
    if (fired.length > 0) save();
    return fired;
  }

  // Serialise runs: a clock jump and the background tick must not fire the same entry twice.
  const runDue = async (): Promise<FiredSchedule[]> => {
    while (running) await running.catch(() => undefined);
    running = fireDue();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };

  const timer = setInterval(() => void runDue(), options.tickMs ?? 1000);
  timer.unref();
  return {
    runDue,
    log,
    stop: () => {
      clearInterval(timer);
    },
    async scheduleOnce(schedule) {
      if (!(schedule.target in functions)) throw new Error(`unknown schedule target ${schedule.target}`);
      if (oneTime.has(schedule.name)) return 'exists';
      const correlationId = currentCorrelationId();
      oneTime.set(schedule.name, { ...schedule, fired: false, ...(correlationId ? { correlationId } : {}) });
      save();
      return 'created';
    },
    pendingOneTime: () =>
      [...oneTime.values()].filter((o) => !o.fired).map((o) => ({ name: o.name, target: o.target, at: o.at.toISOString() })),
  };
}

interface SchedulerState {
  nextDue: Record<string, number>;
  oneTime: (Omit<OneTimeSchedule, 'at'> & { at: string; fired: boolean; correlationId?: string })[];
}
