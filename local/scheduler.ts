/**
 * EventBridge Scheduler, locally: fires each wired schedule on the stack's clock with the same input the
 * CDK schedule sends. When the clock jumps forward every schedule that fell due fires; a rate schedule that
 * missed several periods fires once (as a late run would), not once per missed period.
 */
import { functions, type FunctionId, type FunctionSpec } from '../infra/wiring.ts';
import type { Clock } from '../shared/kernel/clock.ts';
import { invoke, type AnyHandler } from './lambda-runtime.ts';

export interface FiredSchedule {
  readonly schedule: string;
  readonly functionId: FunctionId;
  readonly scheduledTime: string;
  readonly result: unknown;
}

export interface LocalScheduler {
  /** Fires everything due at the clock's current time, in due order. */
  runDue(): Promise<FiredSchedule[]>;
  readonly log: FiredSchedule[];
  stop(): void;
}

interface Entry {
  readonly schedule: string;
  readonly functionId: FunctionId;
  readonly rateMs: number;
  nextDue: number;
}

export function startLocalScheduler(options: {
  handlers: Record<FunctionId, AnyHandler>;
  clock: Clock;
  tickMs?: number;
  onFire?: (fired: FiredSchedule) => void;
}): LocalScheduler {
  const start = options.clock.now().getTime();
  const entries: Entry[] = [];
  for (const [functionId, spec] of Object.entries(functions) as [FunctionId, FunctionSpec][]) {
    for (const trigger of spec.triggers) {
      if (trigger.kind !== 'schedule') continue;
      const rateMs = trigger.rateMinutes * 60_000;
      entries.push({ schedule: trigger.schedule, functionId, rateMs, nextDue: start + rateMs });
    }
  }
  const log: FiredSchedule[] = [];
  let running: Promise<FiredSchedule[]> | undefined;

  async function fireDue(): Promise<FiredSchedule[]> {
    const fired: FiredSchedule[] = [];
    const now = options.clock.now().getTime();
    for (const entry of [...entries].sort((a, b) => a.nextDue - b.nextDue)) {
      if (entry.nextDue > now) continue;
      const scheduledTime = new Date(entry.nextDue).toISOString();
      // The next period boundary after now: missed periods coalesce into this one run.
      entry.nextDue += entry.rateMs * (Math.floor((now - entry.nextDue) / entry.rateMs) + 1);
      let result: unknown;
      try {
        result = await invoke(options.handlers, entry.functionId, { schedule: entry.schedule, scheduledTime });
      } catch (error) {
        result = { error: (error as Error).message };
      }
      const record = { schedule: entry.schedule, functionId: entry.functionId, scheduledTime, result };
      fired.push(record);
      log.push(record);
      options.onFire?.(record);
    }
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
  return { runDue, log, stop: () => clearInterval(timer) };
}
