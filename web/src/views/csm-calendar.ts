/**
 * The appointment calendar: the manager's onboarding appointments by day (her open `onboarding-appointment` tasks,
 * in the user's zone with the zone named), and for one customer their appointments and the free slots of their
 * manager on a day, to book for the customer (`POST /customers/{customerId}/appointments`), move one
 * (`PATCH …/appointments/{appointmentId}`) or cancel one (`DELETE …`), each on the record in the customer's
 * staff-action log. Refusals (a slot just taken, the day full for the customer…) are shown in words.
 */
import { api } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { t } from '../i18n.ts';
import { dateTime, day, localDay, time, userTimeZone } from '../format.ts';
import { errorBox, section } from './common.ts';
import { serverNow } from '../clock.ts';
import { staffName } from '../staff-directory.ts';
import { customerButton } from './csm-feed.ts';
import { staffErrorBox } from './csm-errors.ts';
import { loadTasks } from './csm-tasks.ts';
import type { Appointment, BookedBy, Customer, CsmTask, FreeSlots, Onboarding } from './csm-types.ts';

export interface CalendarContext {
  /** Customers the console knows by name (feed and tasks), offered in the customer field. */
  readonly known: ReadonlyMap<string, string>;
  /** The customer to show at once (opened from the 360 or an appointment). */
  readonly customerId: string | null;
  readonly open: (customerId: string) => void;
}

/** The next working day after today in the user's calendar (slots are Monday to Friday). */
export function nextWorkingDay(from: Date): string {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + 1);
  while (d.getDay() === 0 || d.getDay() === 6) d.setDate(d.getDate() + 1);
  return localDay(d);
}

function whoLabel(by: BookedBy | null): string {
  if (!by) return t('app.none');
  return by.role === 'customer' ? t('cal.by.customer') : t('cal.by.staff', { staff: by.staffId === null ? '' : staffName(by.staffId) });
}

/** The manager's appointments, one list per day of the user's calendar. */
function myAppointments(tasks: readonly CsmTask[], context: CalendarContext, manage: (customerId: string) => void): HTMLElement {
  const appointments = tasks.filter((task) => task.kind === 'onboarding-appointment').sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  if (appointments.length === 0) return el('p', { class: 'muted', id: 'calendar-empty', text: t('csm.calendarNone') });
  const byDay = new Map<string, CsmTask[]>();
  for (const a of appointments) {
    const key = localDay(new Date(a.dueAt));
    byDay.set(key, [...(byDay.get(key) ?? []), a]);
  }
  const endOf = (task: CsmTask): string | null => (typeof task.details.end === 'string' ? task.details.end : null);
  return el(
    'div',
    { id: 'calendar' },
    ...[...byDay].map(([isoDay, list]) =>
      el(
        'div',
        { class: 'calendar-day', 'data-day': isoDay },
        el('h3', { text: day(isoDay) }),
        el(
          'ul',
          {},
          ...list.map((a) => {
            const end = endOf(a);
            const manageButton = el('button', { type: 'button', class: 'secondary', 'data-action': 'manage', text: t('cal.manage'), 'aria-label': t('cal.manageFor', { name: a.companyName }) });
            manageButton.addEventListener('click', () => {
              manage(a.tenantId);
            });
            return el('li', { 'data-task': a.taskId, 'data-start': a.dueAt }, `${time(a.dueAt)}${end ? ` – ${time(end)}` : ''} `, customerButton(a.tenantId, a.companyName, context.open), ' ', manageButton);
          }),
        ),
      ),
    ),
  );
}

export async function renderCalendar(root: HTMLElement, context: CalendarContext): Promise<void> {
  let today: Date;
  try {
    today = await serverNow();
  } catch (error) {
    root.replaceChildren(errorBox(error));
    return;
  }
  const mine = el('div', { id: 'my-appointments' }, el('p', { text: t('app.loading') }));
  const customerInput = el('input', { id: 'booking-customer', list: 'booking-customers', autocomplete: 'off', required: true, pattern: '[A-Za-z0-9_\\-]{1,128}', value: context.customerId ?? '' });
  const datalist = el('datalist', { id: 'booking-customers' }, ...[...context.known].map(([id, name]) => el('option', { value: id, text: name })));
  const dateInput = el('input', { id: 'booking-date', type: 'date', required: true, value: nextWorkingDay(today) });
  const form = el(
    'form',
    { id: 'booking-form', class: 'toolbar' },
    el('div', { class: 'field' }, el('label', { for: customerInput.id, text: t('cal.customer') }), customerInput, datalist),
    el('div', { class: 'field' }, el('label', { for: dateInput.id, text: t('cal.date') }), dateInput),
    el('button', { type: 'submit', text: t('cal.show') }),
  );
  const status = el('p', { id: 'booking-status', role: 'status', class: 'ok' });
  const errors = el('div', { id: 'booking-errors' });
  const result = el('div', { id: 'booking-result' });
  let moving: Appointment | null = null;

  const drawMine = async (): Promise<void> => {
    try {
      const lists = await loadTasks();
      mine.replaceChildren(myAppointments(lists.mine, context, (id) => {
        customerInput.value = id;
        void showCustomer();
      }));
    } catch (error) {
      mine.replaceChildren(errorBox(error));
    }
  };

  const showCustomer = async (message = ''): Promise<void> => {
    const customerId = customerInput.value.trim();
    const date = dateInput.value;
    if (!customerId || !date) return;
    const id = encodeURIComponent(customerId);
    errors.replaceChildren();
    // The result is said once the lists show it (a test, or a screen reader, waiting for the words sees the lists too).
    status.textContent = '';
    result.replaceChildren(el('p', { text: t('app.loading') }));
    let customer: Customer;
    let onboarding: Onboarding;
    let free: FreeSlots;
    try {
      [customer, onboarding, free] = await Promise.all([
        api<Customer>(`/customers/${id}`),
        api<Onboarding>(`/customers/${id}/onboarding`),
        api<FreeSlots>(`/customers/${id}/appointments/slots?date=${encodeURIComponent(date)}`),
      ]);
    } catch (error) {
      result.replaceChildren(staffErrorBox(error));
      status.textContent = message;
      return;
    }
    if (moving && !onboarding.appointments.some((a) => a.appointmentId === moving?.appointmentId && a.status === 'booked')) moving = null;

    const act = async (run: () => Promise<unknown>, done: string): Promise<void> => {
      errors.replaceChildren();
      status.textContent = '';
      try {
        await run();
      } catch (error) {
        errors.replaceChildren(staffErrorBox(error));
        errors.querySelector<HTMLElement>('[role="alert"]')?.setAttribute('tabindex', '-1');
        errors.querySelector<HTMLElement>('[role="alert"]')?.focus();
        return;
      }
      moving = null;
      await showCustomer(done);
      void drawMine();
      status.setAttribute('tabindex', '-1');
      status.focus();
    };

    const appointments = [...onboarding.appointments].sort((a, b) => a.start.localeCompare(b.start));
    const now = Date.now();
    const actions = (a: Appointment): HTMLElement => {
      const td = el('td', { class: 'actions' });
      if (a.status !== 'booked' || Date.parse(a.start) <= now) return td;
      const move = el('button', { type: 'button', class: 'secondary', 'data-action': 'move', text: t('cal.move'), 'aria-label': t('cal.moveOne', { when: dateTime(a.start) }) });
      move.addEventListener('click', () => {
        moving = a;
        void showCustomer();
      });
      const cancel = el('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', text: t('cal.cancel'), 'aria-label': t('cal.cancelOne', { when: dateTime(a.start) }) });
      cancel.addEventListener('click', () => {
        const yes = el('button', { type: 'button', 'data-action': 'confirm-cancel', text: t('cal.cancelYes') });
        const keep = el('button', { type: 'button', class: 'secondary', text: t('cal.cancelKeep') });
        yes.addEventListener('click', () => {
          yes.disabled = true;
          void act(() => api(`/customers/${id}/appointments/${encodeURIComponent(a.appointmentId)}`, { method: 'DELETE' }), t('cal.cancelled', { when: dateTime(a.start), company: customer.companyName }));
        });
        keep.addEventListener('click', () => {
          td.replaceChildren(move, ' ', cancel);
          cancel.focus();
        });
        td.replaceChildren(el('span', { text: `${t('cal.cancelAsk')} ` }), yes, ' ', keep);
        yes.focus();
      });
      td.append(move, ' ', cancel);
      return td;
    };

    const list =
      appointments.length === 0
        ? el('p', { class: 'muted', id: 'customer-appointments-empty', text: t('c360.appointmentsNone') })
        : table({
            id: 'customer-appointments',
            caption: t('cal.appointmentsOf', { name: customer.companyName }),
            columns: [{ label: t('cal.col.when') }, { label: t('csm.col.status') }, { label: t('cal.col.bookedBy') }, { label: t('cal.col.changed') }, { label: t('lf.col.action') }],
            rows: appointments.map((a) =>
              el(
                'tr',
                { 'data-appointment': a.appointmentId, 'data-status': a.status, 'data-start': a.start },
                cell(`${dateTime(a.start)} – ${time(a.end)}`),
                el('td', {}, el('span', { class: `status ${a.status === 'booked' ? 'ok' : a.status === 'cancelled' ? 'cancelled' : 'in-progress'}`, text: t(`cal.status.${a.status}`) })),
                cell(whoLabel(a.bookedBy)),
                cell(a.changedAt ? `${whoLabel(a.changedBy)}, ${dateTime(a.changedAt)}${a.rescheduledTo ? ` → ${dateTime(a.rescheduledTo)}` : ''}` : t('app.none')),
                actions(a),
              ),
            ),
          });

    const movingNote = moving
      ? (() => {
          const stop = el('button', { type: 'button', class: 'secondary', id: 'stop-moving', text: t('cal.stopMoving') });
          stop.addEventListener('click', () => {
            moving = null;
            void showCustomer();
          });
          return el('p', { id: 'moving-note', class: 'notice' }, `${t('cal.moving', { when: dateTime(moving.start) })} `, stop);
        })()
      : null;
    const movingNow = moving;
    const slots =
      free.slots.length === 0
        ? el('p', { class: 'muted', id: 'free-slots-empty', text: t('cal.noSlots', { day: day(date) }) })
        : el(
            'ul',
            { id: 'free-slots', class: 'slots' },
            ...free.slots.map((slot) => {
              const when = `${time(slot.start)} – ${time(slot.end)}`;
              const button = el('button', { type: 'button', 'data-slot': slot.start, text: movingNow ? t('cal.moveHere', { when }) : t('cal.book', { when }) });
              button.addEventListener('click', () => {
                button.disabled = true;
                void (movingNow
                  ? act(
                      () => api(`/customers/${id}/appointments/${encodeURIComponent(movingNow.appointmentId)}`, { method: 'PATCH', body: { start: slot.start } }),
                      t('cal.moved', { from: dateTime(movingNow.start), when: dateTime(slot.start), company: customer.companyName }),
                    )
                  : act(() => api(`/customers/${id}/appointments`, { method: 'POST', body: { start: slot.start } }), t('cal.booked', { when: dateTime(slot.start), company: customer.companyName }))).finally(() => {
                  button.disabled = false;
                });
              });
              return el('li', {}, button);
            }),
          );

    result.replaceChildren(
      el('h3', { id: 'booking-customer-heading', text: t('cal.appointmentsOf', { name: customer.companyName }) }),
      list,
      el('h3', { id: 'free-slots-heading', text: t('cal.freeSlots', { day: day(date), staff: staffName(free.staffId) }) }),
      el('p', { class: 'muted', id: 'free-slots-zone', text: t('cal.zones', { managerZone: free.timeZone, zone: userTimeZone() }) }),
      ...(movingNote ? [movingNote] : []),
      slots,
    );
    status.textContent = message;
    if (movingNow) result.querySelector<HTMLElement>('#free-slots button')?.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    moving = null;
    void showCustomer();
  });

  root.replaceChildren(
    section('calendar-section', t('csm.calendar'), el('p', { class: 'muted', text: t('cal.myNote', { zone: userTimeZone() }) }), mine),
    section('booking-section', t('cal.booking'), el('p', { class: 'muted', text: t('cal.bookingNote') }), form, status, errors, result),
  );
  await Promise.all([drawMine(), context.customerId ? showCustomer() : Promise.resolve()]);
}
