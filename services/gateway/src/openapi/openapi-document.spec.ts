import { createHash } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { videoView } from '@study-buddy/contracts';
import { createHttpApp } from '@study-buddy/nest-kit';
import { findOperation, openApiDocumentErrors, responseErrors, schemaErrors } from '@study-buddy/testing';
import { GATEWAY_CONTROLLERS } from '../app.module';
import { registerEdgePlugins } from '../http/edge-plugins';
import { toSnakeCase } from '../http/snake-case';
import { gatewayOpenApi } from './gateway-openapi';
import { jsonSchema } from './openapi-document';
import { OPENAPI_DOCUMENT, OpenApiController } from './openapi.controller';
import { snakeCaseJsonSchema } from './snake-case-schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const { document, undocumented } = gatewayOpenApi(GATEWAY_CONTROLLERS);
const doc = document as Json;

describe('the OpenAPI document', () => {
  it('documents every HTTP route the gateway registers (add @Api(...) next to the route)', () => {
    expect(undocumented).toEqual([]);
    const operations = Object.values(doc.paths as Json).flatMap((item) => Object.keys(item as Json));
    expect(operations.length).toBeGreaterThanOrEqual(28);
  });

  it('holds as OpenAPI 3.1', () => {
    expect(openApiDocumentErrors(document)).toEqual([]);
  });

  it('has examples that match their own schemas', () => {
    const failures: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Json))
      for (const [method, op] of Object.entries(item as Json)) {
        const bodies = [
          op.requestBody?.content,
          ...Object.values(op.responses as Record<string, Json>).map((r) => r.content),
        ];
        for (const content of bodies.filter(Boolean))
          for (const media of Object.values(content as Json))
            if (media.example !== undefined)
              failures.push(...schemaErrors(media.schema, media.example, doc).map((e) => `${method} ${path}: ${e}`));
      }
    expect(failures).toEqual([]);
  });

  it('marks public routes, and gives the others the bearer scheme and a 401', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(doc.paths['/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/credits/packages'].get.security).toEqual([]);
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    expect(doc.paths['/videos/{id}'].get.security).toBeUndefined();
    expect(
      doc.paths['/videos/{id}'].get.responses['401'].content['application/json'].schema.properties.error.properties.code
        .enum,
    ).toEqual(['unauthorized']);
  });

  it('lists the error codes each route can answer, by status', () => {
    const submit = doc.paths['/videos'].post;
    const codes = (status: number) =>
      submit.responses[status].content['application/json'].schema.properties.error.properties.code.enum;
    expect(codes(400)).toEqual(expect.arrayContaining(['bad_request', 'validation_failed', 'invalid_url']));
    expect(codes(402)).toEqual(['insufficient_credits']);
    expect(codes(429)).toEqual(['rate_limited']);
    expect(submit.responses['429'].headers['Retry-After']).toBeDefined();
    expect(doc.paths['/notes/{id}'].get.responses['404']).toBeDefined();
    expect(doc.paths['/credits'].get.responses['404']).toBeUndefined();
  });

  it('describes pagination with the same limits the query validation has', () => {
    const params = doc.paths['/videos'].get.parameters as Json[];
    const limit = params.find((p) => p.name === 'limit')!;
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { minimum: 1, maximum: 100, default: 20 } });
    expect(params.find((p) => p.name === 'cursor')).toMatchObject({
      in: 'query',
      description: expect.stringContaining('next_cursor'),
      schema: { maxLength: 200 },
    });
    const page = doc.paths['/videos'].get.responses['200'].content['application/json'].schema;
    expect(page.required).toEqual(['items', 'next_cursor']);
  });

  it('takes the submit body limits from the one schema that validates them', () => {
    const body = doc.paths['/videos'].post.requestBody.content['application/json'].schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.transcript.maxLength).toBe(600_000);
    expect(body.properties.url.maxLength).toBe(2048);
  });

  it('spells contract replies in snake_case, as toSnakeCase sends them', () => {
    const schema = snakeCaseJsonSchema(jsonSchema(videoView, 'output'));
    expect(Object.keys(schema.properties as Json)).toContain('youtube_video_id');
    expect(schema.required).toContain('status_message');
    const view = videoView.parse({
      videoId: '3f0d6c1e-5b2a-4c7d-9e8f-1a2b3c4d5e6f',
      youtubeVideoId: 'dQw4w9WgXcQ',
      url: 'https://youtu.be/dQw4w9WgXcQ',
      status: 'failed',
      progress: 25,
      step: 'fetching_transcript',
      statusMessage: null,
      noteId: null,
      title: null,
      subject: null,
      error: { message: 'No captions', failedStep: 'fetching_transcript', retryable: false },
      createdAt: '2026-12-01T12:00:00.000Z',
      updatedAt: '2026-12-01T12:00:00.000Z',
      completedAt: null,
      attempt: 1,
    });
    expect(schemaErrors(schema, toSnakeCase(view))).toEqual([]);
    expect(schemaErrors(schema, view)).not.toEqual([]);
    const found = findOperation(document, 'GET', '/videos/3F0D6C1E-5B2A-4C7D-9E8F-1A2B3C4D5E6F?x=1')!;
    expect(found.template).toBe('/videos/{id}');
    expect(responseErrors(document, found, 200, toSnakeCase(view))).toEqual([]);
    expect(responseErrors(document, found, 201, toSnakeCase(view))).toEqual(['status 201 is not declared']);
  });
});

@Module({ controllers: [OpenApiController], providers: [{ provide: OPENAPI_DOCUMENT, useValue: document }] })
class DocsTestModule {}

describe('GET /openapi.json and /docs', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createHttpApp(DocsTestModule, { env: { TRUST_PROXY: false } } as never, {
      configureHttp: (a) => registerEdgePlugins(a, { CORS_ORIGINS: [] }),
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('serves the document as JSON', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual(document);
  });

  it('serves a page that renders every route, needs no script and loads nothing from elsewhere', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    // the hash is the page's own stylesheet, so a browser applies it
    const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)![1];
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(res.body).not.toMatch(/<script|<link|<img|\ssrc=|@import/);
    for (const path of Object.keys(doc.paths as Json)) expect(res.body).toContain(`>${path.replace(/&/g, '&amp;')}<`);
  });

  it('keeps the strict policy on the API routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });
});
