import { httpRoutes } from '../../shared/api/routes.ts';
import { httpHandler, httpRouter } from '../../shared/adapters/http/http-handler.ts';
import { adapters } from '../../shared/adapters/factories.ts';
import { runtime } from '../../shared/adapters/runtime.ts';
import { NotFoundError } from '../../shared/kernel/errors.ts';
import { readFeed } from '../../shared/csm/notifications.ts';

const notifications = adapters.csmNotificationStore();

export const handler = httpRouter([
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
      await notifications.markRead(caller.staffId!, params.notificationId, runtime.clock().now());
      return { status: 204 };
    }),
  },
]);
