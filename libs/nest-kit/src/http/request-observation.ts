import { LoggerService } from '@nestjs/common';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { httpRequestDuration, JsonLogger, nameActiveSpan, runWithLogContext } from '@study-buddy/observability';

/** Probes: the kubelet asks every few seconds; a line for each would drown the log. */
const PROBES = new Set(['/healthz', '/readyz', '/livez']);

/**
 * What every service records of each request: the log context (request id = correlation id, and the
 * user once authentication names them), the HTTP span named by its route template, one access-log
 * line, and `http_server_request_duration_seconds`. Routes are templates (`/videos/:id`, never the id)
 * and paths no route serves are `unmatched`: an attacker's random paths must not mint a series each.
 */
export function observeRequests(fastify: FastifyInstance, logger?: LoggerService): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    nameActiveSpan(`${request.method} ${routeOf(request)}`, { 'http.route': routeOf(request) });
    runWithLogContext({ requestId: request.id, correlationId: request.id }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request);
    const status = reply.statusCode;
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

const routeOf = (request: FastifyRequest): string => request.routeOptions.url ?? 'unmatched';
