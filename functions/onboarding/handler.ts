import { randomUUID } from 'node:crypto';
import { httpRoutes } from '../../shared/api/routes.ts';
import { httpHandler, httpRouter } from '../../shared/adapters/http/http-handler.ts';
import { adapters } from '../../shared/adapters/factories.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { bookAppointment, freeSlots, requestCallback, requireCustomer } from '../../shared/onboarding/onboarding.ts';

const customers = adapters.customerRepository();
const tasks = adapters.taskRepository();
const staff = adapters.staffDirectory();
const calendar = adapters.appointmentCalendar();
const onboarding = adapters.onboardingRepository();

const customerOf = async (tenantId: string) => requireCustomer(await customers.get(tenantId), tenantId);

export const handler = httpRouter([
  {
    route: httpRoutes.requestCallback,
    handler: httpHandler(httpRoutes.requestCallback, async ({ body, caller }) => {
      const task = await requestCallback({ tasks, clock: runtime.clock() }, await customerOf(caller.tenantId!), {
        requestId: body.requestId ?? randomUUID(),
        topic: body.topic,
        ...(body.phone ? { phone: body.phone } : {}),
      });
      return { status: 201, body: { taskId: task.taskId, assigneeId: task.assigneeId, dueAt: task.dueAt, status: task.status } };
    }),
  },
  {
    route: httpRoutes.listFreeSlots,
    handler: httpHandler(httpRoutes.listFreeSlots, async ({ query, caller }) => ({
      status: 200,
      body: await freeSlots({ staff, calendar, clock: runtime.clock() }, await customerOf(caller.tenantId!), query.date),
    })),
  },
  {
    route: httpRoutes.bookAppointment,
    handler: httpHandler(httpRoutes.bookAppointment, async ({ body, caller }) => {
      const booking = await bookAppointment({ tasks, staff, calendar, onboarding, clock: runtime.clock() }, await customerOf(caller.tenantId!), new Date(body.start));
      // A retry by the customer who holds the slot is answered 200 with the same booking, not booked again.
      return { status: booking.alreadyBooked ? 200 : 201, body: booking };
    }),
  },
]);
