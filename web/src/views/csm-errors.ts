/**
 * Refusals of the routes staff use for a customer (booking, moving, cancelling, adjusting a strategy) in words:
 * the API's error code picks a sentence of the catalogue; a code it does not know shows the server's message
 * (errorBox), so nothing is hidden.
 */
import { ApiError } from '../api.ts';
import { el } from '../dom.ts';
import { t, type MessageKey } from '../i18n.ts';
import { errorBox } from './common.ts';

const BY_CODE: Readonly<Record<string, MessageKey>> = {
  slot_taken: 'cal.err.slotTaken',
  booking_limit: 'cal.err.bookingLimit',
  appointment_closed: 'cal.err.closed',
  appointment_past: 'cal.err.past',
  appointment_changed: 'cal.err.changed',
  same_slot: 'cal.err.sameSlot',
  not_assigned: 'cal.err.notAssigned',
  manager_gone: 'cal.err.managerGone',
  slot_in_past: 'cal.err.tooSoon',
  outside_working_hours: 'cal.err.outsideHours',
  forbidden: 'cal.err.forbidden',
};

/** The refusal in words, or null when the catalogue has no sentence for it. */
export function staffRefusalInWords(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const key = BY_CODE[error.code] ?? (error.status === 403 ? 'cal.err.forbidden' : undefined);
  return key ? t(key) : null;
}

/** An alert with the refusal in words (the server's own message kept beside it, for the record), or errorBox. */
export function staffErrorBox(error: unknown): HTMLElement {
  const words = staffRefusalInWords(error);
  if (!words) return errorBox(error);
  return el('div', { class: 'error', role: 'alert', 'data-code': error instanceof ApiError ? error.code : '' }, el('strong', { text: `${t('cal.err.title')} ` }), words);
}
