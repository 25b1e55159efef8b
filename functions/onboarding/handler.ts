import { randomUUID } from 'node:crypto';
import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import type { CustomerRecord } from '#shared/customers/customer.ts';
import type { StaffDirectory } from '#shared/csm/ports.ts';
import type { TaskRepository } from '#shared/csm/ports.ts';
import type { AppointmentCalendar } from '#shared/onboarding/ports.ts';
import { bookAppointment, changeAppointment, freeSlots, requestCallback, requireCustomer, type AppointmentChange } from '#shared/onboarding/onboarding.ts';
import { requestReconsultation } from '#shared/onboarding/reconsultation-request.ts';
import type { CsmNotificationStore, CsmPushPublisher } from '#shared/csm/ports.ts';
import type { OnboardingRepository } from '#shared/onboarding/ports.ts';
import { actForCustomer, customerActedFor, type StaffActionLog } from '#shared/customers/acting-for.ts';
import type { Caller } from '#shared/customers/views.ts';

export interface Deps {
  readonly customers: CustomerRepository;
  readonly tasks: TaskRepository;
  readonly staff: StaffDirectory;
  readonly calendar: AppointmentCalendar;
  readonly onboarding: OnboardingRepository;
  readonly staffActions: StaffActionLog;
  readonly notifications: CsmNotificationStore;
  readonly push: CsmPushPublisher;
  readonly clock: Clock;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = coreAdapters(env, overrides);
  return {
    customers: adapters.customerRepository(),
    tasks: adapters.taskRepository(),
    staff: adapters.staffDirectory(),
    calendar: adapters.appointmentCalendar(),
    onboarding: adapters.onboardingRepository(),
    staffActions: adapters.staffActionLog(),
    notifications: adapters.csmNotificationStore(),
    push: adapters.csmPushPublisher(),
    clock: adapters.clock,
  };
}

export function createHandler({ customers, tasks, staff, calendar, onboarding, staffActions, notifications, push, clock }: Deps) {
  const customerOf = async (tenantId: string) => requireCustomer(await customers.get(tenantId), tenantId);
  const changeDeps = { tasks, staff, calendar, onboarding, clock };
  /** Staff move or cancel through the customer's own use case; the staff-action log records who, what and when. */
  const changeForCustomer = (caller: Caller, customerId: string, appointmentId: string, change: AppointmentChange) =>
    actForCustomer(
      { customers, log: staffActions, clock },
      caller,
      customerId,
      {
        action: change.kind === 'cancel' ? 'appointment.cancelled' : 'appointment.rescheduled',
        key: `${appointmentId}#${change.kind === 'cancel' ? 'cancel' : change.start.toISOString()}`,
        summary: (a) => (a.status === 'cancelled' ? `cancelled the appointment on ${a.previousStart} with ${a.staffId}` : `moved the appointment on ${a.previousStart} to ${a.start} with ${a.staffId}`),
        details: (a) => ({ appointmentId, from: a.previousStart, ...(a.status === 'cancelled' ? {} : { to: a.start }), with: a.staffId }),
      },
      (customer: CustomerRecord) => changeAppointment(changeDeps, customer, appointmentId, change, { role: 'staff', staffId: caller.staffId }),
    );
  return httpRouter([
    {
      route: httpRoutes.requestCallback,
      handler: httpHandler(httpRoutes.requestCallback, async ({ body, caller }) => {
        const task = await requestCallback({ tasks, clock }, await customerOf(caller.tenantId!), {
          requestId: body.requestId ?? randomUUID(),
          topic: body.topic,
          ...(body.phone ? { phone: body.phone } : {}),
        });
        return { status: 201, body: { taskId: task.taskId, assigneeId: task.assigneeId, dueAt: task.dueAt, status: task.status } };
      }),
    },
    {
      route: httpRoutes.requestReconsultation,
      handler: httpHandler(httpRoutes.requestReconsultation, async ({ body, caller }) => {
        const review = await requestReconsultation({ tasks, onboarding, notifications, push, clock }, await customerOf(caller.tenantId!), {
          reason: body.reason,
          requestId: body.requestId ?? randomUUID(),
        });
        return { status: 201, body: { taskId: review.taskId, kind: review.kind, assigneeId: review.assigneeId, dueAt: review.dueAt, status: review.status, details: review.details } };
      }),
    },
    {
      route: httpRoutes.listFreeSlots,
      handler: httpHandler(httpRoutes.listFreeSlots, async ({ query, caller }) => ({
        status: 200,
        body: await freeSlots({ staff, calendar, clock }, await customerOf(caller.tenantId!), query.date),
      })),
    },
    {
      route: httpRoutes.bookAppointment,
      handler: httpHandler(httpRoutes.bookAppointment, async ({ body, caller }) => {
        const booking = await bookAppointment({ tasks, staff, calendar, onboarding, clock }, await customerOf(caller.tenantId!), new Date(body.start));
        // A retry by the customer who holds the slot is answered 200 with the same booking, not booked again.
        return { status: booking.alreadyBooked ? 200 : 201, body: booking };
      }),
    },
    {
      route: httpRoutes.listSlotsForCustomer,
      handler: httpHandler(httpRoutes.listSlotsForCustomer, async ({ params, query, caller }) => {
        // Reading the slots changes nothing for the customer: authorised like the booking, not logged.
        const { customer } = await customerActedFor(customers, caller, params.customerId);
        return { status: 200, body: await freeSlots({ staff, calendar, clock }, customer, query.date) };
      }),
    },
    {
      route: httpRoutes.bookAppointmentForCustomer,
      handler: httpHandler(httpRoutes.bookAppointmentForCustomer, async ({ params, body, caller }) => {
        const booking = await actForCustomer(
          { customers, log: staffActions, clock },
          caller,
          params.customerId,
          {
            action: 'appointment.booked',
            key: body.start,
            summary: (b) => `booked the onboarding appointment on ${b.start} with ${b.staffId}`,
            details: (b) => ({ start: b.start, end: b.end, with: b.staffId }),
          },
          (customer: CustomerRecord) => bookAppointment({ tasks, staff, calendar, onboarding, clock }, customer, new Date(body.start), { role: 'staff', staffId: caller.staffId }),
        );
        return { status: booking.alreadyBooked ? 200 : 201, body: booking };
      }),
    },
    {
      route: httpRoutes.rescheduleAppointment,
      handler: httpHandler(httpRoutes.rescheduleAppointment, async ({ params, body, caller }) => ({
        status: 200,
        body: await changeAppointment(changeDeps, await customerOf(caller.tenantId!), params.appointmentId, { kind: 'reschedule', start: new Date(body.start) }, BY_CUSTOMER),
      })),
    },
    {
      route: httpRoutes.cancelAppointment,
      handler: httpHandler(httpRoutes.cancelAppointment, async ({ params, caller }) => ({
        status: 200,
        body: await changeAppointment(changeDeps, await customerOf(caller.tenantId!), params.appointmentId, { kind: 'cancel' }, BY_CUSTOMER),
      })),
    },
    {
      route: httpRoutes.rescheduleAppointmentForCustomer,
      handler: httpHandler(httpRoutes.rescheduleAppointmentForCustomer, async ({ params, body, caller }) => ({
        status: 200,
        body: await changeForCustomer(caller, params.customerId, params.appointmentId, { kind: 'reschedule', start: new Date(body.start) }),
      })),
    },
    {
      route: httpRoutes.cancelAppointmentForCustomer,
      handler: httpHandler(httpRoutes.cancelAppointmentForCustomer, async ({ params, caller }) => ({
        status: 200,
        body: await changeForCustomer(caller, params.customerId, params.appointmentId, { kind: 'cancel' }),
      })),
    },
  ]);
}

const BY_CUSTOMER = { role: 'customer', staffId: null } as const;

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
