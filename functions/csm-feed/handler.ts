import { httpRoutes } from '../../shared/api/routes.ts';
import { httpHandler } from '../../shared/adapters/http/http-handler.ts';
import { adapters } from '../../shared/adapters/factories.ts';

const notifications = adapters.csmNotificationStore();

export const handler = httpHandler(httpRoutes.listCsmNotifications, async ({ query }) => {
  const page = await notifications.listFeed(query.limit, query.cursor);
  return {
    status: 200,
    body: { items: page.items.map(({ createdAt: _createdAt, ...item }) => item), nextCursor: page.nextCursor },
  };
});
