import { LoggerService } from '@nestjs/common';
import { FastifyInstance, FastifyRequest } from 'fastify';
import {
  endServerSpan,
  httpRequestDuration,
  JsonLogger,
  runWithLogContext,
  Span,
  startServerSpan,
} from '@study-buddy/observability';

/** Probes: the kubelet asks every few seconds; a line for each would drown the log. */
const PROBES = new Set(['/healthz', '/readyz', '/livez']);

/**
 * What every service records of each request: the log context (request id = correlation id, and the
 * user once authentication names them), a server span named by its route template (continuing the
 * caller's `traceparent`; the rest of the request runs inside it), one access-log
 * line, and `http_server_request_duration_seconds`. Routes are templates (`/videos/:id`, never the id)
 * and paths no route serves are `unmatched`: an attacker's random paths must not mint a series each.
 */
export function observeRequests(fastify: FastifyInstance, logger?: LoggerService): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = routeOf(request);
    const logged = () => runWithLogContext({ requestId: request.id, correlationId: request.id }, done);
    if (PROBES.has(route)) return logged(); // no one follows a trace of a health check, and there are thousands
    const traceparent = request.headers.traceparent;
    const { span, run } = startServerSpan(
      `${request.method} ${route}`,
      typeof traceparent === 'string' ? traceparent : undefined,
      () => ({
        'http.request.method': request.method,
        'http.route': route,
        'url.path': request.url.split('?')[0].slice(0, 200),
        'client.address': request.ip,
        'request.id': request.id,
      }),
    );
    if (span) spans.set(request, span);
    run(logged);
  });
  // a client that goes away before the answer: its span ends too
  fastify.addHook('onRequestAbort', (request, done) => {
    const span = spans.get(request);
    spans.delete(request);
    if (span) endServerSpan(span, 499);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request);
    const status = reply.statusCode;
    const span = spans.get(request);
    spans.delete(request);
    if (span) endServerSpan(span, status);
    httpRequestDuration.observe(
      { method: request.method, route, status_code: String(status) },
      reply.elapsedTime / 1000,
    );
    if (logger && !PROBES.has(route)) {
      const userId = (request as FastifyRequest & { user?: { userId?: string } }).user?.userId;
      const duration = Math.round(reply.elapsedTime * 10) / 10;
      // the path without its query string: a query may carry what does not belong in a log
      const path = request.url.split('?')[0].slice(0, 200);
      if (!(logger instanceof JsonLogger)) logger.log(`${request.method} ${path} ${status} ${duration} ms`, 'HTTP');
      else
        logger.log(
          {
            msg: `${request.method} ${route} ${status}`,
            method: request.method,
            route,
            path,
            status,
            duration_ms: duration,
            request_id: request.id,
            ...(userId ? { user_id: userId } : {}),
          },
          'HTTP',
        );
    }
    done();
  });
}

/** Each request's server span, from its start to its answer. */
const spans = new WeakMap<FastifyRequest, Span>();

const routeOf = (request: FastifyRequest): string => request.routeOptions.url ?? 'unmatched';
