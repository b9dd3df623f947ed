import fastifyCors from '@fastify/cors';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatewayEnv } from '../config';
import { securityHeaders } from './security-headers';

/**
 * What the public door adds to every reply: security headers (an API serves no pages, so the
 * strictest content policy) and CORS only for the configured origins (none by default).
 */
export async function registerEdgePlugins(
  app: NestFastifyApplication,
  env: Pick<GatewayEnv, 'CORS_ORIGINS'>,
): Promise<void> {
  const headers = securityHeaders({
    // useDefaults off: helmet's defaults would add page directives (style-src 'unsafe-inline' https: ...)
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  // onRequest: on every reply, a 404 or an error too; a route that serves a page sets its own policy
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  await app.register(fastifyCors, {
    origin: env.CORS_ORIGINS.length > 0 ? env.CORS_ORIGINS : false,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'if-match', 'last-event-id', 'x-request-id'],
    exposedHeaders: ['etag', 'retry-after', 'x-request-id'],
    maxAge: 600,
  });
}
