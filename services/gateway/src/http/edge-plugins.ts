import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatewayEnv } from '../config';

/**
 * What the public door adds to every reply: security headers (an API serves no pages, so the
 * strictest content policy) and CORS only for the configured origins (none by default).
 */
export async function registerEdgePlugins(
  app: NestFastifyApplication,
  env: Pick<GatewayEnv, 'CORS_ORIGINS'>,
): Promise<void> {
  await app.register(fastifyHelmet, {
    // useDefaults off: helmet's defaults would add page directives (style-src 'unsafe-inline' https: ...)
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  await app.register(fastifyCors, {
    origin: env.CORS_ORIGINS.length > 0 ? env.CORS_ORIGINS : false,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'if-match', 'last-event-id', 'x-request-id'],
    exposedHeaders: ['etag', 'retry-after', 'x-request-id'],
    maxAge: 600,
  });
}
