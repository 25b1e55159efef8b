import { httpRoutes } from '../../shared/api/routes.ts';
import { httpHandler, httpRouter } from '../../shared/adapters/http/http-handler.ts';
import { adapters } from '../../shared/adapters/factories.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { serviceAdapters } from '../../shared/adapters/service-factories.ts';
import { completeTask, startTask } from '../../shared/csm/task-queue.ts';

const tasks = adapters.taskRepository();
/** Survey calls, support requests and difficulties mentioned in calls (customer service). */
const outcomeHandlers = serviceAdapters.taskOutcomeHandlers();

export const handler = httpRouter([
  {
    route: httpRoutes.listMyTasks,
    handler: httpHandler(httpRoutes.listMyTasks, async ({ query, caller }) => ({
      status: 200,
      body: { items: await tasks.listOpen(caller.staffId!, query.limit) },
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
    route: httpRoutes.startTask,
    handler: httpHandler(httpRoutes.startTask, async ({ params, caller }) => ({
      status: 200,
      body: await startTask({ tasks, clock: runtime.clock() }, params.taskId, caller.staffId!),
    })),
  },
  {
    route: httpRoutes.completeTask,
    handler: httpHandler(httpRoutes.completeTask, async ({ params, body, caller }) => ({
      status: 200,
      body: await completeTask({ tasks, clock: runtime.clock(), outcomeHandlers }, params.taskId, caller.staffId!, body.outcome),
    })),
  },
]);
