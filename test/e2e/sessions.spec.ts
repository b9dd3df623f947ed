import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { findFreePortRange, ServiceProcess } from '@study-buddy/devstack';
import { startSystem, System } from './support/system';

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}
interface Pair {
  user_id: string;
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/**
 * Sessions through two gateway replicas sharing one database and one signing
 * key, as a client sees them: rotation, reuse detection, logout, logout-all,
 * password change, and login throttling that holds across replicas. The
 * gateways trust X-Forwarded-For here, so each test can speak from its own
 * client address.
 */
describe('sessions across two gateway replicas (system test)', () => {
  let system: System;
  let second: ServiceProcess;
  const logs = mkdtempSync(path.join(tmpdir(), 'study-buddy-sessions-'));
  let gateways: [string, string];

  beforeAll(async () => {
    system = await startSystem({
      extraEnv: {
        TRUST_PROXY: 'true',
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
        LOGIN_MAX_FAILURES_PER_IP: '6',
        REGISTRATIONS_PER_IP: '3',
      },
    });
    second = new ServiceProcess({
      name: 'gateway-2',
      entry: path.resolve(__dirname, '../../dist/services/gateway/src/main.js'),
      port: await findFreePortRange(1),
      env: system.stack.env,
      output: { kind: 'file', directory: logs },
    });
    second.start();
    await second.waitUntilReady();
    gateways = [system.stack.gatewayUrl, second.url];
  }, 120_000);

  afterAll(async () => {
    await second?.stop();
    await system?.teardown();
    rmSync(logs, { recursive: true, force: true });
  }, 60_000);

  const randomIp = () => `10.${[...randomBytes(3)].join('.')}`;
  const call = async (
    replica: 0 | 1,
    method: string,
    route: string,
    options: { body?: unknown; token?: string; ip?: string } = {},
  ): Promise<Reply> => {
    const response = await fetch(`${gateways[replica]}${route}`, {
      method,
      headers: {
        'x-forwarded-for': options.ip ?? randomIp(),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
  };
  const password = 'correct horse battery staple';
  const register = async (ip?: string) => {
    const email = `s-${randomUUID()}@example.com`;
    const reply = await call(0, 'POST', '/auth/register', { body: { email, password }, ip });
    expect(reply.status).toBe(201);
    return { email, pair: reply.body as unknown as Pair };
  };
  const login = (replica: 0 | 1, email: string, pass = password, ip?: string) =>
    call(replica, 'POST', '/auth/login', { body: { email, password: pass }, ip });
  const refresh = (replica: 0 | 1, token: string) =>
    call(replica, 'POST', '/auth/refresh', { body: { refresh_token: token } });

  it('publishes the same keys on both replicas, and a token from one works on the other', async () => {
    const [a, b] = await Promise.all([
      call(0, 'GET', '/.well-known/jwks.json'),
      call(1, 'GET', '/.well-known/jwks.json'),
    ]);
    expect(a.status).toBe(200);
    expect(a.body).toEqual(b.body);
    const [key] = (a.body as { keys: Array<Record<string, string>> }).keys;
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: expect.any(String) });
    expect(key).not.toHaveProperty('d');

    const { pair } = await register();
    const [header] = pair.access_token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'EdDSA', kid: key.kid });
    expect(pair.expires_in).toBe(900);
    expect((await call(1, 'GET', '/user', { token: pair.access_token })).status).toBe(200);
  });

  it('rotates the refresh token on every use; reusing a spent one ends the session on every replica', async () => {
    const { pair: first } = await register();

    const second = await refresh(1, first.refresh_token);
    expect(second.status).toBe(200);
    const rotated = second.body as unknown as Pair;
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect((await call(0, 'GET', '/auth/me', { token: rotated.access_token })).status).toBe(200);
    const third = (await refresh(0, rotated.refresh_token)).body as unknown as Pair;

    // the first token is stolen and replayed: the whole family ends
    const reuse = await refresh(1, first.refresh_token);
    expect(reuse.status).toBe(401);
    expect(reuse.body.error?.message).toMatch(/already used/);
    expect((await refresh(0, third.refresh_token)).status).toBe(401);
  });

  it('logout ends this session only', async () => {
    const { email, pair: mine } = await register();
    const other = (await login(1, email)).body as unknown as Pair;

    expect((await call(1, 'POST', '/auth/logout', { token: mine.access_token })).status).toBe(204);

    expect((await refresh(0, mine.refresh_token)).status).toBe(401);
    expect((await refresh(1, other.refresh_token)).status).toBe(200);
  });

  it('logout-all ends every session; a new login works', async () => {
    const { email, pair: a } = await register();
    const b = (await login(1, email)).body as unknown as Pair;

    expect((await call(0, 'POST', '/auth/logout-all', { token: b.access_token })).status).toBe(204);

    expect((await refresh(1, a.refresh_token)).status).toBe(401);
    expect((await refresh(0, b.refresh_token)).status).toBe(401);
    const fresh = (await login(1, email)).body as unknown as Pair;
    expect((await refresh(0, fresh.refresh_token)).status).toBe(200);
  });

  it('a password change ends the other sessions and keeps this client signed in', async () => {
    const { email, pair: here } = await register();
    const elsewhere = (await login(1, email)).body as unknown as Pair;

    const wrong = await call(0, 'POST', '/auth/password', {
      token: here.access_token,
      body: { current_password: 'not my password', new_password: 'a new long password' },
    });
    expect(wrong.status).toBe(401);
    const changed = await call(0, 'POST', '/auth/password', {
      token: here.access_token,
      body: { current_password: password, new_password: 'a new long password' },
    });
    expect(changed.status).toBe(200);
    const renewed = changed.body as unknown as Pair;

    expect((await refresh(1, elsewhere.refresh_token)).status).toBe(401);
    expect((await refresh(1, here.refresh_token)).status).toBe(401);
    expect((await refresh(0, renewed.refresh_token)).status).toBe(200);
    expect((await login(1, email)).status).toBe(401);
    expect((await login(1, email, 'a new long password')).status).toBe(200);
  });

  it('throttles an account across replicas with 429 and Retry-After, without slowing anyone else', async () => {
    const { email } = await register();
    const { email: bystander } = await register();
    for (let i = 0; i < 3; i++)
      expect((await login(i % 2 ? 1 : 0, email, 'wrong password', randomIp())).status).toBe(401);

    const refused = await login(1, email, password, randomIp());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.error?.code).toBe('rate_limited');
    expect((await login(0, email, password, randomIp())).status).toBe(429);

    expect((await login(0, bystander, password, randomIp())).status).toBe(200);
  });

  it('throttles a client address across replicas, across accounts', async () => {
    const attacker = randomIp();
    for (let i = 0; i < 6; i++)
      expect((await login(i % 2 ? 1 : 0, `nobody-${i}-${randomUUID()}@example.com`, 'guess', attacker)).status).toBe(
        401,
      );
    const { email } = await register();

    expect((await login(1, email, password, attacker)).status).toBe(429);
    expect((await login(0, email, password, randomIp())).status).toBe(200);
  });

  it('limits registrations per client address', async () => {
    const ip = randomIp();
    for (let i = 0; i < 3; i++) await register(ip);

    const refused = await call(1, 'POST', '/auth/register', {
      body: { email: `s-${randomUUID()}@example.com`, password },
      ip,
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses tokens it did not issue and refresh tokens it does not know, with 401', async () => {
    const { pair } = await register();
    const [, payload, signature] = pair.access_token.split('.');
    const otherKid = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: 'not-a-key' })).toString('base64url');
    expect((await call(0, 'GET', '/user', { token: `${otherKid}.${payload}.${signature}` })).status).toBe(401);
    expect((await refresh(0, `${randomUUID()}.${'x'.repeat(43)}`)).status).toBe(401);
    expect((await refresh(0, 'garbage')).status).toBe(401);
  });

  it('keeps the user’s settings, read back at once from either replica', async () => {
    const { pair } = await register();
    const patched = await call(1, 'PATCH', '/user', {
      token: pair.access_token,
      body: { name: 'Ada', default_subject: 'Biology', note_language: 'de', assessment: false },
    });
    expect(patched.status).toBe(200);
    const read = await call(0, 'GET', '/user', { token: pair.access_token });
    expect(read.body).toMatchObject({
      name: 'Ada',
      default_subject: 'Biology',
      note_language: 'de',
      assessment: false,
    });
    expect((await call(0, 'PATCH', '/user', { token: pair.access_token, body: { role: 'admin' } })).status).toBe(400);
    expect((await call(0, 'PATCH', '/user', { token: pair.access_token, body: {} })).status).toBe(400);
  });
});
