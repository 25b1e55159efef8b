import { httpRoutes } from '#shared/api/routes.ts';
import { buildOpenApiDocument } from '#shared/api/openapi.ts';
import { httpHandler } from '#shared/adapters/http/http-handler.ts';

/** Origins kept: the API's default and custom domains are a handful; anything past this is someone's Host header. */
const MAX_ORIGINS = 8;

/** No dependencies: the document is generated from the route table. */
export function createHandler() {
  // One document per origin the API is reached on: never the first caller's for everyone.
  const documents = new Map<string, Record<string, unknown>>();
  return httpHandler(httpRoutes.getOpenApi, async ({ event }) => {
    const scheme = event.headers['x-forwarded-proto'] === 'http' ? 'http' : 'https';
    const origin = `${scheme}://${event.requestContext.domainName}`;
    let document = documents.get(origin);
    if (document === undefined) {
      if (documents.size >= MAX_ORIGINS) documents.clear();
      document = buildOpenApiDocument(origin);
      documents.set(origin, document);
    }
    return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300', vary: 'host' } };
  });
}

export const handler = createHandler();
