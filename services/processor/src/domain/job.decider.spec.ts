import { ProcessorEvent } from '@study-buddy/contracts';
import { deciderSpec } from '@study-buddy/testing';
import { JobCommand, jobDecider, JobState } from './job.decider';
import { DEFAULT_PRICES } from './usage-cost';

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
  prices: DEFAULT_PRICES,
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
      prices: DEFAULT_PRICES,
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

  describe('usage: what the attempt cost, every run of it', () => {
    const call = (model: string, inputTokens: number, outputTokens: number) => ({
      purpose: 'note' as const,
      model,
      inputTokens,
      outputTokens,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    const recorded = (...calls: ReturnType<typeof call>[]): ProcessorEvent => ({
      type: 'ModelCallsRecorded',
      data: { videoId, calls, at: now },
    });
    const prices = {
      cheap: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 },
      dear: { input: 10, output: 20, cacheRead: 1, cacheWrite: 12 },
    };
    // run 1 paid for a note and crashed; run 2 paid for the note again and an assessment
    const twoRuns = [
      started(1),
      recorded(call('cheap', 1_000_000, 0)),
      started(2),
      recorded(call('cheap', 0, 500_000), call('dear', 100_000, 10_000)),
    ];
    const total = {
      calls: 3,
      inputTokens: 1_100_000,
      outputTokens: 510_000,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      // cheap: 1 + 1; dear: 1 + 0.2
      estimatedCostUsd: 3.2,
    };

    it('records the calls of a running job, or of one cancelled meanwhile (they are paid for)', () => {
      const calls: JobCommand = { type: 'RecordModelCalls', videoId, calls: [call('cheap', 1, 1)], now };
      spec
        .given([started(1), { type: 'JobCancelled', data: { videoId, cancelledAt: now } }])
        .when(calls)
        .then([recorded(call('cheap', 1, 1))]);
      spec.given([]).when(calls).thenNothingHappens();
    });

    it('completes with the calls of every run, each model at its own price', () =>
      spec
        .given(twoRuns)
        .when({ ...complete, prices })
        .then([{ ...completed, data: { ...completed.data, usage: total } } as ProcessorEvent]));

    it('fails with the calls of every run: a failed video’s spend counts too', () =>
      spec
        .given(twoRuns)
        .when({
          type: 'FailJob',
          videoId,
          error: 'refused',
          failedStep: 'generating_notes',
          retryable: false,
          prices,
          now,
        })
        .then([
          {
            type: 'JobFailed',
            data: {
              videoId,
              userId,
              error: 'refused',
              failedStep: 'generating_notes',
              retryable: false,
              usage: total,
              failedAt: now,
            },
          },
        ]));

    it('gives no estimate when a model has no price, and no usage at all without calls', () => {
      spec
        .given(twoRuns)
        .when({ ...complete, prices: { cheap: prices.cheap } })
        .then([
          { ...completed, data: { ...completed.data, usage: { ...total, estimatedCostUsd: null } } } as ProcessorEvent,
        ]);
      spec
        .given([started(1), started(2)])
        .when(complete)
        .then([completed]);
    });
  });

  describe('settling a cancelled job’s spend', () => {
    const call = {
      purpose: 'note' as const,
      model: 'm',
      inputTokens: 1_000_000,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    };
    const paid: ProcessorEvent = { type: 'ModelCallsRecorded', data: { videoId, calls: [call], at: now } };
    const cancelledJob: ProcessorEvent = { type: 'JobCancelled', data: { videoId, cancelledAt: now } };
    const settle: JobCommand = { type: 'SettleSpend', videoId, prices: DEFAULT_PRICES, now };
    const settled: ProcessorEvent = {
      type: 'JobSpendSettled',
      data: {
        videoId,
        userId,
        usage: {
          calls: 1,
          inputTokens: 1_000_000,
          outputTokens: 0,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          estimatedCostUsd: 3,
        },
        settledAt: now,
      },
    };
    it('reports every call of a cancelled job once, also one recorded after the cancellation', () => {
      spec
        .given([started(1), cancelledJob, paid])
        .when(settle)
        .then([settled]);
      spec
        .given([started(1), cancelledJob, paid, settled])
        .when(settle)
        .thenNothingHappens();
    });
    it('settles nothing for a running, completed or failed job, nor a cancelled one without calls', () => {
      spec
        .given([started(1), paid])
        .when(settle)
        .thenNothingHappens();
      spec
        .given([started(1), paid, completed])
        .when(settle)
        .thenNothingHappens();
      spec
        .given([started(1), cancelledJob])
        .when(settle)
        .thenNothingHappens();
      spec.given([cancelledJob]).when(settle).thenNothingHappens();
    });
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
