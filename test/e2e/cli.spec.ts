/* eslint-disable no-control-regex -- the tests look for terminal escape sequences */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  FakeAnthropic,
  FakeStripe,
  FakeYouTube,
  SCRIPTED_VIDEOS,
  startFakeAnthropic,
  startFakeStripe,
  startFakeYouTube,
} from '@study-buddy/testing';
import { startSystem, System } from './support/system';

const BIN = path.resolve(__dirname, '../../dist/clients/cli/src/main.js');
const PASSWORD = 'a cli password of some length';
const STEPS = [
  'queued',
  'starting',
  'fetching_transcript',
  'generating_notes',
  'generating_assessment',
  'writing_files',
  'creating_links',
  'completed',
];
const ANSI = /\x1b\[/;

/** A local port nothing listens on (one a server just had). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A playlist's videos whose captions wait for release(): all of them are in progress together. */
const HELD = ['HELDVIDEO01', 'HELDVIDEO02', 'HELDVIDEO03', 'HELDVIDEO04', 'HELDVIDEO05', 'HELDVIDEO06'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The built `study-buddy` binary as a user runs it, as a child process (stdout a pipe, so not a TTY),
 * against the five services with the fake YouTube, Anthropic and Stripe.
 */
describe('the study-buddy command-line tool (system test)', () => {
  let yt: FakeYouTube;
  let claude: FakeAnthropic;
  let stripe: FakeStripe;
  let system: System;
  let home: string;
  /** Every run's output, to check no token ever shows in any of them. */
  const runs: Run[] = [];

  const cli = (args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Run> =>
    new Promise<Run>((resolve) => {
      const child = execFile(
        process.execPath,
        [BIN, ...args],
        {
          env: {
            PATH: process.env.PATH,
            HOME: home,
            XDG_CONFIG_HOME: path.join(home, 'config'),
            STUDY_BUDDY_URL: system.stack.gatewayUrl,
            ...options.env,
          },
          timeout: 60_000,
        },
        (error, stdout, stderr) =>
          resolve({
            code: error ? ((error as { code?: number }).code ?? 1) : 0,
            stdout: String(stdout),
            stderr: String(stderr),
          }),
      );
      child.stdin!.end(options.input ?? '');
    }).then((run) => {
      runs.push(run);
      return run;
    });
  const ok = async (args: string[], options?: Parameters<typeof cli>[1]) => {
    const run = await cli(args, options);
    if (run.code !== 0) throw new Error(`study-buddy ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
    return run;
  };

  beforeAll(async () => {
    const held = Object.fromEntries(
      HELD.map((id, i) => [id, { ...SCRIPTED_VIDEOS.HOLDCAPTION, title: `Photosynthesis, part ${i + 1}` }]),
    );
    yt = await startFakeYouTube(
      { ...SCRIPTED_VIDEOS, ...held },
      {
        playlists: { PLcliHeld: { title: 'Photosynthesis, six times', videoIds: HELD } },
      },
    );
    claude = await startFakeAnthropic();
    stripe = await startFakeStripe({ apiKey: 'sk_test_cli' });
    system = await startSystem({
      extraEnv: {
        YOUTUBE_BASE_URL: yt.url,
        ANTHROPIC_API_KEY: claude.apiKey,
        ANTHROPIC_BASE_URL: claude.baseUrl,
        STRIPE_SECRET_KEY: 'sk_test_cli',
        STRIPE_WEBHOOK_SECRET: 'whsec_cli',
        STRIPE_API_BASE_URL: stripe.baseUrl,
        SIGNUP_CREDITS: '10',
        SSE_MAX_CONNECTIONS_PER_USER: '4',
      },
    });
    home = mkdtempSync(path.join(tmpdir(), 'study-buddy-cli-'));
  }, 120_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
    await Promise.all([yt?.close(), claude?.close(), stripe?.close()]);
    if (home) rmSync(home, { recursive: true, force: true });
  }, 60_000);

  it('registers, adds a video and waits, lists, searches, shows, exports, shows credits, buys and logs out', async () => {
    const env = { STUDY_BUDDY_PASSWORD: PASSWORD };
    expect((await cli(['ls'])).code).toBe(3);

    const registered = await ok(['register', '--email', 'cli@example.com'], { env });
    expect(registered.stdout).toContain('Registered cli@example.com');
    const credentials = path.join(home, 'config', 'study-buddy', 'credentials.json');
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(credentials)).mode & 0o777).toBe(0o700);
    // the tokens of each session, to look for in every output from here on
    const tokens: string[] = [];
    const remember = () => {
      const { access_token, refresh_token } = JSON.parse(readFileSync(credentials, 'utf8')).sessions[
        system.stack.gatewayUrl
      ];
      expect(access_token).toEqual(expect.any(String));
      expect(refresh_token).toEqual(expect.any(String));
      tokens.push(access_token, refresh_token);
      return { access_token, refresh_token };
    };
    const noTokenInAnyOutput = () => {
      expect(runs.length).toBeGreaterThan(0);
      for (const token of tokens)
        for (const run of runs) {
          expect(run.stdout).not.toContain(token);
          expect(run.stderr).not.toContain(token);
        }
    };
    remember();

    // add --wait, not on a TTY: one plain line per step change, in order, ending in completion
    const added = await ok(['add', 'https://youtu.be/MANUAL2LANG', '--language', 'en', '--wait']);
    expect(added.stdout).not.toMatch(ANSI);
    const progress = added.stdout.trim().split('\n');
    const videoId = progress[0].split(' ')[0];
    expect(progress[0]).toMatch(new RegExp(`^${videoId} .+ queued$`)); // "(untitled)" unless videos was quick
    for (const line of progress) expect(line.startsWith(`${videoId} `)).toBe(true);
    // `<video-id> <title> <step>`, the title "(untitled)" until videos has read it; the end `completed <note-id>`
    const steps = progress.map((line) =>
      / completed [0-9a-f-]{36}$/.test(line) ? 'completed' : line.split(' ').at(-1),
    );
    expect(steps[0]).toBe('queued');
    expect(steps.at(-1)).toBe('completed');
    expect(new Set(steps).size).toBe(steps.length);
    const order = steps.map((s) => STEPS.indexOf(s ?? ''));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(steps).toEqual(expect.arrayContaining(['fetching_transcript', 'generating_notes']));
    expect(progress.at(-1)).toMatch(new RegExp(`^${videoId} .+ completed [0-9a-f-]{36}$`));
    const noteId = progress.at(-1)!.split(' ').at(-1)!;

    const listed = JSON.parse((await ok(['ls', '--json'])).stdout);
    expect(listed).toEqual([expect.objectContaining({ video_id: videoId, status: 'completed', note_id: noteId })]);
    expect((await ok(['ls'])).stdout).toContain(`${videoId}  100%  completed ${noteId}`);

    const note = JSON.parse((await ok(['show', noteId, '--json'])).stdout);
    expect(note).toMatchObject({ note_id: noteId, video_id: videoId });
    const title: string = note.title;

    const found = await ok(['search', 'photosynthesis']);
    expect(found.stdout.startsWith(`${title}  (${note.subject}) ${noteId}\n  `)).toBe(true);
    expect(found.stdout).not.toMatch(/<\/?mark>|\x1b\[/);
    expect(JSON.parse((await ok(['search', 'photosynthesis', '--json'])).stdout)[0]).toMatchObject({ note_id: noteId });

    const shown = await ok(['show', noteId]);
    expect(shown.stdout.startsWith(`${title}\n${'='.repeat(title.length)}\n`)).toBe(true);
    expect(shown.stdout).toContain('Summary\n-------');
    expect(shown.stdout).toContain('Model answer:');
    expect(shown.stdout).not.toMatch(/^note_id:|<details>|\x1b\[/m);

    const vault = path.join(home, 'vault');
    const exported = await ok(['export', 'obsidian', vault]);
    expect(exported.stdout).toMatch(/^Wrote \d+ files to /);
    const files = readdirSync(vault, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.md'));
    expect(files.length).toBeGreaterThanOrEqual(2); // the note and the index
    expect(files.some((f) => readFileSync(path.join(vault, f), 'utf8').includes(`note_id: "${noteId}"`))).toBe(true);
    const again = await cli(['export', 'obsidian', vault]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
    await ok(['export', 'obsidian', vault, '--force']);

    const deck = path.join(home, 'deck.apkg');
    await ok(['export', 'anki', deck]);
    expect(readFileSync(deck).subarray(0, 2).toString()).toBe('PK');
    expect((await cli(['export', 'anki', deck])).code).toBe(2);

    const credits = JSON.parse((await ok(['credits', '--json'])).stdout);
    expect(credits).toMatchObject({ balance: 9, reserved: 0 });
    expect(credits.history.map((h: { kind: string }) => h.kind)).toEqual(expect.arrayContaining(['grant', 'capture']));
    expect((await ok(['credits'])).stdout).toMatch(/^Balance: 9 credits \(0 reserved\)/);

    const bought = await ok(['buy', 'basic']);
    expect(bought.stdout.trim()).toMatch(/^https?:\/\/\S+$/);
    expect(stripe.sessions.size).toBe(1);
    expect((await cli(['buy', 'no-such-package'])).code).toBe(7);

    await ok(['logout']);
    const after = await cli(['ls']);
    expect(after.code).toBe(3);
    expect(after.stderr).toBe(`study-buddy: Not logged in to ${system.stack.gatewayUrl}: run study-buddy login\n`);

    // a script logs in with the password on stdin; a wrong one is exit code 3, without a stack trace
    const wrong = await cli(['login', '--email', 'cli@example.com'], { input: 'not the password\n' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
    noTokenInAnyOutput();
    await ok(['login', '--email', 'cli@example.com'], { input: `${PASSWORD}\n` });
    const secrets = readFileSync(credentials, 'utf8');
    const { access_token, refresh_token } = remember();

    // an access token the gateway refuses (as an expired one is): the CLI refreshes once, retries, and stores the new pair
    const stored = JSON.parse(secrets);
    stored.sessions[system.stack.gatewayUrl].access_token = `${access_token.slice(0, -4)}AAAA`;
    writeFileSync(credentials, JSON.stringify(stored), { mode: 0o600 });
    expect(JSON.parse((await ok(['credits', '--json'])).stdout)).toMatchObject({ balance: 9 });
    const refreshed = JSON.parse(readFileSync(credentials, 'utf8')).sessions[system.stack.gatewayUrl];
    // (the new access token may equal the first one: same session, issued in the same second)
    expect(refreshed.access_token).not.toBe(stored.sessions[system.stack.gatewayUrl].access_token);
    expect(refreshed.refresh_token).not.toBe(refresh_token);
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    remember();

    // three processes find the access token refused at once: they refresh one at a time (a lock beside
    // credentials.json), the later ones use the pair the first stored — none presents a spent refresh
    // token, which the gateway would take for theft and end the session over
    const expired = JSON.parse(readFileSync(credentials, 'utf8'));
    expired.sessions[system.stack.gatewayUrl].access_token = `${refreshed.access_token.slice(0, -4)}AAAA`;
    writeFileSync(credentials, JSON.stringify(expired), { mode: 0o600 });
    const together = await Promise.all([1, 2, 3].map(() => cli(['credits', '--json'])));
    expect(together.map((run) => [run.code, run.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    expect((await ok(['credits', '--json'])).code).toBe(0); // the session lives on
    const shared = remember();
    expect(shared.refresh_token).not.toBe(refreshed.refresh_token);
    expect(readdirSync(path.dirname(credentials)).sort()).toEqual(['credentials.json']); // no lock or temporary file left
    noTokenInAnyOutput();
  });

  it('a video that fails is exit code 5; a playlist is followed a few streams at a time, within the per-user limit', async () => {
    const failed = await cli(['add', 'https://youtu.be/NOCAPTIONS0', '--wait']);
    expect(failed.code).toBe(5);
    expect(failed.stdout.trim().split('\n').at(-1)).toMatch(/ failed: .+/);
    expect(failed.stderr).toContain('1 of 1 video(s) did not complete');

    // six videos in progress at once, SSE_MAX_CONNECTIONS_PER_USER=4: a stream per video at once would be refused (429)
    const waiting = cli(['add', 'https://www.youtube.com/playlist?list=PLcliHeld', '--wait']);
    await Promise.all(HELD.slice(0, 4).map((id) => yt.captionHeld(id))); // JOB_CONCURRENCY 4: the rest are queued
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the CLI has had time to open every stream it would
    for (const id of HELD) yt.release(id);
    const playlist = await waiting;
    expect(playlist.stderr).toBe('');
    expect(playlist.code).toBe(0);
    expect(playlist.stdout).toContain('6 submitted, 0 already yours, 0 not submitted');
    const lines = playlist.stdout.trim().split('\n');
    expect(lines.filter((line) => / completed [0-9a-f-]{36}$/.test(line))).toHaveLength(6);
    const gatewayLog = readFileSync(path.join(system.logsDirectory, 'gateway.log'), 'utf8');
    expect(gatewayLog).toMatch(/events 200/);
    expect(gatewayLog).not.toMatch(/events 429/);

    const nobody = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await cli(['ls'], { env: { STUDY_BUDDY_URL: nobody } });
    expect(unreachable.code).toBe(3); // no session for that server
    const down = await cli(['buy'], { env: { STUDY_BUDDY_URL: nobody } });
    expect(down).toMatchObject({
      code: 6,
      stderr: `study-buddy: Cannot reach the server at ${nobody} (ECONNREFUSED)\n`,
    });
  });
});
