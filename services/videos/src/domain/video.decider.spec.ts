import { VideosEvent } from '@study-buddy/contracts';
import { deciderSpec } from '@study-buddy/testing';
import { VideoCommand, videoDecider, VideoState } from './video.decider';

const spec = deciderSpec<VideoCommand, VideosEvent, VideoState>(videoDecider);
const videoId = '22222222-2222-4222-8222-222222222222';
const userId = '11111111-1111-4111-8111-111111111111';
const noteId = '33333333-3333-4333-8333-333333333333';
const now = '2026-11-30T10:00:00.000Z';
const submit: VideoCommand = {
  type: 'SubmitVideo',
  videoId,
  userId,
  youtubeVideoId: 'dQw4w9WgXcQ',
  url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  transcriptKey: 't',
  now,
};
const submitted: VideosEvent = {
  type: 'VideoSubmitted',
  data: {
    videoId,
    userId,
    youtubeVideoId: 'dQw4w9WgXcQ',
    url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    transcriptKey: 't',
    submittedAt: now,
  },
};
const progressed = (step: 'starting' | 'generating_notes', progress: number): VideosEvent => ({
  type: 'VideoProgressed',
  data: { videoId, step, progress, message: step, at: now },
});
const completed: VideosEvent = {
  type: 'VideoCompleted',
  data: { videoId, userId, noteId, title: 'T', subject: 'Biology', completedAt: now },
};

describe('video decider', () => {
  it('accepts a submission', () => spec.given([]).when(submit).then([submitted]));
  it('keeps the first submission of the same video', () => spec.given([submitted]).when(submit).thenNothingHappens());
  it('is queued after submission', () => spec.given([submitted]).thenState({ status: 'queued', userId }));

  it('records forward progress', () =>
    spec
      .given([submitted])
      .when({ type: 'RecordProgress', videoId, step: 'starting', progress: 10, message: 'starting', now })
      .then([progressed('starting', 10)]));

  it('drops progress that goes backwards or repeats', () =>
    spec
      .given([submitted, progressed('generating_notes', 60)])
      .when({ type: 'RecordProgress', videoId, step: 'starting', progress: 10, message: 'starting', now })
      .thenNothingHappens());

  it('completes with the note', () =>
    spec
      .given([submitted, progressed('starting', 10)])
      .when({ type: 'CompleteVideo', videoId, noteId, title: 'T', subject: 'Biology', now })
      .then([completed]));

  it('completes only once', () =>
    spec
      .given([submitted, completed])
      .when({ type: 'CompleteVideo', videoId, noteId, title: 'T', subject: 'Biology', now })
      .thenNothingHappens());

  it('ignores progress after completion', () =>
    spec
      .given([submitted, completed])
      .when({ type: 'RecordProgress', videoId, step: 'generating_notes', progress: 60, message: 'x', now })
      .thenNothingHappens());

  it('fails with the step and whether a retry may help', () =>
    spec
      .given([submitted])
      .when({
        type: 'FailVideo',
        videoId,
        error: 'no captions',
        failedStep: 'fetching_transcript',
        retryable: false,
        now,
      })
      .then([
        {
          type: 'VideoFailed',
          data: {
            videoId,
            userId,
            error: 'no captions',
            failedStep: 'fetching_transcript',
            retryable: false,
            failedAt: now,
          },
        },
      ]));

  it('does not fail a completed video', () =>
    spec
      .given([submitted, completed])
      .when({ type: 'FailVideo', videoId, error: 'late', failedStep: 'writing_files', retryable: true, now })
      .thenNothingHappens());

  it('ignores commands for a video that was never submitted', () =>
    spec
      .given([])
      .when({ type: 'CompleteVideo', videoId, noteId, title: 'T', subject: 'Biology', now })
      .thenNothingHappens());
});
