import { HttpException, Logger } from '@nestjs/common';
import { AppError, ErrorCode, ErrorPayload } from '@study-buddy/contracts';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '@study-buddy/event-store';
import { ZodError } from 'zod';
import { isDependencyOutage, OUTAGE_RETRY_AFTER_SECONDS } from './dependency-outage';

const logger = new Logger('Errors');

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'headers_too_large',
  503: 'unavailable',
};

/**
 * Any thrown value → `{ status, payload }`. Known failures keep their code and
 * message; anything unexpected is logged with its stack and becomes a generic
 * 500 that reveals nothing internal.
 */
export function toErrorPayload(error: unknown): { status: number; payload: ErrorPayload } {
  if (error instanceof AppError) return { status: error.httpStatus, payload: error.toPayload() };
  if (WrongExpectedRevisionError.is(error)) {
    // Still contended after the bounded retries: the caller may simply try again.
    return {
      status: 409,
      payload: { code: 'conflict', message: 'The resource was changed by another request at the same time; try again' },
    };
  }
  if (EventStoreUnavailableError.is(error)) {
    // The event store is restarting or electing a leader: as in a bus outage, the client tries again shortly.
    return {
      status: 503,
      payload: {
        code: 'unavailable',
        message: 'The event store is briefly unavailable; try again',
        details: { retryAfterSeconds: 2 },
      },
    };
  }
  if (error instanceof ZodError) {
    const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return { status: 400, payload: { code: 'validation_failed', message: 'Invalid request', details: { issues } } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = HTTP_STATUS_CODES[status] ?? (status >= 500 ? 'internal' : 'bad_request');
    // Nest's unmatched-route 404 says "Cannot GET /<the whole path>": never repeat an attacker's path back.
    const message =
      status >= 500 ? 'Internal error' : /^Cannot [A-Z]+ /.test(error.message) ? 'No such route' : error.message;
    return { status, payload: { code, message } };
  }
  // Fastify's own errors (malformed JSON, body too large, wrong content type) carry a 4xx statusCode.
  const fastify = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const status = fastify.statusCode;
    const message =
      fastify.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'Content-Type must be application/json'
        : fastify.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'Request body is too large'
          : fastify.code?.startsWith('FST_ERR_CTP')
            ? `Malformed request body: ${fastify.message ?? ''}`.trim()
            : (fastify.message ?? 'Bad request');
    return { status, payload: { code: HTTP_STATUS_CODES[status] ?? 'bad_request', message } };
  }
  if (isDependencyOutage(error)) {
    // An outage, not a bug: one line without a stack (and without a connection string: drivers do not put it in messages).
    logger.warn(`a dependency is unreachable: ${(error as Error).message || (error as { code?: string }).code}`);
    return {
      status: 503,
      payload: {
        code: 'unavailable',
        message: 'The platform is briefly unavailable (its database or storage is not answering); try again shortly',
        details: { retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS },
      },
    };
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return { status: 500, payload: { code: 'internal', message: 'Internal error' } };
}
