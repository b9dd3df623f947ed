import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

/** What a caller may send as `X-Request-Id`: short, printable, safe in logs and NATS headers. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function validRequestId(value: unknown): string | undefined {
  return typeof value === 'string' && REQUEST_ID.test(value) ? value : undefined;
}

/**
 * Fastify's `genReqId`: the caller's `X-Request-Id` (or the older `X-Correlation-Id`) when it is sane,
 * else a new UUID. It becomes `request.id`, is echoed on the reply and travels on as the correlation id.
 */
export function requestIdOf(req: IncomingMessage): string {
  return validRequestId(req.headers['x-request-id']) ?? validRequestId(req.headers['x-correlation-id']) ?? randomUUID();
}
