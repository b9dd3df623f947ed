import { randomUUID } from 'node:crypto';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import {
  createRecordingLiveProgress,
  createRecordingRpc,
  deliver,
  notUsed,
  serviceSpec,
} from '@study-buddy/service-testing';
import { Projector } from '@study-buddy/event-store';
import { videoStream } from '../domain/video.decider';
import { VideosQueries } from '../read-model/videos.queries';
import { VideosService } from '../videos.service';
import { notesEventsHandler } from './notes-events.handler';
import { processorEventsHandler } from './processor-events.handler';

/** How a video's status follows the pipeline and the filed note. */
describe('videos event handlers', () => {
  const userId = randomUUID();
  const videoId = randomUUID();
  const stream = videoStream(videoId);
  const at = new Date().toISOString();
  let spec: ReturnType<typeof serviceSpec>;
  let processor: ReturnType<typeof processorEventsHandler>;
  let notes: ReturnType<typeof notesEventsHandler>;
  let live: ReturnType<typeof createRecordingLiveProgress>;

  beforeEach(async () => {
    spec = serviceSpec();
    const videos = new VideosService(
      spec.store,
      createRecordingRpc(),
      createMemoryBlobStore(),
      notUsed<VideosQueries>('VideosQueries'),
      // the handlers only wait for the status read model before announcing a completion
      { waitForPosition: async () => true } as unknown as Projector,
    );
    processor = processorEventsHandler(videos);
    live = createRecordingLiveProgress();
    notes = notesEventsHandler(videos, live);
    await spec.given([
      {
        stream,
        type: 'VideoSubmitted',
        data: {
          videoId,
          userId,
          youtubeVideoId: 'dQw4w9WgXcQ',
          url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
          submittedAt: at,
        },
      },
    ]);
  });

  const progressed = (step: 'starting' | 'generating_notes', progress: number) => ({
    videoId,
    step,
    progress,
    message: step,
    at,
  });
  const noteCreated = () => ({
    noteId: randomUUID(),
    userId,
    videoId,
    youtubeVideoId: 'dQw4w9WgXcQ',
    note: { title: 'Photosynthesis', subject: 'Biology', tags: ['biology'], concepts: ['Light'], language: 'en' },
    createdAt: at,
  });

  it('records progress forwards only, and once per event', async () => {
    let id = '';
    (
      await spec.when(
        async () => (id = await deliver(processor, 'processor', 'JobProgressed', progressed('generating_notes', 60))),
      )
    ).thenAppends([
      {
        stream,
        type: 'VideoProgressed',
        data: { videoId, step: 'generating_notes', progress: 60, message: 'generating_notes', at },
      },
    ]);
    (
      await spec.when(() =>
        deliver(processor, 'processor', 'JobProgressed', progressed('generating_notes', 60), { id }),
      )
    ).thenAppendsNothing();
    // a late report from an earlier step does not move the status back
    (
      await spec.when(() => deliver(processor, 'processor', 'JobProgressed', progressed('starting', 10)))
    ).thenAppendsNothing();
  });

  it('completes the video when its note is filed, then ignores late progress', async () => {
    const note = noteCreated();
    (await spec.when(() => deliver(notes, 'notes', 'NoteCreated', note))).thenAppends([
      {
        stream,
        type: 'VideoCompleted',
        data: {
          videoId,
          userId,
          noteId: note.noteId,
          title: 'Photosynthesis',
          subject: 'Biology',
          attempt: 1,
          completedAt: expect.any(String),
        },
      },
    ]);
    // announced live with the note, for progress streams to end on
    expect(live.updatesFor(videoId)).toEqual([
      expect.objectContaining({ status: 'completed', progress: 100, note_id: note.noteId }),
    ]);
    expect(live.published[0].context.userId).toBe(userId);
    (
      await spec.when(() => deliver(processor, 'processor', 'JobProgressed', progressed('generating_notes', 60)))
    ).thenAppendsNothing();
  });

  it('records what the job’s model calls cost, also after the note completed the video, and nothing without usage', async () => {
    const usage = {
      calls: 2,
      inputTokens: 900,
      outputTokens: 300,
      cacheReadTokens: 4000,
      cacheWriteTokens: 4000,
      estimatedCostUsd: 0.0243,
    };
    const completed = (withUsage: boolean) => ({
      videoId,
      userId,
      noteId: randomUUID(),
      youtubeVideoId: 'dQw4w9WgXcQ',
      videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      contentKey: 'notes/x.md',
      note: { title: 'T', subject: 'S', tags: [], concepts: [], language: 'en', wordCount: 100, summary: 's' },
      ...(withUsage ? { usage } : {}),
      completedAt: at,
    });
    (await spec.when(() => deliver(processor, 'processor', 'JobCompleted', completed(false)))).thenAppendsNothing();
    await spec.when(() => deliver(notes, 'notes', 'NoteCreated', noteCreated()));
    (await spec.when(() => deliver(processor, 'processor', 'JobCompleted', completed(true)))).thenAppends([
      { stream, type: 'VideoUsageRecorded', data: { videoId, attempt: 1, usage, at } },
    ]);
  });

  it('records an earlier attempt’s cost that arrives after a retry (spent money is spent), never a future one’s', async () => {
    const usage = {
      calls: 1,
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      estimatedCostUsd: 0.0001,
    };
    const completed = (videoAttempt: number) => ({
      videoId,
      userId,
      noteId: randomUUID(),
      youtubeVideoId: 'dQw4w9WgXcQ',
      videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      contentKey: 'notes/x.md',
      note: { title: 'T', subject: 'S', tags: [], concepts: [], language: 'en', wordCount: 100, summary: 's' },
      usage,
      videoAttempt,
      completedAt: at,
    });
    await spec.given([
      {
        stream,
        type: 'VideoFailed',
        data: { videoId, userId, error: 'x', failedStep: 'starting', retryable: true, failedAt: at },
      },
      {
        stream,
        type: 'VideoSubmitted',
        data: {
          videoId,
          userId,
          youtubeVideoId: 'dQw4w9WgXcQ',
          url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
          attempt: 2,
          submittedAt: at,
        },
      },
    ]);
    (await spec.when(() => deliver(processor, 'processor', 'JobCompleted', completed(1)))).thenAppends([
      { stream, type: 'VideoUsageRecorded', data: { videoId, attempt: 1, usage, at } },
    ]);
    (await spec.when(() => deliver(processor, 'processor', 'JobCompleted', completed(3)))).thenAppendsNothing();
  });

  it('fails the video with the pipeline’s reason, and never after it completed', async () => {
    const failed = {
      videoId,
      userId,
      error: 'No captions',
      failedStep: 'fetching_transcript' as const,
      retryable: true,
      failedAt: at,
    };
    (await spec.when(() => deliver(processor, 'processor', 'JobFailed', failed))).thenAppends([
      {
        stream,
        type: 'VideoFailed',
        data: { ...failed, attempt: 1, failedAt: expect.any(String) },
      },
    ]);
    (await spec.when(() => deliver(notes, 'notes', 'NoteCreated', noteCreated()))).thenAppendsNothing();
    expect(live.published).toEqual([]);
  });

  it('records a failed attempt’s cost with the failure, once however often the failure is delivered', async () => {
    const usage = {
      calls: 2,
      inputTokens: 900,
      outputTokens: 300,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      estimatedCostUsd: 0.0072,
    };
    const failed = {
      videoId,
      userId,
      error: 'The answer was invalid twice',
      failedStep: 'generating_notes' as const,
      retryable: true,
      usage,
      failedAt: at,
    };
    const id = randomUUID();
    (await spec.when(() => deliver(processor, 'processor', 'JobFailed', failed, { id }))).thenAppends([
      {
        stream,
        type: 'VideoFailed',
        data: {
          videoId,
          userId,
          error: failed.error,
          failedStep: 'generating_notes',
          retryable: true,
          attempt: 1,
          failedAt: expect.any(String),
        },
      },
      { stream, type: 'VideoUsageRecorded', data: { videoId, attempt: 1, usage, at } },
    ]);
    // redelivered (same id), or reported again under another id: the attempt's spend is already counted
    (await spec.when(() => deliver(processor, 'processor', 'JobFailed', failed, { id }))).thenAppendsNothing();
    (await spec.when(() => deliver(processor, 'processor', 'JobFailed', failed))).thenAppendsNothing();
  });

  it('records what a cancelled video’s job spent until it stopped; the video stays cancelled', async () => {
    const usage = {
      calls: 1,
      inputTokens: 500,
      outputTokens: 100,
      cacheReadTokens: 0,
      cacheWriteTokens: 4000,
      estimatedCostUsd: 0.0175,
    };
    await spec.given([{ stream, type: 'VideoCancelled', data: { videoId, userId, attempt: 1, cancelledAt: at } }]);
    const settled = { videoId, userId, usage, settledAt: at };
    (await spec.when(() => deliver(processor, 'processor', 'JobSpendSettled', settled))).thenAppends([
      { stream, type: 'VideoUsageRecorded', data: { videoId, attempt: 1, usage, at } },
    ]);
    (await spec.when(() => deliver(processor, 'processor', 'JobSpendSettled', settled))).thenAppendsNothing();
  });

  it('ignores events for a video it never recorded', async () => {
    const other = { ...progressed('generating_notes', 60), videoId: randomUUID() };
    (await spec.when(() => deliver(processor, 'processor', 'JobProgressed', other))).thenAppendsNothing();
  });

  it('after a retry, ignores what the pipeline still reports about the earlier attempt', async () => {
    await spec.given([
      {
        stream,
        type: 'VideoFailed',
        data: { videoId, userId, error: 'x', failedStep: 'starting', retryable: true, attempt: 1, failedAt: at },
      },
      {
        stream,
        type: 'VideoSubmitted',
        data: {
          videoId,
          userId,
          youtubeVideoId: 'dQw4w9WgXcQ',
          url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
          attempt: 2,
          submittedAt: at,
        },
      },
    ]);
    (
      await spec.when(() => deliver(processor, 'processor', 'JobProgressed', progressed('generating_notes', 60)))
    ).thenAppendsNothing();
    (await spec.when(() => deliver(notes, 'notes', 'NoteCreated', noteCreated()))).thenAppendsNothing();
    (
      await spec.when(() =>
        deliver(processor, 'processor', 'JobProgressed', { ...progressed('generating_notes', 60), videoAttempt: 2 }),
      )
    ).thenAppends([
      {
        stream,
        type: 'VideoProgressed',
        data: { videoId, step: 'generating_notes', progress: 60, message: 'generating_notes', at },
      },
    ]);
    const note = { ...noteCreated(), videoAttempt: 2 };
    (await spec.when(() => deliver(notes, 'notes', 'NoteCreated', note))).thenAppends([
      {
        stream,
        type: 'VideoCompleted',
        data: expect.objectContaining({ noteId: note.noteId, attempt: 2 }),
      },
    ]);
  });

  it('a note filed after the video was cancelled changes nothing', async () => {
    await spec.given([{ stream, type: 'VideoCancelled', data: { videoId, userId, attempt: 1, cancelledAt: at } }]);
    (await spec.when(() => deliver(notes, 'notes', 'NoteCreated', noteCreated()))).thenAppendsNothing();
  });

  it('leaves a completed video without its note once its owner deletes the note, once; other withdrawals change nothing', async () => {
    const note = noteCreated();
    await deliver(notes, 'notes', 'NoteCreated', note);
    const withdrawn = (reason: 'note_deleted' | 'video_cancelled', noteId = note.noteId) => ({
      noteId,
      userId,
      videoId,
      reason,
      withdrawnAt: at,
    });
    (
      await spec.when(() => deliver(notes, 'notes', 'NoteWithdrawn', withdrawn('video_cancelled')))
    ).thenAppendsNothing();
    (
      await spec.when(() => deliver(notes, 'notes', 'NoteWithdrawn', withdrawn('note_deleted', randomUUID())))
    ).thenAppendsNothing();
    let id = '';
    (
      await spec.when(async () => (id = await deliver(notes, 'notes', 'NoteWithdrawn', withdrawn('note_deleted'))))
    ).thenAppends([
      {
        stream,
        type: 'VideoNoteDeleted',
        data: { videoId, userId, noteId: note.noteId, deletedAt: expect.any(String) },
      },
    ]);
    // delivered again, under its id or another: the video has no note left to detach
    (
      await spec.when(() => deliver(notes, 'notes', 'NoteWithdrawn', withdrawn('note_deleted'), { id }))
    ).thenAppendsNothing();
    (await spec.when(() => deliver(notes, 'notes', 'NoteWithdrawn', withdrawn('note_deleted')))).thenAppendsNothing();
  });
});
