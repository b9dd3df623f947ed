import { randomUUID } from 'node:crypto';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { AppError, RPC } from '@study-buddy/contracts';
import { deterministicId } from '@study-buddy/event-store';
import { createRecordingRpc, projectionSpec, ProjectionSpec, serviceSpec } from '@study-buddy/service-testing';
import { videoStream } from './domain/video.decider';
import { videosProjection } from './read-model/videos.projection';
import { VideosQueries } from './read-model/videos.queries';
import { VideosService } from './videos.service';

/** Video submission and reads: the service on the in-memory store, its read model on the real PostgreSQL. */
describe('VideosService', () => {
  const userId = randomUUID();
  const url = 'https://youtu.be/dQw4w9WgXcQ';
  const videoId = deterministicId(`video/${userId}/dQw4w9WgXcQ`);
  let spec: ReturnType<typeof serviceSpec>;
  let read: ProjectionSpec;
  let rpc: ReturnType<typeof createRecordingRpc>;
  let blobs: ReturnType<typeof createMemoryBlobStore>;
  let videos: VideosService;

  const reserves = () =>
    rpc.respond(RPC.billing.reserve, (data) => ({
      videoId: (data as { videoId: string }).videoId,
      balance: 1,
      reserved: 1,
    }));

  beforeEach(async () => {
    spec = serviceSpec();
    read = await projectionSpec(videosProjection, { store: spec.store });
    read.projector.start();
    rpc = createRecordingRpc();
    blobs = createMemoryBlobStore();
    videos = new VideosService(spec.store, rpc, blobs, new VideosQueries(read.pool, read.schema), read.projector);
  });
  afterEach(() => read.close());

  it('reserves a credit, keeps the uploaded transcript and records the submission', async () => {
    reserves();
    const outcome = await spec.when(() =>
      videos.submit({ userId, url, transcript: 'Photosynthesis turns light into sugar.', subject: 'Biology' }, {}),
    );
    outcome.thenReplies({ videoId, youtubeVideoId: 'dQw4w9WgXcQ', status: 'queued', created: true }).thenAppends([
      {
        stream: videoStream(videoId),
        type: 'VideoSubmitted',
        data: {
          videoId,
          userId,
          youtubeVideoId: 'dQw4w9WgXcQ',
          url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
          subject: 'Biology',
          transcriptKey: expect.stringMatching(new RegExp(`^transcripts/${userId}/${videoId}/[0-9a-f-]{36}\\.txt$`)),
          submittedAt: expect.any(String),
        },
      },
    ]);
    expect(outcome.appended[0].metadata).toMatchObject({ userId, schemaVersion: 1 });
    expect(rpc.callsTo(RPC.billing.reserve)).toEqual([{ userId, videoId }]);
    const { transcriptKey } = outcome.appended[0].data as { transcriptKey: string };
    expect(blobs.keys()).toEqual([transcriptKey]);
    expect(await blobs.getText(transcriptKey)).toBe('Photosynthesis turns light into sugar.');
  });

  it('records the language and the assessment choice the submission carries, for the processor', async () => {
    reserves();
    const outcome = await spec.when(() => videos.submit({ userId, url, language: 'de', assessment: false }, {}));
    expect(outcome.appended[0].data).toMatchObject({ language: 'de', assessment: false });
  });

  it('returns the first submission of the same video without charging again', async () => {
    reserves();
    await videos.submit({ userId, url }, {});
    const outcome = await spec.when(() =>
      videos.submit({ userId, url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42' }, {}),
    );
    outcome
      .thenReplies({ videoId, youtubeVideoId: 'dQw4w9WgXcQ', status: 'queued', created: false })
      .thenAppendsNothing();
    expect(rpc.callsTo(RPC.billing.reserve)).toHaveLength(1);
  });

  it('refuses a submission without credits (402) and leaves nothing behind', async () => {
    rpc.respond(RPC.billing.reserve, () => {
      throw new AppError('insufficient_credits', 'You have no credits left', { balance: 0, required: 1 });
    });
    const outcome = await spec.when(() => videos.submit({ userId, url, transcript: 'some text' }, {}));
    outcome.thenFails({ code: 'insufficient_credits' });
    expect(blobs.keys()).toEqual([]);
  });

  it('removes the uploaded transcript and gives the credit back at once when the submission cannot be recorded', async () => {
    reserves();
    rpc.respond(RPC.billing.releaseUnrecorded, () => ({ videoId, released: true }));
    const failing = {
      ...spec.store,
      appendToStream: () => Promise.reject(Object.assign(new Error('connection terminated'), { code: '57P01' })),
    };
    const broken = new VideosService(failing, rpc, blobs, new VideosQueries(read.pool, read.schema), read.projector);
    await expect(broken.submit({ userId, url, transcript: 'some text' }, {})).rejects.toThrow('connection terminated');
    expect(blobs.keys()).toEqual([]);
    expect(rpc.callsTo(RPC.billing.releaseUnrecorded)).toEqual([{ userId, videoId }]);
  });

  it('uploads the transcript while billing reserves, not after', async () => {
    // billing answers only once the upload has landed: one after the other would never finish
    rpc.respond(RPC.billing.reserve, async (data) => {
      const deadline = Date.now() + 2000;
      while (blobs.keys().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      if (blobs.keys().length === 0) throw new AppError('unavailable', 'the upload waited for the reservation');
      return { videoId: (data as { videoId: string }).videoId, balance: 1, reserved: 1 };
    });
    await expect(videos.submit({ userId, url, transcript: 'some text' }, {})).resolves.toMatchObject({
      created: true,
    });
    expect(blobs.keys()).toHaveLength(1);
  });

  it('removes a transcript that uploaded while billing refused the credit', async () => {
    rpc.respond(RPC.billing.reserve, async () => {
      const deadline = Date.now() + 2000;
      while (blobs.keys().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(blobs.keys()).toHaveLength(1); // uploaded meanwhile...
      throw new AppError('insufficient_credits', 'You have no credits left', { balance: 0, required: 1 });
    });
    await expect(videos.submit({ userId, url, transcript: 'some text' }, {})).rejects.toMatchObject({
      code: 'insufficient_credits',
    });
    expect(blobs.keys()).toEqual([]);
    expect(await spec.store.readStream(videoStream(videoId))).toEqual([]);
  });

  it('gives the credit back when the transcript cannot be stored', async () => {
    reserves();
    rpc.respond(RPC.billing.releaseUnrecorded, () => ({ videoId, released: true }));
    const full = { ...blobs, put: () => Promise.reject(new Error('bucket unavailable')) };
    const broken = new VideosService(spec.store, rpc, full, new VideosQueries(read.pool, read.schema), read.projector);
    await expect(broken.submit({ userId, url, transcript: 'some text' }, {})).rejects.toThrow('bucket unavailable');
    expect(await spec.store.readStream(videoStream(videoId))).toEqual([]);
    expect(rpc.callsTo(RPC.billing.releaseUnrecorded)).toEqual([{ userId, videoId }]);
  });

  it('validates the whole submission before asking billing for a credit', async () => {
    reserves();
    const outcome = await spec.when(() => videos.submit({ userId, url, language: 'x'.repeat(40) }, {}));
    outcome.thenFails({ code: 'validation_failed' });
    expect(rpc.calls).toEqual([]);
  });

  it('refuses a link that is not a YouTube video before asking billing', async () => {
    const outcome = await spec.when(() => videos.submit({ userId, url: 'https://vimeo.com/123456' }, {}));
    outcome.thenFails({ code: 'invalid_url' });
    expect(rpc.calls).toEqual([]);
  });

  it('fails plainly while billing is unreachable, and records nothing', async () => {
    (await spec.when(() => videos.submit({ userId, url }, {}))).thenFails({ code: 'unavailable' });
  });

  it('records one video when the same submission arrives twice at once, and keeps only its transcript', async () => {
    reserves();
    const outcome = await spec.when(() =>
      Promise.all([
        videos.submit({ userId, url, transcript: 'first' }, {}),
        videos.submit({ userId, url, transcript: 'second' }, {}),
      ]),
    );
    expect(outcome.appended.map((e) => e.type)).toEqual(['VideoSubmitted']);
    expect(blobs.keys()).toEqual([(outcome.appended[0].data as { transcriptKey: string }).transcriptKey]);
    expect(outcome.result?.map((r) => r.videoId)).toEqual([videoId, videoId]);
    expect(outcome.result?.filter((r) => r.created)).toHaveLength(1);
  });

  it('records one video and reserves one credit for ten identical submissions at once, across two replicas', async () => {
    reserves();
    // Two processes: each queues commands per stream only within itself, so the store's revision check decides.
    const replicas = [0, 1].map(
      () => new VideosService({ ...spec.store }, rpc, blobs, new VideosQueries(read.pool, read.schema), read.projector),
    );
    const outcome = await spec.when(() =>
      Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          replicas[i % 2].submit({ userId, url, transcript: 'Photosynthesis turns light into sugar.' }, {}),
        ),
      ),
    );
    expect(outcome.appended.map((e) => e.type)).toEqual(['VideoSubmitted']);
    expect(new Set(outcome.result?.map((r) => r.videoId))).toEqual(new Set([videoId]));
    expect(outcome.result?.filter((r) => r.created)).toHaveLength(1);
    // the winner's transcript only: the nine others removed theirs
    expect(blobs.keys()).toEqual([
      expect.stringMatching(new RegExp(`^transcripts/${userId}/${videoId}/[0-9a-f-]{36}\\.txt$`)),
    ]);
  });

  it("reads a video right after submitting it, and never another user's", async () => {
    reserves();
    await videos.submit({ userId, url }, {});
    await expect(videos.get(userId, videoId)).resolves.toMatchObject({ videoId, status: 'queued', progress: 0 });
    await expect(videos.get(randomUUID(), videoId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(videos.get(userId, 'not-a-uuid')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists newest first and refuses a cursor it did not issue', async () => {
    reserves();
    await videos.submit({ userId, url }, {});
    await new Promise((r) => setTimeout(r, 5)); // distinct submission times: the same millisecond orders by id
    await videos.submit({ userId, url: 'https://youtu.be/aaaaaaaaaaa' }, {});
    await read.catchUp();
    const page = await videos.list({ userId, limit: 1 });
    expect(page.items.map((v) => v.youtubeVideoId)).toEqual(['aaaaaaaaaaa']);
    const next = await videos.list({ userId, limit: 1, cursor: page.nextCursor! });
    expect(next.items.map((v) => v.youtubeVideoId)).toEqual(['dQw4w9WgXcQ']);
    await expect(videos.list({ userId, limit: 10, cursor: 'forged' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});
