import { ProcessorEvent } from '@study-buddy/contracts';
import { deciderSpec } from '@study-buddy/testing';
import { JobCommand, jobDecider, JobState } from './job.decider';

const spec = deciderSpec<JobCommand, ProcessorEvent, JobState>(jobDecider);
const videoId = '22222222-2222-4222-8222-222222222222';
const userId = '11111111-1111-4111-8111-111111111111';
const noteId = '33333333-3333-4333-8333-333333333333';
const now = '2026-11-30T10:00:00.000Z';
const start: JobCommand = { type: 'StartJob', videoId, userId, youtubeVideoId: 'dQw4w9WgXcQ', now };
const started = (attempt: number): ProcessorEvent => ({
  type: 'JobStarted',
  data: { videoId, userId, youtubeVideoId: 'dQw4w9WgXcQ', attempt, startedAt: now },
});
const note = { title: 'T', subject: 'Biology', tags: [], concepts: [], language: 'en', wordCount: 100, summary: 'S' };
const complete: JobCommand = {
  type: 'CompleteJob',
  videoId,
  noteId,
  youtubeVideoId: 'dQw4w9WgXcQ',
  videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  contentKey: 'k',
  note,
  now,
};
const completed: ProcessorEvent = {
  type: 'JobCompleted',
  data: {
    videoId,
    noteId,
    youtubeVideoId: 'dQw4w9WgXcQ',
    videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    contentKey: 'k',
    note,
    userId,
    completedAt: now,
  },
};

describe('job decider', () => {
  it('starts a first attempt', () =>
    spec
      .given([])
      .when(start)
      .then([started(1)]));
  it('starts another attempt when a worker died mid-job', () =>
    spec
      .given([started(1)])
      .when(start)
      .then([started(2)]));
  it('does nothing for a finished job (redelivered submission)', () =>
    spec
      .given([started(1), completed])
      .when(start)
      .thenNothingHappens());

  it('records progress forward only', () => {
    const p60: ProcessorEvent = {
      type: 'JobProgressed',
      data: { videoId, step: 'generating_notes', progress: 60, message: 'm', at: now },
    };
    spec
      .given([started(1)])
      .when({ type: 'RecordProgress', videoId, step: 'generating_notes', progress: 60, message: 'm', now })
      .then([p60]);
    spec
      .given([started(1), p60])
      .when({ type: 'RecordProgress', videoId, step: 'starting', progress: 10, message: 'm', now })
      .thenNothingHappens();
  });

  it('reports progress again from the start on a new attempt', () => {
    const p60: ProcessorEvent = {
      type: 'JobProgressed',
      data: { videoId, step: 'generating_notes', progress: 60, message: 'm', at: now },
    };
    spec
      .given([started(1), p60, started(2)])
      .when({ type: 'RecordProgress', videoId, step: 'starting', progress: 10, message: 'm', now })
      .then([{ type: 'JobProgressed', data: { videoId, step: 'starting', progress: 10, message: 'm', at: now } }]);
  });

  it('completes once', () => {
    spec
      .given([started(1)])
      .when(complete)
      .then([completed]);
    spec
      .given([started(1), completed])
      .when(complete)
      .thenNothingHappens();
  });

  it('fails a running job, not a finished one', () => {
    const fail: JobCommand = {
      type: 'FailJob',
      videoId,
      error: 'no transcript',
      failedStep: 'fetching_transcript',
      retryable: true,
      now,
    };
    spec
      .given([started(1)])
      .when(fail)
      .then([
        {
          type: 'JobFailed',
          data: {
            videoId,
            userId,
            error: 'no transcript',
            failedStep: 'fetching_transcript',
            retryable: true,
            failedAt: now,
          },
        },
      ]);
    spec
      .given([started(1), completed])
      .when(fail)
      .thenNothingHappens();
  });

  describe('cancellation', () => {
    const cancel: JobCommand = { type: 'CancelJob', videoId, now };
    const cancelled: ProcessorEvent = { type: 'JobCancelled', data: { videoId, cancelledAt: now } };
    it('cancels a running job', () =>
      spec
        .given([started(1)])
        .when(cancel)
        .then([cancelled]));
    it('cancels a job that has not started, which then never starts', () => {
      spec.given([]).when(cancel).then([cancelled]);
      spec.given([cancelled]).when(start).thenNothingHappens();
    });
    it('does nothing more once cancelled', () => {
      spec
        .given([started(1), cancelled])
        .when(complete)
        .thenNothingHappens();
      spec
        .given([started(1), cancelled])
        .when({ type: 'RecordProgress', videoId, step: 'generating_notes', progress: 60, message: 'm', now })
        .thenNothingHappens();
      spec.given([started(1), cancelled]).thenState({ status: 'cancelled' });
    });
    it('cancels once, and not a job that already ended', () => {
      spec
        .given([started(1), cancelled])
        .when(cancel)
        .thenNothingHappens();
      spec
        .given([started(1), completed])
        .when(cancel)
        .thenNothingHappens();
    });
    it('names the video’s attempt on a retry’s job', () =>
      spec
        .given([
          {
            type: 'JobStarted',
            data: { videoId, userId, youtubeVideoId: 'dQw4w9WgXcQ', attempt: 1, videoAttempt: 2, startedAt: now },
          },
        ])
        .when(complete)
        .then([{ ...completed, data: { ...completed.data, videoAttempt: 2 } } as ProcessorEvent]));
  });

  describe('recording the transcript', () => {
    const youtube: JobCommand = {
      type: 'RecordTranscript',
      videoId,
      source: 'youtube',
      language: 'fr',
      kind: 'manual',
      translatedFrom: 'en',
      trackName: 'English',
      client: 'ANDROID_VR',
      segments: 14,
      timestamped: true,
      now,
    };
    const fetched: ProcessorEvent = {
      type: 'TranscriptFetched',
      data: {
        videoId,
        source: 'youtube',
        language: 'fr',
        kind: 'manual',
        translatedFrom: 'en',
        trackName: 'English',
        client: 'ANDROID_VR',
        segments: 14,
        timestamped: true,
        at: now,
      },
    };
    it('records the chosen track (language, manual or automatic, translated from) on a running job', () =>
      spec
        .given([started(1)])
        .when(youtube)
        .then([fetched]));
    it('records an uploaded transcript without a track', () =>
      spec
        .given([started(1)])
        .when({
          type: 'RecordTranscript',
          videoId,
          source: 'upload',
          language: null,
          kind: 'upload',
          translatedFrom: null,
          segments: 0,
          timestamped: false,
          now,
        })
        .then([
          {
            type: 'TranscriptFetched',
            data: {
              videoId,
              source: 'upload',
              language: null,
              kind: 'upload',
              translatedFrom: null,
              segments: 0,
              timestamped: false,
              at: now,
            },
          },
        ]));
    it('records it once per attempt', () =>
      spec
        .given([started(1), fetched])
        .when(youtube)
        .thenNothingHappens());
    it('records it again on a new attempt (a redelivery may choose another track)', () =>
      spec
        .given([started(1), fetched, started(2)])
        .when(youtube)
        .then([fetched]));
    it('records nothing for a job that is not running', () => {
      spec.given([]).when(youtube).thenNothingHappens();
      spec
        .given([started(1), completed])
        .when(youtube)
        .thenNothingHappens();
    });
  });
});
