import { plainHttpElsewhere } from '../src/context';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { configDirectory, DEFAULT_SERVER, readConfigFile, resolveServer } from '../src/config';
import { CliError } from '../src/exit-codes';

describe('the server setting', () => {
  it('takes --server, then STUDY_BUDDY_URL, then the config file, then the local default', () => {
    const env = { STUDY_BUDDY_URL: 'http://env.example:8080/' };
    const config = { server: 'https://config.example' };
    expect(resolveServer('http://flag.example', env, config)).toBe('http://flag.example');
    expect(resolveServer(undefined, env, config)).toBe('http://env.example:8080');
    expect(resolveServer(undefined, {}, config)).toBe('https://config.example');
    expect(resolveServer(undefined, {}, {})).toBe(DEFAULT_SERVER);
    expect(DEFAULT_SERVER).toBe('http://127.0.0.1:8080');
  });

  it('refuses what is not an http(s) URL, saying where it came from (usage, exit code 2)', () => {
    expect(() => resolveServer('nope', {}, {})).toThrow(
      new CliError(2, '--server: "nope" is not a URL (e.g. http://127.0.0.1:8080)'),
    );
    expect(() => resolveServer(undefined, { STUDY_BUDDY_URL: 'ftp://x' }, {})).toThrow(
      /STUDY_BUDDY_URL: the server must be/,
    );
  });

  it('lives in $XDG_CONFIG_HOME/study-buddy, else ~/.config/study-buddy', () => {
    expect(configDirectory({ XDG_CONFIG_HOME: '/x/conf' })).toBe('/x/conf/study-buddy');
    expect(configDirectory({})).toBe(join(homedir(), '.config', 'study-buddy'));
    // the XDG spec: a relative value is to be ignored
    expect(configDirectory({ XDG_CONFIG_HOME: 'relative' })).toBe(join(homedir(), '.config', 'study-buddy'));
  });

  it('reads config.json, and says so when it is broken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
    expect(readConfigFile(dir)).toEqual({});
    writeFileSync(join(dir, 'config.json'), '{"server":"http://a.example"}');
    expect(readConfigFile(dir)).toEqual({ server: 'http://a.example' });
    writeFileSync(join(dir, 'config.json'), '{"server":');
    expect(() => readConfigFile(dir)).toThrow(/config\.json is not valid JSON/);
    mkdirSync(join(dir, 'sub'));
  });
});

describe('plain http to another machine', () => {
  it('is warned about; this machine and https are not', () => {
    for (const server of ['http://study.example.com', 'http://192.168.1.20:8080', 'http://[fe80::1]:8080'])
      expect([server, plainHttpElsewhere(server)]).toEqual([server, true]);
    for (const server of [
      'https://study.example.com',
      'http://127.0.0.1:8080',
      'http://127.3.2.1',
      'http://localhost:8080',
      'http://app.localhost',
      'http://[::1]:8080',
    ])
      expect([server, plainHttpElsewhere(server)]).toEqual([server, false]);
  });
});
