import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
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
    res.writeHead(req.url === '/credits/packages' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(
      req.url === '/credits/packages'
        ? JSON.stringify({ items: [{ id: 'basic', credits: 10, amount: 999, currency: 'usd' }] })
        : JSON.stringify({ error: { code: 'not_found', message: 'Note not found' } }),
    );
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
    expect((await cli(['ls', '--limit', 'x'])).code).toBe(3); // not logged in is checked first
    expect((await cli([])).code).toBe(2);
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
});
