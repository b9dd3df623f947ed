import { Type } from '@nestjs/common';
import { z } from 'zod';
import { ApiDoc } from './api-doc';
import { buildOpenApiDocument, OpenApiBuild } from './openapi-document';

/** Routes of shared controllers (nest-kit's health checks), documented here since they cannot carry `@Api`. */
const SHARED_ROUTE_DOCS: Record<string, ApiDoc> = {
  'HealthController.healthz': {
    tag: 'meta',
    summary: 'Liveness: the process answers',
    replies: {
      200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) },
      503: {
        description: 'A NATS connection gave up for good',
        schema: z.object({ status: z.literal('failed'), closed: z.array(z.string()) }),
      },
    },
  },
  'HealthController.readyz': {
    tag: 'meta',
    summary: 'Readiness: NATS, PostgreSQL, the event store, the blob store and the workers',
    replies: {
      200: { description: 'Ready', schema: z.looseObject({ status: z.string() }) },
      503: { description: 'Not ready: which check failed', schema: z.looseObject({ status: z.string() }) },
    },
  },
};

/** The gateway's OpenAPI document, from the controllers Nest serves. */
export function gatewayOpenApi(controllers: Type[]): OpenApiBuild {
  return buildOpenApiDocument(
    controllers,
    {
      title: 'Study Buddy',
      version: '1.0.0',
      description:
        'Notes from YouTube lectures. JSON in snake_case; errors are { "error": { code, message, details } }; lists are { items, next_cursor } (pass next_cursor back as cursor).',
    },
    SHARED_ROUTE_DOCS,
  );
}
