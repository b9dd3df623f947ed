import { createStudyBuddyClient, memorySession, unwrap, ApiError } from '../src';
import { json, Recorded, startServer, TestServer, unauthorized } from './http-server';

type Res = Parameters<Parameters<typeof startServer>[0]>[1];

/**
 * A gateway stand-in: refresh tokens `rt-<n>`, each spent by its first use (a second use is refused);
 * the access token `at-<n>` of the newest pair is valid until `expire()`. In cookie mode (X-Session-Cookie: 1)
 * the refresh token travels in the sb_refresh cookie and never in a body.
 */
function gateway(options: { refreshDelayMs?: number; alwaysUnauthorized?: string } = {}) {
  let generation = 1;
  let accessValid = true;
  let refreshes = 0;
  const pair = (req: Recorded, res: Res) => {
    const cookieMode = req.headers['x-session-cookie'] === '1';
    const cookie: Record<string, string> = cookieMode
      ? { 'set-cookie': `sb_refresh=rt-${generation}; HttpOnly; SameSite=Strict; Path=/auth` }
      : {};
    json(
      res,
      200,
      { access_token: `at-${generation}`, ...(cookieMode ? {} : { refresh_token: `rt-${generation}` }) },
      cookie,
    );
  };
  const handle = async (req: Recorded, res: Res) => {
    if (req.path === '/auth/refresh') {
      refreshes++;
      const presented =
        req.headers['x-session-cookie'] === '1'
          ? /sb_refresh=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
          : JSON.parse(req.body || '{}').refresh_token;
      if (presented !== `rt-${generation}`) return unauthorized(res);
      if (options.refreshDelayMs) await new Promise((r) => setTimeout(r, options.refreshDelayMs));
      generation++;
      accessValid = true;
      return pair(req, res);
    }
    if (req.path === '/auth/login') return pair(req, res);
    if (req.path === '/auth/logout') {
      res.writeHead(204);
      return res.end();
    }
    if (req.path === options.alwaysUnauthorized) return unauthorized(res);
    if (!accessValid || req.headers.authorization !== `Bearer at-${generation}`) return unauthorized(res);
    return json(res, 200, { balance: 3, reserved: 0, echo: req.body });
  };
  return {
    handle,
    refreshes: () => refreshes,
    expire: () => {
      accessValid = false;
    },
  };
}

describe('the client authentication', () => {
  let server: TestServer;
  afterEach(() => server?.close());

  it('sends the access token as a bearer token', async () => {
    const g = gateway();
    server = await startServer(g.handle);
    const client = createStudyBuddyClient({
      baseUrl: server.url,
      session: memorySession('token', { accessToken: 'at-1', refreshToken: 'rt-1' }),
    });
    expect(unwrap(await client.GET('/credits'))).toMatchObject({ balance: 3 });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer at-1']);
    expect(g.refreshes()).toBe(0);
  });

  it('refreshes once on a 401 and retries the request with its body', async () => {
    const g = gateway();
    server = await startServer(g.handle);
    const session = memorySession('token', { accessToken: 'at-0', refreshToken: 'rt-1' });
    const client = createStudyBuddyClient({ baseUrl: server.url, session });
    const { data, response } = await client.POST('/credits/checkout', { body: { package: 'basic' } });
    expect(response.status).toBe(200);
    expect((data as unknown as { echo: string }).echo).toBe('{"package":"basic"}');
    expect(server.requests.map((r) => `${r.path} ${r.headers.authorization ?? ''}`)).toEqual([
      '/credits/checkout Bearer at-0',
      '/auth/refresh ',
      '/credits/checkout Bearer at-2',
    ]);
    expect(await session.load()).toEqual({ accessToken: 'at-2', refreshToken: 'rt-2' });
  });

  it('shares one refresh among concurrent requests that failed meanwhile (the refresh token is spent once)', async () => {
    const g = gateway({ refreshDelayMs: 50 });
    server = await startServer(g.handle);
    const client = createStudyBuddyClient({
      baseUrl: server.url,
      session: memorySession('token', { accessToken: 'at-0', refreshToken: 'rt-1' }),
    });
    const replies = await Promise.all(Array.from({ length: 6 }, () => client.GET('/credits')));
    expect(replies.map((r) => r.response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(g.refreshes()).toBe(1);
    // a later expiry refreshes again, with the refresh token the first refresh brought
    g.expire();
    expect((await client.GET('/credits')).response.status).toBe(200);
    expect(g.refreshes()).toBe(2);
  });

  it('retries once only: a request refused again after a refresh is answered with that 401 (no loop)', async () => {
    const g = gateway({ alwaysUnauthorized: '/notes' });
    server = await startServer(g.handle);
    const client = createStudyBuddyClient({
      baseUrl: server.url,
      session: memorySession('token', { accessToken: 'at-1', refreshToken: 'rt-1' }),
    });
    const { error, response } = await client.GET('/notes');
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ error: { code: 'unauthorized' } });
    expect(server.requests.map((r) => r.path)).toEqual(['/notes', '/auth/refresh', '/notes']);
    expect(() => unwrap({ error, response })).toThrow(ApiError);
  });

  it('clears the session when the refresh token is refused, and answers the 401', async () => {
    const g = gateway();
    server = await startServer(g.handle);
    const session = memorySession('token', { accessToken: 'at-0', refreshToken: 'rt-spent' });
    const client = createStudyBuddyClient({ baseUrl: server.url, session });
    expect((await client.GET('/credits')).response.status).toBe(401);
    expect(await session.load()).toBeUndefined();
    expect(server.requests.map((r) => r.path)).toEqual(['/credits', '/auth/refresh']);
  });

  it('never refreshes for a refused login', async () => {
    server = await startServer((_req, res) => unauthorized(res));
    const client = createStudyBuddyClient({
      baseUrl: server.url,
      session: memorySession('token', { accessToken: 'a', refreshToken: 'r' }),
    });
    const { response } = await client.POST('/auth/login', { body: { email: 'a@b.c', password: 'x' } });
    expect(response.status).toBe(401);
    expect(server.requests.map((r) => r.path)).toEqual(['/auth/login']);
  });

  it('never refreshes for a password change refused for a wrong current password', async () => {
    const g = gateway({ alwaysUnauthorized: '/auth/password' });
    server = await startServer(g.handle);
    const session = memorySession('token', { accessToken: 'at-1', refreshToken: 'rt-1' });
    const client = createStudyBuddyClient({ baseUrl: server.url, session });
    const { response } = await client.POST('/auth/password', {
      body: { current_password: 'wrong', new_password: 'a new long password' },
    });
    expect(response.status).toBe(401);
    expect(server.requests.map((r) => r.path)).toEqual(['/auth/password']);
    expect(await session.load()).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1' });
  });

  it('stores the pair a login answers with, and logout clears it', async () => {
    const g = gateway();
    server = await startServer(g.handle);
    const session = memorySession('token');
    const client = createStudyBuddyClient({ baseUrl: server.url, session });
    await client.POST('/auth/login', { body: { email: 'a@b.c', password: 'long enough password' } });
    expect(await session.load()).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1' });
    expect((await client.GET('/credits')).response.status).toBe(200);
    await client.POST('/auth/logout');
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer at-1');
    expect(await session.load()).toBeUndefined();
  });

  it('in cookie mode marks auth requests with X-Session-Cookie, keeps no refresh token, and refreshes without a body', async () => {
    const g = gateway();
    server = await startServer(g.handle);
    // Node's fetch has no cookie jar: this one plays the browser's part for the sb_refresh cookie.
    let jar = '';
    const browserFetch = async (request: Request) => {
      if (jar && new URL(request.url).pathname.startsWith('/auth')) request.headers.set('cookie', jar);
      const response = await fetch(request);
      const set = response.headers.get('set-cookie');
      if (set) jar = set.split(';')[0];
      return response;
    };
    const tab = createStudyBuddyClient({ baseUrl: server.url, session: memorySession('cookie'), fetch: browserFetch });
    await tab.POST('/auth/login', { body: { email: 'a@b.c', password: 'long enough password' } });
    expect(server.requests[0].headers['x-session-cookie']).toBe('1');
    expect(await tab.session.load()).toEqual({ accessToken: 'at-1' });
    expect(jar).toBe('sb_refresh=rt-1');

    // the page is reloaded: no access token in memory, only the cookie
    const page = createStudyBuddyClient({ baseUrl: server.url, session: memorySession('cookie'), fetch: browserFetch });
    expect((await page.GET('/credits')).response.status).toBe(200);
    const refresh = server.requests.find((r) => r.path === '/auth/refresh')!;
    expect(refresh.headers['x-session-cookie']).toBe('1');
    expect(refresh.body).toBe('');
    expect(server.requests.at(-1)).toMatchObject({ path: '/credits', headers: { authorization: 'Bearer at-2' } });
    expect(server.requests.at(-1)?.headers['x-session-cookie']).toBeUndefined();
    expect(await page.session.load()).toEqual({ accessToken: 'at-2' });
    expect(jar).toBe('sb_refresh=rt-2');
  });
});
