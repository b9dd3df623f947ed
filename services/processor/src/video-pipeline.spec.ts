import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { PROGRESS_STEPS, ProgressStep, PublishedData } from '@study-buddy/contracts';
import { BlobStore, createMemoryBlobStore } from '@study-buddy/blob-store';
import { deterministicId } from '@study-buddy/event-store';
import { createRecordingLiveProgress, integrationEvent, serviceSpec, StoredEvent } from '@study-buddy/service-testing';
import { OfflineNoteWriter } from './adapters/offline-writer/offline-note-writer';
import { processorEnvSchema } from './config';
import { VideoPipeline } from './video-pipeline';

type Submitted = PublishedData<'videos', 'VideoSubmitted'>;

const lecture = readFileSync(path.join(__dirname, '../test/fixtures/photosynthesis-lecture.txt'), 'utf8');
const anIsoDate = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
const STEPS: ProgressStep[] = [
  'starting',
  'fetching_transcript',
  'generating_notes',
  'generating_assessment',
  'writing_files',
  'creating_links',
];
/** What a spec states about an appended event (its metadata is asserted separately). */
const shape = ({ stream, type, data }: StoredEvent) => ({ stream, type, data });
const firstDelivery = { attempt: 1, maxAttempts: 5 };
const lastDelivery = { attempt: 5, maxAttempts: 5 };

/** Blob storage whose reads fail the way an unreachable MinIO does (not a missing object: that is null). */
function unreachableOnRead(blobs: BlobStore): BlobStore {
  return {
    ...blobs,
    async getText() {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED' });
    },
  };
}

describe('VideoPipeline', () => {
  let spec: ReturnType<typeof serviceSpec>;
  let blobs: ReturnType<typeof createMemoryBlobStore>;
  let live: ReturnType<typeof createRecordingLiveProgress>;
  let videoId: string;
  let userId: string;
  let stream: string;

  const pipeline = (blobStore: BlobStore = blobs) =>
    new VideoPipeline(spec.store, blobStore, live, new OfflineNoteWriter(), processorEnvSchema.parse({}));

  /** The submission exactly as the videos service publishes it (validated against its schema). */
  const submission = (overrides: Partial<Submitted> = {}) =>
    integrationEvent('videos', 'VideoSubmitted', {
      videoId,
      userId,
      youtubeVideoId: 'dQw4w9WgXcQ',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      transcriptKey: `transcripts/${userId}/${videoId}.txt`,
      submittedAt: new Date().toISOString(),
      ...overrides,
    }).data as Submitted;

  const started = (attempt: number) => ({
    stream,
    type: 'JobStarted',
    data: { videoId, userId, youtubeVideoId: 'dQw4w9WgXcQ', attempt, startedAt: anIsoDate },
  });
  const progressed = (step: ProgressStep) => ({
    stream,
    type: 'JobProgressed',
    data: { videoId, step, progress: PROGRESS_STEPS[step], message: expect.any(String), at: anIsoDate },
  });
  const failed = (failedStep: ProgressStep, retryable: boolean, error: unknown) => ({
    stream,
    type: 'JobFailed',
    data: { videoId, userId, error, failedStep, retryable, failedAt: anIsoDate },
  });

  // The pipeline logs failures; these specs assert them instead (each spec file has its own Logger).
  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    spec = serviceSpec();
    blobs = createMemoryBlobStore();
    live = createRecordingLiveProgress();
    videoId = randomUUID();
    userId = randomUUID();
    stream = `job-${videoId}`;
    await blobs.put(`transcripts/${userId}/${videoId}.txt`, lecture, 'text/plain');
  });

  it('turns an uploaded transcript into a stored note, recording and announcing every step', async () => {
    const noteId = deterministicId(`note/${videoId}`);
    const contentKey = `notes/${userId}/${noteId}.md`;
    const context = { correlationId: randomUUID() };

    const outcome = await spec.when(() => pipeline().process(submission(), context, firstDelivery));

    outcome.thenAppends([
      started(1),
      ...STEPS.map(progressed),
      {
        stream,
        type: 'JobCompleted',
        data: {
          videoId,
          userId,
          noteId,
          youtubeVideoId: 'dQw4w9WgXcQ',
          videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
          contentKey,
          note: expect.objectContaining({ subject: 'Biology', language: expect.any(String) }),
          completedAt: anIsoDate,
        },
      },
    ]);
    // Every event carries the request's context and the owner, for tracing and read-your-writes.
    for (const event of outcome.appended) expect(event.metadata).toMatchObject({ ...context, userId });

    const completed = outcome.appended[outcome.appended.length - 1].data as { note: { title: string } };
    const markdown = await blobs.getText(contentKey);
    expect(markdown).toMatch(/^---\n/);
    expect(markdown).toContain(`note_id: "${noteId}"`);
    expect(markdown).toContain(`# ${completed.note.title}`);
    expect(completed.note.title.toLowerCase()).toContain('photosynthesis');

    expect(live.updatesFor(videoId)).toEqual([
      ...STEPS.map((step) => ({
        video_id: videoId,
        status: 'processing',
        step,
        progress: PROGRESS_STEPS[step],
        message: expect.any(String),
      })),
      { video_id: videoId, status: 'completed', step: 'completed', progress: 100, message: 'Done' },
    ]);
    expect(live.published.every((p) => p.context.correlationId === context.correlationId)).toBe(true);
  });

  it('adds assessment questions as the submission says (the user’s setting), else as GENERATE_ASSESSMENT says', async () => {
    const hasAssessment = async (overrides: Partial<Submitted>, env: Record<string, string> = {}) => {
      const outcome = await spec.when(() =>
        new VideoPipeline(spec.store, blobs, live, new OfflineNoteWriter(), processorEnvSchema.parse(env)).process(
          submission(overrides),
          {},
          firstDelivery,
        ),
      );
      const { contentKey } = outcome.appended.find((e) => e.type === 'JobCompleted')!.data as { contentKey: string };
      return (await blobs.getText(contentKey))!.includes('## Assessment');
    };
    expect(await hasAssessment({})).toBe(true);
    videoId = randomUUID();
    await blobs.put(`transcripts/${userId}/${videoId}.txt`, lecture, 'text/plain');
    expect(await hasAssessment({ assessment: false })).toBe(false);
    videoId = randomUUID();
    await blobs.put(`transcripts/${userId}/${videoId}.txt`, lecture, 'text/plain');
    expect(await hasAssessment({ assessment: true }, { GENERATE_ASSESSMENT: 'false' })).toBe(true);
  });

  it('fails the job as retryable at fetching_transcript when no transcript came with the video', async () => {
    const outcome = await spec.when(() =>
      pipeline().process(submission({ transcriptKey: undefined }), {}, firstDelivery),
    );

    outcome.thenAppends([
      started(1),
      progressed('starting'),
      progressed('fetching_transcript'),
      failed('fetching_transcript', true, expect.stringContaining('No transcript was supplied')),
    ]);
    expect(live.updatesFor(videoId).at(-1)).toEqual({
      video_id: videoId,
      status: 'failed',
      step: 'fetching_transcript',
      progress: PROGRESS_STEPS.fetching_transcript,
      error: expect.stringContaining('No transcript was supplied'),
      retryable: true,
    });
    expect(blobs.keys()).toEqual([`transcripts/${userId}/${videoId}.txt`]); // no note written
  });

  it('fails the job as retryable when the transcript named by the submission is not in storage', async () => {
    const outcome = await spec.when(() =>
      pipeline().process(submission({ transcriptKey: `transcripts/${userId}/gone.txt` }), {}, firstDelivery),
    );

    expect(outcome.appended.map(shape).at(-1)).toEqual(
      failed('fetching_transcript', true, 'The uploaded transcript could not be found in storage'),
    );
  });

  it('fails the job for good when the transcript has no text once captions markup is removed', async () => {
    await blobs.put(
      `transcripts/${userId}/${videoId}.txt`,
      'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n[Music]\n',
      'text/vtt',
    );

    const outcome = await spec.when(() => pipeline().process(submission(), {}, firstDelivery));

    outcome.thenAppends([
      started(1),
      progressed('starting'),
      progressed('fetching_transcript'),
      failed('fetching_transcript', false, expect.stringContaining('no text')),
    ]);
    expect(live.updatesFor(videoId).at(-1)).toMatchObject({ status: 'failed', retryable: false });
  });

  it('lets a transient failure propagate so JetStream redelivers, and fails the job only on the last delivery', async () => {
    const flaky = pipeline(unreachableOnRead(blobs));

    const early = await spec.when(() => flaky.process(submission(), {}, firstDelivery));
    expect(early.error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(early.appended.map(shape)).toEqual([started(1), progressed('starting'), progressed('fetching_transcript')]);
    expect(live.updatesFor(videoId).some((u) => u.status === 'failed')).toBe(false);

    const last = await spec.when(() => flaky.process(submission(), {}, lastDelivery));
    last.thenAppends([
      started(2),
      progressed('starting'),
      progressed('fetching_transcript'),
      failed('fetching_transcript', true, 'Processing failed after 5 attempts: connect ECONNREFUSED 127.0.0.1:9000'),
    ]);
    expect(live.updatesFor(videoId).at(-1)).toMatchObject({ status: 'failed', retryable: true });
  });

  it('appends nothing when a completed job’s submission is delivered again', async () => {
    const first = await spec.when(() => pipeline().process(submission(), {}, firstDelivery));
    expect(first.appended.at(-1)?.type).toBe('JobCompleted');
    const announced = live.published.length;

    const again = await spec.when(() => pipeline().process(submission(), {}, firstDelivery));

    again.thenAppendsNothing();
    expect(live.published).toHaveLength(announced);
  });

  it('appends nothing when a failed job’s submission is delivered again', async () => {
    await spec.given([
      { stream, type: 'JobStarted', data: jobStarted(1) },
      { stream, type: 'JobFailed', data: jobFailed() },
    ]);

    (await spec.when(() => pipeline().process(submission(), {}, firstDelivery))).thenAppendsNothing();
    expect(live.published).toEqual([]);
  });

  it('starts the job again as attempt 2 when the worker that had it died', async () => {
    const given: StoredEvent[] = [
      { stream, type: 'JobStarted', data: jobStarted(1) },
      {
        stream,
        type: 'JobProgressed',
        data: { videoId, step: 'starting', progress: 10, message: 'Starting', at: new Date().toISOString() },
      },
    ];
    await spec.given(given);

    const outcome = await spec.when(() => pipeline().process(submission(), {}, firstDelivery));

    expect(outcome.appended.map((e) => e.type)).toEqual([
      'JobStarted',
      ...STEPS.map(() => 'JobProgressed'),
      'JobCompleted',
    ]);
    expect(shape(outcome.appended[0])).toEqual(started(2));
    // The new attempt reports its progress from the start again.
    expect(outcome.appended.slice(1, 7).map(shape)).toEqual(STEPS.map(progressed));
  });

  function jobStarted(attempt: number) {
    return { videoId, userId, youtubeVideoId: 'dQw4w9WgXcQ', attempt, startedAt: new Date().toISOString() };
  }
  function jobFailed() {
    return {
      videoId,
      userId,
      error: 'earlier failure',
      failedStep: 'fetching_transcript',
      retryable: true,
      failedAt: new Date().toISOString(),
    };
  }
});
