import {
  FakeAnthropic,
  fakeAnthropicError,
  FakeYouTube,
  FakeAnthropicRequest,
  LECTURE_SENTENCES,
  longLecture,
  SCRIPTED_VIDEOS,
  startFakeAnthropic,
  startFakeYouTube,
  toSrt,
  waitFor,
} from '@study-buddy/testing';
import { ApiClient } from './support/api-client';
import { startSystem, System } from './support/system';

type Video = {
  video_id: string;
  status: string;
  note_id: string | null;
  error: { message: string; failed_step: string; retryable: boolean } | null;
};
type Note = { note_id: string; video_id: string; content: string };

/** MANUAL2LANG's English captions start a line every 7 s from 3 s (cuesOf in libs/testing). */
const MOMENTS = new Set(LECTURE_SENTENCES.map((_, i) => 3 + i * 7));
/** Small enough that a 3-hour lecture takes several parts; the MANUAL2LANG lecture still fits one request. */
const BUDGET = 10_000;
const LONG = longLecture(30_000);
const LONG_MOMENTS = new Set(LONG.map((l) => l.start));
const blockOf = (r: FakeAnthropicRequest) => String(r.body.messages[0].content[0].text);
const isPart = (r: FakeAnthropicRequest) => /^Part \d+ of \d+ of a long/.test(blockOf(r));
/** The text the model reads, as 3 ASCII characters a token: above what Claude (≈4) or the fake's billing counts. */
const estimatedTokens = (r: FakeAnthropicRequest) =>
  Math.ceil(
    (String(r.body.system).length +
      r.body.messages[0].content.reduce((n: number, b: { text: string }) => n + b.text.length, 0) +
      JSON.stringify(r.body.output_config).length) /
      3,
  );

/**
 * Notes written by Claude: the processor runs the real SDK against the local
 * fake Messages API (ANTHROPIC_BASE_URL), captions come from the fake YouTube.
 */
describe('Notes written by Claude (system test)', () => {
  let yt: FakeYouTube;
  let claude: FakeAnthropic;
  let system: System;

  beforeAll(async () => {
    yt = await startFakeYouTube(SCRIPTED_VIDEOS);
    claude = await startFakeAnthropic();
    system = await startSystem({
      extraEnv: {
        YOUTUBE_BASE_URL: yt.url,
        ANTHROPIC_API_KEY: claude.apiKey,
        ANTHROPIC_BASE_URL: claude.baseUrl,
        ANTHROPIC_INPUT_TOKEN_BUDGET: String(BUDGET),
        SIGNUP_CREDITS: '10',
      },
    });
  }, 120_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
    await yt?.close();
    await claude?.close();
  }, 60_000);

  beforeEach(() => claude.reset());

  const settled = (client: ApiClient, videoId: string) =>
    waitFor(
      async () => {
        const { body } = await client.get<Video>(`/videos/${videoId}`);
        return ['completed', 'failed'].includes(body.status) ? body : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200, what: `video ${videoId} to finish` },
    );
  const credits = (client: ApiClient, expected: { balance: number; reserved: number }) =>
    waitFor(
      async () => {
        const { body } = await client.get('/credits');
        return JSON.stringify(body) === JSON.stringify(expected) ? body : undefined;
      },
      { timeoutMs: 15_000, what: `credits to be ${JSON.stringify(expected)}` },
    );
  const submit = async (client: ApiClient) => {
    const response = await client.post<{ video_id: string }>('/videos', { url: 'https://youtu.be/MANUAL2LANG' });
    expect(response.status).toBe(202);
    return response.body.video_id;
  };

  it('turns a YouTube link into Claude’s note: sections, timestamps that exist, an assessment from a cached transcript', async () => {
    const { client } = await system.api.registerUser('claude@example.com');
    const video = await settled(client, await submit(client));
    expect(video).toMatchObject({ status: 'completed', error: null });
    const note = (await client.get<Note>(`/notes/${video.note_id}?include_content=true`)).body;
    expect(note.content).toContain('Claude'); // the fake's title: the Claude path wrote it
    for (const section of ['## Summary', '## Core Concepts', '## Key Points', '## Assessment'])
      expect(note.content).toContain(section);
    expect(note.content).toContain('### 6. ');
    const cited = [...note.content.matchAll(/\(https:\/\/youtu\.be\/MANUAL2LANG\?t=(\d+)\)/g)].map((m) => Number(m[1]));
    expect(cited.length).toBeGreaterThan(0);
    for (const s of cited) expect(MOMENTS).toContain(s);
    expect(claude.requests).toHaveLength(2);
    expect(claude.requests[1].body.messages[0].content[0]).toEqual(claude.requests[0].body.messages[0].content[0]);
    // what it cost, on the video once the job's completion reached videos
    const usage = await waitFor(
      async () =>
        (await client.get<Video & { usage: Record<string, number> | null }>(`/videos/${video.video_id}`)).body.usage ??
        undefined,
      { timeoutMs: 15_000, what: 'the video to show its usage' },
    );
    expect(usage).toMatchObject({ calls: 2, estimated_cost_usd: expect.any(Number) });
    expect(usage.cache_read_tokens).toBeGreaterThan(0);
    // and in the month's spend (the usage projection may trail the videos one by a moment)
    const month = new Date().toISOString().slice(0, 7);
    const spend = await waitFor(
      async () => {
        const { body } = await client.get<{ months: Record<string, unknown>[]; total: Record<string, unknown> }>(
          `/usage?from=${month}`,
        );
        return body.months.length > 0 ? body : undefined;
      },
      { timeoutMs: 15_000, what: 'GET /usage to show the video' },
    );
    const { calls: _calls, ...tokens } = usage;
    expect(spend.months).toEqual([{ month, videos: 1, ...tokens, calls: 2 }]);
    expect(spend.total).toEqual({ videos: 1, ...tokens, calls: 2 });
  }, 120_000);

  it('files a second video under the subject the user already has, which the prompt offers', async () => {
    const { client } = await system.api.registerUser('subjects@example.com');
    const first = await client.post<{ video_id: string }>('/videos', {
      url: 'https://youtu.be/MANUAL2LANG',
      subject: 'Photosynthesis',
    });
    expect(first.status).toBe(202);
    expect(await settled(client, first.body.video_id)).toMatchObject({ status: 'completed' });
    // the notes projection may trail the job's completion by a moment
    await waitFor(
      async () => {
        const { body } = await client.get<{ items: { subject: string }[] }>('/subjects');
        return body.items.some((i) => i.subject === 'Photosynthesis') ? true : undefined;
      },
      { timeoutMs: 15_000, what: 'the first note to be in the library' },
    );
    claude.reset();
    const second = await client.post<{ video_id: string }>('/videos', { url: 'https://youtu.be/AUTOCAPONLY' });
    expect(second.status).toBe(202);
    const video = await settled(client, second.body.video_id);
    expect(video).toMatchObject({ status: 'completed', error: null });
    expect(claude.requests[0].body.messages[0].content[1].text).toContain('["Photosynthesis"]');
    const note = (await client.get<Note & { subject: string }>(`/notes/${video.note_id}`)).body;
    expect(note.subject).toBe('Photosynthesis');
  }, 120_000);

  it('completes after Claude answers 529 overloaded once', async () => {
    const { client } = await system.api.registerUser('overloaded@example.com');
    claude.enqueue(fakeAnthropicError(529, 0));
    const video = await settled(client, await submit(client));
    expect(video).toMatchObject({ status: 'completed', error: null });
    expect(claude.requests.length).toBe(3);
  }, 120_000);

  it('fails at once when the key is refused, and gives the credit back', async () => {
    const { client } = await system.api.registerUser('revoked@example.com');
    claude.setDefault(fakeAnthropicError(401));
    const video = await settled(client, await submit(client));
    expect(video.status).toBe('failed');
    expect(video.error).toMatchObject({ failed_step: 'generating_notes' });
    expect(video.error!.message).toContain('API key');
    expect(video.error!.message).not.toContain(claude.apiKey);
    expect(claude.requests).toHaveLength(1); // not retried, not redelivered
    await credits(client, { balance: 10, reserved: 0 });
  }, 120_000);

  it('counts what a failed video spent: a paid note, then a refused assessment', async () => {
    const { client } = await system.api.registerUser('failed-spend@example.com');
    claude.enqueue({ kind: 'default' }, fakeAnthropicError(401));
    const video = await settled(client, await submit(client));
    expect(video).toMatchObject({ status: 'failed', error: { failed_step: 'generating_assessment' } });
    const usage = await waitFor(
      async () =>
        (await client.get<Video & { usage: Record<string, number> | null }>(`/videos/${video.video_id}`)).body.usage ??
        undefined,
      { timeoutMs: 15_000, what: 'the failed video to show its usage' },
    );
    expect(usage).toMatchObject({ calls: 1, estimated_cost_usd: expect.any(Number) });
    expect(usage.input_tokens).toBeGreaterThan(0);
    const spend = await waitFor(
      async () => {
        const { body } = await client.get<{ total: Record<string, number> }>('/usage');
        return body.total.calls > 0 ? body : undefined;
      },
      { timeoutMs: 15_000, what: 'GET /usage to count the failed video' },
    );
    expect(spend.total).toEqual({ videos: 1, ...usage });
  }, 120_000);

  it('writes a 3-hour lecture in parts within the budget, and a processor killed half-way does not ask for finished parts again', async () => {
    const { client } = await system.api.registerUser('long-lecture@example.com');
    claude.setDefault({ kind: 'default', delayMs: 700 }); // slow enough to kill the processor between parts
    const response = await client.post<{ video_id: string }>('/videos', {
      url: 'https://youtu.be/MANUAL2LANG',
      transcript: toSrt(LONG),
    });
    expect(response.status).toBe(202);
    // Parts are written one after another, each stored before the next is asked for: the 5th request means 4 are kept.
    await waitFor(async () => (claude.requests.filter(isPart).length >= 5 ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 50,
      what: 'Claude to be asked for the 5th part',
    });
    await system.stack.services.processor.kill();
    const finished = claude.requests.filter(isPart).slice(0, 4).map(blockOf);
    const seenBeforeKill = claude.requests.length;
    claude.setDefault({ kind: 'default' });
    system.stack.services.processor.start();
    await system.stack.services.processor.waitUntilReady();

    const video = await settled(client, response.body.video_id);
    expect(video).toMatchObject({ status: 'completed', error: null });
    const afterRestart = claude.requests.slice(seenBeforeKill);
    for (const part of finished) expect(afterRestart.map(blockOf)).not.toContain(part);
    const total = Number(/^Part \d+ of (\d+)/.exec(finished[0])![1]);
    expect(total).toBeGreaterThan(5);
    expect(afterRestart.filter(isPart).length).toBe(total - 4); // the one cut off by the kill, and the rest
    for (const r of claude.requests) expect(estimatedTokens(r)).toBeLessThanOrEqual(BUDGET);

    const note = (await client.get<Note>(`/notes/${video.note_id}?include_content=true`)).body;
    const cited = [...note.content.matchAll(/\(https:\/\/youtu\.be\/MANUAL2LANG\?t=(\d+)\)/g)].map((m) => Number(m[1]));
    for (const s of cited) expect(LONG_MOMENTS).toContain(s);
    const end = LONG[LONG.length - 1].start;
    expect(Math.min(...cited)).toBeLessThan(end / 10); // from the start of the lecture …
    expect(Math.max(...cited)).toBeGreaterThan(end * 0.85); // … to its end: one note of every part
    expect(note.content).toContain('## Assessment');
  }, 180_000);
});
