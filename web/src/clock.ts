/**
 * The system's "now" (`GET /clock`), not the browser's: every field that defaults to today or this quarter (an
 * audit's day, the survey quarter, the booking day, what "expiring soon" counts from) takes it from the stack, so a
 * user of a stack on a simulated clock (`npm start -- --clock …`) sees the day the system works on.
 */
import { api } from './api.ts';

export async function serverNow(): Promise<Date> {
  const { now } = await api<{ now: string }>('/clock');
  return new Date(now);
}
