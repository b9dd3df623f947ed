import { AppError, VideosEvent } from '@study-buddy/contracts';
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
  data: { videoId, userId, noteId, title: 'T', subject: 'Biology', attempt: 1, completedAt: now },
};
const failed = (retryable: boolean, attempt = 1): VideosEvent => ({
  type: 'VideoFailed',
  data: { videoId, userId, error: 'e', failedStep: 'fetching_transcript', retryable, attempt, failedAt: now },
});
const cancelled = (attempt = 1): VideosEvent => ({
  type: 'VideoCancelled',
  data: { videoId, userId, attempt, cancelledAt: now },
});
const deleted = (attempt = 1): VideosEvent => ({
  type: 'VideoDeleted',
  data: { videoId, userId, attempt, deletedAt: now },
});
const resubmitted = (attempt: number, transcriptKey = 't'): VideosEvent => ({
  type: 'VideoSubmitted',
  data: { ...(submitted.data as object), transcriptKey, attempt } as Extract<
    VideosEvent,
    { type: 'VideoSubmitted' }
  >['data'],
});
const complete = (attempt = 1): VideoCommand => ({
  type: 'CompleteVideo',
  videoId,
  attempt,
  noteId,
  title: 'T',
  subject: 'Biology',
  now,
});
const fail = (attempt = 1): VideoCommand => ({
  type: 'FailVideo',
  videoId,
  attempt,
  error: 'e',
  failedStep: 'fetching_transcript',
  retryable: true,
  now,
});
const progress = (attempt = 1): VideoCommand => ({
  type: 'RecordProgress',
  videoId,
  attempt,
  step: 'starting',
  progress: 10,
  message: 'starting',
  now,
});
const cancel: VideoCommand = { type: 'CancelVideo', videoId, userId, now };
const retry = (fromAttempt = 1, transcriptKey?: string, by = userId): VideoCommand => ({
  type: 'RetryVideo',
  videoId,
  userId: by,
  fromAttempt,
  transcriptKey,
  now,
});
const remove: VideoCommand = { type: 'DeleteVideo', videoId, userId, now };
const stranger = '44444444-4444-4444-8444-444444444444';

describe('video decider', () => {
  it('accepts a submission', () => spec.given([]).when(submit).then([submitted]));
  it('keeps the first submission of the same video', () => spec.given([submitted]).when(submit).thenNothingHappens());
  it('is queued after submission', () => spec.given([submitted]).thenState({ status: 'queued', userId }));

  it('records forward progress', () =>
    spec
      .given([submitted])
      .when({ type: 'RecordProgress', videoId, attempt: 1, step: 'starting', progress: 10, message: 'starting', now })
      .then([progressed('starting', 10)]));

  it('drops progress that goes backwards or repeats', () =>
    spec
      .given([submitted, progressed('generating_notes', 60)])
      .when({ type: 'RecordProgress', videoId, attempt: 1, step: 'starting', progress: 10, message: 'starting', now })
      .thenNothingHappens());

  it('completes with the note', () =>
    spec
      .given([submitted, progressed('starting', 10)])
      .when(complete())
      .then([completed]));

  it('completes only once', () => spec.given([submitted, completed]).when(complete()).thenNothingHappens());

  it('lets go of its note when the owner deletes the note, once, and only that note', () => {
    const detach = (id = noteId): VideoCommand => ({ type: 'DetachNote', videoId, noteId: id, now });
    const noteDeleted: VideosEvent = { type: 'VideoNoteDeleted', data: { videoId, userId, noteId, deletedAt: now } };
    spec.given([submitted, completed]).when(detach()).then([noteDeleted]);
    spec.given([submitted, completed, noteDeleted]).when(detach()).thenNothingHappens();
    spec.given([submitted, completed]).when(detach('00000000-0000-4000-8000-000000000099')).thenNothingHappens();
    spec.given([submitted]).when(detach()).thenNothingHappens();
    spec.given([submitted, completed, deleted()]).when(detach()).thenNothingHappens();
    spec.given([submitted, completed, noteDeleted]).thenState({ status: 'completed', noteId: null });
  });

  it('ignores progress after completion', () =>
    spec
      .given([submitted, completed])
      .when({ type: 'RecordProgress', videoId, attempt: 1, step: 'generating_notes', progress: 60, message: 'x', now })
      .thenNothingHappens());

  it('fails with the step and whether a retry may help', () =>
    spec
      .given([submitted])
      .when({
        type: 'FailVideo',
        videoId,
        attempt: 1,
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
            attempt: 1,
            failedAt: now,
          },
        },
      ]));

  it('does not fail a completed video', () =>
    spec
      .given([submitted, completed])
      .when({
        type: 'FailVideo',
        videoId,
        attempt: 1,
        error: 'late',
        failedStep: 'writing_files',
        retryable: true,
        now,
      })
      .thenNothingHappens());

  it('ignores commands for a video that was never submitted', () =>
    spec.given([]).when(complete()).thenNothingHappens());

  describe('cancel', () => {
    it('cancels a queued video', () => spec.given([submitted]).when(cancel).then([cancelled()]));
    it('cancels a processing video', () =>
      spec
        .given([submitted, progressed('starting', 10)])
        .when(cancel)
        .then([cancelled()]));
    it('is cancelled afterwards', () => spec.given([submitted, cancelled()]).thenState({ status: 'cancelled' }));
    it('cancels twice as once', () => spec.given([submitted, cancelled()]).when(cancel).thenNothingHappens());
    it('refuses to cancel a completed video (409)', () =>
      spec
        .given([submitted, completed])
        .when(cancel)
        .thenThrows(AppError, /already completed/));
    it('refuses to cancel a failed video (409)', () =>
      spec
        .given([submitted, failed(true)])
        .when(cancel)
        .thenThrows(AppError, /already failed/));
    it('does not know a video that was never submitted, was deleted, or is not the caller’s (404)', () => {
      spec
        .given([])
        .when(cancel)
        .thenThrows(AppError, /not found/);
      spec
        .given([submitted, deleted()])
        .when(cancel)
        .thenThrows(AppError, /not found/);
      spec
        .given([submitted])
        .when({ ...cancel, userId: stranger })
        .thenThrows(AppError, /not found/);
    });
    // The race: whichever lands first in the stream wins.
    it('a completion that arrives after the cancel changes nothing', () =>
      spec
        .given([submitted, progressed('starting', 10), cancelled()])
        .when(complete())
        .thenNothingHappens());
    it('a cancel that arrives after the completion is refused', () =>
      spec
        .given([submitted, progressed('starting', 10), completed])
        .when(cancel)
        .thenThrows(AppError, /completed/));
    it('a failure or progress after the cancel changes nothing', () => {
      spec.given([submitted, cancelled()]).when(fail()).thenNothingHappens();
      spec.given([submitted, cancelled()]).when(progress()).thenNothingHappens();
    });
  });

  describe('retry', () => {
    it('resubmits a retryable failure as the next attempt', () =>
      spec
        .given([submitted, failed(true)])
        .when(retry())
        .then([resubmitted(2)]));
    it('resubmits a cancelled video', () =>
      spec
        .given([submitted, cancelled()])
        .when(retry())
        .then([resubmitted(2)]));
    it('takes a new transcript for the new attempt', () =>
      spec
        .given([submitted, failed(true)])
        .when(retry(1, 't2'))
        .then([resubmitted(2, 't2')]));
    it('is queued again at the new attempt', () =>
      spec
        .given([submitted, failed(true), resubmitted(2)])
        .thenState({ status: 'queued', attempt: 2, progress: 0, transcriptKeys: ['t'] }));
    it('two retries at once make one: the second finds the new attempt', () =>
      spec
        .given([submitted, failed(true), resubmitted(2)])
        .when(retry(1))
        .thenNothingHappens());
    it('retries the second attempt after it fails too', () =>
      spec
        .given([submitted, failed(true), resubmitted(2), failed(true, 2)])
        .when(retry(2))
        .then([resubmitted(3)]));
    it('refuses a failure a retry cannot fix (409)', () =>
      spec
        .given([submitted, failed(false)])
        .when(retry())
        .thenThrows(AppError, /cannot fix/));
    it('refuses a completed, queued or processing video (409)', () => {
      spec
        .given([submitted, completed])
        .when(retry())
        .thenThrows(AppError, /completed/);
      spec
        .given([submitted])
        .when(retry())
        .thenThrows(AppError, /queued/);
      spec
        .given([submitted, progressed('starting', 10)])
        .when(retry())
        .thenThrows(AppError, /processing/);
    });
    it('does not know a deleted or foreign video (404)', () => {
      spec
        .given([submitted, failed(true), deleted()])
        .when(retry())
        .thenThrows(AppError, /not found/);
      spec
        .given([submitted, failed(true)])
        .when(retry(1, undefined, stranger))
        .thenThrows(AppError, /not found/);
    });
    it('drops reports of an earlier attempt', () => {
      const retried = [submitted, failed(true), resubmitted(2)];
      spec.given(retried).when(progress(1)).thenNothingHappens();
      spec.given(retried).when(complete(1)).thenNothingHappens();
      spec.given(retried).when(fail(1)).thenNothingHappens();
    });
    it('completes the current attempt', () =>
      spec
        .given([submitted, failed(true), resubmitted(2)])
        .when(complete(2))
        .then([{ ...completed, data: { ...completed.data, attempt: 2 } } as VideosEvent]));
  });

  describe('delete', () => {
    it('deletes a finished video', () => {
      spec.given([submitted, completed]).when(remove).then([deleted()]);
      spec
        .given([submitted, failed(false)])
        .when(remove)
        .then([deleted()]);
      spec.given([submitted, cancelled()]).when(remove).then([deleted()]);
    });
    it('cancels a video in progress before deleting it, so its credit goes back', () => {
      spec.given([submitted]).when(remove).then([cancelled(), deleted()]);
      spec
        .given([submitted, progressed('starting', 10)])
        .when(remove)
        .then([cancelled(), deleted()]);
    });
    it('deletes the latest attempt', () =>
      spec
        .given([submitted, failed(true), resubmitted(2), failed(true, 2)])
        .when(remove)
        .then([deleted(2)]));
    it('does not delete a deleted, unknown or foreign video (404)', () => {
      spec
        .given([submitted, deleted()])
        .when(remove)
        .thenThrows(AppError, /not found/);
      spec
        .given([])
        .when(remove)
        .thenThrows(AppError, /not found/);
      spec
        .given([submitted])
        .when({ ...remove, userId: stranger })
        .thenThrows(AppError, /not found/);
    });
    it('ignores everything the pipeline reports after the deletion', () => {
      spec.given([submitted, cancelled(), deleted()]).when(complete()).thenNothingHappens();
      spec.given([submitted, cancelled(), deleted()]).when(progress()).thenNothingHappens();
    });
    it('keeps the first submission id deleted: submitting it again records nothing here', () =>
      spec.given([submitted, deleted()]).when(submit).thenNothingHappens());
  });

  describe('video info', () => {
    const info = {
      youtubeVideoId: 'dQw4w9WgXcQ',
      title: 'Photosynthesis explained',
      channel: 'Study Channel',
      channelId: 'UC1',
      durationSeconds: 110,
      publishDate: '2026-01-02',
      thumbnailUrl: 'https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg',
      isLive: false,
      captionLanguages: [],
      unprocessableReason: null,
    };
    const thumbnail = { key: `thumbnails/${userId}/${videoId}.jpg`, contentType: 'image/jpeg', etag: '"e"' };
    const record: VideoCommand = { type: 'RecordVideoInfo', videoId, info, thumbnail, now };
    const recorded: VideosEvent = {
      type: 'VideoInfoRecorded',
      data: {
        videoId,
        userId,
        title: 'Photosynthesis explained',
        channel: 'Study Channel',
        channelId: 'UC1',
        durationSeconds: 110,
        publishDate: '2026-01-02',
        thumbnail,
        recordedAt: now,
      },
    };
    it('records what YouTube says about a video, whatever its status', () => {
      spec.given([submitted]).when(record).then([recorded]);
      spec.given([submitted, completed]).when(record).then([recorded]);
      spec.given([submitted, cancelled()]).when(record).then([recorded]);
    });
    it('records it once', () => spec.given([submitted, recorded]).when(record).thenNothingHappens());
    it('records nothing for a deleted or unknown video', () => {
      spec.given([submitted, deleted()]).when(record).thenNothingHappens();
      spec.given([]).when(record).thenNothingHappens();
    });
    it('keeps the thumbnail key, so a deletion removes it', () =>
      spec.given([submitted, recorded]).thenState({ infoRecorded: true, thumbnailKey: thumbnail.key }));
  });

  describe('usage (spent money is spent)', () => {
    const usage = {
      calls: 2,
      inputTokens: 900,
      outputTokens: 300,
      cacheReadTokens: 4000,
      cacheWriteTokens: 4000,
      estimatedCostUsd: 0.0243,
    };
    const record = (attempt: number): VideoCommand => ({ type: 'RecordUsage', videoId, attempt, usage, now });
    const recordedUsage = (attempt: number): VideosEvent => ({
      type: 'VideoUsageRecorded',
      data: { videoId, attempt, usage, at: now },
    });
    it('records an earlier attempt’s usage after a retry, under that attempt', () =>
      spec
        .given([submitted, failed(true), resubmitted(2)])
        .when(record(1))
        .then([recordedUsage(1)]));
    it('records it after the video was deleted', () =>
      spec
        .given([submitted, completed, deleted()])
        .when(record(1))
        .then([recordedUsage(1)]));
    it('records a failed attempt’s usage (the calls were paid for)', () =>
      spec
        .given([submitted, failed(false)])
        .when(record(1))
        .then([recordedUsage(1)]));
    it('records each attempt’s usage once, however often it is reported', () => {
      spec
        .given([submitted, failed(true), recordedUsage(1)])
        .when(record(1))
        .thenNothingHappens();
      // the first attempt, recorded before attempts were numbered on the event, counts as attempt 1
      spec
        .given([submitted, completed, { type: 'VideoUsageRecorded', data: { videoId, usage, at: now } }])
        .when(record(1))
        .thenNothingHappens();
      spec
        .given([submitted, failed(true), recordedUsage(1), resubmitted(2)])
        .when(record(2))
        .then([recordedUsage(2)]);
    });
    it('never for an attempt that does not exist yet, or a video never submitted', () => {
      spec.given([submitted]).when(record(2)).thenNothingHappens();
      spec.given([]).when(record(1)).thenNothingHappens();
    });
  });
});
