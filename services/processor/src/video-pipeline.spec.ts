import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { PROGRESS_STEPS, ProgressStep, PublishedData } from '@study-buddy/contracts';
import { BlobStore, createMemoryBlobStore } from '@study-buddy/blob-store';
import { deterministicId } from '@study-buddy/event-store';
import {
  createRecordingLiveProgress,
  integrationEvent,
  notUsed,
  serviceSpec,
  StoredEvent,
  createRecordingRpc,
} from '@study-buddy/service-testing';
import { FakeYouTube, SCRIPTED_VIDEOS, startFakeYouTube } from '@study-buddy/testing';
import { youtubeClientFrom } from '@study-buddy/youtube';
import { OfflineNoteWriter } from './adapters/offline-writer/offline-note-writer';
import { YouTubeTranscriptSource } from './adapters/youtube/youtube-transcript-source';
import { processorEnvSchema } from './config';
import { TranscriptSource } from './domain/transcript-source';
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

  let yt: FakeYouTube;
  const pipeline = (blobStore: BlobStore = blobs) => {
    const env = processorEnvSchema.parse({ YOUTUBE_BASE_URL: yt.url });
    const youtube = new YouTubeTranscriptSource(youtubeClientFrom(env));
    return new VideoPipeline(spec.store, blobStore, live, new OfflineNoteWriter(), youtube, env, createRecordingRpc());
  };

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
  const transcriptFetched = (track: Record<string, unknown>) => ({
    stream,
    type: 'TranscriptFetched',
    data: { videoId, segments: expect.any(Number), at: anIsoDate, ...track },
  });
  const uploaded = () =>
    transcriptFetched({
      source: 'upload',
      language: null,
      kind: 'upload',
      translatedFrom: null,
      segments: 0,
      timestamped: false,
    });
  const failed = (failedStep: ProgressStep, retryable: boolean, error: unknown) => ({
    stream,
    type: 'JobFailed',
    data: { videoId, userId, error, failedStep, retryable, failedAt: anIsoDate },
  });

  // The pipeline logs failures; these specs assert them instead (each spec file has its own Logger).
  beforeAll(() => Logger.overrideLogger(false));
  beforeAll(async () => (yt = await startFakeYouTube(SCRIPTED_VIDEOS)));
  afterAll(() => yt.close());

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
      progressed('starting'),
      progressed('fetching_transcript'),
      uploaded(),
      ...STEPS.slice(2).map(progressed),
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
        attempt: 1,
        status: 'processing',
        step,
        progress: PROGRESS_STEPS[step],
        message: expect.any(String),
      })),
      { video_id: videoId, attempt: 1, status: 'completed', step: 'completed', progress: 100, message: 'Done' },
    ]);
    expect(live.published.every((p) => p.context.correlationId === context.correlationId)).toBe(true);
  });

  it('adds assessment questions as the submission says (the user’s setting), else as GENERATE_ASSESSMENT says', async () => {
    const hasAssessment = async (overrides: Partial<Submitted>, env: Record<string, string> = {}) => {
      const outcome = await spec.when(() =>
        new VideoPipeline(
          spec.store,
          blobs,
          live,
          new OfflineNoteWriter(),
          notUsed<TranscriptSource>('TranscriptSource'),
          processorEnvSchema.parse(env),
          createRecordingRpc(), // no notes service: written without the user's subjects
        ).process(submission(overrides), {}, firstDelivery),
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

  describe('without a transcript: captions from YouTube', () => {
    const fromYouTube = (youtubeVideoId: string, overrides: Partial<Submitted> = {}) =>
      submission({
        transcriptKey: undefined,
        youtubeVideoId,
        url: `https://www.youtube.com/watch?v=${youtubeVideoId}`,
        ...overrides,
      });
    const noteOf = async (outcome: { appended: StoredEvent[] }) => {
      const { contentKey } = outcome.appended.at(-1)!.data as { contentKey: string };
      return (await blobs.getText(contentKey))!;
    };

    it('reads the manual track in the video language and cites its timestamps in the note', async () => {
      const outcome = await spec.when(() => pipeline().process(fromYouTube('MANUAL2LANG'), {}, firstDelivery));

      expect(outcome.appended.map(shape).slice(0, 4)).toEqual([
        { ...started(1), data: { ...started(1).data, youtubeVideoId: 'MANUAL2LANG' } },
        progressed('starting'),
        progressed('fetching_transcript'),
        transcriptFetched({
          source: 'youtube',
          language: 'en',
          kind: 'manual',
          translatedFrom: null,
          trackName: 'English',
          client: 'ANDROID_VR',
          segments: SCRIPTED_VIDEOS.MANUAL2LANG.tracks[0].cues.length,
          timestamped: true,
        }),
      ]);
      expect(outcome.appended.at(-1)?.type).toBe('JobCompleted');
      const markdown = await noteOf(outcome);
      expect(markdown).toMatch(/^## Key Points$/m);
      expect(markdown).toMatch(/^- .+ \[\d\d:\d\d\]\(https:\/\/youtu\.be\/MANUAL2LANG\?t=\d+\)$/m);
      // the channel and duration YouTube gave, in the front matter
      expect(markdown).toMatch(/^channel: "Study Channel"$/m);
      expect(markdown).toMatch(/^duration_seconds: 110$/m);
    });

    it('reads the language the user asked for, and records it', async () => {
      const outcome = await spec.when(() =>
        pipeline().process(fromYouTube('MANUAL2LANG', { language: 'de' }), {}, firstDelivery),
      );
      expect(outcome.appended.find((e) => e.type === 'TranscriptFetched')?.data).toMatchObject({
        language: 'de',
        kind: 'manual',
      });
      expect(outcome.appended.at(-1)?.type).toBe('JobCompleted');
    });

    it('writes the note in the captions’ language when the user named none', async () => {
      yt.setVideo('GERMANONLY1', { tracks: [SCRIPTED_VIDEOS.MANUAL2LANG.tracks[1]] });
      const outcome = await spec.when(() => pipeline().process(fromYouTube('GERMANONLY1'), {}, firstDelivery));
      expect(outcome.appended.at(-1)?.data).toMatchObject({ note: expect.objectContaining({ language: 'de' }) });
      expect(await noteOf(outcome)).toMatch(/^language: "de"$/m);
    });

    it('falls back to automatic captions', async () => {
      const outcome = await spec.when(() => pipeline().process(fromYouTube('AUTOCAPONLY'), {}, firstDelivery));
      expect(outcome.appended.find((e) => e.type === 'TranscriptFetched')?.data).toMatchObject({
        language: 'en',
        kind: 'asr',
      });
      expect(outcome.appended.at(-1)?.type).toBe('JobCompleted');
    });

    it.each([
      ['AGERESTRICT', /age-restricted/],
      ['NOCAPTIONS0', /no captions in any language/],
      ['UNAVAILABLE', /unavailable/],
    ])('fails %s at once, not retryable, with a message the user understands', async (id, message) => {
      const outcome = await spec.when(() => pipeline().process(fromYouTube(id), {}, firstDelivery));
      expect(outcome.error).toBeUndefined();
      expect(outcome.appended.map(shape).at(-1)).toEqual(
        failed('fetching_transcript', false, expect.stringMatching(message)),
      );
      expect(live.updatesFor(videoId).at(-1)).toMatchObject({ status: 'failed', retryable: false });
    });

    it('lets a rate limit be redelivered, and fails as retryable with YouTube’s reason once deliveries run out', async () => {
      yt.setVideo('RATELIMIT9X', { failFirst: { times: 99, with: 429 }, tracks: SCRIPTED_VIDEOS.RATELIMIT02.tracks });
      const early = await spec.when(() => pipeline().process(fromYouTube('RATELIMIT9X'), {}, firstDelivery));
      expect(early.error).toMatchObject({ name: 'TransientFailure', reason: 'rate_limited' });
      expect(early.appended.some((e) => e.type === 'JobFailed')).toBe(false);

      const last = await spec.when(() => pipeline().process(fromYouTube('RATELIMIT9X'), {}, lastDelivery));
      expect(last.appended.map(shape).at(-1)).toEqual(
        failed(
          'fetching_transcript',
          true,
          'YouTube is limiting requests from this server (HTTP 429). Gave up after 5 attempts: retry the video later',
        ),
      );
    });

    it('an uploaded transcript wins over YouTube, and keeps its SubRip timings', async () => {
      const srt = lecture
        .split(/(?<=\.)\s+/)
        .map(
          (sentence, i) =>
            `${i + 1}\n00:00:${String(i * 2).padStart(2, '0')},000 --> 00:00:${String(i * 2 + 1).padStart(2, '0')},500\n${sentence}\n`,
        )
        .slice(0, 30)
        .join('\n');
      await blobs.put(`transcripts/${userId}/${videoId}.srt`, srt, 'application/x-subrip');
      const before = yt.requests.length;

      const outcome = await spec.when(() =>
        pipeline().process(submission({ transcriptKey: `transcripts/${userId}/${videoId}.srt` }), {}, firstDelivery),
      );

      expect(yt.requests.length).toBe(before);
      expect(outcome.appended.find((e) => e.type === 'TranscriptFetched')?.data).toMatchObject({
        source: 'upload',
        timestamped: true,
      });
      expect(await noteOf(outcome)).toMatch(/\[00:\d\d\]\(https:\/\/youtu\.be\/dQw4w9WgXcQ\?t=\d+\)/);
    });
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
      'JobProgressed',
      'JobProgressed',
      'TranscriptFetched',
      ...STEPS.slice(2).map(() => 'JobProgressed'),
      'JobCompleted',
    ]);
    expect(shape(outcome.appended[0])).toEqual(started(2));
    // The new attempt reports its progress from the start again.
    expect(outcome.appended.filter((e) => e.type === 'JobProgressed').map(shape)).toEqual(STEPS.map(progressed));
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
