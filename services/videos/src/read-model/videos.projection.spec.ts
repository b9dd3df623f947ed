import { randomUUID } from 'node:crypto';
import { projectionSpec, ProjectionSpec } from '@study-buddy/service-testing';
import { videoStream } from '../domain/video.decider';
import { videosProjection } from './videos.projection';
import { VideosQueries } from './videos.queries';

/** The videos read model on the real PostgreSQL: each event type in, the status page's row out. */
describe('videos projection', () => {
  let read: ProjectionSpec;
  let queries: VideosQueries;
  const userId = randomUUID();
  const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;

  beforeEach(async () => {
    read = await projectionSpec(videosProjection);
    queries = new VideosQueries(read.pool, read.schema);
  });
  afterEach(() => read.close());

  const submitted = (videoId: string) => ({
    stream: videoStream(videoId),
    type: 'VideoSubmitted',
    data: {
      videoId,
      userId,
      youtubeVideoId: 'dQw4w9WgXcQ',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      subject: 'Biology',
      submittedAt: at(0),
    },
  });

  it('follows a video from queued through processing to completed', async () => {
    const videoId = randomUUID();
    await read.given([submitted(videoId)]);
    await read.catchUp();
    await expect(queries.get(userId, videoId)).resolves.toMatchObject({
      status: 'queued',
      progress: 0,
      subject: 'Biology',
    });

    await read.given([
      {
        stream: videoStream(videoId),
        type: 'VideoProgressed',
        data: { videoId, step: 'generating_notes', progress: 60, message: 'Writing study notes', at: at(1) },
      },
    ]);
    await read.catchUp();
    await expect(queries.get(userId, videoId)).resolves.toMatchObject({
      status: 'processing',
      step: 'generating_notes',
      progress: 60,
      statusMessage: 'Writing study notes',
      updatedAt: at(1),
    });

    const noteId = randomUUID();
    await read.given([
      {
        stream: videoStream(videoId),
        type: 'VideoCompleted',
        data: { videoId, userId, noteId, title: 'Photosynthesis', subject: 'Biology', completedAt: at(2) },
      },
    ]);
    await read.catchUp();
    await expect(queries.get(userId, videoId)).resolves.toMatchObject({
      status: 'completed',
      progress: 100,
      step: 'completed',
      noteId,
      title: 'Photosynthesis',
      completedAt: at(2),
      error: null,
    });

    // its owner deletes the note: the video stays completed, with no note
    await read.given([
      { stream: videoStream(videoId), type: 'VideoNoteDeleted', data: { videoId, userId, noteId, deletedAt: at(3) } },
    ]);
    await read.catchUp();
    await expect(queries.get(userId, videoId)).resolves.toMatchObject({
      status: 'completed',
      noteId: null,
      updatedAt: at(3),
    });
  });

  it('shows what the current attempt’s model calls cost, and forgets it for a retry', async () => {
    const videoId = randomUUID();
    const stream = videoStream(videoId);
    const usage = {
      calls: 2,
      inputTokens: 900,
      outputTokens: 300,
      cacheReadTokens: 4000,
      cacheWriteTokens: 4000,
      estimatedCostUsd: 0.0243,
    };
    await read.given([submitted(videoId), { stream, type: 'VideoUsageRecorded', data: { videoId, usage, at: at(1) } }]);
    await read.catchUp();
    await expect(queries.get(userId, videoId)).resolves.toMatchObject({ usage });
    await read.given([
      { stream, type: 'VideoUsageRecorded', data: { videoId, attempt: 2, usage: { ...usage, calls: 9 }, at: at(2) } },
      { stream, type: 'VideoSubmitted', data: { ...submitted(videoId).data, attempt: 2, submittedAt: at(3) } },
    ]);
    await read.catchUp();
    await expect(queries.get(userId, videoId)).resolves.toMatchObject({ attempt: 2, usage: null });
  });

  it('shows why a video failed and whether trying again may help', async () => {
    const videoId = randomUUID();
    await read.given([
      submitted(videoId),
      {
        stream: videoStream(videoId),
        type: 'VideoFailed',
        data: {
          videoId,
          userId,
          error: 'No captions',
          failedStep: 'fetching_transcript',
          retryable: false,
          failedAt: at(3),
        },
      },
    ]);
    await read.catchUp();
    await expect(queries.get(userId, videoId)).resolves.toMatchObject({
      status: 'failed',
      error: { message: 'No captions', failedStep: 'fetching_transcript', retryable: false },
    });
    await expect(queries.get(randomUUID(), videoId)).resolves.toBeNull();
  });

  it('filters by status', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await read.given([
      submitted(a),
      submitted(b),
      {
        stream: videoStream(b),
        type: 'VideoFailed',
        data: { videoId: b, userId, error: 'x', failedStep: 'starting', retryable: true, failedAt: at(4) },
      },
    ]);
    await read.catchUp();
    const failed = await queries.list({ userId, status: 'failed', limit: 10 });
    expect(failed?.items.map((v) => v.videoId)).toEqual([b]);
  });

  it('starts the row over for a retry, shows a cancelled video, and forgets a deleted one', async () => {
    const videoId = randomUUID();
    const stream = videoStream(videoId);
    await read.given([
      submitted(videoId),
      {
        stream,
        type: 'VideoFailed',
        data: { videoId, userId, error: 'x', failedStep: 'starting', retryable: true, failedAt: at(1) },
      },
      { stream, type: 'VideoSubmitted', data: { ...submitted(videoId).data, attempt: 2, submittedAt: at(2) } },
    ]);
    await read.catchUp();
    await expect(queries.get(userId, videoId)).resolves.toMatchObject({
      status: 'queued',
      attempt: 2,
      error: null,
      step: null,
      createdAt: at(0),
      updatedAt: at(2),
    });

    await read.given([{ stream, type: 'VideoCancelled', data: { videoId, userId, attempt: 2, cancelledAt: at(3) } }]);
    await read.catchUp();
    await expect(queries.get(userId, videoId)).resolves.toMatchObject({ status: 'cancelled', attempt: 2 });
    expect((await queries.list({ userId, status: 'cancelled', limit: 10 }))?.items.map((v) => v.videoId)).toEqual([
      videoId,
    ]);

    await read.given([{ stream, type: 'VideoDeleted', data: { videoId, userId, attempt: 2, deletedAt: at(4) } }]);
    await read.catchUp();
    await expect(queries.get(userId, videoId)).resolves.toBeNull();
    expect((await queries.list({ userId, limit: 10 }))?.items.map((v) => v.videoId)).not.toContain(videoId);
  });
});
