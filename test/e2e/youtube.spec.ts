import { FakeYouTube, SCRIPTED_VIDEOS, startFakeYouTube, waitFor } from '@study-buddy/testing';
import { ApiClient } from './support/api-client';
import { startSystem, System } from './support/system';

type Video = {
  video_id: string;
  status: string;
  note_id: string | null;
  error: { message: string; failed_step: string; retryable: boolean } | null;
};
type Note = { note_id: string; video_id: string; content: string };

const link = (id: string) => `https://youtu.be/${id}?si=shared-from-the-app`;
const timestampLink = (id: string) => new RegExp(`\\[\\d\\d:\\d\\d\\]\\(https://youtu\\.be/${id}\\?t=\\d+\\)`);

/**
 * Plain YouTube links, no transcript: the processor reads the captions from a
 * local fake YouTube (the real client, pointed at it by YOUTUBE_BASE_URL).
 */
describe('YouTube as the transcript source (system test)', () => {
  let yt: FakeYouTube;
  let system: System;

  beforeAll(async () => {
    yt = await startFakeYouTube(SCRIPTED_VIDEOS);
    system = await startSystem({
      extraEnv: { YOUTUBE_BASE_URL: yt.url, SIGNUP_CREDITS: '10' },
      // The fake counts the processor's requests; videos' info requests (video-info.spec.ts) would add to them.
      serviceEnv: { videos: { YOUTUBE_BASE_URL: 'http://127.0.0.1:9' } },
    });
  }, 120_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
    await yt?.close();
  }, 60_000);

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
  const noteOf = async (client: ApiClient, video: Video) =>
    (await client.get<Note>(`/notes/${video.note_id}?include_content=true`)).body;
  const submit = async (client: ApiClient, id: string, language?: string) => {
    const response = await client.post<{ video_id: string }>('/videos', { url: link(id), language });
    expect(response.status).toBe(202);
    return response.body.video_id;
  };

  it('ends each scripted video as specified: the right track, or the right failure, and the credit released', async () => {
    const { client } = await system.api.registerUser('yt@example.com');
    const ids = ['MANUAL2LANG', 'AUTOCAPONLY', 'AGERESTRICT', 'RATELIMIT02', 'NOCAPTIONS0'] as const;
    const submitted = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await submit(client, id)])));
    const videos = Object.fromEntries(
      await Promise.all(ids.map(async (id) => [id, await settled(client, submitted[id])] as const)),
    ) as Record<(typeof ids)[number], Video>;

    // manual captions in two languages, none asked for: the manual track in the video's own language
    expect(videos.MANUAL2LANG).toMatchObject({ status: 'completed', error: null });
    expect(yt.captionRequests('MANUAL2LANG').map((r) => [r.lang, r.tlang])).toEqual([['en', null]]);
    const manual = await noteOf(client, videos.MANUAL2LANG);
    expect(manual.content).toMatch(/chlorophyll/i);
    expect(manual.content).toMatch(timestampLink('MANUAL2LANG'));

    // only automatic captions: those
    expect(videos.AUTOCAPONLY).toMatchObject({ status: 'completed', error: null });
    expect(yt.captionRequests('AUTOCAPONLY')).toEqual([expect.objectContaining({ lang: 'en', tlang: null })]);
    expect((await noteOf(client, videos.AUTOCAPONLY)).content).toMatch(timestampLink('AUTOCAPONLY'));

    // HTTP 429 twice: redelivered with growing delays, completed on the third delivery
    expect(videos.RATELIMIT02).toMatchObject({ status: 'completed', error: null });
    expect(yt.playerRequests('RATELIMIT02')).toHaveLength(3);

    // terminal failures: at once (one player request, no other client), not retryable, in words a user understands
    expect(videos.AGERESTRICT).toMatchObject({
      status: 'failed',
      error: { failed_step: 'fetching_transcript', retryable: false, message: expect.stringMatching(/age-restricted/) },
    });
    expect(yt.playerRequests('AGERESTRICT')).toHaveLength(1);
    expect(videos.NOCAPTIONS0).toMatchObject({
      status: 'failed',
      error: {
        failed_step: 'fetching_transcript',
        retryable: false,
        message: expect.stringMatching(/no captions in any language/),
      },
    });

    // three captured, two released
    await credits(client, { balance: 7, reserved: 0 });
  });

  it('reads the language the user asked for', async () => {
    const { client } = await system.api.registerUser('yt-de@example.com');
    const before = yt.captionRequests('MANUAL2LANG').length;
    const video = await settled(client, await submit(client, 'MANUAL2LANG', 'de'));
    expect(video.status).toBe('completed');
    expect(yt.captionRequests('MANUAL2LANG').slice(before)).toEqual([
      expect.objectContaining({ lang: 'de', tlang: null }),
    ]);
    const note = await noteOf(client, video);
    expect(note.content).toMatch(/Photosynthese/);
    expect(note.content).toMatch(/^language: "de"$/m);
    await credits(client, { balance: 9, reserved: 0 });
  });

  it('completes a video whose processor was killed (SIGKILL) while fetching its captions: one note, one capture', async () => {
    const { client } = await system.api.registerUser('yt-kill@example.com');
    const videoId = await submit(client, 'HOLDCAPTION');
    await yt.captionHeld('HOLDCAPTION');

    await system.stack.services.processor.kill();
    yt.release('HOLDCAPTION');
    system.stack.services.processor.start();
    await system.stack.services.processor.waitUntilReady();

    const video = await settled(client, videoId);
    expect(video).toMatchObject({ status: 'completed', error: null });
    expect(yt.captionRequests('HOLDCAPTION').length).toBeGreaterThanOrEqual(2);
    const notes = await client.get<{ items: { note_id: string; video_id: string }[] }>('/notes');
    expect(notes.body.items.filter((n) => n.video_id === videoId)).toHaveLength(1);
    await credits(client, { balance: 9, reserved: 0 });
  });
});
