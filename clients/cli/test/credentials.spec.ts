import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudyBuddyClient } from '@study-buddy/api-client';
import { credentialsPath, CredentialsStore, LOCK_STALE_MS } from '../src/credentials';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the credentials file', () => {
  let dir: string;
  let warnings: string[];
  let store: CredentialsStore;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'sb-cred-')), 'study-buddy');
    warnings = [];
    store = new CredentialsStore(credentialsPath(dir), (w) => warnings.push(w));
  });

  it('is created with mode 0600 in a 0700 folder, whatever the umask', async () => {
    const old = process.umask(0o000);
    try {
      await store.session('http://a').save({ accessToken: 'at', refreshToken: 'rt' });
    } finally {
      process.umask(old);
    }
    expect(mode(store.path)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    expect(await store.session('http://a').load()).toEqual({ accessToken: 'at', refreshToken: 'rt' });
  });

  it('is put back to 0600 when found readable by others, with a warning, before it is read', async () => {
    await store.session('http://a').save({ accessToken: 'at', refreshToken: 'rt' });
    chmodSync(store.path, 0o644);
    expect(await store.session('http://a').load()).toEqual({ accessToken: 'at', refreshToken: 'rt' });
    expect(mode(store.path)).toBe(0o600);
    expect(warnings).toEqual([`${store.path} could be read by others: its permissions are now 0600`]);
  });

  it('keeps a session per server; clearing one leaves the other, the last one removes the file', async () => {
    await store.session('http://a', 'a@example.com').save({ accessToken: 'a1', refreshToken: 'ra' });
    await store.session('http://b').save({ accessToken: 'b1', refreshToken: 'rb' });
    // a refresh keeps the email that logged in
    await store.session('http://a').save({ accessToken: 'a2', refreshToken: 'ra2' });
    expect(JSON.parse(readFileSync(store.path, 'utf8')).sessions['http://a']).toMatchObject({
      access_token: 'a2',
      refresh_token: 'ra2',
      email: 'a@example.com',
    });
    await store.session('http://a').clear();
    expect(await store.session('http://a').load()).toBeUndefined();
    expect(await store.session('http://b').load()).toEqual({ accessToken: 'b1', refreshToken: 'rb' });
    await store.session('http://b').clear();
    expect(existsSync(store.path)).toBe(false);
  });
});

/**
 * A gateway stand-in as strict as the real one: refresh tokens `rt-<n>`, each spent by its first use;
 * presenting a spent one is taken for theft and revokes the whole family (every token of the session).
 */
async function strictGateway() {
  let generation = 1;
  let revoked = false;
  let refreshes = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const refused = () => reply(401, { error: { code: 'unauthorized', message: 'no' } });
      if (req.url === '/auth/refresh') {
        refreshes++;
        const presented = JSON.parse(Buffer.concat(chunks).toString() || '{}').refresh_token;
        if (revoked || presented !== `rt-${generation}`) {
          revoked = true;
          return refused();
        }
        await new Promise((r) => setTimeout(r, 60)); // a slow refresh: the other client fails meanwhile
        generation++;
        return reply(200, { access_token: `at-${generation}`, refresh_token: `rt-${generation}` });
      }
      if (revoked || req.headers.authorization !== `Bearer at-${generation}`) return refused();
      return reply(200, { balance: 3 });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refreshes: () => refreshes,
    revoked: () => revoked,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('two clients sharing one credentials file (two CLI processes)', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'sb-cred-')), 'study-buddy');
  });

  it('refresh one at a time: the second uses the pair the first stored, and the session survives', async () => {
    const gateway = await strictGateway();
    try {
      // each process has its own store object on the same file
      const first = new CredentialsStore(credentialsPath(dir));
      const second = new CredentialsStore(credentialsPath(dir));
      await first.session(gateway.url).save({ accessToken: 'at-expired', refreshToken: 'rt-1' });
      const clients = [first, second].map((store) =>
        createStudyBuddyClient({ baseUrl: gateway.url, session: store.session(gateway.url) }),
      );
      const replies = await Promise.all(clients.map((client) => client.GET('/credits')));
      expect(replies.map((r) => r.response.status)).toEqual([200, 200]);
      expect(gateway.refreshes()).toBe(1);
      expect(gateway.revoked()).toBe(false);
      expect(await second.session(gateway.url).load()).toEqual({ accessToken: 'at-2', refreshToken: 'rt-2' });
      expect(existsSync(`${first.path}.lock`)).toBe(false);
      // and a later expiry is refreshed with the newest refresh token, by either
      await second.session(gateway.url).save({ accessToken: 'at-expired', refreshToken: 'rt-2' });
      expect((await clients[0].GET('/credits')).response.status).toBe(200);
      expect(gateway.revoked()).toBe(false);
    } finally {
      await gateway.close();
    }
  });

  it('a refused refresh clears the session only when the file still holds the refresh token presented', async () => {
    const store = new CredentialsStore(credentialsPath(dir));
    const session = store.session('http://a');
    await session.save({ accessToken: 'at-1', refreshToken: 'rt-1' });
    // another process logs in again while this one's refresh is refused
    const client = createStudyBuddyClient({
      baseUrl: 'http://a',
      session,
      fetch: async (request) => {
        if (new URL(request.url).pathname === '/auth/refresh') {
          await new CredentialsStore(store.path)
            .session('http://a')
            .save({ accessToken: 'new', refreshToken: 'rt-new' });
        }
        return new Response('{}', { status: 401 });
      },
    });
    expect(await client.refresh()).toBe(false);
    expect(await session.load()).toEqual({ accessToken: 'new', refreshToken: 'rt-new' });
    // refused with the token still stored: that session is over
    const again = createStudyBuddyClient({
      baseUrl: 'http://a',
      session,
      fetch: async () => new Response('{}', { status: 401 }),
    });
    expect(await again.refresh()).toBe(false);
    expect(await session.load()).toBeUndefined();
  });

  it('breaks a lock left by a process that died holding it, and waits for a live one', async () => {
    const store = new CredentialsStore(credentialsPath(dir));
    await store.session('http://a').save({ accessToken: 'a', refreshToken: 'r' });
    const lock = `${store.path}.lock`;
    writeFileSync(lock, '');
    const old = new Date(Date.now() - LOCK_STALE_MS - 1000);
    utimesSync(lock, old, old);
    expect(await store.exclusive(async () => 'ran')).toBe('ran');
    expect(existsSync(lock)).toBe(false);

    const order: string[] = [];
    let release!: () => void;
    const held = store.exclusive(() => new Promise<void>((r) => (release = r)).then(() => void order.push('first')));
    const waiting = new CredentialsStore(store.path).exclusive(async () => void order.push('second'));
    await new Promise((r) => setTimeout(r, 100));
    expect(order).toEqual([]);
    release();
    await Promise.all([held, waiting]);
    expect(order).toEqual(['first', 'second']);
  });

  it('makes the folder 0700 and writes through a temporary file with a random name', async () => {
    const old = process.umask(0o022);
    try {
      await new CredentialsStore(credentialsPath(dir)).session('http://a').save({ accessToken: 'a' });
    } finally {
      process.umask(old);
    }
    expect(mode(dir)).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['credentials.json']);
  });
});
