import Fastify from 'fastify';
import { keepRawBody, RequestWithRawBody } from './raw-body';

describe('keepRawBody', () => {
  const app = Fastify({ bodyLimit: 1000 });
  keepRawBody(app, ['/hook'], 1000);
  app.post('/hook', async (request: RequestWithRawBody) => ({
    raw: request.rawBody?.toString('utf8'),
    parsed: request.body,
  }));
  app.post('/other', async (request: RequestWithRawBody) => ({ raw: request.rawBody ?? null, parsed: request.body }));
  afterAll(() => app.close());

  it('keeps the exact bytes for the listed route, and still parses them', async () => {
    const payload = '{ "b":1,  "a" : [2] }';
    const res = await app.inject({
      method: 'POST',
      url: '/hook',
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.json()).toEqual({ raw: payload, parsed: { b: 1, a: [2] } });
  });

  it('leaves every other route alone', async () => {
    const res = await app.inject({ method: 'POST', url: '/other', payload: { a: 1 } });
    expect(res.json()).toEqual({ raw: null, parsed: { a: 1 } });
  });

  it('refuses a body over the limit with 413, and malformed JSON with 400', async () => {
    const big = await app.inject({
      method: 'POST',
      url: '/hook',
      payload: JSON.stringify({ x: 'y'.repeat(2000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.statusCode).toBe(413);
    const bad = await app.inject({
      method: 'POST',
      url: '/hook',
      payload: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
  });
});
