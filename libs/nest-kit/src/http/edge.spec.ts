import { connect } from 'node:net';
import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseOrThrow } from '@study-buddy/contracts';
import { z } from 'zod';
import { createHttpApp } from '../bootstrap';
import { PlatformConfig } from '../platform/platform-config';

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() body: unknown) {
    return parseOrThrow(z.object({ name: z.string() }).strict(), body, 'thing');
  }

  @Get(':id')
  get(@Param('id') id: string, @Query() query: unknown) {
    return { id, query };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

const config = { env: { TRUST_PROXY: false } } as Pick<PlatformConfig, 'env'>;

/** A raw HTTP exchange, for what fetch-like clients refuse to send. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
}

describe('the HTTP edge every service starts with', () => {
  let app: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    app = await createHttpApp(ThingsModule, config, { bodyLimitBytes: 2048 });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as { port: number }).port;
  });
  afterAll(() => app.close());

  const inject = (options: Parameters<NestFastifyApplication['inject']>[0]) => app.inject(options);

  it('takes JSON and nothing else: a form-encoded or text body is a 415', async () => {
    const ok = await inject({ method: 'POST', url: '/things', payload: { name: 'a' } });
    expect(ok.statusCode).toBe(201);
    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const refused = await inject({
        method: 'POST',
        url: '/things',
        headers: { 'content-type': contentType },
        payload: 'name=a',
      });
      expect({ contentType, status: refused.statusCode, code: refused.json().error.code }).toEqual({
        contentType,
        status: 415,
        code: 'unsupported_media_type',
      });
    }
  });

  it('refuses NUL bytes and lone surrogates anywhere in the input with a 400 naming the field', async () => {
    for (const name of ['a\u0000b', 'x\ud800', '\udc00y']) {
      const response = await inject({
        method: 'POST',
        url: '/things',
        payload: JSON.stringify({ name }),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({
        code: 'validation_failed',
        message: expect.stringMatching(/^Invalid thing: name: /),
      });
    }
    // A well-formed pair is just an emoji.
    expect((await inject({ method: 'POST', url: '/things', payload: { name: '\ud83d\ude00' } })).statusCode).toBe(201);
  });

  it('says a body is not JSON without quoting it back', async () => {
    const response = await inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": <script>alert(1)</script>',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('bad_request');
    expect(response.body).not.toContain('script');
    const poisoned = await inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"__proto__": {"admin": true}}',
    });
    expect(poisoned.statusCode).toBe(400);
    expect(poisoned.body).not.toContain('admin');
  });

  it('answers a body over the limit with 413 in the platform shape', async () => {
    const response = await inject({ method: 'POST', url: '/things', payload: { name: 'x'.repeat(4096) } });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('answers Fastify’s own refusals in the platform shape without repeating the path', async () => {
    const long = `/things/${'a'.repeat(500)}`;
    const tooLong = await inject({ method: 'GET', url: long });
    expect(tooLong.statusCode).toBe(414);
    expect(tooLong.json()).toEqual({ error: { code: 'uri_too_long', message: expect.any(String) } });
    expect(tooLong.body).not.toContain('aaaa');

    const badEncoding = await inject({ method: 'GET', url: '/things/%E0%A4%A' });
    expect(badEncoding.statusCode).toBe(400);
    expect(badEncoding.json().error.code).toBe('bad_request');
    expect(badEncoding.body).not.toContain('%E0');

    const unknown = await inject({ method: 'GET', url: '/secret-admin-path' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).not.toContain('secret-admin-path');
  });

  it('answers an oversized header block with 431 in the platform shape', async () => {
    const response = await raw(port, `GET /things/1 HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expect(response).toMatch(/^HTTP\/1.1 431 /);
    expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'headers_too_large', message: expect.any(String) },
    });
  });

  it('echoes a sane X-Request-Id, replaces an insane one, and sends no framework banner', async () => {
    const given = await inject({ method: 'GET', url: '/things/1', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const replaced = await inject({ method: 'GET', url: '/things/1', headers: { 'x-request-id': 'a b\u0001c' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await inject({ method: 'GET', url: '/things/1' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    for (const banner of ['x-powered-by', 'server']) expect(generated.headers[banner]).toBeUndefined();
  });
});
