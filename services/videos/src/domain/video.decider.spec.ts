import { VideosEvent } from '@study-buddy/contracts';
import { VideoCommand } from './video.decider';
import {
  cancelled,
  complete,
  completed,
  deleted,
  failed,
  noteId,
  now,
  progressed,
  resubmitted,
  spec,
  submit,
  submitted,
  userId,
  videoId,
} from '../testing/video-fixtures';

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
