import { randomUUID } from 'node:crypto';
import { projectionSpec, ProjectionSpec } from '@study-buddy/service-testing';
import { videoStream } from '../domain/video.decider';
import { videoHistoryProjection } from './video-history.projection';
import { VideoHistoryQueries } from './video-history.queries';

/** The history a live progress stream replays, on the real PostgreSQL: every handled event type in, entries out. */
describe('video history projection', () => {
  let read: ProjectionSpec;
  let queries: VideoHistoryQueries;
  const userId = randomUUID();
  const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;

  beforeEach(async () => {
    read = await projectionSpec(videoHistoryProjection);
    queries = new VideoHistoryQueries(read.pool, read.schema);
  });
  afterEach(() => read.close());

  const submitted = (videoId: string, attempt?: number) => ({
    stream: videoStream(videoId),
    type: 'VideoSubmitted',
    data: {
      videoId,
      userId,
      ...(attempt ? { attempt } : {}),
      youtubeVideoId: 'dQw4w9WgXcQ',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      submittedAt: at(0),
    },
  });
  const progressed = (videoId: string, step: 'starting' | 'generating_notes', progress: number, minute: number) => ({
    stream: videoStream(videoId),
    type: 'VideoProgressed',
    data: { videoId, step, progress, message: step, at: at(minute) },
  });

  it('keeps every step of a completed video in order, and answers from any point', async () => {
    const videoId = randomUUID();
    const noteId = randomUUID();
    await read.given([
      submitted(videoId),
      progressed(videoId, 'starting', 10, 1),
      progressed(videoId, 'generating_notes', 60, 2),
      {
        stream: videoStream(videoId),
        type: 'VideoCompleted',
        data: { videoId, userId, noteId, title: 'T', subject: 'Biology', completedAt: at(3) },
      },
    ]);
    await read.catchUp();
    const all = await queries.after(userId, videoId, -1);
    // The completion was recorded before the last progress reports (per-type consumers): the steps
    // a completed video must have gone through are filled in, with the completion's time.
    expect(all?.map((e) => [e.seq, e.status, e.step])).toEqual([
      [0, 'queued', null],
      [10, 'processing', 'starting'],
      [25, 'processing', 'fetching_transcript'],
      [60, 'processing', 'generating_notes'],
      [75, 'processing', 'generating_assessment'],
      [85, 'processing', 'writing_files'],
      [88, 'processing', 'creating_links'],
      [100, 'completed', 'completed'],
    ]);
    expect(all?.[2]).toMatchObject({ message: 'Reading the transcript', at: at(3) });
    expect(all?.[3]).toMatchObject({ message: 'generating_notes', at: at(2) });
    expect(all?.[7]).toMatchObject({ noteId, progress: 100, at: at(3) });
    expect((await queries.after(userId, videoId, 75))?.map((e) => e.seq)).toEqual([85, 88, 100]);
    expect(await queries.after(userId, videoId, 100)).toEqual([]);
    expect(await queries.after(randomUUID(), videoId, -1)).toBeNull();
  });

  it('records a failure as the end, with its reason, and a re-run step once', async () => {
    const videoId = randomUUID();
    await read.given([
      submitted(videoId),
      progressed(videoId, 'starting', 10, 1),
      progressed(videoId, 'starting', 10, 2),
      {
        stream: videoStream(videoId),
        type: 'VideoFailed',
        data: { videoId, userId, error: 'No captions', failedStep: 'starting', retryable: true, failedAt: at(3) },
      },
    ]);
    await read.catchUp();
    const all = await queries.after(userId, videoId, -1);
    expect(all?.map((e) => e.seq)).toEqual([0, 10, 100]);
    expect(all?.[1].at).toBe(at(1));
    expect(all?.[2]).toMatchObject({
      status: 'failed',
      error: { message: 'No captions', failedStep: 'starting', retryable: true },
    });
  });

  it('holds the current attempt, and answers a point of an earlier attempt with the current one whole', async () => {
    const videoId = randomUUID();
    await read.given([
      submitted(videoId),
      progressed(videoId, 'starting', 10, 1),
      {
        stream: videoStream(videoId),
        type: 'VideoFailed',
        data: { videoId, userId, error: 'No captions', failedStep: 'starting', retryable: true, failedAt: at(2) },
      },
      submitted(videoId, 2),
      progressed(videoId, 'starting', 10, 3),
    ]);
    await read.catchUp();
    const points = async (after: number, attempt?: number) =>
      (await queries.after(userId, videoId, after, attempt))?.map((e) => `${e.attempt}.${e.seq}`);
    expect(await points(-1)).toEqual(['2.0', '2.10']);
    expect(await points(100, 1)).toEqual(['2.0', '2.10']);
    expect(await points(0, 2)).toEqual(['2.10']);
    expect(await points(0)).toEqual(['2.10']);
    // a point of an attempt the history has not reached yet: nothing new for that client
    expect(await points(0, 3)).toEqual([]);
  });
});
