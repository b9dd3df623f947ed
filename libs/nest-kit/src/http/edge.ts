import { Socket } from 'node:net';
import { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { ErrorPayload } from '@study-buddy/contracts';
import { requestIdOf } from './request-id';

/**
 * Fastify's own refusals, which happen before routing (so no Nest filter sees them), in the
 * platform's error shape. None repeats the path or a header back: they are attacker-chosen.
 */
function frameworkErrorPayload(error: { code?: string; statusCode?: number }): {
  status: number;
  payload: ErrorPayload;
} {
  switch (error.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, payload: { code: 'uri_too_long', message: 'A path segment of this URL is too long' } };
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_INVALID_URL':
      return { status: 400, payload: { code: 'bad_request', message: 'The URL is not validly percent-encoded' } };
    default:
      return { status: 400, payload: { code: 'bad_request', message: 'The request could not be routed' } };
  }
}

function sendFrameworkError(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  const { status, payload } = frameworkErrorPayload(error);
  void reply.code(status).header('x-request-id', request.id).send({ error: payload });
}

/** Errors of the HTTP parser itself (header block too large, garbage on the wire): answered raw, then closed. */
function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, payload]: [number, string, ErrorPayload] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'Request Header Fields Too Large',
          { code: 'headers_too_large', message: 'The request headers are too large' },
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', { code: 'bad_request', message: 'The request took too long to arrive' }]
        : [400, 'Bad Request', { code: 'bad_request', message: 'The request is not valid HTTP' }];
  const body = JSON.stringify({ error: payload });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export interface EdgeOptions {
  bodyLimitBytes: number;
  trustProxy: boolean;
}

/** The Fastify options every service's HTTP server starts with. */
export function edgeFastifyOptions(options: EdgeOptions): FastifyServerOptions {
  return {
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy,
    // Longer than any id or cursor the API issues; a longer segment is a 414, not a routing miss.
    routerOptions: { maxParamLength: 200 },
    genReqId: requestIdOf,
    requestIdHeader: false,
    frameworkErrors: sendFrameworkError,
    clientErrorHandler,
    return503OnClosing: true,
  };
}

/** Echoes the request id on every reply, so a client can quote it when reporting a problem. */
export function echoRequestId(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  void reply.header('x-request-id', request.id);
  done();
}
