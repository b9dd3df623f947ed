import { FastifyInstance } from 'fastify';
import { httpRequestDuration } from '@study-buddy/observability';

/**
 * Every answered request into `http_server_request_duration_seconds`, labelled by the route's template
 * (`/videos/:id`, never the id itself, so the series stay few) and `unmatched` for paths no route
 * serves: an attacker's random paths must not mint a series each.
 */
export function measureRequests(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    httpRequestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
