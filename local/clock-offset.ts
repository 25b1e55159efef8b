/** The local clock's offset from the wall clock, kept in the data directory so `--data` restarts resume it. */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Clock } from '#shared/kernel/clock.ts';

export class ClockOffsetFile {
  constructor(private readonly path: string) {}

  /** Where the clock would be now had the stack never stopped; undefined on a first start. */
  resume(): Date | undefined {
    if (!existsSync(this.path)) return undefined;
    const { offsetMs } = JSON.parse(readFileSync(this.path, 'utf8')) as { offsetMs: number };
    return Number.isFinite(offsetMs) ? new Date(Date.now() + offsetMs) : undefined;
  }

  save(clock: Clock): void {
    writeFileSync(`${this.path}.tmp`, JSON.stringify({ offsetMs: clock.now().getTime() - Date.now() }));
    renameSync(`${this.path}.tmp`, this.path);
  }
}
