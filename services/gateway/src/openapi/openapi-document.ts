import 'reflect-metadata';
import { RequestMethod, Type } from '@nestjs/common';
import { z } from 'zod';
import { ERROR_HTTP_STATUS, ErrorCode } from '@study-buddy/contracts';
import { IS_PUBLIC } from '@study-buddy/nest-kit';
import { API_DOC, ApiDoc, ApiReply } from './api-doc';
import { RATE_LIMIT } from '../http/rate-limit.guard';
import { snakeCaseJsonSchema } from './snake-case-schema';

type Json = Record<string, unknown>;

/** What any route can answer: the edge's own refusals, a bug, and an outage of what is behind it. */
const COMMON_ERRORS: ErrorCode[] = [
  'bad_request',
  // an unknown query parameter, on any route
  'validation_failed',
  'uri_too_long',
  'headers_too_large',
  'internal',
  'unavailable',
  'timeout',
];
const BODY_ERRORS: ErrorCode[] = ['bad_request', 'validation_failed', 'payload_too_large', 'unsupported_media_type'];

const EXAMPLE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  validation_failed: 'Invalid query: limit: must be between 1 and 100',
  unauthorized: 'A valid access token is required',
  not_found: 'Video not found',
  insufficient_credits: 'No credits left: buy a package at /credits/checkout',
  rate_limited: 'Too many requests of this kind: try again in 42 s',
};

const METHOD_NAMES: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect): requests as accepted, replies as produced. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Json;
  return rest;
}

function errorEnvelope(codes: ErrorCode[]): Json {
  return {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: codes },
          message: { type: 'string', description: 'Plain words for a person; never echoes the request' },
          details: { description: 'Machine-readable specifics, e.g. `{ issues: [...] }` for validation_failed' },
        },
      },
    },
  };
}

function replySchema(reply: ApiReply): Json | undefined {
  if (reply.contract) return snakeCaseJsonSchema(jsonSchema(reply.contract, 'output'));
  if (reply.schema) return jsonSchema(reply.schema, 'output');
  return undefined;
}

/** A route Nest knows about: `GET /videos/{id}`, its handler and its documentation (if any). */
export interface DiscoveredRoute {
  method: string;
  path: string;
  handler: string;
  isPublic: boolean;
  /** `@RateLimit` on the handler: 429 with Retry-After beyond the budget. */
  rateLimited: boolean;
  doc?: ApiDoc;
}

/** The HTTP routes of `controllers`, read from the same metadata Nest's router reads. */
export function discoverRoutes(controllers: Type[], extraDocs: Record<string, ApiDoc> = {}): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata('path', controller) ?? '');
    const classPublic = Reflect.getMetadata(IS_PUBLIC, controller) === true;
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = METHOD_NAMES[Reflect.getMetadata('method', handler) as RequestMethod];
      if (!method) continue; // not an HTTP route (a NATS handler, a helper)
      const sub = String(Reflect.getMetadata('path', handler) ?? '');
      const segments = [base, sub].flatMap((p) => p.split('/')).filter(Boolean);
      const path = `/${segments.map((s) => (s.startsWith(':') ? `{${s.slice(1)}}` : s)).join('/')}`;
      const handlerName = `${controller.name}.${name}`;
      routes.push({
        method,
        path,
        handler: handlerName,
        isPublic: classPublic || Reflect.getMetadata(IS_PUBLIC, handler) === true,
        rateLimited: Reflect.getMetadata(RATE_LIMIT, handler) !== undefined,
        doc: (Reflect.getMetadata(API_DOC, handler) as ApiDoc | undefined) ?? extraDocs[handlerName],
      });
    }
  }
  return routes;
}

function operation(route: DiscoveredRoute & { doc: ApiDoc }): Json {
  const { doc } = route;
  const pathParams = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const parameters: Json[] = pathParams.map((name) => ({
    name,
    in: 'path',
    required: true,
    description: 'A UUID, in any letter case; anything else names nothing (404)',
    schema: { type: 'string', format: 'uuid' },
  }));
  if (doc.query) {
    const query = jsonSchema(doc.query, 'input');
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((query.properties ?? {}) as Record<string, Json>))
      parameters.push({
        name,
        in: 'query',
        required: required.has(name),
        ...(schema.description ? { description: schema.description } : {}),
        schema,
      });
  }
  for (const [name, header] of Object.entries(doc.headers ?? {}))
    parameters.push({
      name,
      in: 'header',
      description: header.description,
      schema: jsonSchema(header.schema, 'input'),
    });

  const codes = new Set<ErrorCode>([...COMMON_ERRORS, ...(doc.errors ?? [])]);
  if (!route.isPublic) codes.add('unauthorized');
  if (pathParams.length) codes.add('not_found');
  if (doc.body) BODY_ERRORS.forEach((c) => codes.add(c));
  if (route.rateLimited) codes.add('rate_limited');

  const responses: Json = {};
  for (const [status, reply] of Object.entries(doc.replies)) {
    const schema = replySchema(reply);
    const contentTypes = [reply.contentType ?? 'application/json'].flat();
    const content = Object.fromEntries(
      contentTypes.map((contentType) => [
        contentType,
        {
          schema: schema ?? (reply.binary ? { type: 'string', format: 'binary' } : { type: 'string' }),
          ...(reply.example !== undefined ? { example: reply.example } : {}),
        },
      ]),
    );
    const headers = Object.entries(reply.headers ?? {}).map(([name, header]) => [
      name,
      { description: header.description, schema: jsonSchema(header.schema, 'output') },
    ]);
    responses[status] = {
      description: reply.description,
      ...(headers.length ? { headers: Object.fromEntries(headers) } : {}),
      ...(schema || reply.contentType ? { content } : {}),
    };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(ERROR_HTTP_STATUS[code], [...(byStatus.get(ERROR_HTTP_STATUS[code]) ?? []), code]);
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const retryAfter = status === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } } : {};
    responses[String(status)] = {
      description: `Error: ${list.join(', ')}`,
      ...retryAfter,
      content: {
        'application/json': {
          schema: errorEnvelope(list),
          example: {
            error: { code: list[0], message: EXAMPLE_MESSAGES[list[0]] ?? 'What went wrong, in plain words' },
          },
        },
      },
    };
  }

  return {
    operationId: route.handler.replace(/Controller\./, '_').replace(/^./, (c) => c.toLowerCase()),
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    ...(route.isPublic ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(doc.body
      ? {
          requestBody: {
            required: !doc.bodyOptional,
            content: {
              'application/json': {
                schema: jsonSchema(doc.body, 'input'),
                ...(doc.bodyExample !== undefined ? { example: doc.bodyExample } : {}),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

export interface OpenApiBuild {
  document: Json;
  /** Routes Nest serves that have no `@Api(...)`: a spec insists this is empty. */
  undocumented: string[];
}

/** The OpenAPI 3.1 document of every documented route of `controllers`. */
export function buildOpenApiDocument(
  controllers: Type[],
  info: { title: string; version: string; description?: string },
  extraDocs: Record<string, ApiDoc> = {},
): OpenApiBuild {
  const paths: Record<string, Json> = {};
  const undocumented: string[] = [];
  for (const route of discoverRoutes(controllers, extraDocs)) {
    if (!route.doc) {
      undocumented.push(`${route.method.toUpperCase()} ${route.path} (${route.handler})`);
      continue;
    }
    paths[route.path] = { ...paths[route.path], [route.method]: operation({ ...route, doc: route.doc }) };
  }
  const document = {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An access token from /auth/login, /auth/register or /auth/refresh (EdDSA, keys at /.well-known/jwks.json)',
        },
      },
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  };
  return { document, undocumented };
}
