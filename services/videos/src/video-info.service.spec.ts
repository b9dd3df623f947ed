import { randomUUID } from 'node:crypto';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { AppError, RPC } from '@study-buddy/contracts';
import { deterministicId } from '@study-buddy/event-store';
import { createRecordingRpc, projectionSpec, ProjectionSpec, serviceSpec } from '@study-buddy/service-testing';
import { FakeYouTube, fakeThumbnail, SCRIPTED_VIDEOS, startFakeYouTube } from '@study-buddy/testing';
import { YouTubeClient } from '@study-buddy/youtube';
import { YouTubeVideoInfoSource } from './adapters/youtube/youtube-video-info';
import { videoStream } from './domain/video.decider';
import { videosProjection } from './read-model/videos.projection';
import { VideosQueries } from './read-model/videos.queries';
import { VideoInfoService } from './video-info.service';
import { VideoLifecycleService } from './video-lifecycle.service';
import { VideosService } from './videos.service';

/** Video info and thumbnails: the real YouTube client against the fake YouTube, the read model on PostgreSQL. */
describe('VideoInfoService', () => {
  let yt: FakeYouTube;
  let spec: ReturnType<typeof serviceSpec>;
  let read: ProjectionSpec;
  let blobs: ReturnType<typeof createMemoryBlobStore>;
  let videos: VideosService;
  let infos: VideoInfoService;
  let lifecycle: VideoLifecycleService;
  const userId = randomUUID();

  beforeAll(async () => {
    yt = await startFakeYouTube({ ...SCRIPTED_VIDEOS });
  });
  afterAll(() => yt.close());

  beforeEach(async () => {
    spec = serviceSpec();
    read = await projectionSpec(videosProjection, { store: spec.store });
    read.projector.start();
    const rpc = createRecordingRpc();
    rpc.respond(RPC.billing.reserve, (data) => ({
      videoId: (data as { videoId: string }).videoId,
      balance: 1,
      reserved: 1,
    }));
    blobs = createMemoryBlobStore();
    const queries = new VideosQueries(read.pool, read.schema);
    videos = new VideosService(spec.store, rpc, blobs, queries, read.projector);
    const source = new YouTubeVideoInfoSource(new YouTubeClient({ baseUrl: yt.url, timeoutMs: 2000 }));
    infos = new VideoInfoService(spec.store, blobs, source, videos, queries);
    lifecycle = new VideoLifecycleService(spec.store, rpc, blobs, videos, read.projector);
  });
  afterEach(() => read.close());

  it('tells what a link is and what it costs, without charging or recording anything', async () => {
    const outcome = await spec.when(() => infos.info({ userId, url: 'youtu.be/MANUAL2LANG?t=5' }));
    outcome
      .thenReplies({
        youtubeVideoId: 'MANUAL2LANG',
        url: 'https://www.youtube.com/watch?v=MANUAL2LANG',
        title: 'Photosynthesis explained',
        channel: 'Study Channel',
        channelId: expect.any(String),
        durationSeconds: 110,
        publishDate: null, // the recorded ANDROID_VR response has no microformat
        thumbnailUrl: 'https://i.ytimg.com/vi/MANUAL2LANG/hqdefault.jpg',
        isLive: false,
        captionLanguages: [
          { languageCode: 'en', name: 'English', kind: 'manual' },
          { languageCode: 'de', name: 'German', kind: 'manual' },
          { languageCode: 'en', name: 'English (auto-generated)', kind: 'asr' },
        ],
        processable: true,
        reason: null,
        cost: 1,
        existingVideoId: null,
      })
      .thenAppendsNothing();
  });

  it('says why a video cannot be processed', async () => {
    expect(await infos.info({ userId, url: 'https://youtu.be/AGERESTRICT' })).toMatchObject({
      processable: false,
      reason: expect.stringMatching(/age-restricted/),
      cost: 1,
    });
    expect(await infos.info({ userId, url: 'https://youtu.be/NOCAPTIONS0' })).toMatchObject({
      processable: false,
      reason: expect.stringMatching(/caption/i),
    });
  });

  it('is 400 for a link that is not a video and 503 when YouTube will not answer', async () => {
    await expect(infos.info({ userId, url: 'https://example.com/watch?v=MANUAL2LANG' })).rejects.toMatchObject({
      httpStatus: 400,
    });
    const err = await infos.info({ userId, url: 'https://youtu.be/RATELIMIT02' }).catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/YouTube/) });
  });

  it('records title, channel, duration and the thumbnail once, and serves it with its ETag', async () => {
    const { videoId } = await videos.submit({ userId, url: 'https://youtu.be/MANUAL2LANG' }, {});
    expect(await infos.info({ userId, url: 'https://youtu.be/MANUAL2LANG' })).toMatchObject({
      cost: 0,
      existingVideoId: videoId,
    });
    await infos.record(videoId, {});
    await infos.record(videoId, {}); // a repeat reads nothing again
    expect(yt.thumbnailRequests('MANUAL2LANG')).toHaveLength(1);
    const events = await spec.store.readStream(videoStream(videoId));
    expect(events.filter((e) => e.type === 'VideoInfoRecorded')).toHaveLength(1);

    await read.catchUp();
    expect(await videos.get(userId, videoId)).toMatchObject({
      title: 'Photosynthesis explained',
      channel: 'Study Channel',
      durationSeconds: 110,
      hasThumbnail: true,
    });
    const image = await infos.thumbnail({ userId, videoId });
    expect(image).toMatchObject({ contentType: 'image/jpeg', notModified: false, etag: expect.stringMatching(/^"/) });
    expect(Buffer.from(image.data!, 'base64')).toEqual(fakeThumbnail('MANUAL2LANG'));
    expect(await infos.thumbnail({ userId, videoId, ifNoneMatch: `W/"x", ${image.etag}` })).toEqual({
      etag: image.etag,
      contentType: 'image/jpeg',
      notModified: true,
    });
    // another user's video is not there
    await expect(infos.thumbnail({ userId: randomUUID(), videoId })).rejects.toMatchObject({ code: 'not_found' });

    await lifecycle.delete({ userId, videoId }, {});
    expect(blobs.keys().filter((k) => k.startsWith('thumbnails/'))).toEqual([]);
    await expect(infos.thumbnail({ userId, videoId })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('leaves a video without details when YouTube does not answer, and without a thumbnail until it does', async () => {
    const { videoId } = await videos.submit({ userId, url: 'https://youtu.be/UNAVAILABLE' }, {});
    await infos.record(videoId, {});
    await read.catchUp();
    expect(await videos.get(userId, videoId)).toMatchObject({ title: null, channel: null, hasThumbnail: false });
    await expect(infos.thumbnail({ userId, videoId })).rejects.toMatchObject({ code: 'not_found' });
    expect(deterministicId(`video/${userId}/UNAVAILABLE`)).toBe(videoId);
  });
});
