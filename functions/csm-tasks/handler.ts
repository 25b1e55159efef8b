import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { serviceAdapters } from '#shared/adapters/service-factories.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import type { TaskRepository } from '#shared/csm/ports.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import { completeTask, startTask, tasksOfCustomer, type TaskOutcomeHandlers } from '#shared/csm/task-queue.ts';

export interface Deps {
  readonly tasks: TaskRepository;
  /** Who a customer's manager is (a customer's tasks are for that manager or a lead). */
  readonly customers: CustomerRepository;
  /** Survey calls, support requests and difficulties mentioned in calls (customer service). */
  readonly outcomeHandlers: TaskOutcomeHandlers;
  readonly clock: Clock;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = serviceAdapters(env, overrides);
  return { tasks: adapters.taskRepository(), customers: adapters.customerRepository(), outcomeHandlers: adapters.taskOutcomeHandlers(), clock: adapters.clock };
}

export function createHandler({ tasks, customers, outcomeHandlers, clock }: Deps) {
  return httpRouter([
    {
      route: httpRoutes.listMyTasks,
      handler: httpHandler(httpRoutes.listMyTasks, async ({ query, caller }) => ({
        status: 200,
        body: { items: await tasks.listOpen(caller.staffId, query.limit) },
      })),
    },
    {
      route: httpRoutes.listUnassignedTasks,
      handler: httpHandler(httpRoutes.listUnassignedTasks, async ({ query }) => ({
        status: 200,
        body: { items: await tasks.listOpen(null, query.limit) },
      })),
    },
    {
      route: httpRoutes.listCustomerTasks,
      handler: httpHandler(httpRoutes.listCustomerTasks, async ({ params, query, caller }) => ({
        status: 200,
        body: { items: await tasksOfCustomer({ customers, tasks }, caller, params.customerId, query.limit) },
      })),
    },
    {
      route: httpRoutes.startTask,
      handler: httpHandler(httpRoutes.startTask, async ({ params, caller }) => ({
        status: 200,
        body: await startTask({ tasks, clock }, params.taskId, caller.staffId!),
      })),
    },
    {
      route: httpRoutes.completeTask,
      handler: httpHandler(httpRoutes.completeTask, async ({ params, body, caller }) => ({
        status: 200,
        body: await completeTask({ tasks, clock, outcomeHandlers }, params.taskId, caller.staffId!, body.outcome),
      })),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
