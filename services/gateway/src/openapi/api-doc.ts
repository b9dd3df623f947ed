import { SetMetadata } from '@nestjs/common';
import { z } from 'zod';
import { ErrorCode } from '@study-buddy/contracts';

export const API_DOC = 'study-buddy:api-doc';

/** One successful reply. `contract`: a service's camelCase schema, documented as the snake_case the gateway sends. */
export interface ApiReply {
  description: string;
  /** The reply exactly as sent (the gateway's own snake_case shapes). */
  schema?: z.ZodType;
  /** A contract's reply schema (camelCase): its snake_case form is what goes out (see `toSnakeCase`). */
  contract?: z.ZodType;
  /** Something other than JSON (Server-Sent Events, HTML, a file); several when a query picks one. */
  contentType?: string | string[];
  /** The body is a file's bytes (documented as `format: binary`). */
  binary?: boolean;
  /** Response headers worth documenting (e.g. `Set-Cookie`). */
  headers?: Record<string, { schema: z.ZodType; description: string }>;
  example?: unknown;
}

/**
 * What the OpenAPI document says about a route, next to the route itself: the same schemas the
 * handler validates with, so the document cannot describe a different request than the one checked.
 * Method, path and whether the route is public come from Nest's own decorators.
 */
export interface ApiDoc {
  summary: string;
  description?: string;
  tag: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyExample?: unknown;
  /** The body may be left out altogether. */
  bodyOptional?: boolean;
  /** Request headers the route reads (the bearer token is declared by the security scheme). */
  headers?: Record<string, { schema: z.ZodType; description: string }>;
  replies: Record<number, ApiReply>;
  /** The error codes the route itself can answer, beyond those every route can (see `COMMON_ERRORS`). */
  errors?: ErrorCode[];
}

/** Put on every HTTP handler of the gateway; a spec fails for a route without one. */
export const Api = (doc: ApiDoc) => SetMetadata(API_DOC, doc);
