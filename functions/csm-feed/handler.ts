import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { NotFoundError } from '#shared/kernel/errors.ts';
import { readFeed } from '#shared/csm/notifications.ts';
import type { CsmNotificationStore } from '#shared/csm/ports.ts';

export interface Deps {
  readonly notifications: CsmNotificationStore;
  readonly clock: Clock;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = coreAdapters(env, overrides);
  return { notifications: adapters.csmNotificationStore(), clock: adapters.clock };
}

export function createHandler({ notifications, clock }: Deps) {
  return httpRouter([
    {
      route: httpRoutes.listCsmNotifications,
      handler: httpHandler(httpRoutes.listCsmNotifications, async ({ query, caller }) => {
        const page = await readFeed(notifications, caller.staffId!, {
          scope: query.scope,
          limit: query.limit,
          ...(query.cursor ? { cursor: query.cursor } : {}),
          unreadOnly: query.unread === 'true',
        });
        return { status: 200, body: { items: page.items.map(({ createdAt: _c, eventId: _e, ...item }) => item), nextCursor: page.nextCursor } };
      }),
    },
    {
      route: httpRoutes.markNotificationRead,
      handler: httpHandler(httpRoutes.markNotificationRead, async ({ params, caller }) => {
        if (!(await notifications.get(params.notificationId))) throw new NotFoundError(`notification ${params.notificationId}`);
        await notifications.markRead(caller.staffId!, params.notificationId, clock.now());
        return { status: 204 };
      }),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
