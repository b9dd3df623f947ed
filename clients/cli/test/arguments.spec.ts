/* eslint-disable no-control-regex -- the tests look for terminal escape sequences */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const workspace = resolve(__dirname, '../../..');

/** The CLI from its sources, as a child process (commander is an ES module: it loads there, not in jest). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      ['-r', './libs/testing/ts-register.js', 'clients/cli/src/main.ts', ...args],
      { cwd: workspace, env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), ...env } },
      (error, stdout, stderr) =>
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

let home: string;
let server: Server;
let url: string;
const seen: string[] = [];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'sb-cli-args-'));
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    // text a hostile or broken server could send: escape sequences that clear the screen, retitle the terminal
    if (req.url === '/credits/packages')
      return reply(200, { items: [{ id: 'basic', credits: 10, amount: 999, currency: 'usd' }] });
    if (req.url === '/credits/checkout')
      return reply(200, {
        checkout_url: 'https://pay.example/s\x1b]0;owned\x07',
        expires_at: '2030-01-01T00:00:00Z\x1b[2J',
        session_id: 'cs_1',
      });
    if (req.url === '/videos/playlist')
      return reply(200, {
        playlist_id: 'p1',
        youtube_playlist_id: 'PL1',
        title: 'A \x1b[31mred\x1b[0m playlist',
        submitted: 0,
        existing: 0,
        not_submitted: 0,
        truncated: false,
        items: [],
      });
    if (req.url?.startsWith('/notes/00000000'))
      return reply(404, { error: { code: 'not_found', message: 'Gone\x1b[2J\x1b[H' } });
    reply(404, { error: { code: 'not_found', message: 'Note not found' } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('the command line', () => {
  it('--help lists the commands, the settings and the exit codes', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    for (const word of [
      'login',
      'logout',
      'add',
      'ls',
      'search',
      'show',
      'export',
      'credits',
      'buy',
      'STUDY_BUDDY_URL',
      'Exit codes:',
      '6  server unreachable',
    ])
      expect(stdout).toContain(word);
  });

  it('usage errors are exit code 2', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['show'])).code).toBe(2);
    expect((await cli([])).code).toBe(2);
  });

  it('options are checked before the login, the same way in every command (exit code 2, not 3)', async () => {
    for (const args of [
      ['ls', '--limit', 'x'],
      ['ls', '--limit', '0'],
      ['ls', '--status', 'done'],
      ['credits', '--limit', '1.5'],
      ['search', 'light', '--limit', '-3'],
      ['search', 'light', '--limit', ''],
      ['add', 'https://www.youtube.com/playlist?list=PL1', '--limit', 'ten'],
      ['add', 'https://youtu.be/abc', '--limit', '3'],
      ['add', 'https://www.youtube.com/playlist?list=PL1', '--transcript', '-'],
      ['export', 'anki', 'deck.txt', '--format', 'pdf'],
    ]) {
      const run = await cli(args);
      expect([args.join(' '), run.code]).toEqual([args.join(' '), 2]);
      expect(run.stderr).not.toContain('Not logged in');
    }
    expect((await cli(['credits', '--limit', '5'])).code).toBe(3); // a good one: then the login is checked
  });

  it('commands that need a session say how to get one (exit code 3), as JSON with --json', async () => {
    const plain = await cli(['credits', '--server', url]);
    expect(plain).toMatchObject({ code: 3, stderr: `study-buddy: Not logged in to ${url}: run study-buddy login\n` });
    const json = await cli(['--json', 'credits', '--server', url]);
    expect(JSON.parse(json.stderr)).toEqual({
      error: { code: 'cli', message: `Not logged in to ${url}: run study-buddy login`, exit_code: 3 },
    });
  });

  it('takes the server from --server, else STUDY_BUDDY_URL, else config.json', async () => {
    seen.length = 0;
    expect((await cli(['buy', '--server', url], { STUDY_BUDDY_URL: 'http://127.0.0.1:1' })).stdout).toContain('basic');
    expect((await cli(['buy'], { STUDY_BUDDY_URL: url })).code).toBe(0);
    mkdirSync(join(home, 'config', 'study-buddy'), { recursive: true });
    writeFileSync(join(home, 'config', 'study-buddy', 'config.json'), JSON.stringify({ server: url }));
    expect((await cli(['buy', '--json'])).stdout).toContain('"credits": 10');
    expect(seen).toEqual(['GET /credits/packages', 'GET /credits/packages', 'GET /credits/packages']);
  });

  it("prints the gateway's error message plainly, never a stack trace", async () => {
    // a stored session for the fake server, so the request is made
    writeFileSync(
      join(home, 'config', 'study-buddy', 'credentials.json'),
      JSON.stringify({ sessions: { [url]: { access_token: 'at', refresh_token: 'rt', saved_at: '' } } }),
      { mode: 0o600 },
    );
    const shown = await cli(['show', 'b81212c1-bdef-507b-8043-0287c520f124', '--server', url]);
    expect(shown).toMatchObject({ code: 7, stderr: 'study-buddy: Note not found\n' });
  });

  it('never lets server text put escape sequences on the terminal', async () => {
    const escape = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
    const failed = await cli(['show', '00000000-0000-4000-8000-000000000000', '--server', url]);
    expect(failed).toMatchObject({ code: 7, stderr: 'study-buddy: Gone[2J[H\n' });
    const bought = await cli(['buy', 'basic', '--server', url]);
    expect(bought.code).toBe(0);
    expect(bought.stdout).toBe('https://pay.example/s]0;owned\n');
    expect(bought.stderr).toMatch(/^Pay before 2030-01-01T00:00:00Z\[2J;/);
    const playlist = await cli(['add', 'https://www.youtube.com/playlist?list=PL1', '--server', url]);
    expect(playlist.code).toBe(0);
    expect(playlist.stdout).toContain('Playlist A [31mred[0m playlist (p1)');
    for (const run of [failed, bought, playlist]) expect(run.stdout + run.stderr).not.toMatch(escape);
  });

  it('logout forgets the session even when the server cannot be reached, and says so (exit code 6)', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const nobody = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((r) => closed.close(r));
    const file = join(home, 'config', 'study-buddy', 'credentials.json');
    const sessions = JSON.parse(readFileSync(file, 'utf8')).sessions;
    writeFileSync(
      file,
      JSON.stringify({
        sessions: { ...sessions, [nobody]: { access_token: 'at', refresh_token: 'rt', saved_at: '' } },
      }),
      { mode: 0o600 },
    );
    const out = await cli(['logout', '--server', nobody]);
    expect(out.code).toBe(6);
    expect(out.stderr).toContain(`Cannot reach the server at ${nobody}`);
    expect(out.stderr).toContain('forgotten here');
    const left = JSON.parse(readFileSync(file, 'utf8')).sessions;
    expect(Object.keys(left)).toEqual([url]);
    expect((await cli(['ls', '--server', nobody])).code).toBe(3);
  });
});
