import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialsPath, CredentialsStore } from '../src/credentials';

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
