import { FakeYouTube, fakeThumbnail, SCRIPTED_VIDEOS, startFakeYouTube, waitFor } from '@study-buddy/testing';
import { startSystem, System } from './support/system';

type Info = {
  youtube_video_id: string;
  title: string | null;
  channel: string | null;
  duration_seconds: number | null;
  thumbnail_url: string | null;
  caption_languages: { language_code: string; kind: string }[];
  processable: boolean;
  reason: string | null;
  cost: number;
  existing_video_id: string | null;
};
type Video = {
  video_id: string;
  status: string;
  title: string | null;
  channel: string | null;
  duration_seconds: number | null;
  has_thumbnail: boolean;
};

const COURSE = ['COURSEVID01', 'COURSEVID02', 'COURSEVID03', 'COURSEVID04'];
type Playlist = {
  playlist_id: string;
  submitted: number;
  existing: number;
  not_submitted: number;
  items: { position: number; youtube_video_id: string; status: string }[];
  counts: Record<string, number>;
};

/** Video info before any credit is spent, and each video's details and thumbnail from a local fake YouTube. */
describe('video info and thumbnails (system test)', () => {
  let yt: FakeYouTube;
  let system: System;

  beforeAll(async () => {
    const lecture = { tracks: SCRIPTED_VIDEOS.MANUAL2LANG.tracks, channel: 'Course Channel' };
    yt = await startFakeYouTube(
      { ...SCRIPTED_VIDEOS, ...Object.fromEntries(COURSE.map((id) => [id, { ...lecture, title: `Lecture ${id}` }])) },
      { playlistPageSize: 3, playlists: { PLcourse4: { title: 'Photosynthesis course', videoIds: COURSE } } },
    );
    system = await startSystem({ extraEnv: { YOUTUBE_BASE_URL: yt.url, SIGNUP_CREDITS: '2' } });
  }, 120_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
    await yt?.close();
  }, 60_000);

  const thumbnail = (token: string, videoId: string, headers: Record<string, string> = {}) =>
    fetch(`${system.api.baseUrl}/videos/${videoId}/thumbnail`, {
      headers: { authorization: `Bearer ${token}`, ...headers },
    });

  it('tells what a link is and what it costs before any credit is spent', async () => {
    const { client } = await system.api.registerUser('info@example.com');
    const info = await client.get<Info>(`/videos/info?url=${encodeURIComponent('youtu.be/MANUAL2LANG?si=x')}`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      youtube_video_id: 'MANUAL2LANG',
      title: 'Photosynthesis explained',
      channel: 'Study Channel',
      duration_seconds: 110,
      thumbnail_url: 'https://i.ytimg.com/vi/MANUAL2LANG/hqdefault.jpg',
      processable: true,
      reason: null,
      cost: 1,
      existing_video_id: null,
    });
    expect(info.body.caption_languages.map((l) => [l.language_code, l.kind])).toEqual([
      ['en', 'manual'],
      ['de', 'manual'],
      ['en', 'asr'],
    ]);
    const restricted = await client.get<Info>(`/videos/info?url=${encodeURIComponent('https://youtu.be/AGERESTRICT')}`);
    expect(restricted.body).toMatchObject({ processable: false, reason: expect.stringMatching(/age-restricted/) });
    expect((await client.get('/videos/info?url=https%3A%2F%2Fexample.com%2Fwatch')).status).toBe(400);
    // nothing held, nothing recorded
    expect((await client.get('/credits')).body).toEqual({ balance: 2, reserved: 0 });
    expect((await client.get<{ items: unknown[] }>('/videos')).body.items).toEqual([]);
  });

  it('shows title, channel and duration on the video and serves its thumbnail with ETag and 304, until it is deleted', async () => {
    const { client } = await system.api.registerUser('thumb@example.com');
    const token = client.token!;
    const submitted = await client.post<{ video_id: string }>('/videos', { url: 'https://youtu.be/MANUAL2LANG' });
    expect(submitted.status).toBe(202);
    const id = submitted.body.video_id;
    const video = await waitFor(
      async () => {
        const { body } = await client.get<Video>(`/videos/${id}`);
        return body.has_thumbnail && body.status === 'completed' ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the video with its thumbnail, completed' },
    );
    expect(video).toMatchObject({ channel: 'Study Channel', duration_seconds: 110, title: expect.any(String) });
    const listed = (await client.get<{ items: Video[] }>('/videos')).body.items;
    expect(listed).toEqual([
      expect.objectContaining({ video_id: id, channel: 'Study Channel', duration_seconds: 110 }),
    ]);
    // the same link again costs nothing
    expect(
      (await client.get<Info>(`/videos/info?url=${encodeURIComponent('https://youtu.be/MANUAL2LANG')}`)).body,
    ).toMatchObject({ cost: 0, existing_video_id: id });

    const first = await thumbnail(token, id);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/jpeg');
    expect(first.headers.get('cache-control')).toBe('private, max-age=86400');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect(Buffer.from(await first.arrayBuffer())).toEqual(fakeThumbnail('MANUAL2LANG'));
    const again = await thumbnail(token, id, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    // fetched from YouTube once, whatever the clients ask
    expect(yt.thumbnailRequests('MANUAL2LANG')).toHaveLength(1);
    // another user does not see it
    const { client: stranger } = await system.api.registerUser('stranger@example.com');
    expect((await thumbnail(stranger.token!, id)).status).toBe(404);

    expect((await client.request('DELETE', `/videos/${id}`)).status).toBe(204);
    expect((await thumbnail(token, id)).status).toBe(404);
  });

  it('a playlist of 4 over a balance of 2: 402 and nothing submitted, then partial in order, and a repeat charges nothing', async () => {
    const { client } = await system.api.registerUser('playlist@example.com');
    const url = 'https://www.youtube.com/playlist?list=PLcourse4';
    const refused = await client.post<{ error: { code: string; details: unknown } }>('/videos/playlist', { url });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ code: 'insufficient_credits', details: { required: 4, available: 2 } });
    expect((await client.get('/credits')).body).toEqual({ balance: 2, reserved: 0 });
    expect((await client.get<{ items: unknown[] }>('/videos')).body.items).toEqual([]);

    const partial = await client.post<Playlist>('/videos/playlist', { url, partial: true, subject: 'Biology' });
    expect(partial.status).toBe(202);
    expect(partial.body).toMatchObject({ submitted: 2, existing: 0, not_submitted: 2 });
    const id = partial.body.playlist_id;
    const done = await waitFor(
      async () => {
        const { body } = await client.get<Playlist>(`/playlists/${id}`);
        return body.counts.completed === 2 ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the two playlist videos to complete' },
    );
    expect(done.items.map((i) => [i.position, i.youtube_video_id, i.status])).toEqual([
      [0, 'COURSEVID01', 'completed'],
      [1, 'COURSEVID02', 'completed'],
    ]);

    const repeat = await client.post<Playlist>('/videos/playlist', { url, partial: true });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ playlist_id: id, submitted: 0, existing: 2, not_submitted: 2 });
    const history = await client.get<{ items: { kind: string }[] }>('/credits/history');
    expect(history.body.items.filter((e) => e.kind === 'reserve')).toHaveLength(2);
    expect((await client.get('/credits')).body).toEqual({ balance: 0, reserved: 0 });
    // another user does not see it
    const { client: stranger } = await system.api.registerUser('playlist-stranger@example.com');
    expect((await stranger.get(`/playlists/${id}`)).status).toBe(404);
  });
});
