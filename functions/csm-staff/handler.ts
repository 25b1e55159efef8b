import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { ForbiddenError } from '#shared/kernel/errors.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import type { StaffDirectory } from '#shared/csm/ports.ts';
import type { PushSubscriptions } from '#shared/csm/subscriptions.ts';
import type { TaskRepository } from '#shared/csm/ports.ts';
import { loadSpread } from '#shared/csm/staff.ts';
import { setPushPreferences, staffLeaves, upsertStaff } from '#shared/csm/staff-admin.ts';

export interface Deps {
  readonly staff: StaffDirectory;
  readonly customers: CustomerRepository;
  readonly tasks: TaskRepository;
  readonly subscriptions: PushSubscriptions;
  readonly clock: Clock;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = coreAdapters(env, overrides);
  return {
    staff: adapters.staffDirectory(),
    customers: adapters.customerRepository(),
    tasks: adapters.taskRepository(),
    subscriptions: adapters.pushSubscriptions(),
    clock: adapters.clock,
  };
}

export function createHandler({ staff, customers, tasks, subscriptions, clock }: Deps) {
  return httpRouter([
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
        body: await staffLeaves({ staff, customers, tasks, clock }, params.staffId),
      })),
    },
    {
      route: httpRoutes.setPushPreferences,
      handler: httpHandler(httpRoutes.setPushPreferences, async ({ params, body, caller }) => {
        if (caller.staffId !== params.staffId) throw new ForbiddenError('you can only set your own push preferences');
        const { endpoint, ...preferences } = body;
        const member = await setPushPreferences({ staff, subscriptions }, params.staffId, preferences, endpoint, { lead: caller.lead });
        return { status: 200, body: { staffId: member.staffId, push: member.push } };
      }),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
