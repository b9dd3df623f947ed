import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { PublishedData } from '@study-buddy/contracts';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { deliver, integrationEvent, serviceSpec } from '@study-buddy/service-testing';
import { OfflineNoteWriter } from './adapters/offline-writer/offline-note-writer';
import { ModelCall, NoteWriter } from './domain/study-note';
import { jobStream } from './domain/job.decider';
import { videosEventsHandler } from './event-handlers/videos-events.handler';
import { uploadPipeline } from '../test/pipelines';

const lecture = readFileSync(path.join(__dirname, '../test/fixtures/photosynthesis-lecture.txt'), 'utf8');
const delivery = { attempt: 1, maxAttempts: 5 };

/** A cancelled video: the processor learns of it from VideoCancelled, in any order, and stops at a step boundary. */
describe('processor: cancellation', () => {
  let spec: ReturnType<typeof serviceSpec>;
  let blobs: ReturnType<typeof createMemoryBlobStore>;
  let videoId: string;
  let userId: string;
  let writes: number;
  let handlers: ReturnType<typeof videosEventsHandler>;
  /** Runs while the (paid) note writer works: what happens meanwhile, such as a cancellation. */
  let duringWrite: () => Promise<void>;
  /** The model calls the writer reports having paid for. */
  let paid: ModelCall[];

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    spec = serviceSpec();
    blobs = createMemoryBlobStore();
    [videoId, userId, writes] = [randomUUID(), randomUUID(), 0];
    duringWrite = () => Promise.resolve();
    paid = [];
    const offline = new OfflineNoteWriter();
    const writer: NoteWriter = {
      name: 'counting',
      write: async (input) => {
        writes++;
        await duringWrite();
        return { ...(await offline.write(input)), ...(paid.length > 0 ? { usage: paid } : {}) };
      },
    };
    const pipeline = uploadPipeline({ store: spec.store, blobs, writer });
    handlers = videosEventsHandler(pipeline, spec.store);
    await blobs.put(`transcripts/${userId}/${videoId}.txt`, lecture, 'text/plain');
  });

  const submitted = (attempt?: number) =>
    integrationEvent('videos', 'VideoSubmitted', {
      videoId,
      userId,
      youtubeVideoId: 'dQw4w9WgXcQ',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      transcriptKey: `transcripts/${userId}/${videoId}.txt`,
      attempt,
      submittedAt: new Date().toISOString(),
    }).data as PublishedData<'videos', 'VideoSubmitted'>;
  const cancelled = (attempt = 1) => ({ videoId, userId, attempt, cancelledAt: new Date().toISOString() });
  const noteKeys = () => blobs.keys().filter((k) => k.startsWith('notes/'));

  it('never starts a job whose cancellation arrived first, and records the cancellation once', async () => {
    let id = '';
    (await spec.when(async () => (id = await deliver(handlers, 'videos', 'VideoCancelled', cancelled())))).thenAppends([
      { stream: jobStream(videoId), type: 'JobCancelled', data: { videoId, cancelledAt: expect.any(String) } },
    ]);
    (await spec.when(() => deliver(handlers, 'videos', 'VideoCancelled', cancelled(), { id }))).thenAppendsNothing();
    (await spec.when(() => deliver(handlers, 'videos', 'VideoSubmitted', submitted(), delivery))).thenAppendsNothing();
    expect(writes).toBe(0);
  });

  it('stops at the next step boundary when cancelled mid-job: no further step, no note, no completion', async () => {
    duringWrite = () => deliver(handlers, 'videos', 'VideoCancelled', cancelled()).then(() => undefined);
    const outcome = await spec.when(() => deliver(handlers, 'videos', 'VideoSubmitted', submitted(), delivery));
    const types = outcome.appended.map((e) => [e.type, (e.data as { step?: string }).step]);
    expect(types).toEqual([
      ['JobStarted', undefined],
      ['JobProgressed', 'starting'],
      ['JobProgressed', 'fetching_transcript'],
      ['TranscriptFetched', undefined],
      ['JobProgressed', 'generating_notes'],
      ['JobCancelled', undefined],
    ]);
    expect(writes).toBe(1);
    expect(noteKeys()).toEqual([]);
  });

  describe('what a cancelled job spent', () => {
    const call: ModelCall = {
      purpose: 'note',
      model: 'claude-sonnet-5-5',
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    };
    // DEFAULT_PRICES: $3 input, $15 output per million tokens
    const usage = { calls: 1, inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 0, cacheWriteTokens: 0 };

    it('settles the calls made until the job stopped, once', async () => {
      paid = [call];
      duringWrite = () => deliver(handlers, 'videos', 'VideoCancelled', cancelled()).then(() => undefined);
      const outcome = await spec.when(() => deliver(handlers, 'videos', 'VideoSubmitted', submitted(), delivery));
      expect(outcome.appended.slice(-3).map((e) => e.type)).toEqual([
        'JobCancelled',
        'ModelCallsRecorded', // the call in flight when the video was cancelled is paid for all the same
        'JobSpendSettled',
      ]);
      expect(outcome.appended.at(-1)!.data).toEqual({
        videoId,
        userId,
        usage: { ...usage, estimatedCostUsd: 4.5 },
        settledAt: expect.any(String),
      });
      (
        await spec.when(() => deliver(handlers, 'videos', 'VideoSubmitted', submitted(), delivery))
      ).thenAppendsNothing();
    });

    it('settles on the redelivery when the run died before it could', async () => {
      const at = new Date().toISOString();
      await spec.given([
        {
          stream: jobStream(videoId),
          type: 'JobStarted',
          data: { videoId, userId, youtubeVideoId: 'dQw4w9WgXcQ', attempt: 1, startedAt: at },
        },
        { stream: jobStream(videoId), type: 'ModelCallsRecorded', data: { videoId, calls: [call], at } },
        { stream: jobStream(videoId), type: 'JobCancelled', data: { videoId, cancelledAt: at } },
      ]);
      (await spec.when(() => deliver(handlers, 'videos', 'VideoSubmitted', submitted(), delivery))).thenAppends([
        {
          stream: jobStream(videoId),
          type: 'JobSpendSettled',
          data: { videoId, userId, usage: { ...usage, estimatedCostUsd: 4.5 }, settledAt: expect.any(String) },
        },
      ]);
      expect(writes).toBe(0);
    });

    it('settles nothing for a job cancelled before it made a call', async () => {
      duringWrite = () => deliver(handlers, 'videos', 'VideoCancelled', cancelled()).then(() => undefined);
      const outcome = await spec.when(() => deliver(handlers, 'videos', 'VideoSubmitted', submitted(), delivery));
      expect(outcome.appended.at(-1)!.type).toBe('JobCancelled');
    });
  });

  it('leaves a job that completed first as it is', async () => {
    await deliver(handlers, 'videos', 'VideoSubmitted', submitted(), delivery);
    (await spec.when(() => deliver(handlers, 'videos', 'VideoCancelled', cancelled()))).thenAppendsNothing();
  });

  it('runs a retry as a fresh job of its own attempt; cancelling the old attempt does not touch it', async () => {
    await deliver(handlers, 'videos', 'VideoCancelled', cancelled(1));
    const outcome = await spec.when(() => deliver(handlers, 'videos', 'VideoSubmitted', submitted(2), delivery));
    expect(outcome.appended.every((e) => e.stream === jobStream(videoId, 2))).toBe(true);
    expect(outcome.appended.at(-1)).toMatchObject({ type: 'JobCompleted', data: { videoAttempt: 2 } });
    (await spec.when(() => deliver(handlers, 'videos', 'VideoCancelled', cancelled(1)))).thenAppendsNothing();
  });
});
