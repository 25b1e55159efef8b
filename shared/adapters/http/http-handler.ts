/**
 * The HTTP edge every API function goes through: authenticate (claims placed by the API Gateway JWT
 * authorizer, or by the local API after the same checks), authorise the role, parse params/query/body with
 * the route's zod schemas, call the use case, map domain errors to `{"error": {"code", "message"}}`.
 * Bad input is always a 4xx; only a genuine fault is a 500, and its details stay in the log.
 */
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { z } from 'zod';
import { ForbiddenError, UnauthorizedError, ValidationError, isDomainError, VersionConflictError } from '#shared/kernel/errors.ts';
import type { HttpRoute, Role } from '#shared/api/routes.ts';
import type { Caller } from '#shared/customers/views.ts';
import { illFormedTextPath } from '#shared/kernel/text.ts';
import { CORRELATION_HEADER, logger, withCorrelationId } from '../observability.ts';
import { observedInvocation } from '../lambda-edge.ts';

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface ParsedRequest<R extends HttpRoute> {
  readonly body: Infer<R['body']>;
  readonly query: Infer<R['query']>;
  readonly params: Infer<R['params']>;
  /** Null only on public routes. */
  readonly caller: R['auth'] extends 'public' ? null : Caller;
  readonly event: APIGatewayProxyEventV2WithJWTAuthorizer;
}

export interface HttpResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type ApiHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A route's handler as the API's edge (a Lambda handler), and without the edge for a router to dispatch to. */
export type RouteHandler = ApiHandler & { readonly withoutEdge: ApiHandler };

/**
 * The handler of one route, behind the HTTP edge (`httpEdge`); a function serving several routes gives these to
 * `httpRouter`, which puts the edge around the dispatch instead, so every invocation passes it once.
 */
export function httpHandler<R extends HttpRoute>(route: R, run: (request: ParsedRequest<R>) => Promise<HttpResult>): RouteHandler {
  const withoutEdge: ApiHandler = async (event) => {
    try {
      const caller = route.auth === 'public' ? null : authorise(event, route.auth);
      const request = {
        caller,
        event,
        params: parse(route.params, event.pathParameters ?? {}, 'path'),
        query: parse(route.query, event.queryStringParameters ?? {}, 'query'),
        body: route.body ? parse(route.body, readJsonBody(event), 'body') : undefined,
      } as ParsedRequest<R>;
      const result = await run(request);
      return {
        statusCode: result.status,
        headers: { 'content-type': 'application/json', ...result.headers },
        body: result.body === undefined ? '' : typeof result.body === 'string' ? result.body : JSON.stringify(result.body),
      };
    } catch (error) {
      return errorResponse(error);
    }
  };
  return Object.assign(httpEdge(withoutEdge), { withoutEdge });
}

/**
 * The edge of every API function: the Powertools middlewares (lambda-edge.ts) and the correlation id, taken from
 * the caller's `x-correlation-id` header when it is a plausible id, else API Gateway's request id; every response
 * names it in the same header, and one access line (`http request`) is logged per request.
 */
export function httpEdge(handler: ApiHandler): ApiHandler {
  const observed = observedInvocation(async (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => {
    const response = await handler(event, context);
    logger.info('http request', { route: event.routeKey, status: response.statusCode });
    return response;
  });
  return async (event, context) => {
    const correlationId = requestCorrelationId(event, context);
    const response = await withCorrelationId(correlationId, () => observed(event, context));
    return { ...response, headers: { ...response.headers, [CORRELATION_HEADER]: correlationId } };
  };
}

const PLAUSIBLE_CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}$/;

function requestCorrelationId(event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context): string {
  // API Gateway lower-cases header names of HTTP APIs; the local API does the same.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a request without headers is possible (a direct invocation)
  const given = event.headers?.[CORRELATION_HEADER];
  if (given && PLAUSIBLE_CORRELATION_ID.test(given)) return given;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above: API Gateway always sets it, a direct invocation may not
  return event.requestContext?.requestId || context.awsRequestId;
}

/**
 * One function serving several routes of one resource: dispatches on the API Gateway route key
 * ("POST /contracts/{product}/cancellation") to the handler built for that route.
 */
export function httpRouter(handlers: readonly { route: HttpRoute; handler: RouteHandler }[]): ApiHandler {
  const byKey = new Map(handlers.map((h) => [`${h.route.method} ${h.route.path}`, h.handler.withoutEdge]));
  return httpEdge(async (event, context) => {
    const handler = byKey.get(event.routeKey);
    if (!handler) return json(404, { error: { code: 'not_found', message: `no route ${event.routeKey}` } });
    return handler(event, context);
  });
}

export function errorResponse(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (isDomainError(error)) {
    if (error.httpStatus >= 500) logger.error('domain fault', { error });
    return json(error.httpStatus, { error: { code: error.code, message: error.message } });
  }
  // Two requests changed the same record at once and this one lost the conditional write: nothing of it was
  // applied, and the caller may simply try again.
  if (error instanceof VersionConflictError) {
    return json(409, { error: { code: 'concurrent_update', message: `${error.message}; nothing was changed, try again` } });
  }
  logger.error('unhandled error', { error: error as Error });
  return json(500, { error: { code: 'internal', message: 'Internal error; it has been logged' } });
}

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Reads the caller from JWT claims in the shape API Gateway HTTP APIs pass them (arrays as "[a b]" strings). */
export function authorise(event: APIGatewayProxyEventV2WithJWTAuthorizer, allowed: readonly Role[]): Caller {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a request that reached a public route or bypassed the authorizer has none, whatever the event type says
  const claims = event.requestContext.authorizer?.jwt?.claims;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- see above
  if (!claims || typeof claims.sub !== 'string') throw new UnauthorizedError();
  const groups = parseGroups(claims['cognito:groups']);
  const role = allowed.find((r) => groups.includes(r));
  if (!role) throw new ForbiddenError(`this route is for ${allowed.join(' or ')} callers`);
  const tenant = claims['custom:tenant_id'];
  const tenantId = typeof tenant === 'string' && tenant.length > 0 ? tenant : null;
  if (role === 'customer' && !tenantId) throw new ForbiddenError('customer token without a tenant');
  const staff = claims['custom:staff_id'];
  const isStaff = role === 'csm' || role === 'csm-lead';
  const staffId = isStaff ? (typeof staff === 'string' && staff.length > 0 ? staff : claims.sub) : null;
  return { role: isStaff ? 'csm' : 'customer', lead: isStaff && groups.includes('csm-lead'), subject: claims.sub, tenantId, staffId };
}

function parseGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

function readJsonBody(event: APIGatewayProxyEventV2WithJWTAuthorizer): unknown {
  if (!event.body) throw new ValidationError('body: a JSON body is required', { field: 'body' });
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('body: not valid JSON', { field: 'body' });
  }
  rejectIllFormedText(body, 'body');
  return body;
}

/**
 * A lone surrogate (`"\ud83d"` in JSON) is not Unicode text: no e-mail, SMS or SNS message can carry it. It is
 * refused here, before any write, rather than stored and failing later at a send.
 */
function rejectIllFormedText(input: unknown, where: string): void {
  const path = illFormedTextPath(input);
  if (path !== undefined) {
    throw new ValidationError(`${[where, ...path.map(String)].join('.')}: contains a lone UTF-16 surrogate (not valid Unicode text)`, { field: where });
  }
}

function parse<S extends z.ZodType | undefined>(schema: S, input: unknown, where: string): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  if (where !== 'body') rejectIllFormedText(input, where);
  const result = schema.safeParse(input);
  if (result.success) return result.data as Infer<S>;
  const issues = result.error.issues.slice(0, 5).map((issue) => {
    const path = [where, ...issue.path.map(String)].join('.');
    return `${path}: ${issue.message}`;
  });
  throw new ValidationError(issues.join('; '), { issues: result.error.issues.length });
}
