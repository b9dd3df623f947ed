import { randomUUID } from 'node:crypto';
import { connect, JSONCodec, NatsConnection } from 'nats';
import { AppError, RPC, videoChangedSubject, VideoView } from '@study-buddy/contracts';
import { PlatformConfig } from '@study-buddy/nest-kit';
import { createRecordingRpc } from '@study-buddy/service-testing';
import { testNatsUrl, uniqueNamespace, waitFor } from '@study-buddy/testing';
import { AuthenticatedRequest } from '../auth/auth.guard';
import { UsersService } from '../auth/users.service';
import { GatewayEnv } from '../config';
import { VideosController } from '../http/videos.controller';
import { VideoChangeListener } from './video-change-listener';

/** `GET /videos/{id}` through the cache, on the real NATS, with videos answered by a recording fake. */
describe('the cache of video views', () => {
  const namespace = uniqueNamespace().subjects;
  const user = { userId: randomUUID(), email: 'ada@example.com', sessionId: randomUUID() };
  const request = { headers: {} } as AuthenticatedRequest;
  const codec = JSONCodec();
  let nc: NatsConnection;
  let publisher: NatsConnection;
  let listener: VideoChangeListener;
  let controller: VideosController;
  const rpc = createRecordingRpc();
  const rows = new Map<string, VideoView>();
  let gate: Promise<void> | undefined;

  const view = (videoId: string, status: VideoView['status'], progress = 0): VideoView => ({
    videoId,
    youtubeVideoId: 'dQw4w9WgXcQ',
    url: 'https://youtu.be/dQw4w9WgXcQ',
    status,
    progress,
    step: null,
    statusMessage: null,
    noteId: null,
    title: null,
    channel: null,
    durationSeconds: null,
    hasThumbnail: false,
    subject: null,
    error: null,
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
    completedAt: null,
    attempt: 1,
    usage: null,
  });
  /** What videos would announce after its projection committed a change of the row. */
  const changed = async (videoId: string) => {
    const evicted = jest.spyOn(listener.cache, 'evict');
    publisher.publish(videoChangedSubject(namespace, videoId), codec.encode({ video_id: videoId, version: '42' }));
    await waitFor(() => evicted.mock.calls.some(([id]) => id === videoId), { what: 'the notice' });
    evicted.mockRestore();
  };
  const reads = (videoId: string) =>
    rpc.callsTo(RPC.videos.get).filter((c) => (c as { videoId: string }).videoId === videoId).length;
  const get = (videoId: string) => controller.get(videoId, {}, user, request) as Promise<{ progress: number }>;

  beforeAll(async () => {
    nc = await connect({ servers: testNatsUrl() });
    publisher = await connect({ servers: testNatsUrl() });
    rpc.respond(RPC.videos.get, async (data) => {
      const { videoId } = data as { videoId: string };
      const row = rows.get(videoId); // read when the request arrives, answered when the gate opens
      await gate;
      if (!row) throw new AppError('not_found', 'Video not found');
      return row;
    });
    rpc.respond(RPC.videos.cancel, (data) => {
      const { videoId } = data as { videoId: string };
      rows.set(videoId, view(videoId, 'cancelled'));
      return { videoId, status: 'cancelled', attempt: 1, changed: true };
    });
    listener = new VideoChangeListener(
      nc,
      { topology: { namespace } } as PlatformConfig,
      {
        VIDEO_CACHE_MAX_ENTRIES: 100,
        VIDEO_CACHE_MAX_AGE_MS: 60_000,
      } as GatewayEnv,
    );
    await listener.onModuleInit();
    controller = new VideosController(rpc, {} as UsersService, listener.cache);
  });
  afterAll(async () => {
    listener.onModuleDestroy();
    await nc.close();
    await publisher.close();
  });

  it('answers repeated reads itself until videos announces a change', async () => {
    const videoId = randomUUID();
    rows.set(videoId, view(videoId, 'processing', 10));
    expect(await get(videoId)).toMatchObject({ progress: 10 });
    expect(await get(videoId)).toMatchObject({ progress: 10 });
    expect(reads(videoId)).toBe(1);
    rows.set(videoId, view(videoId, 'processing', 60));
    await changed(videoId);
    expect(await get(videoId)).toMatchObject({ progress: 60 });
    expect(reads(videoId)).toBe(2);
  });

  it('does not keep a reply that was read before a change announced while it was in flight', async () => {
    const videoId = randomUUID();
    rows.set(videoId, view(videoId, 'processing', 10));
    let open = () => undefined as void;
    gate = new Promise((r) => (open = r));
    const stale = get(videoId); // videos has read the row at 10
    await waitFor(() => reads(videoId) === 1);
    rows.set(videoId, view(videoId, 'processing', 60));
    await changed(videoId); // ...and the notice of the change arrives before that reply
    open();
    gate = undefined;
    expect(await stale).toMatchObject({ progress: 10 });
    expect(await get(videoId)).toMatchObject({ progress: 60 });
    expect(reads(videoId)).toBe(2);
  });

  it('never caches a 404: a video recorded a moment later is found', async () => {
    const videoId = randomUUID();
    await expect(get(videoId)).rejects.toMatchObject({ code: 'not_found' });
    rows.set(videoId, view(videoId, 'queued'));
    expect(await get(videoId)).toMatchObject({ status: 'queued' });
  });

  it("answers only the video's owner", async () => {
    const videoId = randomUUID();
    rows.set(videoId, view(videoId, 'completed', 100));
    await get(videoId);
    const other = { ...user, userId: randomUUID() };
    await controller.get(videoId, {}, other, request);
    expect(rpc.callsTo(RPC.videos.get).filter((c) => (c as { userId: string }).userId === other.userId)).toEqual([
      { userId: other.userId, videoId },
    ]);
  });

  it("reads the caller's own write: a cancel drops the cached view at once, before any notice", async () => {
    const videoId = randomUUID();
    rows.set(videoId, view(videoId, 'processing', 25));
    await get(videoId);
    await controller.cancel(videoId, {}, user, request);
    expect(await get(videoId)).toMatchObject({ status: 'cancelled' });
    expect(reads(videoId)).toBe(2);
  });

  it('forgets everything when the connection drops, and caches again once it is back', async () => {
    const videoId = randomUUID();
    rows.set(videoId, view(videoId, 'processing', 25));
    await get(videoId);
    await get(videoId);
    expect(reads(videoId)).toBe(1);
    const suspended = jest.spyOn(listener.cache, 'suspend');
    await nc.reconnect();
    await waitFor(() => suspended.mock.calls.length > 0 && listener.cache.enabled, { what: 'reconnect' });
    suspended.mockRestore();
    expect(listener.cache.size).toBe(0);
    await get(videoId);
    expect(reads(videoId)).toBe(2);
    await get(videoId);
    expect(reads(videoId)).toBe(2);
    // and the resubscription carries notices again
    rows.set(videoId, view(videoId, 'completed', 100));
    await changed(videoId);
    expect(await get(videoId)).toMatchObject({ progress: 100 });
  });
});
