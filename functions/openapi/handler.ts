import { httpRoutes } from '../../shared/api/routes.ts';
import { buildOpenApiDocument } from '../../shared/api/openapi.ts';
import { httpHandler } from '../../shared/adapters/http/http-handler.ts';

/** No dependencies: the document is generated from the route table. */
export function createHandler() {
  let document: Record<string, unknown> | undefined;
  return httpHandler(httpRoutes.getOpenApi, async ({ event }) => {
    const scheme = event.headers['x-forwarded-proto'] ?? 'https';
    document ??= buildOpenApiDocument(`${scheme}://${event.requestContext.domainName}`);
    return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
  });
}

export const handler = createHandler();
