import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, RPC_CLIENT } from '@study-buddy/nest-kit';
import { createRecordingRpc } from '@study-buddy/service-testing';
import { AccessTokens } from '../auth/access-tokens';
import { JwtAuthGuard } from '../auth/auth.guard';
import { generateSigningKeyPem, parseSigningKeys } from '../auth/signing-keys';
import { gatewayOpenApi } from '../openapi/gateway-openapi';
import { OPENAPI_DOCUMENT, OpenApiController } from '../openapi/openapi.controller';
import { ACCESS_TOKENS } from '../sessions/sessions.service';
import { registerEdgePlugins } from './edge-plugins';
import { NotesController } from './notes.controller';
import { apiSegments, registerWebApp, servesAppPage } from './web-app';

const CONTROLLERS = [NotesController, OpenApiController];
const document = gatewayOpenApi(CONTROLLERS).document;

@Module({
  controllers: CONTROLLERS,
  providers: [
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: ACCESS_TOKENS, useValue: new AccessTokens(parseSigningKeys(generateSigningKeyPem()), 900) },
    { provide: RPC_CLIENT, useValue: createRecordingRpc() },
    { provide: OPENAPI_DOCUMENT, useValue: document },
  ],
})
class WebAppTestModule {}

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd.js"></script></head></html>';

async function appServing(directory: string) {
  let served = false;
  const app = await createHttpApp(WebAppTestModule, { env: { TRUST_PROXY: false } } as never, {
    configureHttp: async (a) => {
      await registerEdgePlugins(a, { CORS_ORIGINS: [] });
      served = await registerWebApp(a, { directory, reserved: apiSegments(document) });
    },
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, served };
}

describe('which requests are the web app’s pages', () => {
  const reserved = apiSegments(document);
  const page = (url: string, accept = HTML, method = 'GET') => servesAppPage({ method, url, accept }, reserved);

  it('knows the API’s paths from the OpenAPI document, and the reserved ones', () => {
    expect([...reserved]).toEqual(expect.arrayContaining(['notes', 'openapi.json', 'docs', '.well-known', 'healthz']));
  });

  it('is a browser navigation (GET or HEAD, Accept: text/html) outside the API', () => {
    expect(page('/')).toBe(true);
    expect(page('/library')).toBe(true);
    expect(page('/read/7c9e6679-7425-40de-944b-e07fc1f90ae7?tab=answers')).toBe(true);
    expect(page('/', HTML, 'HEAD')).toBe(true);
    expect(page('/', 'text/html')).toBe(true);
  });

  it('never is an API path, the docs, the document, health, .well-known, an asset or a file name', () => {
    for (const url of [
      '/notes',
      '/notes/7c9e6679-7425-40de-944b-e07fc1f90ae7',
      '/docs',
      '/openapi.json',
      '/.well-known/jwks.json',
      '/healthz',
      '/readyz',
      '/assets/index-Ab12Cd.js',
      '/favicon.ico',
    ])
      expect([url, page(url)]).toEqual([url, false]);
  });

  it('never is a request that does not ask for HTML, or is not a GET', () => {
    expect(page('/library', '*/*')).toBe(false);
    expect(page('/library', 'application/json')).toBe(false);
    expect(page('/library', '')).toBe(false);
    expect(page('/library', 'text/html;q=0')).toBe(false);
    expect(page('/library', HTML, 'POST')).toBe(false);
  });
});

describe('the gateway serving the web app', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'study-buddy-web-'));
  let app: NestFastifyApplication;

  beforeAll(async () => {
    mkdirSync(path.join(directory, 'assets'));
    writeFileSync(path.join(directory, 'index.html'), INDEX);
    writeFileSync(path.join(directory, 'assets', 'index-Ab12Cd.js'), 'console.log(1);');
    const started = await appServing(directory);
    app = started.app;
    expect(started.served).toBe(true);
  });
  afterAll(async () => {
    await app.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const get = (url: string, accept?: string) => app.inject({ method: 'GET', url, headers: accept ? { accept } : {} });

  it('answers / and the app’s routes with index.html, never cached, under the app’s content policy', async () => {
    for (const url of ['/', '/library', '/read/some-note']) {
      const response = await get(url, HTML);
      expect([url, response.statusCode]).toEqual([url, 200]);
      expect(response.body).toBe(INDEX);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("img-src 'self' https://i.ytimg.com;");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves the hashed assets as immutable for a year', async () => {
    const response = await get('/assets/index-Ab12Cd.js');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('console.log(1);');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('leaves the API, its 404s and its strict policy as they were', async () => {
    const note = await get(`/notes/${randomUUID()}`, HTML);
    expect(note.statusCode).toBe(401);
    expect(JSON.parse(note.body).error.code).toBe('unauthorized');
    for (const [url, accept] of [
      ['/no-such-route', '*/*'],
      ['/assets/missing-Zz99.js', HTML],
      ['/favicon.ico', 'image/avif,image/webp,*/*'],
      [`/notes/${randomUUID()}/no/such/thing`, HTML],
    ] as const) {
      const response = await get(url, accept);
      expect([url, response.statusCode]).toEqual([url, 404]);
      expect(JSON.parse(response.body).error.code).toBe('not_found');
      expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    }
    const post = await app.inject({ method: 'POST', url: '/library', headers: { accept: HTML } });
    expect(post.statusCode).toBe(404);
  });

  it('keeps the docs page and the document', async () => {
    const docs = await get('/docs', HTML);
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('<html');
    expect(docs.body).not.toBe(INDEX);
    expect(docs.headers['content-security-policy']).toContain("default-src 'none'");
    const openapi = await get('/openapi.json', HTML);
    expect(openapi.statusCode).toBe(200);
    expect(JSON.parse(openapi.body).openapi).toBe('3.1.0');
  });
});

describe('the gateway without a web app build', () => {
  it('says so and serves the API alone', async () => {
    const { app, served } = await appServing(path.join(tmpdir(), `no-web-app-${randomUUID()}`));
    try {
      expect(served).toBe(false);
      const response = await app.inject({ method: 'GET', url: '/', headers: { accept: HTML } });
      expect(response.statusCode).toBe(404);
      expect(JSON.parse(response.body).error.code).toBe('not_found');
    } finally {
      await app.close();
    }
  });
});
