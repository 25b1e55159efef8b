import * as z from 'zod';
import { errorBodySchema } from './schemas.ts';
import { httpRoutes, type HttpRoute } from './routes.ts';

/** Builds the OpenAPI 3.1 document from the route table: the API documents itself from the same schemas it validates with. */
export function buildOpenApiDocument(serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {};
  // Named schemas (.meta({ id })) become components; zod emits them as local $defs, which are hoisted here.
  const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): unknown => {
    const { $schema: _ignored, $defs, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
    const hoist = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as unknown;
    for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, unknown>)) schemas[name] ??= hoist(definition);
    return hoist(rest);
  };
  const errorResponse = (description: string): unknown => ({
    description,
    content: { 'application/json': { schema: jsonSchema(errorBodySchema, 'output') } },
  });
  for (const [operationId, route] of Object.entries(httpRoutes) as [string, HttpRoute][]) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = response.schema
        ? { description: response.description, content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } } }
        : { description: response.description, content: { 'application/json': { schema: jsonSchema(errorBodySchema, 'output') } } };
    }
    responses['400'] ??= errorResponse('Malformed request: the error message names the field');
    if (route.auth !== 'public') {
      responses['401'] ??= errorResponse('Missing or invalid bearer token');
      responses['403'] ??= errorResponse('The caller’s role may not use this route');
    }
    const operation: Record<string, unknown> = {
      operationId,
      summary: route.summary,
      security: route.auth === 'public' ? [] : [{ bearer: [] }],
      'x-roles': route.auth === 'public' ? [] : route.auth,
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      responses,
    };
    if (route.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } };
    }
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'sellerops API', version: '1.0.0', description: 'Repricer, Lost & Found and Customer Success back office' },
    servers: serverUrl ? [{ url: serverUrl }] : [],
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}
