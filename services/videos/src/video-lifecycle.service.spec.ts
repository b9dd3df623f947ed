import { randomUUID } from 'node:crypto';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { AppError, RPC } from '@study-buddy/contracts';
import { deterministicId, Projector } from '@study-buddy/event-store';
import { createRecordingRpc, notUsed, serviceSpec } from '@study-buddy/service-testing';
import { videoStream } from './domain/video.decider';
import { VideoLifecycleService } from './video-lifecycle.service';
import { VideosQueries } from './read-model/videos.queries';
import { VideosService } from './videos.service';

/** Cancel, retry and delete on the in-memory store: what each appends, reserves and removes. */
describe('VideoLifecycleService', () => {
  const userId = randomUUID();
  const videoId = randomUUID();
  const stream = videoStream(videoId);
  const at = new Date().toISOString();
  let spec: ReturnType<typeof serviceSpec>;
  let rpc: ReturnType<typeof createRecordingRpc>;
  let blobs: ReturnType<typeof createMemoryBlobStore>;
  let videos: VideosService;
  let lifecycle: VideoLifecycleService;

  const submitted = {
    stream,
    type: 'VideoSubmitted',
    data: {
      videoId,
      userId,
      youtubeVideoId: 'dQw4w9WgXcQ',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      transcriptKey: `transcripts/${userId}/${videoId}.txt`,
      submittedAt: at,
    },
  };
  const failed = (retryable: boolean) => ({
    stream,
    type: 'VideoFailed',
    data: { videoId, userId, error: 'x', failedStep: 'fetching_transcript', retryable, attempt: 1, failedAt: at },
  });
  const reserves = () =>
    rpc.respond(RPC.billing.reserve, (data) => ({
      videoId: (data as { videoId: string }).videoId,
      balance: 1,
      reserved: 1,
    }));

  beforeEach(() => {
    spec = serviceSpec();
    rpc = createRecordingRpc();
    blobs = createMemoryBlobStore();
    videos = new VideosService(spec.store, rpc, blobs, notUsed<VideosQueries>('VideosQueries'), notUsed('projector'));
    const caughtUp = { waitForPosition: () => Promise.resolve(true) } as unknown as Projector;
    lifecycle = new VideoLifecycleService(spec.store, rpc, blobs, videos, caughtUp);
  });

  describe('cancel', () => {
    it('cancels a queued video once, however often it is asked', async () => {
      await spec.given([submitted]);
      (await spec.when(() => lifecycle.cancel({ userId, videoId }, {})))
        .thenReplies({ videoId, status: 'cancelled', attempt: 1, changed: true })
        .thenAppends([
          { stream, type: 'VideoCancelled', data: { videoId, userId, attempt: 1, cancelledAt: expect.any(String) } },
        ]);
      (await spec.when(() => lifecycle.cancel({ userId, videoId }, {})))
        .thenReplies({ videoId, status: 'cancelled', attempt: 1, changed: false })
        .thenAppendsNothing();
    });

    it('refuses a completed video (409) and answers 404 for an unknown, foreign or malformed id', async () => {
      await spec.given([
        submitted,
        {
          stream,
          type: 'VideoCompleted',
          data: { videoId, userId, noteId: randomUUID(), title: 'T', subject: 'S', completedAt: at },
        },
      ]);
      (await spec.when(() => lifecycle.cancel({ userId, videoId }, {}))).thenFails({ code: 'conflict' });
      (await spec.when(() => lifecycle.cancel({ userId: randomUUID(), videoId }, {}))).thenFails({ code: 'not_found' });
      (await spec.when(() => lifecycle.cancel({ userId, videoId: randomUUID() }, {}))).thenFails({ code: 'not_found' });
      (await spec.when(() => lifecycle.cancel({ userId, videoId: 'nope' }, {}))).thenFails({ code: 'not_found' });
    });
  });

  describe('retry', () => {
    it('reserves the next attempt’s credit, then resubmits with the same transcript', async () => {
      await spec.given([submitted, failed(true)]);
      reserves();
      (await spec.when(() => lifecycle.retry({ userId, videoId }, {})))
        .thenReplies({ videoId, status: 'queued', attempt: 2, changed: true })
        .thenAppends([
          { stream, type: 'VideoSubmitted', data: { ...submitted.data, attempt: 2, submittedAt: expect.any(String) } },
        ]);
      expect(rpc.callsTo(RPC.billing.reserve)).toEqual([{ userId, videoId, attempt: 2 }]);
    });

    it('keeps a new transcript for the new attempt', async () => {
      await spec.given([submitted, failed(true)]);
      reserves();
      const outcome = await spec.when(() => lifecycle.retry({ userId, videoId, transcript: 'Light to sugar.' }, {}));
      const key = (outcome.appended[0].data as { transcriptKey: string }).transcriptKey;
      // its own key (the first attempt's transcript stays as it was)
      expect(key).toMatch(new RegExp(`^transcripts/${userId}/${videoId}/[0-9a-f-]{36}\\.txt$`));
      expect(outcome.appended[0].data).toMatchObject({ attempt: 2 });
      expect(await blobs.getText(key)).toBe('Light to sugar.');
    });

    it('records one attempt when two retries arrive at once', async () => {
      await spec.given([submitted, failed(true)]);
      reserves();
      const outcome = await spec.when(() =>
        Promise.all([lifecycle.retry({ userId, videoId }, {}), lifecycle.retry({ userId, videoId }, {})]),
      );
      expect(outcome.appended.map((e) => e.type)).toEqual(['VideoSubmitted']);
      expect(outcome.result?.map((r) => r.changed).sort()).toEqual([false, true]);
      expect(outcome.result?.every((r) => r.attempt === 2)).toBe(true);
    });

    it('answers a repeated retry of the same attempt without reserving again, and refuses one of the running attempt', async () => {
      await spec.given([submitted, failed(true)]);
      reserves();
      await lifecycle.retry({ userId, videoId, attempt: 1 }, {});
      (await spec.when(() => lifecycle.retry({ userId, videoId, attempt: 1 }, {})))
        .thenReplies({ videoId, status: 'queued', attempt: 2, changed: false })
        .thenAppendsNothing();
      expect(rpc.callsTo(RPC.billing.reserve)).toHaveLength(1);
      (await spec.when(() => lifecycle.retry({ userId, videoId }, {}))).thenFails({ code: 'conflict' });
      (await spec.when(() => lifecycle.retry({ userId, videoId, attempt: 3 }, {}))).thenFails({ code: 'conflict' });
      (await spec.when(() => lifecycle.retry({ userId: randomUUID(), videoId, attempt: 3 }, {}))).thenFails({
        code: 'not_found',
      });
    });

    it('asks for no credit when the video cannot be retried (409), and stores nothing without one (402)', async () => {
      await spec.given([submitted, failed(false)]);
      (await spec.when(() => lifecycle.retry({ userId, videoId }, {}))).thenFails({ code: 'conflict' });
      expect(rpc.calls).toEqual([]);

      const other = randomUUID();
      await spec.given([
        { ...submitted, stream: videoStream(other), data: { ...submitted.data, videoId: other } },
        { ...failed(true), stream: videoStream(other), data: { ...failed(true).data, videoId: other } },
      ]);
      rpc.respond(RPC.billing.reserve, () => {
        throw new AppError('insufficient_credits', 'You have no credits left', { balance: 0, required: 1 });
      });
      (await spec.when(() => lifecycle.retry({ userId, videoId: other, transcript: 'text' }, {}))).thenFails({
        code: 'insufficient_credits',
      });
      expect(blobs.keys()).toEqual([]);
    });
  });

  describe('delete', () => {
    it('cancels a video in progress, deletes it and its transcripts, and then does not know it', async () => {
      await blobs.put(submitted.data.transcriptKey, 'text', 'text/plain');
      await spec.given([submitted]);
      (await spec.when(() => lifecycle.delete({ userId, videoId }, {})))
        .thenReplies({ videoId, status: 'deleted', attempt: 1, changed: true })
        .thenAppends([
          { stream, type: 'VideoCancelled', data: expect.objectContaining({ attempt: 1 }) },
          { stream, type: 'VideoDeleted', data: { videoId, userId, attempt: 1, deletedAt: expect.any(String) } },
        ]);
      expect(blobs.keys()).toEqual([]);
      (await spec.when(() => lifecycle.delete({ userId, videoId }, {}))).thenFails({ code: 'not_found' });
      (await spec.when(() => lifecycle.cancel({ userId, videoId }, {}))).thenFails({ code: 'not_found' });
      (await spec.when(() => lifecycle.retry({ userId, videoId }, {}))).thenFails({ code: 'not_found' });
    });

    it('submitting the same video again after deleting it makes a new video', async () => {
      reserves();
      const first = await videos.submit({ userId, url: 'https://youtu.be/dQw4w9WgXcQ' }, {});
      expect(first.videoId).toBe(deterministicId(`video/${userId}/dQw4w9WgXcQ`));
      await lifecycle.delete({ userId, videoId: first.videoId }, {});
      const again = await videos.submit({ userId, url: 'https://youtu.be/dQw4w9WgXcQ' }, {});
      expect(again).toMatchObject({ created: true, status: 'queued' });
      expect(again.videoId).not.toBe(first.videoId);
      const repeat = await videos.submit({ userId, url: 'https://youtu.be/dQw4w9WgXcQ' }, {});
      expect(repeat).toMatchObject({ videoId: again.videoId, created: false });
    });
  });
});
