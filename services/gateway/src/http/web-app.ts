import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyReply, FastifyRequest } from 'fastify';
import { securityHeaders } from './security-headers';

/**
 * The web app (clients/web, built by Vite) served from the gateway itself, so it shares the API's
 * origin: no CORS, and the refresh-token cookie stays SameSite=Strict. `index.html` answers `/` and
 * the app's own routes (a browser navigation: GET with `Accept: text/html`, outside the API's
 * paths); the hashed files under `/assets/` are cached for good. Everything else is the API's,
 * unchanged, including its 404s.
 */

/** The app's policy: its own scripts, styles and API only, YouTube's thumbnails, nothing inline. */
export const WEB_APP_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'https://i.ytimg.com'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};
const WEB_APP_CSP = securityHeaders({
  contentSecurityPolicy: { useDefaults: false, directives: WEB_APP_CSP_DIRECTIVES },
})['content-security-policy'];

/** First path segments that are never the app's, whatever the Accept header says. */
const RESERVED_SEGMENTS = ['assets', 'docs', 'openapi.json', '.well-known', 'healthz', 'readyz', 'metrics'];

/** The first segments of the API's paths (`/notes/{id}` → `notes`), from the OpenAPI document. */
export function apiSegments(document: { paths?: Record<string, unknown> }): Set<string> {
  const segments = Object.keys(document.paths ?? {}).map((p) => p.split('/')[1] ?? '');
  return new Set([...segments.filter(Boolean), ...RESERVED_SEGMENTS]);
}

/** Whether this request is a browser asking for one of the app's pages. */
export function servesAppPage(
  request: { method: string; url: string; accept?: string },
  reserved: ReadonlySet<string>,
): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!acceptsHtml(request.accept)) return false;
  const pathname = request.url.split('?')[0];
  const segments = pathname.split('/');
  if (reserved.has(segments[1] ?? '')) return false;
  // a file name (favicon.ico, robots.txt): not a page of the app
  if (segments[segments.length - 1].includes('.')) return false;
  return true;
}

function acceptsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    return type.trim() === 'text/html' && !params.some((p) => p.trim() === 'q=0');
  });
}

export interface WebAppOptions {
  /** The Vite build (index.html and assets/); missing: no web app, the API alone. */
  directory: string;
  /** The API's first path segments (see `apiSegments`). */
  reserved: ReadonlySet<string>;
}

/** Registers the app's routes; answers whether the app is served. */
export async function registerWebApp(app: NestFastifyApplication, options: WebAppOptions): Promise<boolean> {
  const logger = new Logger('WebApp');
  if (!options.directory) {
    logger.log('web app off: WEB_APP_DIR is empty');
    return false;
  }
  const indexFile = path.join(options.directory, 'index.html');
  if (!existsSync(indexFile)) {
    logger.log(`web app off: no ${indexFile} (build it with npx nx build web, or set WEB_APP_DIR)`);
    return false;
  }
  const fastify = app.getHttpAdapter().getInstance();
  await app.register(fastifyStatic, {
    root: path.join(options.directory, 'assets'),
    prefix: '/assets/',
    index: false,
    dotfiles: 'deny',
    decorateReply: false,
    cacheControl: false,
    setHeaders: (reply) => reply.header('cache-control', 'public, max-age=31536000, immutable'),
  });
  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!servesAppPage({ method: request.method, url: request.url, accept: request.headers.accept }, options.reserved))
      return reply.callNotFound();
    // read each time: a rebuild while the gateway runs names new asset hashes
    const html = await readFile(indexFile);
    return reply
      .header('content-security-policy', WEB_APP_CSP)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(html);
  };
  fastify.get('/', page);
  fastify.get('/*', page);
  logger.log(`web app from ${options.directory} at /`);
  return true;
}
