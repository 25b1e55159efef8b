import { httpRoutes } from '../../shared/api/routes.ts';
import { httpHandler, httpRouter } from '../../shared/adapters/http/http-handler.ts';
import { adapters } from '../../shared/adapters/factories.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { ForbiddenError } from '../../shared/kernel/errors.ts';
import { loadSpread } from '../../shared/csm/staff.ts';
import { setPushPreferences, staffLeaves, upsertStaff } from '../../shared/csm/staff-admin.ts';

const staff = adapters.staffDirectory();
const customers = adapters.customerRepository();
const tasks = adapters.taskRepository();
const subscriptions = adapters.pushSubscriptions();

export const handler = httpRouter([
  {
    route: httpRoutes.listStaff,
    handler: httpHandler(httpRoutes.listStaff, async () => {
      const members = await staff.list();
      return {
        status: 200,
        body: {
          staff: members.map(({ customers: assigned, version: _v, ...m }) => ({ ...m, customerCount: assigned.length })),
          loadByLanguage: loadSpread(members),
        },
      };
    }),
  },
  {
    route: httpRoutes.upsertStaff,
    handler: httpHandler(httpRoutes.upsertStaff, async ({ params, body }) => {
      const { customers: assigned, version: _v, ...member } = await upsertStaff(staff, params.staffId, body);
      return { status: 200, body: { ...member, customerCount: assigned.length } };
    }),
  },
  {
    route: httpRoutes.staffLeaves,
    handler: httpHandler(httpRoutes.staffLeaves, async ({ params }) => ({
      status: 200,
      body: await staffLeaves({ staff, customers, tasks, clock: runtime.clock() }, params.staffId),
    })),
  },
  {
    route: httpRoutes.setPushPreferences,
    handler: httpHandler(httpRoutes.setPushPreferences, async ({ params, body, caller }) => {
      if (caller.staffId !== params.staffId) throw new ForbiddenError('you can only set your own push preferences');
      const { endpoint, ...preferences } = body;
      const member = await setPushPreferences({ staff, subscriptions }, params.staffId, preferences, endpoint ?? null);
      return { status: 200, body: { staffId: member.staffId, push: member.push } };
    }),
  },
]);
