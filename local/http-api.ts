/**
 * The local HTTP API: turns requests into API Gateway v2 (HTTP API) events with JWT authorizer claims and calls
 * the same handlers, routed by the same route table. Local-only admin routes live under /_local/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { functions, type FunctionId, type FunctionSpec } from '#infra/wiring.ts';
import { httpRoutes, type HttpRoute } from '#shared/api/routes.ts';
import { claimsAsApiGatewayPassesThem, type LocalAuth } from './auth.ts';
import { invoke, type AnyHandler } from './lambda-runtime.ts';

export type LocalRouteHandler = (request: { method: string; path: string; query: URLSearchParams; body: unknown }) => Promise<{
  status: number;
  body: unknown;
  contentType?: string;
  /** e.g. `location` of a 302 (the simulated Seller Central redirects to our callback). */
  headers?: Record<string, string>;
}>;

/** A local-only route that reads the request's headers and writes the response itself (an event stream, a cookie). */
export type LocalStreamHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

interface CompiledRoute {
  readonly functionId: FunctionId;
  readonly route: HttpRoute;
  readonly pattern: RegExp;
  readonly parameterNames: string[];
}

const MAX_BODY_BYTES = 10 * 1024 * 1024; // API Gateway's payload limit

export function compileRoutes(): CompiledRoute[] {
  const compiled: CompiledRoute[] = [];
  for (const [functionId, spec] of Object.entries<FunctionSpec>(functions)) {
    for (const trigger of spec.triggers) {
      if (trigger.kind !== 'http') continue;
      const route: HttpRoute = httpRoutes[trigger.route];
      const parameterNames: string[] = [];
      const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name: string) => {
        parameterNames.push(name);
        return '([^/]+)';
      });
      compiled.push({ functionId, route, pattern: new RegExp(`^${source}$`), parameterNames });
    }
  }
  return compiled;
}

export async function startLocalHttpApi(options: {
  port: number;
  host?: string;
  handlers: Record<FunctionId, AnyHandler>;
  auth: LocalAuth;
  localRoutes: Record<string, LocalRouteHandler>;
  /** Local-only routes that write their own response (the CSM console's live feed). */
  streams?: Record<string, LocalStreamHandler>;
}): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const routes = compileRoutes();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`local API fault: ${(error as Error).stack ?? String(error)}\n`);
      if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: 'local API fault' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = (req.method ?? 'GET').toUpperCase();
    const streamRoute = options.streams?.[`${method} ${url.pathname}`];
    if (streamRoute) {
      await streamRoute(req, res);
      return;
    }
    const rawBody = await readBody(req);
    if (rawBody === undefined) {
      send(res, 413, { error: { code: 'payload_too_large', message: 'body over 10 MB' } });
      return;
    }

    const local = options.localRoutes[`${method} ${url.pathname}`] ?? options.localRoutes[`* ${url.pathname}`];
    if (local) {
      let body: unknown;
      try {
        body = rawBody.length > 0 ? JSON.parse(rawBody.toString('utf8')) : undefined;
      } catch {
        send(res, 400, { error: { code: 'validation_failed', message: 'body: not valid JSON' } });
        return;
      }
      const result = await local({ method, path: url.pathname, query: url.searchParams, body });
      send(res, result.status, result.body, result.contentType, result.headers);
      return;
    }

    const match = routes
      .filter((r) => r.route.method === method)
      .map((r) => ({ r, m: r.pattern.exec(url.pathname) }))
      .find((x) => x.m);
    if (!match?.m) {
      send(res, 404, { error: { code: 'not_found', message: `no route ${method} ${url.pathname}` } });
      return;
    }

    let claims: Record<string, string | number | boolean> | undefined;
    if (match.r.route.auth !== 'public') {
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const payload = token ? await options.auth.verify(token) : undefined;
      if (!payload) {
        send(res, 401, { error: { code: 'unauthorized', message: 'Missing or invalid bearer token' } });
        return;
      }
      claims = claimsAsApiGatewayPassesThem(payload);
    }

    const pathParameters: Record<string, string> = {};
    for (const [i, name] of match.r.parameterNames.entries()) {
      // A malformed escape ("%", "%zz", a cut UTF-8 sequence) is the caller's mistake, as API Gateway answers it.
      const decoded = decodePathSegment(match.m[i + 1]!);
      if (decoded === undefined) {
        send(res, 400, { error: { code: 'validation_failed', message: `path.${name}: malformed percent-encoding` } });
        return;
      }
      pathParameters[name] = decoded;
    }
    const event = toApiGatewayEvent(req, url, method, match.r.route, rawBody, pathParameters, claims);
    const result = await invoke<APIGatewayProxyStructuredResultV2>(options.handlers, match.r.functionId, event);
    res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
    res.end(result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? ''));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function toApiGatewayEvent(
  req: IncomingMessage,
  url: URL,
  method: string,
  route: HttpRoute,
  body: Buffer,
  pathParameters: Record<string, string>,
  claims: Record<string, string | number | boolean> | undefined,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['x-forwarded-proto'] ??= 'http';
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const isText = /json|text|csv|x-www-form-urlencoded/.test(headers['content-type'] ?? 'application/json');
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown, contentType = 'application/json', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
