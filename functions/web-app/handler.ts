import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler } from '#shared/adapters/http/http-handler.ts';
import { DASHBOARD_HTML } from '#shared/web/dashboard-page.ts';

/** No dependencies: the page is a constant. */
export function createHandler() {
  return httpHandler(httpRoutes.getWebApp, async () => ({
    status: 200,
    body: DASHBOARD_HTML,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      // The page's only script is inline; everything it loads is this API.
      'content-security-policy': "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    },
  }));
}

export const handler = createHandler();
