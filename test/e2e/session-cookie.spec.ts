import { ApiClient, DEFAULT_PASSWORD } from './support/api-client';
import { startSystem, System } from './support/system';

interface Tokens {
  user_id: string;
  access_token: string;
  refresh_token?: string;
  refresh_expires_in: number;
  error?: { code: string; message: string };
}

/**
 * The browser session contract: with `X-Session-Cookie: 1` the refresh token travels only in the
 * HttpOnly `sb_refresh` cookie (attributes, rotation, reuse detection, logout), never in the JSON.
 * The gateway trusts X-Forwarded-Host here, so a test can speak as a browser on another host.
 */
describe('the refresh token as an HttpOnly cookie (system test)', () => {
  let system: System;
  let api: ApiClient;
  const REFRESH_TTL = 7200;

  beforeAll(async () => {
    system = await startSystem({ extraEnv: { TRUST_PROXY: 'true', REFRESH_TOKEN_TTL_SECONDS: String(REFRESH_TTL) } });
    api = system.api;
  }, 120_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
  }, 60_000);

  const COOKIE = { 'x-session-cookie': '1' };
  const setCookies = (headers: Headers) => headers.getSetCookie();
  /** The `sb_refresh` value a reply set, and the cookie's attributes. */
  const refreshCookieOf = (headers: Headers) => {
    const cookies = setCookies(headers).filter((c) => c.startsWith('sb_refresh='));
    expect(cookies).toHaveLength(1);
    const [pair, ...attributes] = cookies[0].split(';').map((p) => p.trim());
    return { value: pair.slice('sb_refresh='.length), attributes };
  };
  const register = async (email: string, headers: Record<string, string> = COOKIE) => {
    const reply = await api.post<Tokens>('/auth/register', { email, password: DEFAULT_PASSWORD }, headers);
    expect(reply.status).toBe(201);
    return reply;
  };
  const refreshWithCookie = (cookie: string | undefined, body: unknown = {}) =>
    api.post<Tokens>('/auth/refresh', body, {
      ...COOKIE,
      ...(cookie !== undefined ? { cookie: `sb_refresh=${cookie}` } : {}),
    });

  it('sets the cookie HttpOnly, SameSite=Strict, Path=/auth, Max-Age = the refresh TTL, and leaves the token out of the body', async () => {
    const reply = await register('cookie-attrs@example.com');
    expect(reply.body.access_token).toEqual(expect.any(String));
    expect('refresh_token' in reply.body).toBe(false);
    const cookie = refreshCookieOf(reply.headers);
    expect(cookie.value).toMatch(/^[A-Za-z0-9._-]{20,}$/);
    expect(cookie.attributes).toEqual(['HttpOnly', 'SameSite=Strict', 'Path=/auth', `Max-Age=${REFRESH_TTL}`]);

    // not on the machine itself: Secure as well
    const remote = await register('cookie-remote@example.com', { ...COOKIE, 'x-forwarded-host': 'study.example.com' });
    expect(refreshCookieOf(remote.headers).attributes).toEqual([
      'HttpOnly',
      'SameSite=Strict',
      'Path=/auth',
      `Max-Age=${REFRESH_TTL}`,
      'Secure',
    ]);

    // login too
    const login = await api.post<Tokens>(
      '/auth/login',
      { email: 'cookie-attrs@example.com', password: DEFAULT_PASSWORD },
      COOKIE,
    );
    expect(login.status).toBe(200);
    expect('refresh_token' in login.body).toBe(false);
    expect(refreshCookieOf(login.headers).value).not.toBe(cookie.value);
  });

  it('sets no cookie without the header, and the token stays in the body', async () => {
    const reply = await register('cookie-none@example.com', {});
    expect(reply.body.refresh_token).toEqual(expect.any(String));
    expect(setCookies(reply.headers)).toEqual([]);
  });

  it('rotates through the cookie; presenting a spent cookie ends the session', async () => {
    const first = refreshCookieOf((await register('cookie-rotate@example.com')).headers).value;
    const renewed = await refreshWithCookie(first);
    expect(renewed.status).toBe(200);
    expect('refresh_token' in renewed.body).toBe(false);
    const second = refreshCookieOf(renewed.headers).value;
    expect(second).not.toBe(first);
    // the new access token works
    expect((await api.withToken(renewed.body.access_token).get('/auth/me')).status).toBe(200);

    // a body without refresh_token at all works the same way
    const third = await api.request<Tokens>('POST', '/auth/refresh', undefined, {
      ...COOKIE,
      cookie: `other=1; sb_refresh=${second}`,
    });
    expect(third.status).toBe(200);
    const current = refreshCookieOf(third.headers).value;

    // the spent first cookie again: 401, and the whole session is over (the current cookie too)
    const reuse = await refreshWithCookie(first);
    expect(reuse.status).toBe(401);
    expect(reuse.body.error?.code).toBe('unauthorized');
    expect((await refreshWithCookie(current)).status).toBe(401);
  });

  it('answers 401 plainly with the header and neither a cookie nor a token; ignores the cookie without the header', async () => {
    const none = await refreshWithCookie(undefined);
    expect(none.status).toBe(401);
    expect(none.body.error?.code).toBe('unauthorized');

    const cookie = refreshCookieOf((await register('cookie-noheader@example.com')).headers).value;
    const withoutHeader = await api.post<Tokens>('/auth/refresh', {}, { cookie: `sb_refresh=${cookie}` });
    expect(withoutHeader.status).toBe(400);
    // the cookie was not spent by that
    expect((await refreshWithCookie(cookie)).status).toBe(200);
  });

  it('logout and logout-all with the header clear the cookie, and the session stops refreshing', async () => {
    const registered = await register('cookie-logout@example.com');
    const cookie = refreshCookieOf(registered.headers).value;
    const logout = await api.withToken(registered.body.access_token).post('/auth/logout', undefined, COOKIE);
    expect(logout.status).toBe(204);
    const cleared = refreshCookieOf(logout.headers);
    expect(cleared.value).toBe('');
    expect(cleared.attributes).toContain('Max-Age=0');
    expect(cleared.attributes).toContain('Path=/auth');
    expect((await refreshWithCookie(cookie)).status).toBe(401);

    const login = await api.post<Tokens>(
      '/auth/login',
      { email: 'cookie-logout@example.com', password: DEFAULT_PASSWORD },
      COOKIE,
    );
    const again = refreshCookieOf(login.headers).value;
    const all = await api.withToken(login.body.access_token).post('/auth/logout-all', undefined, COOKIE);
    expect(all.status).toBe(204);
    expect(refreshCookieOf(all.headers).attributes).toContain('Max-Age=0');
    expect((await refreshWithCookie(again)).status).toBe(401);
  });

  it('a password change with the header puts the new session in the cookie', async () => {
    const registered = await register('cookie-password@example.com');
    const old = refreshCookieOf(registered.headers).value;
    const changed = await api
      .withToken(registered.body.access_token)
      .post<Tokens>(
        '/auth/password',
        { current_password: DEFAULT_PASSWORD, new_password: 'another long password' },
        COOKIE,
      );
    expect(changed.status).toBe(200);
    expect('refresh_token' in changed.body).toBe(false);
    const fresh = refreshCookieOf(changed.headers).value;
    expect((await refreshWithCookie(old)).status).toBe(401);
    expect((await refreshWithCookie(fresh)).status).toBe(200);
  });
});
