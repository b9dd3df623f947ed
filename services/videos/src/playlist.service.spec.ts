import { randomUUID } from 'node:crypto';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { AppError, RPC } from '@study-buddy/contracts';
import { Projector } from '@study-buddy/event-store';
import { createRecordingRpc, projectionSpec, ProjectionSpec, serviceSpec } from '@study-buddy/service-testing';
import { FakeYouTube, startFakeYouTube } from '@study-buddy/testing';
import { YouTubeClient } from '@study-buddy/youtube';
import { YouTubeVideoInfoSource } from './adapters/youtube/youtube-video-info';
import { PlaylistService } from './playlist.service';
import { PlaylistsQueries } from './read-model/playlists.queries';
import { videosProjection } from './read-model/videos.projection';
import { VideosQueries } from './read-model/videos.queries';
import { playlistsProjectorBeside } from './testing/playlists-read';
import { VideosService } from './videos.service';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `plvideo${String(i).padStart(4, '0')}`);

/** Playlists: the real YouTube client against the fake, billing as a recording RPC with a balance. */
describe('PlaylistService', () => {
  let yt: FakeYouTube;
  let spec: ReturnType<typeof serviceSpec>;
  let videosRead: ProjectionSpec;
  let playlistsProjector: Projector;
  let rpc: ReturnType<typeof createRecordingRpc>;
  let videos: VideosService;
  let playlists: PlaylistService;
  let balance: number;
  const userId = randomUUID();
  const url = 'https://www.youtube.com/playlist?list=PLcourse';

  beforeAll(async () => {
    yt = await startFakeYouTube(
      {},
      { playlistPageSize: 2, playlists: { PLcourse: { title: 'A course', videoIds: ids(5) } } },
    );
  });
  afterAll(() => yt.close());

  beforeEach(async () => {
    spec = serviceSpec();
    videosRead = await projectionSpec(videosProjection, { store: spec.store });
    videosRead.projector.start();
    playlistsProjector = await playlistsProjectorBeside(videosRead);
    playlistsProjector.start();
    rpc = createRecordingRpc();
    balance = 3;
    rpc.respond(RPC.billing.balance, () => ({ balance, reserved: 0 }));
    rpc.respond(RPC.billing.reserve, (data) => {
      if (balance < 1) throw new AppError('insufficient_credits', 'none left');
      balance -= 1;
      return { videoId: (data as { videoId: string }).videoId, balance, reserved: 1 };
    });
    const blobs = createMemoryBlobStore();
    videos = new VideosService(
      spec.store,
      rpc,
      blobs,
      new VideosQueries(videosRead.pool, videosRead.schema),
      videosRead.projector,
    );
    const source = new YouTubeVideoInfoSource(new YouTubeClient({ baseUrl: yt.url, timeoutMs: 2000 }));
    playlists = new PlaylistService(
      spec.store,
      rpc,
      source,
      { PLAYLIST_MAX_VIDEOS: 200 },
      videos,
      new PlaylistsQueries(videosRead.pool, videosRead.schema),
      playlistsProjector,
    );
  });
  afterEach(async () => {
    await playlistsProjector.stop();
    await videosRead.close();
  });

  it('refuses a playlist larger than the balance with 402, required and available, and submits nothing', async () => {
    const error = await playlists.submit({ userId, url }, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'insufficient_credits', details: { required: 5, available: 3 } });
    expect(rpc.callsTo(RPC.billing.reserve)).toEqual([]);
    expect(await spec.store.readAll()).toEqual([]);
  });

  it('with partial: submits as many as the credits cover, in playlist order; the same request again charges nothing', async () => {
    const first = await playlists.submit({ userId, url, partial: true, subject: 'Biology' }, {});
    expect(first).toMatchObject({ title: 'A course', submitted: 3, existing: 0, notSubmitted: 2, truncated: false });
    expect(rpc.callsTo(RPC.billing.reserve)).toHaveLength(3);
    const view = await playlists.get({ userId, playlistId: first.playlistId });
    expect(view.items.map((i) => [i.position, i.youtubeVideoId, i.status])).toEqual([
      [0, ids(5)[0], 'queued'],
      [1, ids(5)[1], 'queued'],
      [2, ids(5)[2], 'queued'],
    ]);
    expect(view.counts).toEqual({ queued: 3 });

    // no credits left: the repeat finds the three, charges nothing, and cannot add the other two
    const again = await playlists.submit({ userId, url, partial: true }, {});
    expect(again).toMatchObject({ playlistId: first.playlistId, submitted: 0, existing: 3, notSubmitted: 2 });
    expect(rpc.callsTo(RPC.billing.reserve)).toHaveLength(3);
    // without partial: the two new ones are refused, the three it has cost nothing
    await expect(playlists.submit({ userId, url }, {})).rejects.toMatchObject({
      details: { required: 2, available: 0 },
    });

    // credits bought: the rest is added in order
    balance = 10;
    const rest = await playlists.submit({ userId, url }, {});
    expect(rest).toMatchObject({ submitted: 2, existing: 3, notSubmitted: 0 });
    const full = await playlists.get({ userId, playlistId: first.playlistId });
    expect(full.items.map((i) => i.youtubeVideoId)).toEqual(ids(5));
    expect(full.counts).toEqual({ queued: 5 });
  });

  it('answers once the videos read model shows every video it submitted: the next read lists them all', async () => {
    await videosRead.projector.stop();
    let projecting = false;
    // the read a client makes as soon as the reply arrives
    const submitted = playlists.submit({ userId, url, limit: 3 }, {}).then(async (reply) => ({
      projecting,
      view: await playlists.get({ userId, playlistId: reply.playlistId }),
    }));
    // the playlist is recorded, and its projection runs: only the videos one is held back a while
    while ((await spec.store.readAll()).every((e) => !e.type.startsWith('Playlist')))
      await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    projecting = true;
    videosRead.projector.start();
    const { projecting: answeredAfterStart, view } = await submitted;
    expect(answeredAfterStart).toBe(true);
    expect(view.items.map((i) => i.status)).toEqual(['queued', 'queued', 'queued']);
  });

  it('reads only the first `limit` videos', async () => {
    const reply = await playlists.submit({ userId, url, limit: 2 }, {});
    expect(reply).toMatchObject({ submitted: 2, truncated: true });
  });

  it('is 404 for a playlist YouTube does not have and for another user’s playlist, 400 for a link without one', async () => {
    await expect(
      playlists.submit({ userId, url: 'https://www.youtube.com/playlist?list=PLnothing' }, {}),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(playlists.submit({ userId, url: 'https://youtu.be/dQw4w9WgXcQ' }, {})).rejects.toMatchObject({
      code: 'invalid_url',
    });
    const mine = await playlists.submit({ userId, url, limit: 1 }, {});
    await expect(playlists.get({ userId: randomUUID(), playlistId: mine.playlistId })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(playlists.get({ userId, playlistId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
